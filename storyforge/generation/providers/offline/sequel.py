"""A sequel's first line: what happened in the story before this one."""

from __future__ import annotations

import re

from storyforge.generation.providers.offline.readability import Slot


class Sequel:
    """Mixed into the storyteller's `_Teller`."""

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


# First words of an earlier summary that read naturally in lower case mid-sentence.
_LOWERABLE = frozenset(("the", "a", "an", "in", "on", "at", "when", "after", "one", "this", "together", "last"))
