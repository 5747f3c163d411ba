"""The beats every plot shares (episodes.txt, in the text form beats.py reads):
opening lines, what each personality trait makes a character do, what
relationships make two people do, how a character's facts come up in the story, the wandering middle pages, each tone's own pages
and ending, small second threads for older readers, and the colour lines that fill
an older reader's page.
"""

from __future__ import annotations

import re
from pathlib import Path

from storyforge.generation.providers.offline.beats import Beat, Line, blocks_parse, line_parse

_BLOCKS = blocks_parse(Path(__file__).with_name("episodes.txt").read_text(encoding="utf-8"))
_SHARED = _BLOCKS["openers"].fields


def _pairs(name: str) -> tuple[tuple[str, str], ...]:
    return tuple((line.simple, line.rich) for line in map(line_parse, _SHARED[name]))


def _keyed(block: str) -> dict[str, Beat]:
    beats = {}
    for beat in _BLOCKS[block].beats:
        key, _, doing = beat.doing.partition(" = ")
        beats[key] = Beat(doing, beat.lines, beat.needs, beat.kind)
    return beats


OPENERS = _pairs("opener")
LEADS = tuple(_SHARED["then"])
LEADS_LATER = tuple(_SHARED["later"])
MORAL_LEADS = _pairs("lead")
TRAIT_CONTEXTS = _pairs("context")
TRAIT_BEATS = _keyed("traits")
RELATION_BEATS = _keyed("relations")
THREADS = tuple(tuple(part.strip() for part in text.split(" | ")) for text in _BLOCKS["threads"].fields["thread"])
WANDERINGS = _BLOCKS["wanderings"].beats
TONE_BEATS = {
    tone: _BLOCKS[tone].beats_of("tone")
    for tone in ("funny", "bedtime", "mysterious", "adventurous", "gentle", "heartwarming")
}
ENDINGS = {tone: _BLOCKS[tone].beat("ending") for tone in TONE_BEATS}
TONE_BEATS["silly"], ENDINGS["silly"] = TONE_BEATS["funny"], ENDINGS["funny"]
TEXTURES = {beat.doing: beat.lines for beat in _BLOCKS["textures"].beats}
BOARD_INTO = tuple(_BLOCKS["board"].fields["into"])  # a board book's ways into a fact
BOARD_OUT = tuple(_BLOCKS["board"].fields["out"])  # ... and out of it
# How a character's traits, likes, backstory and relationships are told in the story.
FACT_FORMS = {
    name: tuple(
        (simple.strip(), (rich or simple).strip()) for simple, _, rich in (text.partition(" | ") for text in texts)
    )
    for name, texts in _BLOCKS["facts"].fields.items()
}

# Words in a relationship that name its kind: "big sister" is a sibling's.
_RELATION_WORDS = {
    "sibling": "sibling sister brother twin", "grandparent": "grandparent grandma grandpa granny grandad nana",
    "parent": "parent mum mummy mom dad daddy mother father", "best friend": "best friend best-friend",
    "cousin": "cousin", "pet": "pet", "teacher": "teacher", "neighbour": "neighbour", "classmate": "classmate",
    "rival": "rival", "friend": "friend pal buddy",
}  # fmt: skip


def relation_beat(kind: str) -> Beat | None:
    """What two people do because of how they are related ("big sister", "pet")."""
    lowered = kind.lower()
    for key, words in _RELATION_WORDS.items():
        if key in lowered or any(re.search(rf"\b{word}\b", lowered) for word in words.split()):
            return RELATION_BEATS[key]
    return None


def trait_beat(trait: str, context: int = 0) -> Beat | None:
    """The page a trait ("brave") gives its character: getting somewhere, then the trait in action."""
    beat = TRAIT_BEATS.get(trait)
    if beat is None:
        return None
    simple, rich = TRAIT_CONTEXTS[context % len(TRAIT_CONTEXTS)]
    return Beat(beat.doing, (Line(True, simple, rich), *beat.lines), beat.needs, kind="trait")
