"""How an offline story's beats are laid out on its pages.

The book opens, meets its problem (the plot's inciting beat), and ends with the
plot's climax, resolution and the tone's ending. The lesson's four steps (meets the
choice, gets it wrong, sees what follows, does right) are spread over the middle,
the last of them just before the climax, so the moral shows in what happens and
not only in a closing line. The pages between tell the plot's own steps, what the
characters' relationships and traits make them do, tone pages and wanderings that
fit the place.
"""

from __future__ import annotations

from dataclasses import dataclass

from storyforge.generation.providers.offline import episodes
from storyforge.generation.providers.offline.beats import Beat
from storyforge.generation.providers.offline.cast import Person, relationship_pair
from storyforge.generation.providers.offline.lessons import STAGES


@dataclass
class Step:
    """One beat as told on a page, with who it features and where it sits in the plot."""

    beat: Beat
    featured: Person | None = None
    role: str = "middle"  # opening, inciting, own, lesson, relation, middle, climax, resolution, ending
    remind: bool = False  # may end by recalling the goal
    pair: tuple[Person, Person] | None = None  # a relation page's two people


def _two_others(beat: Beat) -> bool:
    text = " ".join(line.simple + line.rich for line in beat.lines)
    return ("{p}" in text or "{p." in text) and ("{n}" in text or "{n." in text)


class Layout:
    """The page plan of a `StoryWorld` (world.py): lists of steps, one list a page."""

    def _layout(self, count: int) -> list[list[Step]]:
        opening = Step(Beat("playing together", ()), role="opening")
        inciting = Step(self.plot.inciting, role="inciting")
        climax, resolution = Step(self.plot.climax, role="climax"), Step(self.plot.resolution, role="resolution")
        ending = Step(episodes.ENDINGS[self.tone_key], role="ending")
        lesson = [Step(self._lesson_beat(stage), self.hero, role="lesson") for stage in STAGES]
        if count == 1:
            return [[opening, inciting, *lesson, climax, resolution, ending]]
        if count == 2:
            return [[opening, inciting, *lesson[:2]], [*lesson[2:], climax, resolution, ending]]
        if count == 3:
            return [[opening, inciting, *lesson[:2]], [*lesson[2:], climax], [resolution, ending]]
        if count == 4:
            return [[opening], [inciting, *lesson[:2]], [*lesson[2:], climax], [resolution, ending]]
        if count == 5:
            return [[opening], [inciting, lesson[0]], lesson[1:3], [lesson[3], climax], [resolution, ending]]
        middles = self._middles(count - 5, lesson)
        return [[opening], [inciting], *middles, [climax], [resolution], [ending]]

    def _lesson_beat(self, stage: str) -> Beat:
        tellings = self.lesson.stages[stage]
        if len(self.people) == 1:
            # With one character the pal is the helper ({p} and {n} are one), so no
            # telling where one of them blames or helps the other ("Tam was cross with Tam").
            tellings = tuple(beat for beat in tellings if not _two_others(beat)) or tellings
        return tellings[self.rng.randrange(len(tellings))]

    def _middles(self, count: int, lesson: list[Step]) -> list[list[Step]]:
        """`count` middle pages: the lesson's steps spread out in order, the last just
        before the climax, and between them the plot's own steps, relationships,
        traits, tone pages and wanderings."""
        if count == 1:
            return [lesson]
        if count >= 6:
            groups = [[step] for step in lesson]
        elif count >= 4:
            groups = [[lesson[0]], lesson[1:3], [lesson[3]]]
        else:
            groups = [lesson[:2], lesson[2:]]
        places = [round(index * (count - 1) / (len(groups) - 1)) for index in range(len(groups))]
        extras = self._extras(count - len(groups))
        pages: list[list[Step]] = []
        for index in range(count):
            pages.append(groups[places.index(index)] if index in places else [extras.pop(0)])
        last_own = max((i for i, page in enumerate(pages) if page[0].role == "own"), default=-1)
        for index, page in enumerate(pages):
            page[0].remind = page[0].role == "middle" and index < last_own
        return pages

    def _extras(self, count: int) -> list[Step]:
        """The middle pages that are not the lesson's, most telling first."""
        if count <= 0:
            return []
        own = [Step(beat, role="own") for beat in self.plot.middles if self.place.fits(beat.needs)]
        relations = self._relation_steps()
        traits: list[Step] = []
        for index, person in enumerate(self.people):
            keys = sorted(self._traits(person))
            self.rng.shuffle(keys)
            beats = [episodes.trait_beat(key, self.rng.randrange(8) + index) for key in keys]
            traits += [Step(beat, person) for beat in beats if beat and self.place.fits(beat.needs)][:1]
        tones = [Step(beat) for beat in episodes.TONE_BEATS.get(self.tone_key, ()) if self.place.fits(beat.needs)]
        wander = [Step(beat) for beat in episodes.WANDERINGS if self.place.fits(beat.needs)]
        self.rng.shuffle(wander)
        self.rng.shuffle(tones)
        first, rest = own[:1], own[1:]
        ordered = [*first, *relations[:1], *traits, *rest[:1], *tones[:1], *rest[1:], *relations[1:], *tones[1:]]
        ordered += wander
        while len(ordered) < count:  # only a very long story in a small place gets here
            ordered.append(Step(wander[len(ordered) % len(wander)].beat))
        chosen = ordered[:count]
        # The plot's own steps keep their order; the others may move about.
        plot_steps = [step for step in chosen if step.role == "own"]
        others = [step for step in chosen if step.role != "own"]
        self.rng.shuffle(others)
        merged, gap = [], count / max(1, len(plot_steps))
        for index, step in enumerate(plot_steps):
            while len(merged) < round(index * gap) and others:
                merged.append(others.pop(0))
            merged.append(step)
        return merged + others

    def _relation_steps(self) -> list[Step]:
        """A page for each relationship the brief states that makes two people do something."""
        by_name = {person.name: person for person in self.people}
        steps = []
        for sentence in self.brief.relationships:
            pair = relationship_pair(sentence)
            if not pair or pair[0] not in by_name or pair[1] not in by_name:
                continue
            kind = sentence.split("'s ", 1)[-1] if "'s " in sentence else ""
            beat = episodes.relation_beat(kind)
            if beat is not None:
                steps.append(Step(beat, by_name[pair[0]], role="relation", pair=(by_name[pair[0]], by_name[pair[1]])))
        return steps
