"""The six plot shapes of the offline storyteller, and how a brief picks one.

Each plot is a block in the text form beats.py reads: its titles, the first sentence
of its summary, default morals, the toddlers' refrain, a reminder line that ties a
wandering page back to the goal, twelve goals (picked by the seed) and its beats.
Templates name people through attributes, so pronouns and verbs agree: {h} the
hero, {p} a pal, {c} whoever the page features, {t} everyone, {n} a helper met on
the way, {a} whoever is afraid, {o} whoever lost something, {g} the goal, {s} the
place, {l} a landmark there, {x} the tone's words, {f} a food.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from storyforge.generation.providers.base import StoryBrief
from storyforge.generation.providers.offline.beats import Beat, Line, blocks_parse, line_parse

_TEXT = Path(__file__).with_name("plots.txt").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Plot:
    key: str
    goals: tuple[tuple[str, ...], ...]  # twelve each, picked by the seed
    titles: tuple[str, ...]  # four each
    inciting: Beat
    middles: tuple[Beat, ...]  # the plot's own middle steps, told in order
    climax: Beat
    resolution: Beat
    summary: str  # the first sentence of the summary: who did what
    morals: tuple[str, ...]
    refrain: str  # repeated on toddlers' pages
    reminder: Line  # ties a wandering middle page back to the goal


def _plots() -> dict[str, Plot]:
    plots = {}
    for key, block in blocks_parse(_TEXT).items():
        plots[key] = Plot(
            key=key,
            goals=tuple(tuple(part.strip() for part in goal.split(" | ")) for goal in block.fields["goal"]),
            titles=tuple(block.fields["title"]),
            inciting=block.beat("inciting"),
            middles=block.beats_of("middle"),
            climax=block.beat("climax"),
            resolution=block.beat("resolution"),
            summary=block.one("summary"),
            morals=tuple(block.fields["moral"]),
            refrain=block.one("refrain"),
            reminder=line_parse(block.one("reminder")),
        )
    return plots


PLOTS = _plots()

# Each tone's wheel of ten slots: every shape has a slot, the tone's favourites have more.
_WHEELS = {
    "gentle": "new-friend helping lost-and-found quest facing-a-fear mystery new-friend helping lost-and-found quest",
    "funny": "lost-and-found mystery quest new-friend helping facing-a-fear lost-and-found mystery quest new-friend",
    "silly": "lost-and-found mystery quest new-friend helping facing-a-fear lost-and-found mystery lost-and-found quest",
    "adventurous": "quest mystery facing-a-fear helping lost-and-found new-friend quest quest facing-a-fear mystery",
    "bedtime": "lost-and-found facing-a-fear new-friend helping quest mystery lost-and-found facing-a-fear new-friend lost-and-found",
    "mysterious": "mystery quest lost-and-found facing-a-fear helping new-friend mystery mystery lost-and-found quest",
    "heartwarming": "helping new-friend facing-a-fear lost-and-found quest mystery helping new-friend helping new-friend",
}
WHEEL_SIZE = 10


def plot_choose(brief: StoryBrief) -> Plot:
    """The plot shape of the story the brief's seed tells.

    The seed turns the tone's wheel rather than drawing from `random`, so any ten
    seeds in a row meet every shape, and seeds that differ in the last digit never
    tell the same opening; the storyteller's other choices come from
    `random.Random(seed)`.
    """
    wheel = _WHEELS.get(brief.tone, _WHEELS["gentle"]).split()
    return PLOTS[wheel[brief.seed % WHEEL_SIZE]]
