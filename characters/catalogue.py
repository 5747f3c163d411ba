"""What a character is made of: the personality trait catalogue, and the appearance
palettes (kept in storyforge/core/appearance.py, since the providers read them too).
The wizard shows these as cards and swatches, and the models store their keys.
"""

from __future__ import annotations

from dataclasses import dataclass

from storyforge.core.appearance import (  # noqa: F401 - the wizard's whole vocabulary in one place
    EYE_COLOURS,
    HAIR_COLOURS,
    HAIR_STYLE_PHRASES,
    HAIR_STYLES,
    SKIN_TONES,
    Kind,
    Pronouns,
    Swatch,
    appearance_describe,
    appearance_of,
    swatch_choices,
    swatch_hex,
)


@dataclass(frozen=True)
class Trait:
    key: str
    label: str
    category: str
    icon: str  # an emoji, kept for API clients; the pages draw `symbol` instead
    meaning: str

    @property
    def symbol(self) -> str:
        """The id of the trait's picture in static/icons/traits.svg: the pages draw
        that, since an emoji is an empty box where no emoji font is installed. A trait
        in the grown-up's own words (no key) gets the pencil."""
        return f"trait-{self.key or 'own'}"


TRAIT_CATEGORIES = ("Heart", "Mind", "Energy", "Courage")

TRAITS: tuple[Trait, ...] = (
    Trait("kind", "Kind", "Heart", "💗", "Looks after others and shares."),
    Trait("gentle", "Gentle", "Heart", "🕊️", "Soft-spoken and careful with small things."),
    Trait("loyal", "Loyal", "Heart", "🤝", "Sticks by friends when things get hard."),
    Trait("generous", "Generous", "Heart", "🎁", "Happy to give away the biggest slice."),
    Trait("funny", "Funny", "Heart", "😄", "Makes everyone laugh, even on grey days."),
    Trait("shy", "Shy", "Heart", "🙈", "Takes a while to say hello, then is a true friend."),
    Trait("curious", "Curious", "Mind", "🔍", "Asks why, how and what if."),
    Trait("clever", "Clever", "Mind", "💡", "Solves puzzles and spots clues."),
    Trait("creative", "Creative", "Mind", "🎨", "Invents games, songs and pictures."),
    Trait("dreamy", "Dreamy", "Mind", "☁️", "Imagines whole worlds while looking at clouds."),
    Trait("patient", "Patient", "Mind", "⏳", "Waits, listens and tries again."),
    Trait("organised", "Organised", "Mind", "🗂️", "Has a plan and a list for the plan."),
    Trait("energetic", "Energetic", "Energy", "⚡", "Runs, jumps and never seems tired."),
    Trait("playful", "Playful", "Energy", "🪁", "Turns everything into a game."),
    Trait("calm", "Calm", "Energy", "🌙", "Stays peaceful when others are in a flap."),
    Trait("chatty", "Chatty", "Energy", "💬", "Always has a story to tell."),
    Trait("messy", "Messy", "Energy", "🧦", "Leaves a trail of crumbs and socks."),
    Trait("brave", "Brave", "Courage", "🦁", "Feels scared sometimes and does it anyway."),
    Trait("adventurous", "Adventurous", "Courage", "🧭", "Wants to see what is over the next hill."),
    Trait("determined", "Determined", "Courage", "⛰️", "Does not give up."),
    Trait("cautious", "Cautious", "Courage", "🛡️", "Thinks before leaping, and keeps friends safe."),
    Trait("honest", "Honest", "Courage", "⭐", "Tells the truth, even when it is hard."),
)
TRAITS_BY_KEY = {trait.key: trait for trait in TRAITS}

MIN_TRAITS = 1
MAX_TRAITS = 5
MAX_CUSTOM_TRAITS = 3
CUSTOM_TRAIT_MAX_LENGTH = 30
