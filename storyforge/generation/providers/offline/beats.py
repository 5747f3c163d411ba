"""The pieces stories are made of, and the plain-text form they are written in.

A beat is one step of a story (finding the map, crossing the stream) told in a few
lines; every line has a simple wording for young listeners and a rich one for
confident readers. Stories are written as text, so a writer can add a page without
reading Python:

    middle: crossing a stream | needs: stream
    C {t} came to a stream. | Soon {t} came to a chattering stream with no bridge.
    X Hop, hop! | One by one, they all hopped across.

A header ("middle:") starts a beat and says what its picture shows; "needs" names
what a place must have for the beat to make sense there (places.txt says what each
has). "C" lines are core, told at every age; "X"
lines are extras for older readers when a page has room. " | " parts the simple
wording from the rich one; a line without it reads the same to everyone. Any other
"name: value" line is a field of the block (a title, a moral, a goal).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Line:
    core: bool  # core lines are told at every age; the others only to older readers
    simple: str
    rich: str


@dataclass(frozen=True)
class Beat:
    doing: str  # what the picture shows them doing: "following an old map"
    lines: tuple[Line, ...]
    needs: tuple[str, ...] = ()  # what the place must have: "rain", "flowers", "stream"
    kind: str = ""  # the header it was written under: inciting, middle, climax...


@dataclass
class Block:
    """One written block: its fields ("title" -> every title) and its beats, in order."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    beats: list[Beat] = field(default_factory=list)

    def one(self, name: str) -> str:
        return self.fields[name][0]

    def beat(self, kind: str) -> Beat:
        return next(beat for beat in self.beats if beat.kind == kind)

    def beats_of(self, kind: str) -> tuple[Beat, ...]:
        return tuple(beat for beat in self.beats if beat.kind == kind)


BEAT_KINDS = (
    "inciting", "middle", "climax", "resolution", "ending", "wander", "tone", "texture", "trait", "relation",
    "choice", "wrong", "follows", "right",
)  # fmt: skip
_HEADER = re.compile(r"^(?P<name>[a-z][a-z -]*?): ?(?P<value>.*)$")


def line_parse(text: str) -> Line:
    marker, _, words = text.partition(" ")
    simple, _, rich = words.partition(" | ")
    return Line(marker == "C", simple.strip(), rich.strip() or simple.strip())


def blocks_parse(text: str) -> dict[str, Block]:
    """Blocks by name: each "[name]" line starts one."""
    blocks: dict[str, Block] = {}
    block: Block | None = None
    doing, needs, kind, lines = "", (), "", []

    def beat_close() -> None:
        if block is not None and kind:
            block.beats.append(Beat(doing, tuple(lines), needs, kind))

    for raw in text.splitlines():
        entry = raw.strip()
        if not entry or entry.startswith("#"):
            continue
        if entry.startswith("[") and entry.endswith("]"):
            beat_close()
            block, kind, lines = blocks.setdefault(entry[1:-1], Block()), "", []
        elif entry[:2] in ("C ", "X "):
            lines.append(line_parse(entry))
        else:
            match = _HEADER.match(entry)
            if match is None or block is None:
                raise ValueError(f"Cannot read the story line {entry!r}.")
            name, value = match["name"], match["value"]
            if name in BEAT_KINDS:
                beat_close()
                doing, _, wanted = value.partition(" | needs: ")
                kind, needs, lines = name, tuple(wanted.split()), []
            else:
                block.fields.setdefault(name, []).append(value)
    beat_close()
    return blocks
