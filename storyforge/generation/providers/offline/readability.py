"""The offline storyteller's last pass: nudge a finished story's wording until its
reading grade fits the age group.

Every sentence was written in a simple and a rich wording. The pass first swaps
wordings towards the range, longest first, as few as it takes. When the simple
wordings are still too hard, a board book tells the sounds of what its pages tell
("Moo, moo!" where a cow is; a page may keep the sound of its place in reserve).
An older child's book first tells its longest sentences as short ones ("Leo ran,
and then he hid." becomes "Leo ran. Then he hid.", "said Leo by the old temple"
just "said Leo") and keeps them apart; only then a sound, said once with the line
that makes it ("Zoom! Leo raced to the vines.", "Splash went Leo!"), then, a little
over its aim, a long line it can spare left out and what the place sounds like ("The
frogs went croak, croak."). The last resort is a word chanted twice ("Hop, hop!").
A text too easy gets a descriptive sentence, spread over the middle pages. The
brief's own words (a long moral, a name of many syllables) can push a toddler's book
out of range, and this brings it back. Each step searches by halving, so a story
costs a handful of measurements.
"""

from __future__ import annotations

import functools
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import pyphen

from storyforge.core.reading import reading_grade
from storyforge.generation.providers.offline.bodies import BODY_WORDS
from storyforge.generation.providers.offline.sounds import sound_of, sound_told

_MAX_PADDING = 400
# Where someone said something, told shortly without where ('"Hi," said Leo by the
# old stone temple.' is '"Hi," said Leo.').
_PLACE_SAID = re.compile(r'([,!?]" (?:\w+ ){1,3}\w+) (?:by|near|at|on the way to) the [^,.!?"]+')

_CHANT_SLACK = 0.2  # how far over its aim an older child's book may stay rather than chant
# Put after a sentence's end, it keeps sentences_joined from joining that sentence
# to the next; sentences_joined takes it out. Not a space, so no sentence break sees it.
APART = "\u2060"


@dataclass
class Slot:
    """One sentence (or two short ones) of a page, in both wordings. A `reserve`
    slot is told only when the reading-level pass asks for easier text."""

    simple: str
    rich: str
    use_rich: bool = False
    reserve: bool = False
    use_short: bool = False
    spare: bool = False  # a line the page can do without (colour, an extra), left out before any chant

    @property
    def text(self) -> str:
        if self.reserve:
            return ""
        if self.use_short:
            return short_sentences(_PLACE_SAID.sub(r"\1", self.simple))
        return self.rich if self.use_rich else self.simple


