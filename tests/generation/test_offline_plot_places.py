"""Issue 16, point 2: nothing from another place wanders in, the plot's creatures
included. A hedgehog eating the strawberries solves a mystery in a garden, not on a
beach nor far out in space: there, one of the place's own animals did it; and the
one who needs help is one who may be there (a baby bird where trees are)."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyforge.generation.providers.base import StoryBrief
from storyforge.generation.providers.offline.places import KINDS
from storyforge.generation.providers.offline.plots import WHEEL_SIZE, plot_choose
from storyforge.generation.providers.offline.storyteller import _Teller, story_write
from storyforge.generation.providers.offline.world import _HELPING_NEEDS, _lives_in
from tests.generation.offline_cast import LEO, MIA


def _brief(setting: str, seed: int, pages: int = 8, tone: str = "mysterious") -> StoryBrief:
    return StoryBrief((MIA, LEO), (), "6-8", pages, tone, "", setting, "en", "watercolour", seed)


# The turns of the tone's wheel (plots.py) that tell a mystery.
_MYSTERY = [wheel for wheel in range(WHEEL_SIZE) if plot_choose(_brief("a forest", wheel)).key == "mystery"]
_HELPING = [
    wheel for wheel in range(WHEEL_SIZE) if plot_choose(_brief("a forest", wheel, tone="heartwarming")).key == "helping"
]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(KINDS), turn=st.integers(0, 40), wheel=st.sampled_from(_MYSTERY))
def test_the_answer_to_a_mystery_lives_in_the_storys_place(kind, turn, wheel):
    teller = _Teller(_brief(kind.name, turn * WHEEL_SIZE + wheel))
    culprit = teller.ns["g"].culprit

    assert teller.plot.key == "mystery"
    if culprit.startswith("the "):
        assert "wind" in teller.place.has, (kind.key, culprit)
    elif culprit.startswith("a family of "):
        assert "bugs" in teller.place.has, (kind.key, culprit)
    else:
        creature = culprit.split()[-1]
        grown = {"puppy": "dog", "kitten": "cat"}.get(creature, creature)
        assert any(animal.split()[-1] == grown for animal in teller.place.animals), (kind.key, culprit)


def test_a_beach_mystery_is_solved_by_a_beach_animal_and_the_book_says_so():
    for seed in [turn * WHEEL_SIZE + wheel for turn in range(4) for wheel in _MYSTERY]:
        brief = _brief("a sunny beach", seed, pages=10)
        culprit = _Teller(brief).ns["g"].culprit
        text = " ".join(page.text for page in story_write(brief).pages)

        assert "hedgehog" not in text and "woodpecker" not in text
        assert culprit.split()[-1] in text, (seed, culprit)


def test_a_mystery_that_fits_its_place_keeps_its_own_answer():
    answers = {_Teller(_brief("a forest", turn * WHEEL_SIZE + wheel)).ns["g"].culprit
               for turn in range(12) for wheel in _MYSTERY}  # fmt: skip

    assert {"a hungry hedgehog", "a squirrel", "the cheeky wind"} <= answers


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(KINDS), turn=st.integers(0, 40), wheel=st.sampled_from(_HELPING))
def test_the_one_who_needs_help_may_be_found_in_the_storys_place(kind, turn, wheel):
    teller = _Teller(_brief(kind.name, turn * WHEEL_SIZE + wheel, tone="heartwarming"))
    species = teller.ns["g"].short.split()[-1]

    assert teller.plot.key == "helping"
    assert _lives_in(species, teller.place.animals) or any(
        need in teller.place.has for need in _HELPING_NEEDS.get(species, ())
    ), (kind.key, teller.ns["g"].who)


def test_under_the_sea_a_sea_creature_is_helped_home_and_no_bird_falls_from_a_nest():
    helped = set()
    for seed in [turn * WHEEL_SIZE + wheel for turn in range(6) for wheel in _HELPING]:
        brief = _brief("under the sea", seed, tone="heartwarming")
        text = " ".join(page.text for page in story_write(brief).pages)
        helped.add(_Teller(brief).ns["g"].short)
        assert not re.search(r"\b(?:nest|hedgehog|bird)\b", text), (seed, text)

    assert helped and all(short.split()[-1] in _Teller(_brief("under the sea", 0)).place.animals for short in helped)


def test_a_new_friend_is_another_kind_of_animal_than_the_helper_met_on_the_way():
    for kind in KINDS:
        for seed in range(30):
            teller = _Teller(_brief(kind.name, seed, tone="heartwarming"))
            if teller.plot.key == "new-friend" and len(teller.place.animals) > 1:
                assert teller.ns["g"].noun != teller.helper_kind, (kind.key, seed)
