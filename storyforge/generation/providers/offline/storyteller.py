"""The offline storyteller: a whole picture book from a brief, with no network and
no model, the same book every time for the same brief and seed.

It writes English whatever `brief.language` asks for: its phrases are hand-written
English templates. Stories in other languages come from the OpenAI provider.

How a book is made: the seed picks a plot shape (plots.py), a goal, a title and an
opening line; a `random.Random(seed)` makes every other choice. The pages are laid
out as opening, problem, middle episodes (the plot's own steps, then what each
character's traits make them do, tone pages and wanderings), climax, resolution and
ending with the moral. Each line exists in a simple and a rich wording; the age
group decides how many lines a page gets and which wording, and a last pass nudges
wordings until the whole text's reading grade sits inside the age group's range.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace

from storyforge.core.reading import READING_LEVEL_TARGETS, reading_grade
from storyforge.generation.providers.base import PageDraft, StoryBrief, StoryDraft
from storyforge.generation.providers.offline import episodes
from storyforge.generation.providers.offline.beats import Beat, Line
from storyforge.generation.providers.offline.cast import Person, names_join, relationship_sentence
from storyforge.generation.providers.offline.phrases import title_case
from storyforge.generation.providers.offline.readability import Slot, fit_reading_level
from storyforge.generation.providers.offline.world import StoryWorld

MODEL = "offline-storyteller-1"
AGE_GROUPS = ("1-2", "3-5", "6-8", "9-12")
_YOUNG = ("1-2", "3-5")


@dataclass(frozen=True)
class _Style:
    extras: int  # extra (non-core) lines a page may add
    rich: float  # chance a line takes its rich wording
    max_lines: int
    sentences: int  # colour lines are added until a page has this many sentences


_STYLES = {
    "1-2": _Style(0, 0.0, 2, 0),
    "3-5": _Style(1, 0.0, 3, 2),
    "6-8": _Style(2, 0.3, 5, 4),
    "9-12": _Style(6, 1.0, 7, 5),
}


@dataclass
class _Step:
    """One beat as told on a page, with who it features and where it sits in the plot."""

    beat: Beat
    featured: Person | None = None
    role: str = "middle"  # opening, inciting, own (the plot's middle step), middle, climax, resolution, ending
    remind: bool = False  # may end by recalling the goal


_HELPER = re.compile("\x01([^\x02]*)\x02")
_SENTENCE_START = re.compile(r"(^|[.!?] )([a-z])")


def story_write(brief: StoryBrief) -> StoryDraft:
    return _Teller(brief).write()


def page_rewrite(brief: StoryBrief, pages: tuple[PageDraft, ...], number: int) -> PageDraft:
    """Another telling of page `number` (1-based) of the brief's story.

    The story is told again from the same seed, so its people, place, plot and the
    beat on that page stay the same; only that page's own choices (its wording, who
    it features, its extra lines) come from another draw, tried until the text differs
    from the current one. Pages that did not come from this storyteller and seed may
    not fit around it: the offline storyteller can only retell its own story.
    """
    count = max(len(pages), brief.page_count, number)
    brief = replace(brief, page_count=count)
    current = pages[number - 1].text if number <= len(pages) else ""
    page = _Teller(brief).write().pages[number - 1]
    for variant in range(1, 13):
        page = _Teller(brief, retold=(number - 1, variant)).write().pages[number - 1]
        if page.text != current:
            break
    return page


class _Teller(StoryWorld):
    def __init__(self, brief: StoryBrief, retold: tuple[int, int] | None = None):
        super().__init__(brief, young=brief.age_group in _YOUNG)
        self.style = _STYLES.get(brief.age_group, _STYLES["6-8"])
        self.retold = retold  # (page index, variant): that page's choices come from a draw of their own
        self._landmark = -1  # pages visit the place's landmarks in turn

    # -- laying out the pages ---------------------------------------------------------

    def write(self) -> StoryDraft:
        count = max(1, self.brief.page_count)
        opening = _Step(Beat("playing together", ()), role="opening")
        inciting = _Step(self.plot.inciting, role="inciting")
        climax, resolution = _Step(self.plot.climax, role="climax"), _Step(self.plot.resolution, role="resolution")
        ending = _Step(episodes.ENDINGS[self.tone_key], role="ending")
        if count == 1:
            layout = [[opening, inciting, climax, resolution, ending]]
        elif count == 2:
            layout = [[opening, inciting], [climax, resolution, ending]]
        elif count == 3:
            layout = [[opening, inciting], [climax], [resolution, ending]]
        else:
            middles = self._middles(count - 4 if count < 6 else count - 5)
            layout = [[opening], [inciting], *[[step] for step in middles], [climax]]
            layout += [[resolution, ending]] if count < 6 else [[resolution], [ending]]
        self.textures = {role: list(lines) for role, lines in episodes.TEXTURES.items()}
        for lines in self.textures.values():
            self.rng.shuffle(lines)
        pages, visuals = [], []
        for number, steps in enumerate(layout):
            story_rng = self.rng
            if self.retold and self.retold[0] == number:
                self.rng = random.Random(self.brief.seed * 1_000_003 + number * 101 + self.retold[1])
            slots, visual = self._page(steps, number, count)
            self.rng = story_rng
            pages.append(slots)
            visuals.append(visual)
        texts = fit_reading_level(pages, *self._targets(), self._padding(), self._finish)
        visuals = [self._visual_cast(text, *visual) for text, visual in zip(texts, visuals, strict=True)]
        return StoryDraft(
            title=self._title(),
            summary=self._summary(" ".join(texts)),
            pages=tuple(PageDraft(text, visual) for text, visual in zip(texts, visuals, strict=True)),
            model=MODEL,
        )

    def _middles(self, count: int) -> list[_Step]:
        """`count` middle pages: the plot's own steps spread out in order, and between
        them what the characters' traits make them do, tone pages and wanderings."""
        own = [_Step(beat, role="own") for beat in self.plot.middles[:count]]
        extra: list[_Step] = []
        if count > len(own):
            for index, person in enumerate(self.people):
                traits = sorted(self._traits(person))
                self.rng.shuffle(traits)
                beats = [episodes.trait_beat(trait, self.rng.randrange(8) + index) for trait in traits]
                extra += [_Step(beat, person) for beat in beats if beat][:1]
            extra += [_Step(beat) for beat in episodes.TONE_BEATS.get(self.tone_key, ())]
            wander = [beat for beat in episodes.WANDERINGS if self.place.key not in beat.not_in]
            self.rng.shuffle(wander)
            extra += [_Step(beat) for beat in wander]
            extra = extra[: count - len(own)]
            while len(extra) < count - len(own):  # only a very long story in a cramped place gets here
                extra.append(_Step(wander[len(extra) % len(wander)]))
            self.rng.shuffle(extra)
            extra.sort(key=lambda step: step.beat.doing != "meeting {n}")  # the helper says hello before helping
        merged: list[_Step] = []
        gap = (len(extra) + len(own)) / max(1, len(own))
        for index, step in enumerate(own):
            while len(merged) < round(index * gap) and extra:
                merged.append(extra.pop(0))
            merged.append(step)
        merged += extra
        last_own = max((index for index, step in enumerate(merged) if step.role == "own"), default=len(merged))
        for index, step in enumerate(merged):
            step.remind = step.role == "middle" and index < last_own
        return merged

    def _targets(self) -> tuple[float, float]:
        low, high = READING_LEVEL_TARGETS.get(self.brief.age_group, (0.0, 4.5))
        margin = 0.8 if self.brief.stricter_reading_level else 0.3
        return max(low, -4.0) + margin, high - margin

    def _padding(self) -> tuple[list[str], list[str]]:
        """Sentences the reading-level pass may add: one-syllable exclamations make a
        text easier, long descriptive sentences make it harder."""
        easy = [sound for sound in (*self.sounds, "Oh!", "Look!", "Yes!") if reading_grade(sound) <= -3.0]
        hard = [
            self.place.air,
            "Everyone agreed that it was turning into a remarkable and extraordinary adventure.",
            "It was the kind of afternoon that seemed to stretch on and on, full of possibilities.",
        ]
        return easy, [sentence for sentence in hard if reading_grade(sentence) >= 8.0] or hard

    # -- one page ---------------------------------------------------------------------

    def _page(self, steps: list[_Step], number: int, count: int) -> tuple[list[Slot], tuple[str, list[Person]]]:
        merged = len(steps) > 1
        slots: list[Slot] = []
        spaces = []
        for step in steps:
            ns = self._ns_for(step)
            spaces.append(ns)
            if step.role == "opening":
                slots += self._opening_slots(ns, merged)
                continue
            lines = list(step.beat.lines)
            if step.remind and self.rng.random() < 0.5:
                lines.append(self.plot.reminder)
            slots += self._lines_pick(lines, ns, merged, whole=step.role == "ending")
        if not merged:
            colour = self._textures(slots, spaces[0], steps[0].role)
            at = 1 if steps[0].role == "climax" else len(slots)  # the suspense comes before the reveal
            slots[at:at] = colour
        if self.brief.age_group == "1-2" and steps[0].role in ("inciting", "own", "middle") and not merged:
            refrain = self._format(self.plot.refrain, spaces[0])
            slots.append(Slot(refrain, refrain))
        if number == count - 1:
            slots += self._moral_slots()
        # The picture shows the page's last beat, unless that is a plain walk home.
        pick = len(steps) - 1
        if pick and steps[pick].role == "ending" and self.tone_key != "bedtime":
            pick -= 1
        featured = [spaces[pick]["c"], spaces[pick]["p"]]
        return slots, (self._visual(steps[pick].beat, spaces[pick], number, count), featured)

    def _lines_pick(self, lines: list[Line], ns: dict, merged: bool, whole: bool) -> list[Slot]:
        core = [line for line in lines if line.core]
        if merged:
            chosen = core if not self.young or whole else core[:1]
        else:
            extras = [line for line in lines if not line.core]
            room = max(0, min(self.style.extras, self.style.max_lines - len(core)))
            keep = {id(line) for line in self.rng.sample(extras, min(room, len(extras)))}
            chosen = [line for line in lines if line.core or id(line) in keep]
        return [self._slot(line, ns) for line in chosen]

    def _slot(self, line: Line, ns: dict) -> Slot:
        return Slot(self._format(line.simple, ns), self._format(line.rich, ns), self.rng.random() < self.style.rich)

    def _textures(self, slots: list[Slot], ns: dict, role: str) -> list[Slot]:
        """Colour lines for older readers, until the page has its age group's sentences."""
        pool = self.textures.get("middle" if role == "own" else role, [])
        added: list[Slot] = []
        while pool and _sentences(slots + added) < self.style.sentences - (role == "ending"):
            added.append(self._slot(pool.pop(), ns))
        return added

    def _opening_slots(self, ns: dict, merged: bool) -> list[Slot]:
        slots = []
        if self.brief.earlier_summaries:
            slots.append(self._sequel_slot())
        simple, rich = (self._format(text, dict(ns, h=self.hero_full)) for text in self.opener)
        slots.append(Slot(simple, rich, self.rng.random() < self.style.rich))
        others = [person.desc for person in self.people[1:]]
        if others:
            were = "were" if len(others) > 1 else "was"
            slots.append(Slot(f"{names_join(others)} {were} there too.", f"{names_join(others)} {were} there too."))
        relationships = [relationship_sentence(text) for text in self.brief.relationships if text.strip()]
        slots += [Slot(text, text) for text in relationships[: 1 if merged or self.young else 2]]
        words = [trait.lower() for trait in self.traits.get(id(self.hero), ()) if trait.lower() in _ADJECTIVES]
        if words and not (merged and self.young):
            hero = self.hero.name
            simple, rich = f"{hero} was {words[0]}.", f"{hero} was {' and '.join(words[:2])}, and everybody knew it."
            slots.append(Slot(simple, rich, self.rng.random() < self.style.rich))
        return slots

    def _sequel_slot(self) -> Slot:
        """The sequel's first line: what happened in the story before this one."""
        last = " ".join(self.brief.earlier_summaries[-1].split())
        event = re.split(r"(?<=[.!?])\s+", last)[0].rstrip(".!? ")
        if len(event.split()) > 20 and len(event.split(",")[0].split()) >= 4:
            event = event.split(",")[0]
        named = any(event.startswith(person.name) for person in self.people)
        if not named and event.split() and event.split()[0].lower() in _LOWERABLE:
            event = event[0].lower() + event[1:]
        if self.young:
            text = f"Remember when {event}?"
        elif named:
            text = f"Ever since {event}, {self.hero} had been hoping for another adventure."
        else:
            text = f"{self.hero} still remembered the last adventure, when {event}."
        return Slot(text, text)

    def _moral_slots(self) -> list[Slot]:
        moral = self.moral if self.moral.endswith((".", "!", "?")) else f"{self.moral}."
        simple_lead, rich_lead = self.rng.choice(episodes.MORAL_LEADS)
        ns = self._ns_for(None)
        first = moral.split()[0]
        keep_capital = (
            first == "I" or first[1:2].isupper() or any(first in person.name.split() for person in self.people)
        )
        lowered = moral if keep_capital else moral[0].lower() + moral[1:]
        return [Slot(f"{self._format(simple_lead, ns)} {moral}", f"{self._format(rich_lead, ns)} {lowered}")]

    def _ns_for(self, step: _Step | None) -> dict:
        ns = dict(self.ns)
        # A page features a main character, the hero most often; supporting characters
        # feature on their own trait's page and are often a pal.
        weighted = [person for person in self.people for _ in range(self._weight(person))]
        featured = step.featured if step else None
        if featured is None and step and step.role != "middle" and self.plot.key == "facing-a-fear":
            featured = ns["a"]
        c = featured or self.rng.choice([person for person in weighted if person.main or person is self.hero])
        others = [person for person in weighted if person is not c]
        ns["c"] = c
        ns["p"] = self.rng.choice(others) if others else self.helper
        if not ns["p"].main and self.rng.random() < 0.4:  # the helper met on the way is a pal too
            ns["p"] = self.helper
        if self.plot.key == "facing-a-fear" and ns["p"] is ns["a"]:
            ns["p"] = self.helper
        ns["l"] = self.landmarks[self._landmark_next()]
        return ns

    def _weight(self, person: Person) -> int:
        return 4 if person is self.hero else 2 if person.main else 1

    def _landmark_next(self) -> int:
        self._landmark += 1
        return self._landmark % len(self.landmarks)

    @staticmethod
    def _format(template: str, ns: dict) -> str:
        return template.format(**ns)

    def _finish(self, texts: list[str]) -> list[str]:
        """Introduce the helper at its first mention, name the whole group in full once
        a page ("the three of them" after that), and capitalise sentence starts."""
        seen = False

        def helper(match: re.Match) -> str:
            nonlocal seen
            if seen:
                return match[0].replace("\x01", "").replace("\x02", "")
            seen = True
            return self.helper_intro

        finished = []
        team, named = self.team.name, False
        for text in texts:
            text = self._helper_mention.sub(helper, text)
            if len(self.people) > 1 and team in text:
                keep = text.find(team) + len(team) if not (self.young and named) else 0
                text = text[:keep] + text[keep:].replace(team, self.team_alias)
                named = True
            finished.append(_SENTENCE_START.sub(lambda m: m[1] + m[2].upper(), text))
        return finished

    # -- pictures, title and summary --------------------------------------------------

    def _visual(self, beat: Beat, ns: dict, number: int, count: int) -> str:
        doing = _HELPER.sub(lambda m: self.helper_desc, self._format(beat.doing, ns))
        if "at home" in doing:
            return doing
        where = self.place.where
        if any("{l}" in line.simple or "{l}" in line.rich for line in beat.lines):
            where = f"near {ns['l']}, {where}"
        return f"{doing} {where}, {self._time_of_day(number, count)}"

    def _time_of_day(self, number: int, count: int) -> str:
        share = number / max(1, count - 1)
        if number == count - 1 and count > 1:
            return "at night, under the moon and stars" if self.tone_key in ("bedtime", "mysterious") else "at sunset"
        if share < 0.34:
            return "in the morning sunshine"
        if share < 0.67:
            return "in the afternoon"
        return (
            "at dusk, as the sky turns dark"
            if self.tone_key in ("bedtime", "mysterious")
            else "in the golden evening light"
        )

    def _visual_cast(self, text: str, visual: str, featured: list[Person]) -> str:
        """The picture's description, led by who is in it: whoever the page names, or
        the beat features, or everyone when the page speaks of them all."""
        everyone = self.team_alias in text or (len(self.people) > 1 and self.team.name in text)
        present = [person.desc for person in self.people if everyone or str(person) in text or person in featured]
        if self.helper_desc.split()[0] in text:
            present.append(self.helper_desc)
        return f"{names_join(present or [self.hero.desc])}, {visual}."

    def _title(self) -> str:
        template = self.plot.titles[self.title_index]
        return title_case(_HELPER.sub(lambda m: m[1], self._format(template, self._ns_for(None))))

    def _summary(self, text: str) -> str:
        ns = self._ns_for(None)
        sentences = [_HELPER.sub(lambda m: self.helper_desc, self._format(self.plot.summary, ns))]
        if self.helper_desc.split()[0] in text:
            sentences.append(f"Along the way, {self.team.they} met {self.helper_desc}.")
        sentences.append(
            f"The moral of the story: {self.moral if self.moral.endswith(('.', '!', '?')) else self.moral + '.'}"
        )
        return " ".join(sentence[0].upper() + sentence[1:] for sentence in sentences)


_ADJECTIVES = frozenset(episodes.TRAIT_BEATS)
_SENTENCE_END = re.compile(r"[.!?]+[\"')]*(?=\s|$)")


def _sentences(slots: list[Slot]) -> int:
    return sum(len(_SENTENCE_END.findall(slot.text)) for slot in slots)


# First words of an earlier summary that read naturally in lower case mid-sentence.
_LOWERABLE = frozenset(("the", "a", "an", "in", "on", "at", "when", "after", "one", "this", "together", "last"))
