"""The pages of a board book (ages 1-2): one or two short sentences a page.

A board book tells each step by one sentence of its core line (for a lesson step,
the sentence that shows the lesson), cut short when it runs long, and fills a page's
second sentence with what the book must still say about its characters, each as a
toddler hears it ("Playful, funny Leo loved puddles.", "Whiskers was Leo's pet."), in
turn; a page with nothing left to say takes the plot's refrain, which repeats on
purpose. The others in the cast come in on the first page ("Whiskers the cat was
there too."), the facts after. The sounds of what a page tells ("Moo, moo!") are
the reading-level pass's (readability.py).
"""

from __future__ import annotations

import random
import re

from storyforge.core.reading import reading_grade
from storyforge.generation.providers.offline import facts
from storyforge.generation.providers.offline.cast import names_join, relationship_sentence
from storyforge.generation.providers.offline.layout import Step
from storyforge.generation.providers.offline.readability import APART, Slot, short_sentences, sound_of

BOARD_SENTENCES = 2
_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[\"A-Z])|(?<=[.!?][\"'])\s+(?=[\"A-Z])")


class BoardBook:
    """Mixed into the storyteller's `_Teller`; `_board_queue` holds the facts still to tell."""

    _board_queue: list[Slot]
    _board_musts: list[Slot]  # the cast and relationships: told even in a book too short for the rest

    def _board_page(self, steps: list[Step], number: int, count: int):
        last = number == count - 1
        spaces = [self._ns_for(step) for step in steps]
        told: list[str] = []
        lessons = [index for index, step in enumerate(steps) if step.role == "lesson"]
        for index, (step, ns) in enumerate(zip(steps, spaces, strict=True)):
            if step.role == "opening":
                opener = self._format(self.opener[0], dict(ns, h=self.hero_full), told=True)
                parts = _SPLIT.split(opener)
                told += [self._sequel_slot().simple] if self.brief.earlier_summaries else []
                told.append(_short(next((part for part in parts if str(self.hero) in part), parts[0])))
            elif step.role == "lesson" and index == lessons[0]:
                told.append(_short(self._board_lesson([(steps[at], spaces[at]) for at in lessons])))
            elif step.role != "lesson":
                core = [line for line in step.beat.lines if line.core]
                if core and (step.role != "ending" or not told):
                    told.append(self._board_core(core, ns))
        # A one-page book is the exception: its page opens, names its cast and tells the moral.
        slots = [Slot(text, text) for text in told[: BOARD_SENTENCES - (last and number > 0)]]
        if last and number == 0 and len(self.people) > 1:  # one page: the moral names the whole cast
            moral = self._moral_slots()[0].simple.split(": ", 1)[-1]
            text = f"{names_join([person.name for person in self.people])} learned: {moral}"
            musts = [slot for slot in self._board_musts if slot not in slots]  # the cast and relationships
            return [*slots, *musts, Slot(text, text)], self._board_visual(steps, spaces, number, count)
        if number == 0 and len(self.people) > 1 and len(slots) < BOARD_SENTENCES:
            slots.append(self._board_queue.pop(0))  # the first page names the whole cast
        elif number == 0 and len(self.people) > 1 and not self.brief.earlier_summaries:
            slots = slots[:1] + [self._board_queue.pop(0)]
        elif last:  # a book too short for its cast and relationships tells them here
            slots = [*slots, *(slot for slot in self._board_queue if slot in self._board_musts), self._board_moral()]
        elif len(slots) < BOARD_SENTENCES and self._board_queue:
            slots.append(self._board_queue.pop(0))
        elif len(slots) < BOARD_SENTENCES and steps[0].role == "resolution":
            echo = self.lesson.echoes[self.rng.randrange(len(self.lesson.echoes))]
            text = _short(
                _first(self._format(echo.simple, self._ns_for(Step(echo, self.hero, role="lesson")), told=True))
            )
            slots.append(Slot(text, text))
        elif len(slots) < BOARD_SENTENCES and steps[0].role not in ("opening", "ending"):
            refrain = self._format(self.plot.refrain, spaces[0])
            slots.append(Slot(refrain, refrain))
        if not any(sound_of(slot.simple) for slot in slots):  # the place's own sound, should the grade ask
            sound = sound_of(self.rng.choice(self.place_sounds))
            slots += [Slot(sound, sound, reserve=True)] if sound else []
        return slots, self._board_visual(steps, spaces, number, count)

    def _board_core(self, core: list, ns: dict) -> str:
        """A step told by its first core line, cut short; by a later one when the first
        still runs past ten words ("Mia and Pip made the owl a cup of warm honey milk.")."""
        told = []
        for line in core:
            told.append(_short(_easiest(_SPLIT.split(self._format(line.simple, ns, told=True)), self.rng)))
            if len(told[-1].split()) <= 10:
                return told[-1]
        return min(told, key=lambda sentence: len(sentence.split()))

    def _board_moral(self) -> Slot:
        moral = self._moral_slots()[0].simple.split(": ", 1)[-1]  # the moral as the storyteller tells it
        who = self.rng.choice(_MORAL_WHO).format(h=self.hero, p=self.pal)
        said = self.rng.choice(_MORAL_SAID)
        lead = self.rng.choice(_MORAL_LEADS) if " and " not in who else ""  # two names are enough words
        text = f"{lead}{who} {said}: {moral}"
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
            if shown:
                return _easiest(short or shown, self.rng)
            first = first or (sentences[0] if sentences else "")
        return first

    def _board_facts(self, placed: dict[int, list[Slot]]) -> list[Slot]:
        """The facts a board book must tell, each as one short sentence told one of
        many ways: the others in the cast named with what they are ("Whiskers the
        cat"), the relationships, then each character's traits and likes, and the
        start of their backstory. (`placed`, the facts as older books tell them, is
        not used: they run too long for a toddler.)"""
        others = [person.desc for person in self.people[1:]]
        along = []
        if others:
            were = "were" if len(others) > 1 else "was"
            short = [text for text in facts.ALONG if "?" not in text and "{l}" not in text and len(text.split()) <= 5]
            text = self.rng.choice(short or facts.ALONG).format(who=names_join(others), were=were, l=self.landmarks[0])
            along = [Slot(text, text)]
        relations = [relationship_sentence(text) for text in self.brief.relationships if text.strip()]
        told = [Slot(text, text) for text in (self._board_told(text[:-1], None) for text in relations[:2])]
        queue = []
        for person in self.people:
            sheet = self.sheets.get(id(person))
            if sheet is None:
                continue
            queue += [Slot(text, text) for text in self._board_about(person, sheet)]
        self._board_musts = along + told
        return along + queue[:1] + told + queue[1:]

    def _board_about(self, person, sheet) -> list[str]:
        """A character's traits and likes ("Playful, funny Leo loved puddles."), a fear
        of theirs, and the start of their backstory, each a short sentence."""
        traits = self.traits.get(id(person), [])
        said = [trait.lower() for trait in traits if not _FEAR.match(trait)]
        fears = [trait.lower() for trait in traits if _FEAR.match(trait)]
        likes = facts.likes_of(sheet)
        values = {"n": str(person), "being": names_join(said), "they": person.they}
        values["adjs"] = ", ".join(said).capitalize()
        if likes:
            values["like"] = self.rng.choice(likes)
            forms = _BOTH if said else _LIKE
        else:
            forms = _TRAITS if said else ()
        about = [self._board_told(self.rng.choice(forms).format(**values), person)] if forms else []
        about += (
            [self._board_told(f"{person} was {self.rng.choice(_A_BIT)} {names_join(fears)}", person)] if fears else []
        )
        backstory = _backstory_start(person, sheet)
        return about + ([self._board_told(backstory, person)] if backstory else [])

    def _board_told(self, fact: str, person) -> str:
        """A fact (a sentence without its full stop) told the way a grown-up reads it
        aloud, with a small word before or after it: "Oh, Whiskers was Leo's pet, you
        know." The words are short ones, so the page stays easy; there are many ways,
        so the same fact reads differently from book to book."""
        pals = [str(other) for other in self.people if other is not person] or [str(self.helper)]
        named = person is not None and fact.split()[0] in self._names
        lead = self.rng.choice(_LEADS + (_NAMED_LEADS if named else ()))
        tail = self.rng.choice(_TAILS + (_PAL_TAILS if person is not None else ())) if not lead else ""
        if len(fact.split()) > 6:  # a long one (the family's own words) takes no more than a word before it
            lead, tail = self.rng.choice(_LEADS[1:] + ("Well, ", "And you know, ")), ""
        if not lead or lead.startswith("{"):
            lowered = fact
        else:
            lowered = fact if fact.split()[0] in self._names or fact.startswith("I ") else fact[0].lower() + fact[1:]
        end = "!" if lead in ("Oh, ", "Look, ", "Yes, ") and not tail else "."
        return (lead + lowered + tail).format(p=self.rng.choice(pals)) + end


