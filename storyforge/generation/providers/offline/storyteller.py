"""The offline storyteller: a whole picture book from a brief, with no network and
no model, the same book every time for the same brief and seed.

It writes English here; `storyteller_for` hands other languages it writes (see
LANGUAGES) to their own teller, and the provider refuses any other before a story
is saved.

How a book is made: the brief's moral picks a lesson (lessons.py) and its setting a
kind of place (places.py); the seed picks a plot (plots.py), a goal, a title and an
opening line, and a `random.Random(seed)` makes every other choice. The pages are
laid out (layout.py) as opening, problem, the lesson's steps between the plot's own
middle steps, relationships, traits, tone pages and wanderings, then climax,
resolution and ending with the moral. Every character's traits, likes and backstory
come up on the way (facts.py). Each line exists in a simple and a rich wording; the
age group decides how many lines a page gets and which wording, and a last pass
nudges wordings until the whole text's reading grade sits inside the age group's range.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace
from types import SimpleNamespace

from storyforge.core.reading import READING_LEVEL_TARGETS, reading_grade
from storyforge.generation.providers.base import PageDraft, StoryBrief, StoryDraft
from storyforge.generation.providers.offline import episodes, facts
from storyforge.generation.providers.offline.beats import Line
from storyforge.generation.providers.offline.board import BOARD_SENTENCES, BoardBook
from storyforge.generation.providers.offline.captions import HELPER, Captions
from storyforge.generation.providers.offline.cast import Person, names_join, relationship_sentence
from storyforge.generation.providers.offline.layout import Layout, Step
from storyforge.generation.providers.offline.readability import Slot, fit_reading_level, sentences_joined
from storyforge.generation.providers.offline.sequel import Sequel
from storyforge.generation.providers.offline.wording import reworded
from storyforge.generation.providers.offline.world import StoryWorld

MODEL = "offline-storyteller-3"  # the number goes up when the same brief and seed tell another book
AGE_GROUPS = ("1-2", "3-5", "6-8", "9-12")
LANGUAGES = ("en", "es")  # every other language is refused before a story is saved
_YOUNG = ("1-2", "3-5")


@dataclass(frozen=True)
class _Style:
    extras: int  # extra (non-core) lines a page may add
    rich: float  # chance a line takes its rich wording
    max_lines: int
    sentences: int  # colour lines are added until a page has this many sentences
    joins: float  # chance that two sentences in a row are told as one
    leads: float  # chance that a sentence beginning with a name begins with a lead ("Then")


_STYLES = {
    "1-2": _Style(0, 0.0, 1, 0, 0.0, 0.0),
    "3-5": _Style(1, 0.1, 3, 2, 0.3, 0.3),
    "6-8": _Style(2, 0.4, 5, 4, 0.6, 0.4),
    "9-12": _Style(6, 1.0, 7, 6, 0.6, 0.45),
}
# One-syllable words any page may sound out, which the reading-level pass may chant
# as a last resort ("Hop, hop!"); the seed orders them.
_EASY_WORDS = ("hop", "skip", "jump", "yes", "look", "wow", "whee", "zoom", "tap", "boing", "ding", "yay", "ooh",
               "hum", "la", "peep", "spin", "clap", "oh", "hey")  # fmt: skip
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_CHOICE = re.compile(r"<([^<>]*)>")
# A sentence's start: after a full stop (and the mark that keeps it apart), and after one closing what was said.
_SENTENCE_START = re.compile(r"(^|[.!?]\u2060?\s+|\.\"\u2060?\s+)([a-z])")


def story_write(brief: StoryBrief) -> StoryDraft:
    if brief.language == "es":
        from storyforge.generation.providers.offline import es

        return es.story_write(brief)
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
    if brief.language == "es":  # the Spanish teller tells its book one way per seed
        return story_write(replace(brief, seed=brief.seed + number)).pages[number - 1]
    current = pages[number - 1].text if number <= len(pages) else ""
    page = _Teller(brief).write().pages[number - 1]
    for variant in range(1, 13):
        page = _Teller(brief, retold=(number - 1, variant)).write().pages[number - 1]
        if page.text != current:
            break
    return page


class _Teller(BoardBook, Sequel, Layout, Captions, StoryWorld):
    def __init__(self, brief: StoryBrief, retold: tuple[int, int] | None = None):
        super().__init__(brief, young=brief.age_group in _YOUNG)
        self.style = _STYLES.get(brief.age_group, _STYLES["6-8"])
        self.retold = retold  # (page index, variant): that page's choices come from a draw of their own
        self._landmark = -1  # pages visit the place's landmarks in turn
        self.pal = next((person for person in self.people if person is not self.hero), self.helper)
        self._names = {str(person) for person in self.people}
        self._first_names = frozenset(name.split()[0] for name in self._names if name.split())
        self.leads = episodes.LEADS + (episodes.LEADS_LATER if not self.young else ())

    # -- the whole book -----------------------------------------------------------------

    def write(self) -> StoryDraft:
        count = max(1, self.brief.page_count)
        layout = self._layout(count)
        self.textures = {role: list(lines) for role, lines in episodes.TEXTURES.items()}
        for lines in self.textures.values():
            self.rng.shuffle(lines)
        added = self._facts_placed(count)
        self.board = self.brief.age_group == "1-2"
        if self.board:
            self._board_queue, added = self._board_facts(added), {}
        pages, visuals = [], []
        for number, steps in enumerate(layout):
            story_rng = self.rng
            if self.retold and self.retold[0] == number:
                self.rng = random.Random(self.brief.seed * 1_000_003 + number * 101 + self.retold[1])
            if self.board:
                slots, visual = self._board_page(steps, number, count)
            else:
                slots, visual = self._page(steps, number, count, added.get(number, []))
            self.rng = story_rng
            pages.append(slots)
            visuals.append(visual)
        most = BOARD_SENTENCES if self.board else 0
        texts = fit_reading_level(pages, *self._targets(), self._padding(), self._finish, most)
        visuals = [self._visual_cast(text, *visual) for text, visual in zip(texts, visuals, strict=True)]
        return StoryDraft(
            title=self._title(),
            summary=self._summary(" ".join(texts)),
            pages=tuple(PageDraft(text, visual) for text, visual in zip(texts, visuals, strict=True)),
            model=MODEL,
        )

    def _facts_placed(self, count: int) -> dict[int, list[Slot]]:
        """Every character's traits, likes and backstory, and for older readers a
        small second thread, spread over the pages before the last."""
        placed: dict[int, list[Slot]] = {}
        intros, later = [], []
        board = self.brief.age_group == "1-2"  # a board book tells each fact as one plain sentence
        for person in self.people:
            sheet = self.sheets.get(id(person))
            if sheet is None:
                continue
            likes = facts.likes_of(sheet)
            pal = next((other for other in self.people if other is not person), None)
            slots = {"l": self.rng.choice(self.landmarks), "p": str(pal)} if pal else None
            intro = facts.traits_line(person, self.traits.get(id(person), []), likes, self.rng)
            if board and intro and ". " in intro.simple:  # a board book's fact is one sentence
                intro = facts.traits_line(person, self.traits.get(id(person), []), likes)
            intro = facts.framed(intro, self.rng, slots) if intro and not board else intro
            (intros if person is self.hero or not self.young else later).extend([intro] if intro else [])
            backstory = facts.backstory_line(person, sheet)
            later += [backstory if board else facts.framed(backstory, self.rng, slots)] if backstory else []
            pal = pal or self.helper
            moment = facts.like_moment(person, pal, likes, self.rng) if count >= 6 and not board else None
            later += [moment] if moment else []
        placed[0] = [self._slot_of(line) for line in intros]
        spots = list(range(1, count - 1)) or [0]
        for index, line in enumerate(later):
            placed.setdefault(spots[index % len(spots)], []).append(self._slot_of(line))
        if self.brief.age_group == "9-12" and count >= 6:
            thread = self.rng.choice(episodes.THREADS)
            ns = dict(self.ns, p=self.pal, h=self.hero, l=self.landmarks[0])
            for spot, text in zip((1, count // 2, count - 2), thread, strict=True):
                line = self._format(text, ns, told=True)
                placed.setdefault(spot, []).append(Slot(line, line))
        return placed

    def _slot_of(self, line: Line) -> Slot:
        return Slot(line.simple, line.rich, self.rng.random() < self.style.rich)

    def _targets(self) -> tuple[float, float]:
        low, high = READING_LEVEL_TARGETS.get(self.brief.age_group, (0.0, 4.5))
        margin = 0.8 if self.brief.stricter_reading_level else 0.3
        return max(low, -4.0) + margin, high - margin

    def _padding(self) -> tuple[list[str], list[str], list[str]]:
        """What the reading-level pass may add: one-syllable words a toddler chants
        ("Hop, hop!") and short sentences of what the place sounds like ("The frogs
        went croak, croak.") make a text easier, long descriptive sentences harder."""
        sounds = [sound.rstrip("!.").lower() for sound in self.sounds if reading_grade(sound) <= -3.0]
        words = list(dict.fromkeys(word.split(",")[0] for word in [*sounds, *_EASY_WORDS]))
        self.rng.shuffle(words)
        heard = [f"{sound[0].upper()}{sound[1:]}." for sound in self.place_sounds if reading_grade(sound) <= 1.0]
        self.rng.shuffle(heard)
        hard = [
            self.place.air,
            "Everyone agreed that it was turning into a remarkable and extraordinary adventure.",
            "It was the kind of afternoon that seemed to stretch on and on, full of possibilities.",
        ]
        return words, heard, [sentence for sentence in hard if reading_grade(sentence) >= 8.0] or hard

    # -- one page -------------------------------------------------------------------------

    def _page(self, steps: list[Step], number: int, count: int, added: list[Slot]):
        merged = len(steps) > 1
        slots: list[Slot] = []
        spaces = []
        for step in steps:
            ns = self._ns_for(step)
            spaces.append(ns)
            if step.role == "opening":
                slots += self._opening_slots(ns, merged) + added
                continue
            lines = list(step.beat.lines)
            if step.remind and self.rng.random() < 0.5:
                lines.append(self.plot.reminder)
            slots += self._lines_pick(lines, ns, merged, whole=step.role == "ending")
            if step.role == "resolution":
                echo = self.lesson.echoes[self.rng.randrange(len(self.lesson.echoes))]
                slots.append(self._slot(echo, self._ns_for(Step(echo, self.hero, role="lesson"))))
        if steps[0].role != "opening":
            at = len(slots) - 1 if steps[-1].role == "ending" and len(slots) > 1 else len(slots)
            slots[at:at] = added
        if not merged:
            colour = self._textures(slots, spaces[0], steps[0].role)
            at = 1 if steps[0].role == "climax" else len(slots)  # the suspense comes before the reveal
            slots[at:at] = colour
        if self.brief.age_group == "1-2" and steps[0].role not in ("opening", "ending") and not merged:
            refrain = self._format(self.plot.refrain, spaces[0])
            slots.append(Slot(refrain, refrain))
        if number == count - 1:
            slots += self._moral_slots()
        if self.brief.age_group == "9-12" and len(slots) >= 4:
            slots.insert(len(slots) // 2, Slot("\n\n", "\n\n"))
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
        elif self.brief.age_group == "1-2":
            chosen = core[:1]  # a board book: one short line a page, and its refrain
        else:
            extras = [line for line in lines if not line.core]
            room = max(0, min(self.style.extras, self.style.max_lines - len(core)))
            keep = {id(line) for line in self.rng.sample(extras, min(room, len(extras)))}
            chosen = [line for line in lines if line.core or id(line) in keep]
        return [self._slot(line, ns, spare=not line.core) for line in chosen]

    def _slot(self, line: Line, ns: dict, spare: bool = False) -> Slot:
        simple, rich = self._format(line.simple, ns, told=True), self._format(line.rich, ns, told=True)
        return Slot(simple, rich, self.rng.random() < self.style.rich, spare=spare)

    def _textures(self, slots: list[Slot], ns: dict, role: str) -> list[Slot]:
        """Colour lines for older readers, until the page has its age group's sentences."""
        pool = self.textures.get("middle" if role in ("own", "lesson", "relation") else role, [])
        added: list[Slot] = []
        while pool and _sentences(slots + added) < self.style.sentences - (role == "ending"):
            added.append(self._slot(pool.pop(), ns, spare=True))
        return added

    def _opening_slots(self, ns: dict, merged: bool) -> list[Slot]:
        slots = []
        if self.brief.earlier_summaries:
            slots.append(self._sequel_slot())
        simple, rich = (self._format(text, dict(ns, h=self.hero_full), told=True) for text in self.opener)
        slots.append(Slot(simple, rich, self.rng.random() < self.style.rich))
        others = [person.desc for person in self.people[1:]]
        if others:
            were = "were" if len(others) > 1 else "was"
            there = self.rng.choice(facts.ALONG)
            text = there.format(who=names_join(others), were=were, s=ns["s"], l=ns["l"])
            slots.append(Slot(text, text))
        relationships = [relationship_sentence(text) for text in self.brief.relationships if text.strip()]
        for text in relationships[: 1 if merged or self.young else 2]:
            line = facts.framed(Line(True, text, text), self.rng)
            slots.append(Slot(line.simple, line.rich))
        return slots

    def _moral_slots(self) -> list[Slot]:
        moral = self.moral if self.moral.endswith((".", "!", "?")) else f"{self.moral}."
        simple_lead, rich_lead = self.rng.choice(episodes.MORAL_LEADS)
        # The moral is the hero's, said to or shared with the story's pal: never the hero
        # to themself ("Mia looked at Mia"), nor a creature met on the way.
        ns = dict(self._ns_for(None), c=self.hero, p=self.pal)
        first = moral.split()[0]
        keep_capital = (
            first == "I" or first[1:2].isupper() or any(first in person.name.split() for person in self.people)
        )
        lowered = moral if keep_capital else moral[0].lower() + moral[1:]
        simple, rich = (f"{self._format(lead, ns, told=True)} {lowered}" for lead in (simple_lead, rich_lead))
        return [Slot(simple, rich)]

    def _ns_for(self, step: Step | None) -> dict:
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
        if step is not None and step.role == "lesson":
            ns["p"] = self.pal  # one lesson, one pal all the way through
        if step is not None and step.pair:
            ns["ra"], ns["rb"] = step.pair
        ns["l"] = self.landmarks[self._landmark_next()]
        place = self.place  # each page hears, sees and feels the place its own way
        if step is not None:
            ns["s"] = SimpleNamespace(**vars(ns["s"]))
            ns["s"].sound, ns["s"].light = self.rng.choice(self.place_sounds), self.rng.choice(place.light)
            ns["s"].weather = self.rng.choice(place.weather)
        return ns

    def _weight(self, person: Person) -> int:
        return 4 if person is self.hero else 2 if person.main else 1

    def _landmark_next(self) -> int:
        self._landmark += 1
        return self._landmark % len(self.landmarks)

    def _format(self, template: str, ns: dict, told: bool = False) -> str:
        """The template filled in; a `told` line (not a title or a picture's words) is
        reworded and may begin with a lead ("Then Mia...")."""
        text = _CHOICE.sub(lambda match: self.rng.choice(match[1].split("/")), template)
        if not told:
            return text.format(**ns)
        text = reworded(text, self.rng).format(**ns)
        if not self.style.leads:
            return text
        told = []
        for sentence in _SENTENCE_SPLIT.split(text):
            first = sentence.split(" ", 1)[0].rstrip(",'s")
            if first in self._names and self.rng.random() < self.style.leads:
                lead = self._format(self.rng.choice(self.leads), ns)
                if lead.rstrip(",") not in sentence and not any(part in sentence for part in (ns["l"], ns["s"].sound)):
                    sentence = f"{lead} {sentence}"  # "Then Mia...", "As the wind whistled, Mia..."
            told.append(sentence)
        return " ".join(told)

    def _finish(self, texts: list[str]) -> list[str]:
        """Introduce the helper at its first mention, name the whole group in full once
        a page ("the three of them" after that), and capitalise sentence starts."""
        seen = False

        def helper(match: re.Match) -> str:
            nonlocal seen
            if seen:
                return match[0].replace("\x01", "").replace("\x02", "")
            seen = True
            if match.string.startswith("'s", match.end()):  # "Tam the tortoise's tower", not "called Tam's"
                return self.helper_desc
            return self.helper_intro

        finished = []
        team, named = self.team.name, False
        for text in texts:
            text = self._helper_mention.sub(helper, text).replace(" \n\n ", "\n\n").strip()
            if len(self.people) > 1 and team in text:
                keep = text.find(team) + len(team) if not (self.young and named) else 0
                text = text[:keep] + text[keep:].replace(team, self.team_alias)
                named = True
            text = _SENTENCE_START.sub(lambda m: m[1] + m[2].upper(), text)
            key = f"{self.brief.seed}:{len(finished)}"
            finished.append(sentences_joined(text, key, self.style.joins, self._first_names))
        return finished


_SENTENCE_END = re.compile(r"[.!?]+[\"')]*(?=\s|$)")
__all__ = ["AGE_GROUPS", "MODEL", "HELPER", "page_rewrite", "story_write"]


def _sentences(slots: list[Slot]) -> int:
    return sum(len(_SENTENCE_END.findall(slot.text)) for slot in slots)
