"""What the offline artist plans to draw for a page, read from its words: exactly the
story's cast, in poses that fit the page and the character, in the page's place and
at the page's time of day. The plan is what the quality report counts, so these
tests guard it without looking at pixels (test_offline_artist_pictures.py does)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from characters.catalogue import Kind
from storyforge.generation.providers.base import CharacterSheet, Scene
from storyforge.generation.providers.offline import artist
from storyforge.generation.providers.offline.backdrops import BACKDROPS
from storyforge.generation.providers.offline.cast import SPECIES
from storyforge.generation.providers.offline.places import KINDS, kind_find
from storyforge.generation.providers.offline.poses import POSES
from storyforge.generation.providers.offline.things import thing_find

NAMES = ("Mia", "Leo", "Pip", "Gran", "Zed", "Bo", "Juno", "Ola")
# Animal words that name no place and no thing, so they could only ever have added a figure.
ANIMALS = sorted(word for word in SPECIES if kind_find(word) is None and thing_find(word) == ("", ""))
DOINGS = (
    "playing together",
    "walking home",
    "flying over the hills",
    "climbing a tall tree",
    "having a picnic",
    "carrying the baby bird carefully",
    "looking for the lost red kite",
    "waving goodbye",
    "making a plan",
)


def sheet(name: str, kind: str) -> CharacterSheet:
    return CharacterSheet(name, kind, "they/them")


casts = st.lists(
    st.tuples(st.sampled_from(NAMES), st.sampled_from(Kind.values)), min_size=1, max_size=4, unique_by=lambda c: c[0]
).map(lambda pairs: tuple(sheet(name, kind) for name, kind in pairs))
animal_words = st.lists(st.sampled_from(ANIMALS), min_size=1, max_size=3).map(
    lambda words: " and ".join(f"{article} {word}" for article, word in zip(("a", "the", "a"), words, strict=False))
)


def scene(cast, description, *, page=1, text="", setting="", seed=3):
    return Scene(page, description, text, cast, setting, "storybook", seed)


def names(cast) -> str:
    listed = [character.name for character in cast]
    return listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]


@settings(max_examples=40, deadline=None)
@given(
    cast=casts,
    doing=st.sampled_from(DOINGS),
    animals=animal_words,
    place=st.sampled_from(KINDS),
    page=st.integers(0, 12),
)
def test_the_picture_shows_exactly_the_cast_whatever_animals_the_words_mention(cast, doing, animals, place, page):
    description = f"{names(cast)}, {doing} with {animals} and Olive the owl {place.where}, in the afternoon."

    plan = artist.picture_plan(scene(cast, description, page=page))

    assert artist.figures_planned(scene(cast, description, page=page)) == len(cast)
    assert [figure.name for figure in plan.figures] == [character.name for character in cast]
    assert all(figure.pose in POSES for figure in plan.figures)
    assert sum(1 for figure in plan.figures if figure.holding) <= 1
    assert plan.backdrop in BACKDROPS


@settings(max_examples=25, deadline=None)
@given(cast=casts, animals=animal_words, doing=st.sampled_from(DOINGS))
def test_animal_words_change_nothing_in_the_plan(cast, animals, doing):
    plain = scene(cast, f"{names(cast)}, {doing} in the forest, in the morning sunshine.")
    with_animals = scene(cast, f"{names(cast)}, {doing} with {animals} in the forest, in the morning sunshine.")

    assert artist.picture_plan(with_animals) == artist.picture_plan(plain)


@settings(max_examples=30, deadline=None)
@given(cast=casts, place=st.sampled_from(KINDS))
def test_only_those_who_can_fly_fly_and_the_others_jump_for_joy(cast, place):
    plan = artist.picture_plan(scene(cast, f"{names(cast)}, flying over the treetops {place.where}."))

    for figure, character in zip(plan.figures, cast, strict=True):
        if character.kind in ("dragon", "fairy"):
            assert figure.pose in ("fly", "swim")  # under the sea, everyone swims
        else:
            assert figure.pose != "fly"


def test_a_flying_owl_of_the_cast_flies():
    owl = CharacterSheet("Olive", "animal", "she/her", appearance="a little brown owl")

    assert artist.picture_plan(scene((owl,), "Olive, flying over the farm")).figures[0].pose == "fly"


def test_the_pose_follows_the_words():
    mia, pip = sheet("Mia", "child"), sheet("Pip", "dragon")
    poses = {
        "walking home at sunset": "walk",
        "climbing the old oak": "climb",
        "having a picnic near the pond": "sit",
        "doing a happy dance": "cheer",
        "waving goodbye to the seagulls": "wave",
    }
    for doing, pose in poses.items():
        plan = artist.picture_plan(scene((mia, pip), f"Mia and Pip the dragon, {doing}, in the garden"))
        assert [figure.pose for figure in plan.figures] == [pose, pose], doing


def test_one_of_those_named_holds_the_thing_the_page_is_about_in_its_colour():
    mia, leo, pip = sheet("Mia", "child"), sheet("Leo", "child"), sheet("Pip", "dragon")

    plan = artist.picture_plan(scene((mia, leo, pip), "Leo and Pip the dragon, carrying the blue baby bird home"))

    holding = [(figure.name, figure.holding, figure.colour) for figure in plan.figures if figure.holding]
    assert holding == [("Leo", "bird", "blue")]
    assert [figure.front for figure in plan.figures] == [False, True, True]


def test_someone_the_page_text_sends_flying_flies_and_another_holds_the_thing():
    mia, pip = sheet("Mia", "child"), sheet("Pip", "dragon")

    plan = artist.picture_plan(
        scene((pip, mia), "Pip the dragon and Mia, carrying the basket", text="Pip flew up over the hill.")
    )

    assert [(figure.pose, figure.holding) for figure in plan.figures] == [("fly", ""), ("hold", "basket")]


def test_a_thing_they_are_looking_for_is_not_in_the_picture():
    mia = sheet("Mia", "child")

    plan = artist.picture_plan(scene((mia,), "Mia, looking for the lost kite in the park, in the morning"))

    assert plan.sought == "kite" and not plan.subject_shown
    assert "kite" not in plan.props and not plan.held
    assert plan.figures[0].pose == "walk"


@settings(max_examples=30, deadline=None)
@given(place=st.sampled_from(KINDS), doing=st.sampled_from(("holding a flower", "watching a ladybird", "playing")))
def test_things_and_props_keep_to_what_the_storytellers_place_has(place, doing):
    mia = sheet("Mia", "child")
    extras = "in the rain, under an oak, with a kite"

    plan = artist.picture_plan(scene((mia,), f"Mia, {doing}, {extras}, {place.where}"))

    drawn = {*plan.props, plan.subject if plan.subject_shown else "", plan.held} - {""}
    needs = {"flower": "flowers", "ladybird": "bugs", "rain": "rain", "tree": "trees", "kite": "sky"}
    assert plan.place == place.key
    assert all(needs[name] in place.has for name in drawn if name in needs), drawn


def test_flowers_are_not_drawn_in_the_snow_nor_a_kite_under_the_sea():
    mia = sheet("Mia", "child")

    snowy = artist.picture_plan(scene((mia,), "Mia, smelling the flowers near the apple tree, on the snowy mountain"))
    sea = artist.picture_plan(scene((mia,), "Mia, with a kite and the rain, deep under the sea"))

    assert snowy.backdrop == "snow" and snowy.subject == "" and "tree" in snowy.props  # a snowy pine
    assert sea.backdrop == "underwater" and not {"kite", "rain"} & set(sea.props)
    assert sea.figures[0].pose == "swim"


@settings(max_examples=30, deadline=None)
@given(cast=casts, place=st.sampled_from(KINDS), hour=st.sampled_from(("day", "sunset", "night")))
def test_the_time_of_day_is_the_one_the_words_give(cast, place, hour):
    said = {"day": "in the morning sunshine", "sunset": "at sunset", "night": "at night, under the moon and stars"}

    plan = artist.picture_plan(scene(cast, f"{names(cast)}, playing {place.where}, {said[hour]}."))

    assert plan.time == hour
    assert plan.backdrop != "space" or place.key == "space"  # the night's moon is not outer space


def test_the_page_text_sets_the_time_when_the_description_names_none():
    mia = sheet("Mia", "child")

    assert artist.picture_plan(scene((mia,), "Mia in the garden", text="That night, Mia saw an owl.")).time == "night"
    assert artist.picture_plan(scene((mia,), "Mia in the garden at sunset", text="It was night.")).time == "sunset"
    assert artist.picture_plan(scene((mia,), "Mia in the garden")).time == "day"


@settings(max_examples=40, deadline=None)
@given(setting=st.text(alphabet=st.characters(codec="ascii"), max_size=40))
def test_any_setting_gets_a_backdrop_the_artist_can_draw(setting):
    plan = artist.picture_plan(scene((sheet("Mia", "child"),), "Mia, exploring", setting=setting))

    assert plan.backdrop in BACKDROPS


def test_kinds_of_place_the_storyteller_does_not_know_are_drawn_by_their_words():
    mia = (sheet("Mia", "child"),)
    for setting, backdrop in (("a hot desert", "desert"), ("a dark cave", "cave"), ("a volcano island", "seaside")):
        assert artist.picture_plan(scene(mia, "Mia, exploring", setting=setting)).backdrop == backdrop, setting
    assert artist.picture_plan(scene(mia, "Mia, exploring", setting="somewhere")).backdrop == "countryside"


@settings(max_examples=30, deadline=None)
@given(cast=casts, place=st.sampled_from(KINDS))
def test_the_cover_has_everyone_in_front_and_the_titles_hero_at_its_heart(cast, place):
    hero = cast[-1].name
    title = f"{hero} and the Golden Key"

    plan = artist.picture_plan(artist.cover_scene(title, cast, place.name, "storybook", 9))

    assert plan.cover and all(figure.front for figure in plan.figures)
    assert len(plan.figures) == len(cast)
    heroes = [figure for figure in plan.figures if figure.pose != "wave"]
    assert [figure.name for figure in heroes] == [hero]
    assert heroes[0].holding == "key" and heroes[0].colour == "golden"


def test_a_cover_draws_the_titles_flying_subject_big_in_the_sky():
    pip = sheet("Pip", "dragon")

    plan = artist.picture_plan(artist.cover_scene("Pip and the Lost Red Kite", (pip,), "the seaside", "storybook", 1))

    assert (plan.subject, plan.subject_colour, plan.subject_shown, plan.held) == ("kite", "red", True, "")
    assert plan.backdrop == "seaside"


def test_every_kind_of_place_the_storyteller_knows_has_a_drawing():
    for place in KINDS:
        plan = artist.picture_plan(scene((sheet("Mia", "child"),), f"Mia, playing {place.where}"))
        assert plan.place in {kind.key for kind in KINDS}, place.key
        assert plan.backdrop in BACKDROPS