# A character's traits and likes, told together; {adjs} "Playful, funny", {being}
# "playful and funny", {like} one of the things they like.
_BOTH = (
    "{adjs} {n} loved {like}",
    "{adjs} {n} liked {like} best",
    "{adjs} {n} dreamed of {like}",
    "{adjs} {n} thought of {like}",
    "{adjs} {n} wished for {like}",
    "{adjs} {n} loved {like} so much",
    "{n} was {being} and loved {like}",
    "{n} was {being} and liked {like}",
)
_LIKE = ("{n} loved {like}", "{n} liked {like} best", "{n} dreamed of {like}", "{n} loved {like} so much")
_TRAITS = ("{n} was {being}", "{n} was so {being}", "{n} was always {being}", "{n} was {being} all day")
# How a board book ends: who says its moral ({h} the hero, {p} a pal), and how.
_MORAL_WHO = ("{h}", "{h}", "{p}", "{h} and {p}")
_MORAL_SAID = ("knew", "knew it", "said it", "learned", "found out", "could see", "sang out", "told everyone")
_MORAL_LEADS = ("", "", "Now ", "And ", "So ")
_A_BIT = ("a bit", "a little", "still a bit", "just a bit")
_FEAR = re.compile(r"^(?:afraid|scared|frightened) of ", re.IGNORECASE)
# What may come before and after a fact; a relationship names both already, so only
# a fact about one character may name another ("{p} knew").
_LEADS = ("", "", "Oh, ", "Yes, ", "And ", "Now, ", "Look, ", "Oh yes, ", "Oh look, ")
_NAMED_LEADS = ("{p} knew ", "{p} said ")
_TAILS = ("", "", ", you know", ", of course", ", yes", ", it's true", ", you see", ", that's right")
_PAL_TAILS = (", {p} said", ", and {p} knew it", ", {p} knew")


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


_SAID = re.compile(r'^("[^"]+" (?:[a-z]+ [A-Z][a-z]+|[A-Z][a-z]+ [a-z]+))(?:,| and) ')
# Where what trails after a sentence's point may be left off: "..., worn out and
# glad", "... and closed their eyes", "... with a riddle painted on it", "... into its nest".
_TRAILS = re.compile(
    r", | and | with | because | until | while | into | onto | across | through | along | from | for | in an? | by the | as high | at all | in the end"
)


def _easiest(sentences: list[str], rng: random.Random) -> str:
    """A sentence a toddler follows best: of those with the fewest syllables a word,
    one drawn by the story's own draw, so the same step reads differently in each book."""
    grades = {sentence: round(reading_grade(sentence)) for sentence in sentences}
    easiest = min(grades.values())
    return rng.choice([sentence for sentence in sentences if grades[sentence] == easiest])


def _first(text: str) -> str:
    return _SPLIT.split(text, maxsplit=1)[0]