def fit_reading_level(
    pages: list[list[Slot]],
    low: float,
    high: float,
    padding: tuple[list[str], list[str], list[str]],
    finish: Callable[[list[str]], list[str]],
    most: int = 0,
) -> list[str]:
    """The pages' final texts, their whole reading grade within [low, high] when it can be.

    `finish` turns raw page texts into what the reader sees (names filled in,
    capitals); the grade is measured on its output. `padding` is (easy words,
    easy sentences, hard sentences): the hard ones are added when swapping
    wordings is not enough; a text is made easier by telling its own sentences
    shortly and the sounds of what it tells (a board book's sounds first), then
    an older child's by the easy sentences (what the place sounds like), and only
    as a last resort by an easy word chanted. `most` is the sentences a page keeps
    to (a board book's two), counted before its reserve.
    """

    def grade() -> float:
        return reading_grade("\n\n".join(_render(pages, finish)))

    first = grade()
    if low <= first <= high:
        return _render(pages, finish)
    harder = first < low

    def fits() -> bool:
        return grade() >= low if harder else grade() <= high

    slots = [slot for page in pages for slot in page if not slot.reserve]
    swappable = [slot for slot in slots if slot.use_rich != harder and slot.rich != slot.simple]
    swappable.sort(key=lambda slot: -len(slot.rich))  # the longest move the grade the most

    def swap(count: int) -> None:
        for index, slot in enumerate(swappable):
            slot.use_rich = (not harder) if index >= count else harder

    if _smallest(len(swappable), swap, fits) is not None:
        return _render(pages, finish)
    swap(len(swappable))
    if harder:
        _pad(pages, padding[2], fits)
        return _render(pages, finish)
    shortened = sorted(slots, key=lambda slot: -len(slot.simple))

    def shorten(count: int) -> None:
        for index, slot in enumerate(shortened):
            slot.use_short = index < count

    def tell(count: int) -> None:
        for index, slot in enumerate(reserve):
            slot.reserve = index >= count

    if most:  # a board book: the sounds first, a toddler joins in; its own sentences are short already (board.py)
        shortened.clear()
    else:  # an older child's book: its own sentences told shortly first, and sounds only if that is not enough
        if _smallest(len(shortened), shorten, fits) is not None:
            return _render(pages, finish)
        shorten(len(shortened))
    for page in pages:
        # A board page keeps up to three, its place's sound among them, so it needs no word chanted.
        _sounds_reserved(page, 3 if most else len(page), bool(most))
    reserve = _reserve_order(pages)
    if _smallest(len(reserve), tell, fits) is not None:
        return _render(pages, finish)
    tell(len(reserve))
    if most:
        _chant(pages, padding[0], fits)
        return _render(pages, finish)

    # An older child's book would rather sit a little above its aim, still well inside
    # its age group's range, leave out a long line it can spare and tell what the place
    # sounds like than chant.
    def near() -> bool:
        return grade() <= high + _CHANT_SLACK

    long = [
        slot for slot in slots if slot.spare and len(slot.text.split()) > 6 * len(_SENTENCE_ENDS.findall(slot.text))
    ]
    spares = sorted(long, key=lambda slot: -len(slot.simple))  # a short one left out would make the text harder

    def spare(count: int) -> None:
        for index, slot in enumerate(spares):
            slot.reserve = index < count

    if _smallest(len(spares), spare, near) is None and not _pad(pages, padding[1], near, again=False):
        _chant(pages, padding[0], near)
    return _render(pages, finish)


def _chant(pages: list[list[Slot]], words: list[str], fits: Callable[[], bool]) -> None:
    """The last resort, for a brief whose own words (a long moral, names of many
    syllables) keep even short sentences too hard: one of `words` said twice, as a
    toddler chants it ("Hop, hop!"), one more on each middle page in turn; never two
    different words paired, which reads as noise."""
    chants = [f"{word.capitalize()}, {word}!" for word in dict.fromkeys(words) if word.isalpha()]
    added: list[tuple[list[Slot], Slot]] = []
    order = list(range(1, len(pages) - 1)) or list(range(len(pages)))

    def chant(count: int) -> None:
        for page, slot in added:
            page.remove(slot)
        added.clear()
        for index in range(count):
            page = pages[order[index % len(order)]]
            text = chants[index % len(chants)]
            slot = Slot(text, text)
            page.insert(max(0, len(page) - 1) if page is pages[-1] else len(page), slot)
            added.append((page, slot))

    if chants and _smallest(_MAX_PADDING, chant, fits) is None:
        chant(_MAX_PADDING)


def _reserve_order(pages: list[list[Slot]]) -> list[Slot]:
    """The reserve slots, one a page in turn, middle pages first, so the opening and
    the moral stay as written and no page gets a second before every page has one."""
    order = list(range(1, len(pages) - 1)) + [0, len(pages) - 1][: len(pages)]
    queues = [[slot for slot in pages[index] if slot.reserve] for index in dict.fromkeys(order)]
    ordered = []
    while any(queues):
        ordered += [queue.pop(0) for queue in queues if queue]
    return ordered


def _sounds_reserved(page: list[Slot], most: int, board: bool) -> None:
    """Up to `most` sounds kept in reserve on a page, each after the line it belongs to,
    the page's last such lines first (a sound the page already keeps counts); no two
    alike. A board book's are said twice ("Moo, moo!"), others' once ("Zoom!") or
    with who makes them ("Zoom went Leo!")."""
    kept = {slot.simple for slot in page if slot.reserve}
    told = sound_of if board else sound_told
    at = [(index, told(slot.simple)) for index, slot in enumerate(page) if not slot.reserve and slot.text]
    at = list({sound: (index, sound) for index, sound in at if sound and sound not in kept}.values())
    at = at[::-1][: max(0, most - len(kept))]
    for index, sound in sorted(at, reverse=True):  # after its line, but "Zoom!" just before it
        page.insert(index + (board or " went " in sound), Slot(sound, sound, reserve=True))


