"""The pages of a board book (ages 1-2): one or two short sentences a page.

A board book tells each step by one sentence of its core line (for a lesson step,
the sentence that shows the lesson), cut short when it runs long and often told at
the page's place ("Leo gave Whiskers a turn by the duck pond."), and fills a page's
second sentence with what the book must still say about its characters, each in
what happens at that place, one of many ways (board.txt): "Whiskers was Leo's pet,
and they waved to a goat." The family's words stay whole, so a fact is the same in
every book and the page around it is not. The book opens at the place with the
others in the cast, and ends its own way (good night to the place, or home from
it) before its moral. A page with nothing left to say takes the plot's refrain. The
sounds of what a page tells ("Moo, moo!") and of its place, kept in reserve, are
what the reading-level pass tells should the text read too hard (readability.py).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from storyforge.core.reading import reading_grade
from storyforge.generation.providers.offline import facts
from storyforge.generation.providers.offline.cast import names_join, relationship_sentence
from storyforge.generation.providers.offline.layout import Step
from storyforge.generation.providers.offline.readability import APART, Slot, short_sentences
from storyforge.generation.providers.offline.sounds import sound_of

BOARD_SENTENCES = 2
MOST_WORDS = 12  # a board sentence's words at most, the family's own words counted as one
_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[\"A-Z])|(?<=[.!?][\"'])\s+(?=[\"A-Z])")
_FIELD = re.compile(r"\{(\w+)\}")
_CHOICE = re.compile(r"<([^<>]*)>")


def _sections() -> dict[str, tuple[str, ...]]:
    sections: dict[str, list[str]] = {}
    lines: list[str] = []
    for raw in Path(__file__).with_name("board.txt").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("[") and line.endswith("]"):
            lines = sections.setdefault(line[1:-1], [])
        elif line and not line.startswith("#"):
            lines.append(line)
    return {name: tuple(lines) for name, lines in sections.items()}


BOARD = _sections()
# What a page shows, filled in when the page is told: its landmark, an animal, a find, its light.
_SCENE = frozenset(("l", "lb", "z", "zb", "zt", "i", "light", "where", "place"))


@dataclass
class _Fact:
    """A fact still to tell: the board.txt sections that may tell it, the values it
    is told with, and how it reads alone should no telling fit."""

    sections: tuple[str, ...]
    values: dict[str, str]
    plain: str
    must: bool = False  # the cast and relationships: told even in a book too short for the rest
    own: tuple[str, ...] = field(default=())  # the family's words in it, counted as one word


class BoardBook:
    """Mixed into the storyteller's `_Teller`; `_board_queue` holds the facts still to tell."""

    _board_queue: list[_Fact]

    def _board_page(self, steps: list[Step], number: int, count: int):
        last = number == count - 1
        spaces = [self._ns_for(step) for step in steps]
        told: list[str] = []
        lessons = [index for index, step in enumerate(steps) if step.role == "lesson"]
        for index, (step, ns) in enumerate(zip(steps, spaces, strict=True)):
            if step.role == "opening":
                told += [self._sequel_slot().simple] if self.brief.earlier_summaries else []
                told.append(self._board_line(("open",), {"h": str(self.hero_full)}, ns))
            elif step.role == "lesson" and index == lessons[0]:
                lesson = _short(self._board_lesson([(steps[at], spaces[at]) for at in lessons]))
                told.append(self._board_where(lesson, ns, 0.85))
            elif step.role == "ending" and not told:
                values = {"h": str(self.hero), "p": str(self.pal)}
                told.append(self._board_line(("night" if self.tone_key == "bedtime" else "home",), values, ns))
            elif step.role not in ("lesson", "ending"):
                core = [line for line in step.beat.lines if line.core]
                told += [self._board_where(self._board_core(core, ns), ns, 0.5)] if core else []
        ns = spaces[-1]
        # A one-page book is the exception: its page opens, names its cast and tells the moral.
        slots = [Slot(text, text) for text in told[: BOARD_SENTENCES - (last and number > 0)]]
        if last and number == 0 and len(self.people) > 1:  # one page: the moral names the whole cast
            moral = self._moral_slots()[0].simple.split(": ", 1)[-1]
            text = f"{names_join([person.name for person in self.people])} learned: {moral}"
            musts = [self._board_tell(fact, ns) for fact in self._board_queue if fact.must]
            return [*slots, *musts, Slot(text, text)], self._board_visual(steps, spaces, number, count)
        if number == 0 and len(self.people) > 1 and len(slots) < BOARD_SENTENCES:
            slots.append(self._board_tell(self._board_queue.pop(0), ns, slots))  # the first page names the whole cast
        elif number == 0 and len(self.people) > 1 and not self.brief.earlier_summaries:
            slots = slots[:1] + [self._board_tell(self._board_queue.pop(0), ns, slots[:1])]
        elif last:  # a book too short for its cast and relationships tells them here
            musts = [self._board_tell(fact, ns, slots) for fact in self._board_queue if fact.must]
            slots = [*slots, *musts, self._board_moral(ns, slots)]
        elif len(slots) < BOARD_SENTENCES and self._board_queue:
            slots.append(self._board_tell(self._board_queue.pop(0), ns, slots))
        elif len(slots) < BOARD_SENTENCES and steps[0].role == "resolution":
            echo = self._board_echo(ns)
            slots.append(Slot(echo, echo))
        elif len(slots) < BOARD_SENTENCES and steps[0].role not in ("opening", "ending"):
            refrain = self._format(self.plot.refrain, spaces[0])
            slots.append(Slot(refrain, refrain))
        # The place's own sound, another than the page's lines make, kept should the grade ask for
        # it: a toddler joins in with it, where a word chanted for nothing reads as filler.
        made = {sound_of(slot.simple).split(",")[0] for slot in slots}
        heard = [sound_of(sound) for sound in self.rng.sample(self.place_sounds, len(self.place_sounds))]
        heard = [sound for sound in heard if sound and sound.split(",")[0] not in made]
        slots += [Slot(heard[0], heard[0], reserve=True)] if heard else []
        return slots, self._board_visual(steps, spaces, number, count)

    def _board_scene(self, ns: dict, page: str = "") -> dict[str, str]:
        """What the page shows, for a board line to tell: its landmark, an animal of the
        place (not one of the cast's kind, nor the helper's), a thing found there, its
        light; another landmark and animal than the `page` has named already."""

        def new(word: str) -> bool:
            return not re.search(rf"\b{re.escape(word)}\b", page)

        taken = {self.helper.noun, *(person.noun for person in self.people)}
        animals = [animal for animal in self.place.animals if animal not in taken and new(animal)]
        animals = animals or list(self.place.animals)
        animal = self.rng.choice([animal for animal in animals if sound_of(animal)] or animals)  # a toddler joins in
        landmark = (
            ns["l"] if new(ns["l"]) else self.rng.choice([mark for mark in self.landmarks if new(mark)] or [ns["l"]])
        )
        return {
            "l": landmark,
            "lb": re.sub(r"^the ", "", landmark),
            "z": f"{'an' if animal[0] in 'aeiou' else 'a'} {animal}",
            "zb": animal,
            "zt": f"the {animal}",
            "i": self.rng.choice(self.place.finds),
            "light": ns["s"].light,
            "where": self.place.where,
            "place": self.place.name,
        }

    def _board_line(self, sections: tuple[str, ...], values: dict[str, str], ns: dict, own=(), plain="", page=""):
        """One of the ways `sections` tell a thing, filled in with `values` and what the
        page shows, that stays short and names nothing the `page` has named already;
        `plain` (or the shortest) when none does."""
        scene = self._board_scene(ns, page)
        given = values.keys() | _SCENE
        forms = [form for name in sections for form in BOARD.get(name, ()) if set(_FIELD.findall(form)) <= given]
        self.rng.shuffle(forms)
        filled = [_CHOICE.sub(lambda pick: self.rng.choice(pick[1].split("/")), form) for form in forms]
        filled = [form.format(**scene, **values) for form in filled]
        short = [text for text in filled if _size(text, own) <= MOST_WORDS]
        if short:  # one of the easier four fifths, so a toddler's book needs no word chanted to read easily
            easier = sorted(short, key=reading_grade)[: max(1, -(-len(short) * 4 // 5))]
            return self.rng.choice(easier)
        return plain or min(filled, key=lambda text: _size(text, own), default="")

    def _board_tell(self, fact: _Fact, ns: dict, page: list[Slot] = ()) -> Slot:
        said = " ".join(slot.simple for slot in page)
        text = self._board_line(fact.sections, fact.values, ns, fact.own, fact.plain, said) if fact.sections else ""
        return Slot(text or fact.plain, text or fact.plain)

    def _board_core(self, core: list, ns: dict) -> str:
        """A step told by its first core line, cut short; by a later one when the first
        still runs past ten words ("Mia and Pip made the owl a cup of warm honey milk.")."""
        told = []
        for line in core:
            told.append(_short(_easiest(_SPLIT.split(self._format(line.simple, ns, told=True)), self.rng)))
            if len(told[-1].split()) <= 10:
                return told[-1]
        return min(told, key=lambda sentence: len(sentence.split()))

    def _board_where(self, sentence: str, ns: dict, share: float) -> str:
        """A short sentence told, about `share` of the time, where the page is ("Leo gave
        Whiskers a turn by the duck pond.", "..., and a hen saw."), so a step reads its own
        way in each book. What is said, and a sentence of two parts, stay as they are."""
        first = sentence.split()[0]
        if '"' in sentence or ", " in sentence or sentence[-1] != "." or len(sentence.split()) > 9 or first in _LINKS:
            return sentence
        values = {"act": sentence[:-1]}
        if first in {str(person).split()[0] for person in (*self.people, self.helper)} or first in ("The", "A"):
            values["act_l"] = sentence[:-1] if first not in ("The", "A") else first.lower() + sentence[len(first) : -1]
        return sentence if self.rng.random() > share else self._board_line(("lesson",), values, ns, plain=sentence)

    def _board_echo(self, page: dict) -> str:
        """The lesson recalled at the story's turn ("Leo was glad to share after that."), an
        easy one of a few drawn, "with" said once ("...with everyone with Whiskers" is not)."""
        drawn = []
        for _ in range(4):
            echo = self.lesson.echoes[self.rng.randrange(len(self.lesson.echoes))]
            own = self._ns_for(Step(echo, self.hero, role="lesson"))
            text = _short(_first(self._format(echo.simple, own, told=True)))
            drawn.append(re.sub(r"( with [^,.!?]+?) with [^,.!?]+", r"\1", text))
        easy = [text for text in drawn if reading_grade(text) <= 3]  # not "everybody every day"
        return self._board_where(easy[0] if easy else _easiest(drawn, self.rng), page, 0.5)

    def _board_moral(self, ns: dict, page: list[Slot]) -> Slot:
        moral = self._moral_slots()[0].simple.split(": ", 1)[-1]  # the moral as the storyteller tells it
        values = {"h": str(self.hero), "p": str(self.pal), "moral": "{moral}"}
        said = " ".join(slot.simple for slot in page)
        text = self._board_line(("moral",), values, ns, plain=f"{self.hero} knew: {{moral}}", page=said)
        text = text.replace("{moral}", moral)
        return Slot(text, text)

    def _board_visual(self, steps: list[Step], spaces: list[dict], number: int, count: int):
        featured = [spaces[-1]["c"], spaces[-1]["p"]]
        return self._visual(steps[-1].beat, spaces[-1], number, count), featured

    def _board_lesson(self, steps: list[tuple[Step, dict]]) -> str:
        """One sentence for a page's lesson steps: the latest one that shows the lesson."""
        first = ""
        for step, ns in reversed(steps):
            core = [line for line in step.beat.lines if line.core]
            sentences = [part for line in core for part in _SPLIT.split(self._format(line.simple, ns, told=True))]
            shown = [part for part in sentences if self.lesson.marker.search(part)]
            short = [part for part in shown if len(_short(part).split()) <= 10]
            # "Leo said thank you for the fun at the duck pond, and meant it." without where it was
            cut = [re.split(r" (?:at|to) the ", _short(part))[0].rstrip(",") + "." for part in shown if not short]
            short = short or [part for part in cut if self.lesson.marker.search(part) and 5 <= len(part.split()) <= 10]
            if shown:
                return _easiest(short or shown, self.rng)
            first = first or (sentences[0] if sentences else "")
        head = re.split(r" (?:at|to) the ", _short(first))[0].rstrip(",.!")
        return head + first[-1] if len(_short(first).split()) > 10 and len(head.split()) >= 5 else first

    def _board_facts(self, placed: dict[int, list[Slot]]) -> list[_Fact]:
        """The facts a board book must tell, in turn: the others in the cast named with
        what they are ("Whiskers the cat"), the hero's traits and likes, the
        relationships, then each character's traits, likes and the start of their
        backstory. (`placed`, the facts as older books tell them, is not used: they
        run too long for a toddler.)"""
        others = [person.desc for person in self.people[1:]]
        along = []
        if others:
            were = "were" if len(others) > 1 else "was"
            who = names_join(others)
            along = [_Fact(("along",), {"who": who, "were": were}, f"{who} {were} there too.", must=True)]
        relations = [relationship_sentence(text)[:-1] for text in self.brief.relationships if text.strip()]
        told = [_Fact(("relation",), {"rel": text, "rel_low": text}, f"{text}.", must=True) for text in relations[:2]]
        queue = []
        for person in self.people:
            sheet = self.sheets.get(id(person))
            if sheet is not None:
                queue += self._board_about(person, sheet)
        return along + queue[:1] + told + queue[1:]

    def _board_about(self, person, sheet) -> list[_Fact]:
        """A character's traits and likes ("Playful, funny Leo loved puddles."), a fear
        of theirs, and the start of their backstory, each a short sentence."""
        traits = self.traits.get(id(person), [])
        said = [trait.lower() for trait in traits if not _FEAR.match(trait)]
        fears = [trait.lower() for trait in traits if _FEAR.match(trait)]
        likes = facts.likes_of(sheet)
        pal = next((str(other) for other in self.people if other is not person), str(self.helper))
        values = {"n": str(person), "p": pal, "they": person.they}
        about = []
        if said:
            values.update(being=names_join(said), adjl=", ".join(said), adjs=", ".join(said).capitalize())
        if likes:
            values["like"] = self.rng.choice(likes)
        if said or likes:
            sections = ("about",) if said and likes else ("traits",) if said else ("likes",)
            plain = f"{person} was {values['being']}." if said else f"{person} loved {values['like']}."
            about.append(_Fact(sections, dict(values), plain, own=tuple(likes)))
        if fears:
            plain = f"{person} was {self.rng.choice(_A_BIT)} {names_join(fears)}."
            about.append(_Fact(("fear",), dict(values, fear=names_join(fears)), plain))
        backstory = _backstory_start(person, sheet)
        if backstory:
            about.append(self._board_backstory(person, sheet, backstory, values))
        return about

    def _board_backstory(self, person, sheet, backstory: str, values: dict[str, str]) -> _Fact:
        """The start of a backstory, the family's words whole: told in the present with
        what the character does now ("Leo is Mia's little brother, and he loves the
        duck pond."), in the past by the character ("'I was found in a box by the
        bakery,' Whiskers told a hen.") or by a pal to an animal of the place."""
        own = tuple(_parts(sheet.backstory))
        plain = f"{backstory}."
        if backstory.startswith(f"{person}: "):  # the family's words do not name them first: told as written
            return _Fact((), {}, plain, own=own)
        rest = backstory[len(str(person)) :].split()
        verb = rest[0] if rest else ""
        plural = person.was == "were"
        values = dict(values, back=backstory)
        if verb in ("is", "are", "has", "have") or (verb.endswith("s") and verb not in ("was", "has")):
            verbs = ("love", "smile", "play", "say", "like", "help", "sing")
            values.update({word: word if plural else word + "s" for word in verbs})
            return _Fact(("present",), values, plain, own=own)
        sections = ["told", "back"]
        original = re.split(r"(?<=[.!?])\s+", " ".join(sheet.backstory.split()))[0].rstrip(".!? ")
        if original.split()[0].lower() == person.they and not _PRONOUN.search(" ".join(original.split()[1:])):
            sections.append("retold")  # "he was found in a box by the bakery", as the family wrote it
            values["orig"] = original[0].lower() + original[1:]
        first = {"was": "I was", "were": "I was", "had": "I had"}.get(verb) or (
            "I " + verb if verb.endswith("ed") else ""
        )
        spoken = f"{first} {' '.join(rest[1:])}" if first else ""
        if spoken and not _PRONOUN.search(" ".join(rest[1:])) and _keeps(spoken, sheet.backstory):
            sections.insert(0, "own")
            values["own"] = spoken
        return _Fact(tuple(sections), values, plain, own=own)


# First words that tie a sentence to the one before: "But Leo was scared." is not told by a landmark.
_LINKS = frozenset(re.findall(r"\w+", "But Then So And Now Just Soon Oh Quite Suddenly Next Later When If As Still"))
_A_BIT = ("a bit", "a little", "still a bit", "just a bit")
_FEAR = re.compile(r"^(?:afraid|scared|frightened) of ", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(?:he|she|they|him|her|them|his|hers|their|it|its)\b", re.IGNORECASE)


def _parts(words: str) -> list[str]:
    """The family's words in the pieces a sentence may quote whole: "Leo is Mia's
    little brother", "wants to do everything she does"."""
    pieces = re.split(r"(?<=[.!?])\s+|, (?:and|but) | and ", " ".join(words.split()).rstrip(".!? "))
    return [piece.rstrip(".!? ") for piece in pieces if len(piece.split()) > 1]


def _size(text: str, own: tuple[str, ...] = ()) -> int:
    """How many words a sentence reads as: the family's own words are one."""
    for words in sorted(own, key=len, reverse=True):
        if len(words.split()) > 1:
            text = re.sub(re.escape(words), "X", text, flags=re.IGNORECASE)
    return len(re.sub(r"\b([A-Z][a-z]+) the [a-z]+\b", r"\1", text).split())


def _keeps(text: str, backstory: str) -> bool:
    """Whether `text` says five words in a row of the backstory, so the family hears its own words."""
    words = re.findall(r"[a-z']+", backstory.lower())
    lowered = " ".join(re.findall(r"[a-z']+", text.lower()))
    return any(" ".join(words[at : at + 5]) in lowered for at in range(max(1, len(words) - 4)))


def _backstory_start(person, sheet) -> str:
    """The first words of a character's backstory as a short sentence of its own,
    without its full stop: "Leo is Mia's little brother" of "Leo is Mia's little
    brother and wants to do everything she does." Five words or more of it are kept,
    so the family's own words are heard."""
    text = " ".join(sheet.backstory.split())
    if not text:
        return ""
    first = re.split(r"(?<=[.!?])\s+", text)[0].rstrip(".!? ")
    opening = first.split()[0].lower().strip(",")
    if opening in ("he", "she", "they") and len(first.split()) > 1:  # "He was found..." names whom it is about
        first = f"{person}{first[len(opening) :]}"
    elif first.split()[0] != str(person).split()[0] and opening not in ("his", "her", "their"):
        first = f"{person}: {first[0].lower() + first[1:] if not first[:2].isupper() else first}"
    head = re.split(r",? (?:and|but|because|so|who|which) |, ", first, maxsplit=1)[0]
    return head if len(head.split()) >= 5 else first


def _short(sentence: str) -> str:
    """A core sentence cut for a toddler when it runs long (more than eight words):
    its first clause ("Leo kept it close and tight." of "..., so nobody else had
    any."), without a lead-in ("That night,") or what trails after its first eight
    words ("..., worn out and glad", "... and closed their eyes"). What someone says
    is kept whole, with who said it."""
    if len(sentence.split()) <= 8:
        return sentence
    said = _SAID.match(sentence)
    if said:  # '"It's mine," huffed Leo, and ...': what was said, and who said it
        return said[1] + "."
    if sentence.startswith('"'):
        return sentence
    parts = [part.strip() for part in short_sentences(sentence).split(APART) if part.strip()]
    sentence = parts[0] if len(parts[0].split()) >= 3 else sentence
    lead, _, rest = sentence.partition(", ")
    if len(sentence.split()) > 8 and rest and len(lead.split()) <= 5 and len(rest.split()) >= 4:
        sentence = rest[0].upper() + rest[1:]
    quote = sentence.find('"') if '"' in sentence else len(sentence)  # what is said stays whole, or goes
    for cut in _TRAILS.finditer(sentence, 0, quote):
        if 5 <= len(sentence[: cut.start()].split()) <= 11 and len(sentence.split()) > 8:
            return sentence[: cut.start()] + (sentence[-1] if sentence[-1] in ".!?" else ".")
    return sentence


_SAID = re.compile(r'^("[^"]+" (?:[a-z]+ [A-Z][a-z]+|[A-Z][a-z]+ [a-z]+))(?:,| and| at| by| near) ')
# Where what trails after a sentence's point may be left off: "..., worn out and
# glad", "... and closed their eyes", "... with a riddle painted on it", "... into its nest".
_TRAILS = re.compile(
    r", | and | with | because | until | while | into | onto | across | through | along | from | for | in an? | by the | as high | at all | in the end"
    r"| out loud"
)


def _easiest(sentences: list[str], rng: random.Random) -> str:
    """A sentence a toddler follows best: of those with the fewest syllables a word,
    one drawn by the story's own draw, so the same step reads differently in each book."""
    grades = {sentence: round(reading_grade(sentence)) for sentence in sentences}
    easiest = min(grades.values())
    return rng.choice([sentence for sentence in sentences if grades[sentence] == easiest])


def _first(text: str) -> str:
    return _SPLIT.split(text, maxsplit=1)[0]
