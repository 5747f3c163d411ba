"""The offline artist: portraits and pages that look like the characters, every time."""

import io

import pytest
from PIL import Image, ImageStat

from characters.catalogue import HAIR_COLOURS, SKIN_TONES, Kind, swatch_hex
from stories.models import ArtStyle
from storyforge.generation.providers.base import CharacterSheet, Scene, Usage
from storyforge.generation.providers.offline import OfflineProvider

MIA = CharacterSheet(
    "Mia", "child", "she/her", 7, ("brave",), "auburn", "braids", "green", "light", "a yellow raincoat", "freckles"
)
PIP = CharacterSheet("Pip", "dragon", "they/them", 300, (), "none", "", "amber", "scales-green", "a tiny blue scarf")
GRAN = CharacterSheet("Gran", "grown-up", "she/her", 70, (), "grey", "bun", "brown", "deep-brown", "a purple dress")
FOX = CharacterSheet("Fern", "animal", "she/her", appearance="a little red fox", clothing="a green scarf")


def image(png: bytes) -> Image.Image:
    opened = Image.open(io.BytesIO(png))
    assert opened.format == "PNG"
    return opened.convert("RGB")


def colours(picture: Image.Image) -> list[tuple[int, int, int]]:
    return [colour for _, colour in picture.getcolors(maxcolors=1 << 20)]


def shows(picture: Image.Image, hex_colour: str, tolerance: int = 12) -> bool:
    """Whether some pixel is within `tolerance` of the colour on every channel."""
    wanted = tuple(int(hex_colour[index : index + 2], 16) for index in (1, 3, 5))
    return any(all(abs(a - b) <= tolerance for a, b in zip(pixel, wanted, strict=True)) for pixel in colours(picture))


def scene(*characters, description="Mia and Pip playing at the seaside, in the morning", setting="", seed=7, **changes):
    values = {
        "page_number": 1,
        "visual_description": description,
        "page_text": "",
        "characters": characters,
        "setting": setting,
        "art_style": "storybook",
        "seed": seed,
    }
    values.update(changes)
    return Scene(**values)


def test_portraits_are_as_many_512_pixel_pngs_as_asked_and_each_is_different():
    drawn = OfflineProvider().portrait_draw(MIA, count=3, art_style="watercolour", seed=40)

    pictures = [image(one.png) for one in drawn]
    assert [picture.size for picture in pictures] == [(512, 512)] * 3
    assert len({one.png for one in drawn}) == 3
    assert [one.seed for one in drawn] == [40, 41, 42]
    assert all(one.usage == Usage() for one in drawn)


def test_a_portrait_is_a_picture_not_a_blank():
    picture = image(OfflineProvider().portrait_draw(MIA, count=1, art_style="storybook", seed=1)[0].png)

    assert len(picture.getcolors(maxcolors=1 << 20)) > 20
    assert max(ImageStat.Stat(picture).stddev) > 20


def test_every_portrait_candidate_shows_the_characters_own_hair_skin_and_eye_colours():
    for drawn in OfflineProvider().portrait_draw(MIA, count=3, art_style="storybook", seed=5):
        picture = image(drawn.png)
        assert shows(picture, swatch_hex(HAIR_COLOURS, "auburn"))
        assert shows(picture, swatch_hex(SKIN_TONES, "light"))
        assert shows(picture, "#3f8f4f")  # green eyes


def test_the_sheets_own_colours_win_over_its_palette_keys():
    painted = CharacterSheet(
        "Mia", "child", "she/her", hair_colour="auburn", colours={"hair": "#123ad0", "skin": "#b07040"}
    )
    picture = image(OfflineProvider().portrait_draw(painted, count=1, art_style="cartoon", seed=2)[0].png)

    assert shows(picture, "#123ad0") and shows(picture, "#b07040")
    assert not shows(picture, swatch_hex(HAIR_COLOURS, "auburn"), tolerance=4)


def test_the_clothing_colour_comes_from_the_clothing_words():
    picture = image(OfflineProvider().portrait_draw(MIA, count=1, art_style="storybook", seed=3)[0].png)

    assert shows(picture, "#f6cc40", tolerance=16)  # a yellow raincoat


@pytest.mark.parametrize("kind", Kind.values)
def test_every_kind_of_character_is_drawn_in_its_skin_colour(kind):
    character = CharacterSheet("Bo", kind, "it/its", skin_tone="olive", eye_colour="violet")

    picture = image(OfflineProvider().portrait_draw(character, count=1, art_style="storybook", seed=9)[0].png)

    assert shows(picture, swatch_hex(SKIN_TONES, "olive"))
    assert len(picture.getcolors(maxcolors=1 << 20)) > 20