def _pad(pages: list[list[Slot]], pool: list[str], fits: Callable[[], bool], again: bool = True) -> bool:
    """Sentences of `pool` added over the middle pages, one a page in turn, until the
    text fits: descriptive ones for a text too easy (said `again` as often as it
    takes), the place's sounds for one too hard (each once); all of them stay when
    that is not enough, and the answer is False."""
    added: list[tuple[list[Slot], Slot]] = []
    order = list(range(1, len(pages) - 1)) or list(range(len(pages)))

    def pad(count: int) -> None:
        for page, slot in added:
            page.remove(slot)
        added.clear()
        for index in range(count):
            page = pages[order[index % len(order)]]
            text = pool[index % len(pool)]
            slot = Slot(text, text)
            page.insert(max(0, len(page) - 1) if page is pages[-1] else len(page), slot)
            added.append((page, slot))

    return bool(pool) and _smallest(_MAX_PADDING if again else len(pool), pad, fits) is not None


def _smallest(most: int, apply: Callable[[int], None], fits: Callable[[], bool]) -> int | None:
    """The smallest count in 1..most for which `fits()` holds after `apply(count)`,
    assuming more never hurts; None (and `apply(most)` done) when even `most` does not."""
    apply(most)
    if most == 0 or not fits():
        return None
    low, high = 1, most
    while low < high:
        middle = (low + high) // 2
        apply(middle)
        if fits():
            high = middle
        else:
            low = middle + 1
    apply(low)
    return low


def _render(pages: list[list[Slot]], finish: Callable[[list[str]], list[str]]) -> list[str]:
    return finish([" ".join(slot.text for slot in page if slot.text) for page in pages])


# Where a sentence may be told as two: before a linking word that starts a clause of
# its own ("..., and then he hid", "...; the rain stopped", "..., but Leo...").
_SUBJECT = r"(?:he|she|they|it|we|I|everyone|everybody|nobody|[A-Z][a-z]+) "
_CLAUSE = re.compile(rf"(?:; |, and (?=then {_SUBJECT}|{_SUBJECT})|, (?=(?:but|so) {_SUBJECT}))(?P<next>\w)")


_SUBORDINATE = frozenset(("since", "when", "if", "because", "as", "while", "after", "before", "although", "until"))


def short_sentences(text: str) -> str:
    """`text` told in shorter sentences, each kept apart from the next: "Leo ran,
    and then he hid." becomes "Leo ran. Then he hid." Only where both halves say
    something whole (four words and more on each side), never in a question, after
    "Ever since..." or "When..." (whose sentence goes on), nor inside what someone says."""
    out, start = [], 0
    for match in _CLAUSE.finditer(text):
        before, after = text[start : match.start()], text[match.start("next") :]
        end = re.search(r"[.!?]", after)
        opening = re.split(r"[.!?]\s+", text[: match.start()])[-1].split(" ", 2)[:2]
        if (
            _SUBORDINATE.intersection(word.lower().strip(',"') for word in opening)  # "Ever since Mia..., and..."
            or text[: match.start()].count('"') % 2
            or len(before.split()) < 4
            or len(re.split(r"[.!?]", after)[0].split()) < 4
            or (end and end[0] == "?")  # "Remember when Mia..., and she...?" stays one question
        ):
            continue
        out.append(before + ".")
        start = match.start("next")
        text = text[:start] + text[start].upper() + text[start + 1 :]
    out.append(text[start:])
    return " ".join(_SENTENCE_ENDS.sub(lambda m: m[0] + APART, part) for part in out)


_SENTENCE_ENDS = re.compile(r"[.!?]+[\"']?(?=\s|$)")


