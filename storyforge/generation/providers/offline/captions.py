"""What an offline story's pictures show, and its title and summary.

Each page's picture description names who is in it, what they are doing, where
and at what time of day, so the artist draws the page the text tells.
"""

from __future__ import annotations

import re

from storyforge.generation.providers.offline.beats import Beat
from storyforge.generation.providers.offline.cast import Person, names_join
from storyforge.generation.providers.offline.phrases import title_case

HELPER = re.compile("\x01([^\x02]*)\x02")


class Captions:
    """The pictures, title and summary of a `StoryWorld` (world.py)."""

    def _visual(self, beat: Beat, ns: dict, number: int, count: int) -> str:
        doing = HELPER.sub(lambda m: self.helper_desc, self._format(beat.doing, ns))
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
        return title_case(HELPER.sub(lambda m: m[1], self._format(template, self._ns_for(None))))

    def _summary(self, text: str) -> str:
        ns = self._ns_for(None)
        sentences = [HELPER.sub(lambda m: self.helper_desc, self._format(self.plot.summary, ns))]
        if self.helper_desc.split()[0] in text:
            sentences.append(f"Along the way, {self.team.they} met {self.helper_desc}.")
        sentences.append(
            f"The moral of the story: {self.moral if self.moral.endswith(('.', '!', '?')) else self.moral + '.'}"
        )
        return " ".join(sentence[0].upper() + sentence[1:] for sentence in sentences)
