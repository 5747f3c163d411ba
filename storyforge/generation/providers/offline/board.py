"""The pages of a board book (ages 1-2): one or two short sentences a page.

A board book tells each step by one sentence of its core line (for a lesson step,
the sentence that shows the lesson), and fills a page's second sentence with what
the book must still say about its characters (their traits and likes, a
relationship, something from a backstory), in turn; a page with nothing left to
say takes the plot's refrain, which repeats on purpose. The others in the cast
come in on the first page ("Whiskers the cat was there too."), the facts after.
"""

from __future__ import annotations

import random
import re

from storyforge.core.reading import reading_grade
from storyforge.generation.providers.offline import facts
from storyforge.generation.providers.offline.cast import names_join, relationship_sentence
from storyforge.generation.providers.offline.layout import Step
from storyforge.generation.providers.offline.readability import Slot

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
                told.append(next((part for part in parts if str(self.hero) in part), parts[0]))
            elif step.role == "lesson" and index == lessons[0]:
                told.append(self._board_lesson([(steps[at], spaces[at]) for at in lessons]))
            elif step.role != "lesson":
                core = [line for line in step.beat.lines if line.core]
                if core and (step.role != "ending" or not told):
                    told.append(_easiest(_SPLIT.split(self._format(core[0].simple, ns, told=True)), self.rng))
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
            text = _first(self._format(echo.simple, self._ns_for(Step(echo, self.hero, role="lesson")), told=True))
            slots.append(Slot(text, text))
        elif len(slots) < BOARD_SENTENCES and steps[0].role not in ("opening", "ending"):
            refrain = self._format(self.plot.refrain, spaces[0])
            slots.append(Slot(refrain, refrain))
        return slots, self._board_visual(steps, spaces, number, count)

    def _board_moral(self) -> Slot:
        text = _SPLIT.split(self._moral_slots()[0].simple)[-1]  # "What a day! And Leo knew: ..." is two
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
            if shown:
                return _easiest(shown, self.rng)
            first = first or (sentences[0] if sentences else "")
        return first

    def _board_facts(self, placed: dict[int, list[Slot]]) -> list[Slot]:
        """The facts a board book must tell, relationships first, each cast member
        beyond the hero named with what they are ("Whiskers the cat")."""
        queue = [slot for number in sorted(placed) for slot in placed[number]]
        others = [person.desc for person in self.people[1:]]
        along = []
        if others:
            were = "were" if len(others) > 1 else "was"
            text = self.rng.choice([text for text in facts.ALONG if "?" not in text]).format(
                who=names_join(others), were=were, l=self.landmarks[0]
            )
            along = [Slot(text, text)]
        relations = [relationship_sentence(text) for text in self.brief.relationships if text.strip()]
        told = [Slot(text, text) for text in relations[:2]]
        for slot in [*queue, *told]:  # each fact one of its simple ways, so books differ
            pal = self.rng.choice(self.people[1:] or [self.helper])
            slots = {"p": str(pal), "l": self.rng.choice(self.landmarks)}
            slot.simple = slot.rich = facts.board_framed(slot.simple, self.rng, slots)
        self._board_musts = along + told
        return along + queue[:1] + told + queue[1:]


def _easiest(sentences: list[str], rng: random.Random) -> str:
    """A sentence a toddler follows best: of those with the fewest syllables a word,
    one drawn by the story's own draw, so the same step reads differently in each book."""
    grades = {sentence: round(reading_grade(sentence)) for sentence in sentences}
    easiest = min(grades.values())
    return rng.choice([sentence for sentence in sentences if grades[sentence] == easiest])


def _first(text: str) -> str:
    return _SPLIT.split(text, maxsplit=1)[0]