# Where one sentence ends and the next begins: '"Who?" asked Pip.' is one sentence.
_BREAK = re.compile(r"(?<=[.!?])\s+(?=[\"A-Z])|(?<=[.!?][\"'])\s+(?=[\"A-Z])|(?<=\n)|(?=\n)")
# First words that read in lower case once a sentence is joined to the one before.
_JOINABLE = frozenset(
    re.findall(
        r"[a-z]+",
        "the it they he she we then everyone nobody there a an that this so but now soon one all what somewhere far "
        "everything suddenly next at on in with by near up down his her their its just even still only",
    )
)
_JOINS = (", and ", ", and ", "; ", ", and then ", ", and soon ")
_BODY = re.compile(rf"\b(?:{'|'.join(BODY_WORDS)})\b", re.IGNORECASE)
_SUBJECTS = frozenset(("he", "she", "they", "it", "we", "everyone", "nobody"))
_LINKS = frozenset(("but", "so", "then", "now", "soon", "next", "just", "still"))


def sentences_joined(text: str, key: str, share: float, names: frozenset[str] = frozenset()) -> str:
    """Some pairs of plain sentences told as one ("Mia yawned, and it had been a good
    day."), about `share` of them and most pairs of short ones, decided by `key` (the
    seed and the page) and the place in the text, so every measurement of the same
    text joins the same pairs. A sentence may begin with one of `names`."""
    if not share:
        return text.replace(APART, "")
    out: list[str] = []
    for index, sentence in enumerate(_BREAK.split(text)):
        previous = out[-1] if out else ""
        words = sentence.split()
        first = words[0].strip(",") if words else ""
        size = len(previous.split()) + len(words)
        draw = zlib.crc32(f"{key}:{index}".encode()) / 2**32
        if (
            draw < (max(share, 0.75) if size <= 12 else share)
            and previous.endswith(".")  # not one kept APART
            and "\n" not in previous[-3:]
            and sentence.endswith(".")
            and (first.lower() in _JOINABLE or first.removesuffix("'s") in names)
            and size <= 24
            and not _BODY.search(previous + sentence)  # whose wings? Each stays with its own name
        ):
            join = _JOINS[zlib.crc32(f"{key.split(':')[-1]}:{index}".encode()) % len(_JOINS)]
            if first.lower() in _LINKS:  # "..., but Mia...", not "..., and but Mia..." nor "..., just then, Mia..."
                join = ", " if first.lower() in ("but", "so") else ", and "
            elif join.endswith(("then ", "soon ")) and not (first in names or first.lower() in _SUBJECTS):
                join = ", and "
            keep = first.removesuffix("'s") in names or first == "I"
            out[-1] = previous[:-1] + join + (sentence if keep else sentence[0].lower() + sentence[1:])
        else:
            out.append(sentence)
    return " ".join(out).replace(" \n\n ", "\n\n").replace(APART, "")


_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_END = re.compile(r"[.!?]+")


def grade_of(text: str, language: str = "en") -> float:
    """The reading grade of a story's text, on the scale READING_LEVEL_TARGETS uses.

    English is Flesch-Kincaid (storyforge.core.reading). Spanish words carry more
    syllables than English ones for the same ease, so Flesch-Kincaid overrates a
    Spanish text by grades; Spanish is measured with Szigriszt-Pazos' perspicuity
    (P = 206.835 - 62.3 syllables/words - words/sentences, the INFLESZ scale) and
    mapped to a grade as grade = (95 - P) / 5: "very easy" (P >= 80) is grade 3 and
    under, "quite easy" (65-80) grades 3-6, "normal" (55-65) grades 6-8.
    """
    if language != "es":
        return reading_grade(text, language)
    words = _WORD.findall(text)
    if not words:
        return 0.0
    sentences = max(1, len(_END.findall(text)))
    dictionary = _spanish()
    syllables = sum(
        max(len(re.findall(r"[aeiouáéíóúü]+", word.lower())), len(dictionary.positions(word)) + 1, 1) for word in words
    )
    perspicuity = 206.835 - 62.3 * syllables / len(words) - len(words) / sentences
    return round((95 - perspicuity) / 5, 2)


@functools.cache
def _spanish() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="es")
