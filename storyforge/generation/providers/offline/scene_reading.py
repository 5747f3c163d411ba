"""How the offline artist reads a page before drawing it: who is in the picture and
doing what, what they hold, where it happens and at what time of day.

The result is a `PicturePlan`, made from the words alone, so tests and the quality
report can check a picture ("three figures for a cast of three, Pip flying, night")
without looking at its pixels. Only the story's cast are figures: an animal or a
helper that the words mention is never drawn as one more character, and a thing the
page is about (a kite, a baby bird) is drawn as a thing, in someone's hands.

A scene with page number 0 is the book's cover: its description is the title
(optionally followed by more words), everyone stands together, and the title's
subject is drawn large.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

from storyforge.generation.providers.base import COVER_PAGE, CharacterSheet, Scene
from storyforge.generation.providers.offline.backdrops import GROUNDS, backdrop_for
from storyforge.generation.providers.offline.cast import species_of
from storyforge.generation.providers.offline.places import KINDS_BY_KEY, kind_find
from storyforge.generation.providers.offline.poses import CHEER, CLIMB, FLY, HOLD, SIT, STAND, SWIM, WALK, WAVE
from storyforge.generation.providers.offline.props import props_named
from storyforge.generation.providers.offline.things import thing_find

_INDOORS = re.compile(r"\b(in bed|at home|bedroom|indoors|classroom)\b", re.IGNORECASE)
_SKY = re.compile(r"\b(moon|moonlight|moonlit|stars?|starry)\b", re.IGNORECASE)
_NIGHT = re.compile(
    r"\b(night|nighttime|bedtime|midnight|moonlight|moonlit|starry|asleep|sleeping|in bed|dark sky)\b", re.IGNORECASE
)
_SUNSET = re.compile(r"\b(sunset|dusk|evening|twilight|sundown)\b", re.IGNORECASE)
_DAY = re.compile(r"\b(morning|sunshine|sunny|afternoon|midday|noon|daylight|dawn|sunrise|day)\b", re.IGNORECASE)

# Words that put a figure in a pose, in the order they are tried at one spot.
_POSE_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (pose, re.compile(rf"\b(?:{words})", re.IGNORECASE))
    for pose, words in (
        (HOLD, r"hold|held|carr(?:y|ies|ied|ying)|hug(?:s|ged|ging)?\b|cuddl|find|found|show|gave|giv(?:e|ing)|lift|pick(?:s|ed|ing)? "
               r"up|catch|caught|clutch|cradl|br(?:ing|ought)|return|help|feed|fed\b|rescu|sav(?:e|ed|ing)\b|fly(?:ing)? "
               r"(?:a|the|their|his|her)\b"),
        (FLY, r"fl(?:y|ies|ew|ying|own)\b|soar|glid|swoop|float|hover|flutter"),
        (SWIM, r"swim|swam|div(?:e|ed|ing)\b|paddl"),
        (CLIMB, r"climb|clamber|scrambl\w* up"),
        (SIT, r"sit\b|sits|sitting|sat\b|picnic|rest(?:ed|ing|s)?\b|read(?:s|ing)?\b|eat|ate\b|listen|sleep|asleep|"
              r"nap(?:s|ped|ping)?\b|snuggl|curl\w* up|settl"),
        (WALK, r"walk|march|wander|stroll|hik|explor|search|look\w* for|follow|head\w* (?:home|off|for|to)|skip|"
               r"tiptoe|run|ran\b|rac(?:e|ed|ing)|chas|trudg|stomp|set off|on (?:the|their) way|going home"),
        (CHEER, r"cheer|celebrat|danc|jump|leap|bounc|hooray|hurra|laugh|play|twirl|spin|sing|sang"),
        (WAVE, r"wav(?:e|es|ed|ing)|goodbye|hello|greet|call\w* out|smil"),
    )
)  # fmt: skip
_SEEK = re.compile(r"\b(?:look\w* for|search\w*(?: for)?|hunt\w* for|lost|missing)\b", re.IGNORECASE)
_CAN_FLY = ("dragon", "fairy")
_FLYING_SPECIES = ("owl", "duck")
_WATER = ("underwater", "seaside", "river")
# What a kind of place must have (places.PlaceKind.has, any one of them) for a thing
# or a prop to be drawn there, so the pictures keep the storyteller's rules: no
# flowers in the snow, no rain in outer space.
_NEEDS = {
    "flower": ("flowers",),
    "ladybird": ("bugs",),
    "leaf": ("trees", "leaves"),
    "shell": ("shells", "sand", "sea"),
    "rain": ("rain",),
    "puddle": ("rain",),
    "stream": ("stream", "water"),
    "tree": ("trees",),
    "mushrooms": ("trees",),
    "kite": ("sky",),
    "balloon": ("sky",),
}
# Where the words name no kind of place: things that grow or crawl, which these
# drawings have none of.
_LIVING_THINGS = ("flower", "apple", "leaf", "ladybird")
_BARREN = ("snow", "space", "underwater", "desert", "cave", "sky")
_FLYING_THINGS = ("kite", "balloon")


@dataclass(frozen=True)
class Figure:
    """One character as the picture shows them."""

    name: str
    kind: str
    pose: str  # poses.POSES
    front: bool  # the page is about them: in front, a little larger
    holding: str = ""  # a things.THINGS key, or "" for empty hands
    colour: str = ""  # the colour word the page gives what they hold


@dataclass(frozen=True)
class PicturePlan:
    """What one picture will show."""

    cover: bool
    place: str  # the storyteller's kind of place (places.KINDS keys), "home" or "school" indoors, "" unknown
    backdrop: str  # the drawing of the place (backdrops.backdrop_for)
    time: str  # "day", "sunset" or "night"
    figures: tuple[Figure, ...]  # exactly the scene's characters, in the scene's order
    props: tuple[str, ...] = ()  # the place's things the words ask for (props.PROPS names)
    subject: str = ""  # the thing the page or the title is about (things.THINGS), if the artist can draw it
    subject_colour: str = ""
    subject_shown: bool = False  # drawn beside the figures (a held subject is drawn in their hands)
    sought: str = ""  # a thing the page is looking for, which is therefore not drawn

    @property
    def held(self) -> str:
        return next((figure.holding for figure in self.figures if figure.holding), "")


def time_of_day(text: str) -> str:
    """ "night", "sunset" or "day" for some words, "" when they name no time."""
    if _NIGHT.search(text):
        return "night"
    if _SUNSET.search(text):
        return "sunset"
    return "day" if _DAY.search(text) else ""


def place_of(scene: Scene) -> str:
    """The kind of place a page happens in: indoors when the words say so, else the
    place the description names (its moon and stars are the night's, not outer
    space's), else the story's setting; "" when nothing names a place."""
    description = scene.visual_description
    if _INDOORS.search(description):
        return "school" if re.search(r"\b(school|classroom)\b", description, re.IGNORECASE) else "home"
    place = kind_find(_SKY.sub(" ", description)) or kind_find(scene.setting) or kind_find(description)
    return place.key if place else ""


def picture_plan(scene: Scene) -> PicturePlan:
    """What the artist will draw for `scene`, read from its words alone."""
    cover = scene.page_number == COVER_PAGE
    description = scene.visual_description
    place = place_of(scene) if not cover else _cover_place(scene)
    kind = KINDS_BY_KEY.get(place)
    known = f"{kind.name} {' '.join(kind.keywords)} {kind.backdrop}" if kind else ""
    backdrop = backdrop_for(place, f"{known} {scene.setting} {'' if place else description}", scene.setting)
    ground = GROUNDS.get(backdrop, "")
    time = time_of_day(description) or time_of_day(scene.page_text) or "day"
    doing = _SKY.sub(" ", _doing_part(description, scene.characters))
    pose, thing, colour = _doing(doing)
    if cover or not thing:
        thing, colour = thing_find(description if cover else doing)
    if not _belongs(thing, kind) or (kind is None and thing in _LIVING_THINGS and backdrop in _BARREN):
        thing, colour = "", ""
    sought = thing if thing and not cover and pose != HOLD and _SEEK.search(doing) else ""
    figures = (
        _cover_figures(scene, thing)
        if cover
        else _page_figures(scene, backdrop, pose, thing if pose in (HOLD, SIT) else "")
    )
    figures = tuple(Figure(f.name, f.kind, f.pose, f.front, f.holding, colour if f.holding else "") for f in figures)
    held = next((figure.holding for figure in figures if figure.holding), "")
    props = () if cover else props_named(description, ground, frozenset((held, sought)))
    props = tuple(name for name in props if _belongs(name, kind))
    # A kite or balloon nobody holds flies as a prop, where the place has a sky for it.
    shown = bool(thing) and not sought and not held and (cover or thing not in _FLYING_THINGS)
    return PicturePlan(cover, place, backdrop, time, figures, props, thing, colour, shown, sought)


def _belongs(name: str, kind) -> bool:
    """Whether thing or prop `name` may be drawn in kind of place `kind` (None: unknown)."""
    needs = _NEEDS.get(name)
    return kind is None or not needs or any(need in kind.has for need in needs)


def figures_planned(scene: Scene) -> int:
    """How many characters the picture of `scene` shows: always its cast, whatever
    animals or helpers its words mention."""
    return len(picture_plan(scene).figures)


def _first_name(sheet: CharacterSheet) -> str:
    return sheet.name.split()[0] if sheet.name.split() else sheet.name


def _doing_part(description: str, cast: tuple[CharacterSheet, ...]) -> str:
    """The description without the names at its start: "Mia and Pip, flying home" ->
    "flying home", so a name never reads as what someone does."""
    words = description
    for sheet in cast:
        if sheet.name:
            words = re.sub(rf"\b{re.escape(sheet.name)}(?: the [a-z ]+?)?(?=,| and |$)", " ", words)
    head, comma, rest = words.partition(",")
    return rest if comma and not head.strip(" ,and") else words


def _doing(words: str) -> tuple[str, str, str]:
    """The pose the first doing word of `words` asks for, and the thing it is done
    with ("carrying the baby bird" -> hold, bird)."""
    found = []
    for pose, pattern in _POSE_WORDS:
        match = pattern.search(words)
        if match:
            found.append((match.start(), _POSE_ORDER[pose], pose, match.end()))
    for _, _, pose, end in sorted(found):
        thing, colour = thing_find(" ".join(words[end:].split()[:5]))
        if pose == HOLD and not thing:
            continue  # "hugging Pip", "helping Gran": nothing to hold
        return pose, thing, colour
    return STAND, "", ""


_POSE_ORDER = {pose: index for index, (pose, _) in enumerate(_POSE_WORDS)}


def _own_pose(sheet: CharacterSheet, text: str) -> str:
    """A pose the page text gives this character by name: "Pip flew over the hill"."""
    name = _first_name(sheet)
    if not name:
        return ""
    for match in re.finditer(rf"\b{re.escape(name)}\b((?:\s+[a-z]+){{1,3}})", text):
        pose, _, _ = _doing(match[1])
        if pose not in (STAND, HOLD):
            return pose
    return ""


def _fits(pose: str, sheet: CharacterSheet, place: str) -> str:
    """`pose`, or the nearest one this character can do in `place` (a backdrop)."""
    if pose == FLY and sheet.kind not in _CAN_FLY and species_of(sheet) not in _FLYING_SPECIES:
        return CHEER
    if pose == SWIM and place not in _WATER:
        return CHEER
    if place == "underwater" and pose in (STAND, WAVE, WALK, CHEER):
        return SWIM
    return pose


def _calm(sheet: CharacterSheet, page: int) -> str:
    return (STAND, WAVE)[zlib.crc32(f"{sheet.name}|{page}".encode()) % 2]


def _named(sheet: CharacterSheet, words: str) -> bool:
    name = _first_name(sheet)
    return bool(name) and re.search(rf"\b{re.escape(name)}\b", words) is not None


def _page_figures(scene: Scene, backdrop: str, pose: str, thing: str) -> list[Figure]:
    """Everyone in the cast: whoever the description names in front doing what it
    says (or what the page text says they do), the others behind, calmly; the first
    of them with nothing of their own to do holds the page's thing."""
    named = [sheet for sheet in scene.characters if _named(sheet, scene.visual_description)]
    own = {sheet.name: _own_pose(sheet, scene.page_text) for sheet in scene.characters}
    holder = next((sheet for sheet in (named or scene.characters) if not own[sheet.name]), None) if thing else None
    figures = []
    for sheet in scene.characters:
        front = sheet in named or not named
        wanted = own[sheet.name] or (pose if front else _calm(sheet, scene.page_number))
        if wanted == HOLD and sheet is not holder:
            wanted = _calm(sheet, scene.page_number)
        if wanted == STAND and front:
            wanted = _calm(sheet, scene.page_number)
        fitted = _fits(wanted, sheet, backdrop)
        holds = sheet is holder and fitted in (HOLD, SIT)
        figures.append(Figure(sheet.name, sheet.kind, fitted, front, thing if holds else ""))
    return figures


def _cover_place(scene: Scene) -> str:
    place = kind_find(scene.setting) or kind_find(_SKY.sub(" ", scene.visual_description))
    return place.key if place else ""


def _cover_figures(scene: Scene, thing: str) -> list[Figure]:
    """Everyone together, the title's hero holding its subject or cheering."""
    title = scene.visual_description
    hero = next((sheet for sheet in scene.characters if _named(sheet, title)), None)
    hero = hero or next((sheet for sheet in scene.characters if sheet.role == "main"), None)
    figures = []
    for sheet in scene.characters:
        if sheet is hero:
            holds = thing and thing not in ("kite", "balloon", "star")
            figures.append(Figure(sheet.name, sheet.kind, HOLD if holds else CHEER, True, thing if holds else ""))
        else:
            figures.append(Figure(sheet.name, sheet.kind, WAVE, True))
    return figures
