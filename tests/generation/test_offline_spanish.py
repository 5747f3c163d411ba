"""Issue 16 in Spanish: the Spanish book tells every character's traits, likes and
backstory in the story, not in a narrator's aside; words the family typed in another
language are quoted whole, never bent into Spanish grammar; words typed in Spanish are
woven in; and the books of one brief stay varied, whichever language the facts are in."""

import re
from dataclasses import replace

import pytest

from storyforge.generation.providers.base import StoryBrief
from storyforge.generation.providers.offline import quality
from storyforge.generation.providers.offline.es.palabras import is_plural, is_spanish
from storyforge.generation.providers.offline.sounds import SOUND_WORDS
from storyforge.generation.providers.offline.storyteller import story_write
from tests.generation.offline_cast import LEO, MIA, PIP, spanish_brief

# The bench's Spanish brief, whose cast wrote their likes and backstories in English,
# and the same cast with them written in Spanish.
MIA_ES = replace(MIA, likes="las pozas y las tortitas",
                 backstory="Mia vive junto al mar y colecciona conchas que cuentan historias.")  # fmt: skip
PIP_ES = replace(PIP, likes="las piedras calientes y las adivinanzas",
                 backstory="Pip nació en una tormenta, la noche más larga del año.")  # fmt: skip
LEO_ES = replace(LEO, likes="los dinosaurios y los charcos")
CASTS = {"english facts": (MIA, PIP, LEO), "spanish facts": (MIA_ES, PIP_ES, LEO_ES)}

# A narrator's way into a fact, which the book no longer uses.
ASIDES = ("todo el mundo lo sabía", "lo sabía todo el mundo", "cualquiera lo sabía", "todo el pueblo lo sabía", "bueno saberlo", "dicho sea de paso", "hay algo que saber",
          "por cierto", "para que lo sepas", "conviene saber", "como ya sabes", "no era ningún secreto",
          "te lo cuento en secreto", "se contaba esto", "esto es lo que se", "antes de seguir, ")  # fmt: skip


def spanish(cast, seed: int = 0, **changes) -> StoryBrief:
    return spanish_brief(cast, seed, **changes)


def _books(cast, seeds=range(40), **changes) -> list:
    return [story_write(spanish(cast, seed, **changes)) for seed in seeds]


def _text(draft) -> str:
    return " ".join(page.text for page in draft.pages)


def test_a_small_check_tells_spanish_words_from_others():
    for text in ("las pozas y las tortitas", "pozas, tortitas", "dinosaurios", "un pueblo de montaña nevado",
                 "Mia vive junto al mar y colecciona conchas.", "Pip nació en una tormenta.", "la granja"):  # fmt: skip
        assert is_spanish(text), text
    for text in ("rock pools, pancakes", "warm stones, riddles", "dinosaurs and puddles", "naps", "shiny bolts",
                 "Leo is Mia's little brother.", "a snowy mountain village", "far out in space", ""):  # fmt: skip
        assert not is_spanish(text), text
    assert is_plural(["las pozas"]) and is_plural(["pozas", "tortitas"]) and not is_plural(["nadar", "cantar"])


@pytest.mark.parametrize("label", list(CASTS))
def test_forty_books_of_one_spanish_brief_stay_varied(label):
    drafts = _books(CASTS[label])

    # The issue asks for 85 % and 25 %; the Spanish books hold a margin above it.
    variety = quality.variety(drafts, SOUND_WORDS)
    assert variety.distinct_share >= 0.88, (variety, quality.most_repeated(drafts, 5))
    assert variety.top_share <= 0.20, variety


@pytest.mark.parametrize("label", list(CASTS))
def test_facts_are_told_in_the_story_not_by_a_narrators_aside(label):
    for draft in _books(CASTS[label], range(20)):
        lowered = _text(draft).lower()
        assert not [aside for aside in ASIDES if aside in lowered], _text(draft)


def test_words_in_another_language_are_quoted_whole_once_and_never_bent_into_spanish():
    for draft in _books(CASTS["english facts"], range(20)):
        text = _text(draft)
        for sheet in (MIA, PIP, LEO):
            assert text.count(f"«{sheet.likes}»") == 1, (sheet.name, text)
            assert text.count(f"«{sheet.backstory}»") == 1, (sheet.name, text)
        # Never "warm stones y riddles", "sus tesoros: rock pools y pancakes".
        assert not re.search(
            r"(?:pools|pancakes|stones|riddles|dinosaurs|puddles) y |[a-z] y (?:pancakes|riddles)", text
        )
        assert not re.search(r"(?:gusta|encanta|hablar de|acordó de)[^«.]*(?:rock pools|warm stones|dinosaurs)", text)


def test_spanish_facts_are_woven_in_and_told_in_every_book_of_eight_pages_or_more():
    cast = CASTS["spanish facts"]
    for pages in (8, 10, 12, 16):
        for draft in _books(cast, range(8), page_count=pages):
            text = _text(draft)
            for sheet in cast:
                assert quality.uses_likes(text, sheet) and quality.uses_backstory(text, sheet), (sheet.name, text)
            assert "«las " not in text and "«los " not in text  # Spanish likes are said, not quoted
            assert "las pozas y las tortitas" in text.lower() and "los dinosaurios y los charcos" in text.lower()


def test_a_spanish_backstory_in_a_pals_words_keeps_the_familys_words():
    told = [_text(draft) for draft in _books(CASTS["spanish facts"], range(20))]

    assert all("ia vive junto al mar y colecciona conchas que cuentan historias" in text for text in told)
    # Often in a pal's own voice: "—Mia vive junto al mar ... —le contó Leo a Pip."
    assert any(re.search(r"—Mia vive junto al mar[^—]*historias —", text) for text in told)


def test_nobody_and_everybody_take_a_singular_verb():
    for age, pages in (("1-2", 8), ("3-5", 10), ("6-8", 12), ("9-12", 14)):
        for cast in CASTS.values():
            for draft in _books(cast, range(10), age_group=age, page_count=pages):
                found = re.search(r"\b(?:nadie|todo el mundo|cualquiera)\s+(?:\w+\s+){0,2}sabían", _text(draft), re.I)
                assert not found, found[0]


@pytest.mark.parametrize(
    "setting, where",
    [("la granja", "en la granja"), ("una playa soleada", "en una playa soleada"), ("el espacio", "en el espacio"),
     ("un museo antiguo", "en un museo antiguo"), ("junto al mar", "junto al mar"),
     ("a snowy mountain village", "en las montañas nevadas")],
)  # fmt: skip
def test_the_setting_is_said_with_the_right_preposition(setting, where):
    texts = [_text(draft) for draft in _books(CASTS["spanish facts"], range(6), setting=setting)]

    assert any(where in text for text in texts), (where, texts[0])
    assert not any(re.search(r"\ben (?:en|a|the) ", text) or "snowy" in text for text in texts)