def test_kinds_look_different_from_each_other():
    drawn = {
        kind: OfflineProvider()
        .portrait_draw(CharacterSheet("Bo", kind, "it/its", skin_tone="olive"), count=1, art_style="storybook", seed=9)[
            0
        ]
        .png
        for kind in Kind.values
    }

    assert len(set(drawn.values())) == len(Kind.values)


def test_a_character_without_colours_is_drawn_the_same_in_every_candidate():
    plain = CharacterSheet("Sunny", "child", "they/them")
    first, second = (
        image(one.png) for one in OfflineProvider().portrait_draw(plain, count=2, art_style="crayon", seed=4)
    )

    shared = set(colours(first)) & set(colours(second))
    assert len(shared) > 20  # the same skin, hair and clothes, on different backgrounds


def test_the_same_seed_draws_the_same_portrait():
    provider = OfflineProvider()

    assert provider.portrait_draw(PIP, count=1, art_style="pencil", seed=8) == provider.portrait_draw(
        PIP, count=1, art_style="pencil", seed=8
    )


def test_a_page_is_a_1024_by_768_png_with_everyone_in_it():
    drawn = OfflineProvider().page_illustrate(scene(MIA, PIP, GRAN, FOX))

    picture = image(drawn.png)
    assert picture.size == (1024, 768)
    assert len(picture.getcolors(maxcolors=1 << 20)) > 20
    for skin in (
        swatch_hex(SKIN_TONES, "light"),
        swatch_hex(SKIN_TONES, "scales-green"),
        swatch_hex(SKIN_TONES, "deep-brown"),
    ):
        assert shows(picture, skin)
    assert shows(picture, swatch_hex(HAIR_COLOURS, "auburn")) and shows(picture, swatch_hex(HAIR_COLOURS, "grey"))
    assert drawn.prompt == "Mia and Pip playing at the seaside, in the morning"
    assert drawn.usage == Usage()


def test_two_seeds_of_one_page_are_different_pictures_and_one_seed_the_same():
    provider = OfflineProvider()

    assert provider.page_illustrate(scene(MIA, seed=1)).png != provider.page_illustrate(scene(MIA, seed=2)).png
    assert provider.page_illustrate(scene(MIA, seed=1)).png == provider.page_illustrate(scene(MIA, seed=1)).png
    assert (
        provider.page_illustrate(scene(MIA, page_number=1)).png
        != provider.page_illustrate(scene(MIA, page_number=2)).png
    )


def sky(png: bytes) -> float:
    picture = image(png)
    return sum(ImageStat.Stat(picture.crop((0, 0, 1024, 200))).mean) / 3


def test_a_night_page_has_a_dark_sky_and_a_day_page_a_light_one():
    provider = OfflineProvider()
    day = provider.page_illustrate(scene(MIA, description="Mia in the forest, in the morning sunshine"))
    night = provider.page_illustrate(scene(MIA, description="Mia in the forest, at night, under the moon and stars"))

    assert sky(night.png) < 90 < 150 < sky(day.png)


def test_the_place_in_the_words_sets_the_scene():
    provider = OfflineProvider()
    underwater = image(provider.page_illustrate(scene(MIA, description="Mia swimming deep under the sea")).png)
    space = provider.page_illustrate(scene(MIA, description="Mia far out in space, in the morning"))
    from_setting = provider.page_illustrate(scene(MIA, description="Mia waving", setting="the old castle"))

    red, green, blue = ImageStat.Stat(underwater).mean
    assert blue > red + 40
    assert sky(space.png) < 90
    assert from_setting.png != provider.page_illustrate(scene(MIA, description="Mia waving", setting="a farm")).png


@pytest.mark.parametrize("style", ArtStyle.values)
def test_every_art_style_draws_a_page_of_its_own(style):
    provider = OfflineProvider()
    drawn = provider.page_illustrate(scene(MIA, PIP, art_style=style))

    picture = image(drawn.png)
    assert len(picture.getcolors(maxcolors=1 << 20)) > 20
    assert shows(picture, swatch_hex(SKIN_TONES, "light"))
    assert (
        drawn.png
        != provider.page_illustrate(scene(MIA, PIP, art_style="storybook" if style != "storybook" else "cartoon")).png
    )


def test_a_page_with_nobody_on_it_is_still_a_picture():
    picture = image(OfflineProvider().page_illustrate(scene(description="an empty beach at sunset")).png)

    assert len(picture.getcolors(maxcolors=1 << 20)) > 20
