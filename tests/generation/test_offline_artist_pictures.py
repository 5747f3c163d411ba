"""The offline artist's pictures themselves: animal words add nobody, night is darker
than day in every kind of place, the cover is not page 1 again, and what someone
holds is in the picture."""

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops, ImageStat

from storyforge.generation.providers.base import CharacterSheet, Scene
from storyforge.generation.providers.offline import OfflineProvider, artist
from storyforge.generation.providers.offline.backdrops import BACKDROPS
from storyforge.generation.providers.offline.cast import SPECIES
from storyforge.generation.providers.offline.places import kind_find
from storyforge.generation.providers.offline.things import thing_find

MIA = CharacterSheet("Mia", "child", "she/her", colours={"clothing": "#20c040"})
PIP = CharacterSheet("Pip", "dragon", "they/them", colours={"skin": "#d02090", "clothing": "#2040d0"})
REX = CharacterSheet("Rex", "animal", "he/him", appearance="a brown dog", colours={"clothing": "#e0e020"})
ANIMALS = sorted(word for word in SPECIES if kind_find(word) is None and thing_find(word) == ("", ""))


def picture(scene: Scene) -> Image.Image:
    return Image.open(io.BytesIO(OfflineProvider().page_illustrate(scene).png)).convert("RGB")


def png(scene: Scene) -> bytes:
    return OfflineProvider().page_illustrate(scene).png


def scene(description, *cast, page=1, setting="", seed=4, text=""):
    return Scene(page, description, text, cast or (MIA, PIP, REX), setting, "storybook", seed)


def shows(image: Image.Image, colour: tuple[int, int, int], tolerance: int = 10) -> bool:
    return any(
        all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))
        for _, pixel in image.getcolors(maxcolors=1 << 20)
    )


@settings(max_examples=6, deadline=None)
@given(animals=st.lists(st.sampled_from(ANIMALS), min_size=1, max_size=3), seed=st.integers(0, 10_000))
def test_a_description_full_of_animals_draws_the_same_picture_as_one_without(animals, seed):
    """The stray third dog: "the dog" in the words once drew one more dog."""
    others = " and ".join(f"the {word}" for word in animals)
    plain = scene("Mia, Pip the dragon and Rex the dog, playing in the forest, in the morning", seed=seed)
    crowded = scene(
        f"Mia, Pip the dragon and Rex the dog, playing with {others} and Olive the owl in the forest, in the morning",
        seed=seed,
    )

    assert png(crowded) == png(plain)


def test_every_character_of_the_cast_is_in_the_picture_in_their_own_colours():
    image = picture(scene("Rex the dog, chasing a squirrel at the seaside, in the morning"))

    for colour in ((0x20, 0xC0, 0x40), (0xD0, 0x20, 0x90), (0xE0, 0xE0, 0x20)):
        assert shows(image, colour)


def brightness(image: Image.Image) -> float:
    return sum(ImageStat.Stat(image).mean) / 3


@pytest.mark.parametrize("backdrop", [drawing for drawing in BACKDROPS if drawing != "space"])
def test_night_is_darker_than_day_in_every_kind_of_place(backdrop):
    words = {"garden": "the garden", "countryside": "somewhere"}.get(backdrop, f"the {backdrop}")
    day = scene(f"Mia, playing in {words}, in the morning sunshine", MIA, setting=words)
    night = scene(f"Mia, playing in {words}, at night", MIA, setting=words)
    assert artist.picture_plan(day).backdrop == backdrop

    assert brightness(picture(night)) < brightness(picture(day)) - 25


def test_the_cover_is_its_own_picture_with_a_frame_and_the_titles_subject():
    cast = (MIA, PIP, REX)
    cover = artist.cover_scene("Pip and the Lost Red Kite", cast, "the seaside", "storybook", 4)
    page_one = scene("Mia, Pip the dragon and Rex the dog, playing together at the seaside, in the morning", seed=4)

    cover_image, page_image = picture(cover), picture(page_one)

    assert cover_image.size == page_image.size == (1024, 768)
    assert cover_image.tobytes() != page_image.tobytes()
    gold = (250, 214, 80)
    assert all(abs(a - b) <= 12 for a, b in zip(cover_image.getpixel((2, 384)), gold, strict=True))
    assert not all(abs(a - b) <= 12 for a, b in zip(page_image.getpixel((2, 384)), gold, strict=True))
    assert shows(cover_image, (214, 64, 58), tolerance=6)  # the red kite
    for colour in ((0x20, 0xC0, 0x40), (0xD0, 0x20, 0x90), (0xE0, 0xE0, 0x20)):
        assert shows(cover_image, colour)


def test_what_someone_holds_is_in_the_picture_in_its_colour():
    holding = picture(scene("Mia, holding a turquoise balloon in the garden, in the morning", MIA))
    waving = picture(scene("Mia, waving in the garden, in the morning", MIA))

    assert shows(holding, (64, 196, 200), tolerance=4)
    assert not shows(waving, (64, 196, 200), tolerance=4)


def lowest_row_of(image: Image.Image, colour: tuple[int, int, int]) -> int:
    """The lowest row with a pixel within 8 of `colour` on every channel."""
    difference = ImageChops.difference(image, Image.new("RGB", image.size, colour))
    red, green, blue = (channel.point(lambda value: 255 if value <= 8 else 0) for channel in difference.split())
    return ImageChops.multiply(ImageChops.multiply(red, green), blue).getbbox()[3]


def test_a_flying_dragon_is_drawn_higher_than_a_standing_one():
    flying = picture(scene("Pip the dragon, flying over the garden, in the morning", PIP, seed=2))
    standing = picture(scene("Pip the dragon, standing in the garden, in the morning", PIP, seed=2))

    pink = (0xD0, 0x20, 0x90)  # Pip's scales: the lowest of them are the feet
    assert lowest_row_of(flying, pink) < lowest_row_of(standing, pink) - 40
