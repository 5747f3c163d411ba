"""Word banks of the offline storyteller: tones, helpers and the small phrases that
make one book different from the next. Places are in places.py (and places.txt),
which the artist reads too, so a story by the sea is drawn by the sea.
"""

from __future__ import annotations

from dataclasses import dataclass

HELPER_NAMES = (
    "Olive",
    "Biscuit",
    "Pickle",
    "Nutmeg",
    "Toffee",
    "Mabel",
    "Juniper",
    "Custard",
    "Barnaby",
    "Tuppence",
    "Clementine",
    "Pemberton",
)
SHORT_HELPER_NAMES = ("Bo", "Dot", "Mo", "Fig", "Nell", "Kit", "Bun", "Tam", "Jem", "Sol", "Wren", "Tuck")


@dataclass(frozen=True)
class Tone:
    sounds: tuple[str, ...]  # exclamations; the one-syllable ones also keep toddler pages easy
    adjectives: tuple[str, ...]
    mornings: tuple[str, ...]


TONES = {
    "gentle": Tone(("Oh!", "Look!", "Yes!", "How lovely!"), ("soft", "bright", "little"), ("sunny", "bright")),
    "funny": Tone(("Boing!", "Splat!", "Honk, honk!", "Ha, ha!", "Oops!"), ("wobbly", "bouncy"), ("sunny", "bouncy")),
    "silly": Tone(
        ("Ploop!", "Bonk!", "Hee, hee!", "Boing!", "Wibble, wobble!"), ("wiggly", "squishy"), ("silly", "wiggly")
    ),
    "adventurous": Tone(
        ("Whoosh!", "Zoom!", "Go, go, go!", "Off we go!"), ("bold", "wild", "windy"), ("windy", "bright")
    ),
    "bedtime": Tone(("Shh.", "Hush.", "Yawn.", "Softly, softly."), ("soft", "sleepy", "quiet"), ("quiet", "soft")),
    "mysterious": Tone(
        ("Hmm.", "Creak!", "Tap, tap, tap.", "What was that?"), ("strange", "secret"), ("misty", "grey")
    ),
    "heartwarming": Tone(("Yes!", "Aww!", "Hug!", "Hooray!"), ("warm", "golden", "happy"), ("golden", "warm")),
}


def tone_for(key: str) -> Tone:
    return TONES.get(key, TONES["gentle"])


# A few jokes for funny and silly stories: question, answer.
JOKES = (
    ("What do you call a sleeping dinosaur?", "A dino-snore!"),
    ("Why are fish so clever?", "Because they live in schools!"),
    ("What do you call a bear with no teeth?", "A gummy bear!"),
    ("Why did the cookie go to the doctor?", "It felt crummy!"),
    ("Why did the teddy bear say no to pudding?", "It was already stuffed!"),
    ("What do you call a dog who does magic?", "A labracadabrador!"),
)
FOODS = ("jam sandwiches", "apple slices", "oat biscuits", "cheese crackers", "strawberries", "banana bread")
CLOUD_SHAPES = ("a rabbit", "a teapot", "a sleepy whale", "a castle", "a giant sock", "an elephant")


def title_case(text: str) -> str:
    small = {"a", "an", "the", "of", "and", "to", "in", "on", "at", "for", "is", "with"}
    words = text.split()
    return " ".join(
        word if (index and word.lower() in small) or word[:1].isupper() else word[:1].upper() + word[1:]
        for index, word in enumerate(words)
    )
