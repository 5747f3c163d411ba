"""The offline storyteller writes English and Spanish, Spanish as a native speaker
would, and every other language is refused before anything is saved."""

import re

import pytest

from stories.models import Story
from storyforge.generation.providers.base import CharacterSheet, StoryBrief
from storyforge.generation.providers.offline import quality
from storyforge.generation.providers.offline.readability import grade_of
from storyforge.generation.providers.offline.storyteller import story_write
from tests.api_client import *  # noqa: F403 - the fixtures
from tests.api_client import assert_error
from tests.generation.offline_cast import spanish_brief
from tests.stories.api_fixtures import *  # noqa: F403 - the fixtures
from tests.stories.api_fixtures import STORIES, brief

MIA = CharacterSheet("Mia", "child", "she/her", 7, ("Brave", "Curious"), likes="las pozas, las tortitas",
                     backstory="Mia vive junto al mar.")  # fmt: skip
LEO = CharacterSheet("Leo", "child", "he/him", 4, ("Playful", "Shy"))
PIP = CharacterSheet("Pip", "dragon", "they/them", 300, ("Gentle", "Curious"), role="supporting")


def spanish(**changes) -> StoryBrief:
    return spanish_brief(**({"characters": (MIA, LEO, PIP), "page_count": 8, "seed": 3} | changes))


def test_a_spanish_book_agrees_adjectives_with_each_character():
    for seed in range(6):
        text = " ".join(page.text for page in story_write(spanish(seed=seed)).pages)

        # The traits are shown in what each one does ("Mia, valiente y curiosa, fue por
        # delante"), worded many ways; the agreement is the point.
        assert "valiente y curiosa" in text and "valiente y curioso" not in text
        assert "juguetón y tímido" in text
        assert "una criatura dulce y curiosa" in text  # they/them: "una criatura", feminine
        # The relationship's note, in Spanish: "Leo, el hermano pequeño de Mia", "a Leo, su hermano pequeño".
        assert re.search(r"Leo(?:,| era) el hermano pequeño de Mia|Leo, su hermano pequeño", text), text


def test_a_spanish_book_is_spanish_throughout():
    for seed in range(10):
        draft = story_write(spanish(seed=seed, moral=""))
        text = " ".join(page.text for page in draft.pages)
        assert not {" the ", " and ", " was ", " said "} & {f" {w} " for w in text.lower().split()}
        assert " de el " not in text and " a el " not in text  # "del", "al"
        assert "en un pueblo de montaña nevado" in text
        assert len(draft.pages) == 8


def test_a_spanish_moral_turns_the_story_and_ends_it():
    draft = story_write(spanish())

    assert "verdad" in " ".join(page.text for page in draft.pages[:-1])
    assert draft.pages[-1].text.endswith("ecir la verdad requiere valor.")  # "...lo sabía: decir la verdad..."


def test_a_spanish_book_reads_at_its_age_groups_level_by_a_spanish_measure():
    grades = [grade_of(" ".join(p.text for p in story_write(spanish(seed=seed)).pages), "es") for seed in range(10)]

    assert all(0.0 <= grade <= 4.5 for grade in grades), grades


def test_the_books_of_one_spanish_brief_differ():
    drafts = [story_write(spanish(seed=seed, page_count=12)) for seed in range(40)]

    assert quality.variety(drafts).top_share <= 0.4


def test_a_trait_the_catalogue_does_not_list_is_told_in_spanish_or_quoted():
    pip = CharacterSheet("Pip", "dragon", "they/them", 300, ("Gentle", "afraid of the dark", "Loves puns"))
    text = " ".join(page.text for page in story_write(spanish(characters=(MIA, pip), relationships=())).pages)

    # "A Pip le daba un poco de miedo la oscuridad", "—La oscuridad me da un poco de miedo —susurró Pip"...
    assert re.search(r"miedo[^.]* la oscuridad|[Ll]a oscuridad (?:me|le) (?:da|daba) un poco de miedo", text), text
    assert text.count("«Loves puns»") == 1


def test_a_spanish_book_is_the_same_for_the_same_seed():
    assert story_write(spanish()) == story_write(spanish())


@pytest.mark.django_db
def test_the_service_refuses_a_language_the_storyteller_does_not_write_before_saving(owner, mia, settings):
    from stories.services import story_create
    from storyforge.core.errors import LanguageUnsupported

    settings.STORYFORGE_AI_PROVIDER = "offline"
    with pytest.raises(LanguageUnsupported) as refused:
        story_create(user=owner, characters=[{"character": mia.pk}], language="de")

    assert refused.value.code == "LANGUAGE_UNSUPPORTED" and refused.value.details["languages"] == ["en", "es"]
    assert not Story.objects.exists()


@pytest.mark.django_db
def test_the_api_refuses_an_unsupported_language_with_its_code(api, mia, settings):
    settings.STORYFORGE_AI_PROVIDER = "offline"
    error = assert_error(api.post(STORIES, brief(mia, language="fr"), format="json"), 422, "LANGUAGE_UNSUPPORTED")

    assert error["details"]["language"] == "fr"
    assert not Story.objects.exists()


@pytest.mark.django_db
def test_the_studio_says_which_languages_the_storyteller_writes(client, owner, mia, settings):
    settings.STORYFORGE_AI_PROVIDER = "offline"
    client.force_login(owner)

    page = client.get("/stories/new/")

    assert "The storyteller here writes: English, Español." in page.content.decode()
