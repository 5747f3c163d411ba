"""What each kind of character has and does: hands or paws or claws, walking or
padding or rolling, flying or not, and the sound it makes.

Templates never name a body part outright: "{c.hand}" is a hand, a paw, a claw or
a gripper, so a dragon never has fingers and a robot never has paws.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Body:
    hand: str  # what holds or is held: "hand", "paw", "claw", "gripper", "wing"
    hands: str
    feet: str
    walk: str  # past tense: "walked", "padded", "rolled"
    hurry: str  # past tense: "ran", "scampered", "flew"
    gesture: str  # past tense with {their}: "clapped {their} hands"
    sound: str  # "" or an exclamation: "Beep, boop!"
    said: str = "said"  # the word for speaking, sometimes: "beeped"
    flies: bool = False
    parts: tuple[str, ...] = ()  # every body word that fits, for the quality report

    def carry(self, their: str) -> str:
        """How this body carries a thing: "in her hands", "in its beak"."""
        return f"in {their} {self.hands}" if self.hands else f"on {their} back"


HUMAN = Body("hand", "hands", "feet", "walked", "ran", "clapped {their} hands", "", parts=("hand", "finger", "toe"))
_PAWS = ("paw", "tail", "whisker", "nose", "ear")
BODIES = {
    "child": HUMAN,
    "grown-up": HUMAN,
    "fairy": Body(
        "hand", "hands", "feet", "fluttered", "flew", "fluttered {their} wings", "Ting!", flies=True,
        parts=("hand", "finger", "toe", "wing"),
    ),
    "dragon": Body(
        "claw", "claws", "claws", "stomped", "flew", "flapped {their} wings", "Rumble!", "rumbled", True,
        ("claw", "wing", "tail", "scale", "snout"),
    ),
    "robot": Body(
        "gripper", "grippers", "wheels", "rolled", "whizzed", "blinked {their} lights", "Beep, boop!", "beeped",
        parts=("gripper", "wheel", "light", "antenna"),
    ),
    "monster": Body(
        "furry paw", "furry paws", "big feet", "lumbered", "bounded", "wiggled {their} furry ears", "Grr-hooray!",
        parts=("paw", "ear", "feet", "tail"),
    ),
    "alien": Body(
        "hand", "hands", "feet", "floated", "zoomed", "wiggled {their} antennae", "Zib, zib!",
        parts=("hand", "finger", "antenna"),
    ),
    "toy": Body("hand", "hands", "feet", "toddled", "hurried", "waved {their} arms", "", parts=("hand", "arm")),
    "paws": Body("paw", "paws", "paws", "padded", "scampered", "wagged {their} tail", "", parts=_PAWS),
    "cat": Body("paw", "paws", "paws", "padded", "scampered", "swished {their} tail", "Purr!", "purred", parts=_PAWS),
    "dog": Body("paw", "paws", "paws", "trotted", "bounded", "wagged {their} tail", "Woof!", parts=_PAWS),
    "rabbit": Body("paw", "paws", "paws", "hopped", "bounced", "twitched {their} nose", "", parts=_PAWS),
    "hooves": Body(
        "nose", "", "hooves", "trotted", "galloped", "tossed {their} head", "", parts=("hoof", "hooves", "nose", "tail")
    ),
    "bird": Body(
        "wing", "", "feet", "hopped", "flew", "flapped {their} wings", "Tweet!", flies=True,
        parts=("wing", "beak", "feather", "feet"),
    ),
    "waddler": Body(
        "flipper", "", "feet", "waddled", "waddled", "flapped {their} flippers", "", parts=("flipper", "beak", "feet")
    ),
    "frog": Body("webbed foot", "", "feet", "hopped", "leapt", "puffed out {their} throat", "Ribbit!", parts=("foot",)),
    "trunk": Body(
        "trunk", "trunk", "feet", "plodded", "trundled", "waved {their} trunk", "Toot!", parts=("trunk", "ear", "feet")
    ),
    "hands": Body("hand", "hands", "feet", "scampered", "swung", "scratched {their} head", "", parts=("hand", "tail")),
    "sea": Body("fin", "", "fins", "swam", "zoomed", "swished {their} fins", "", parts=("fin", "tail", "shell")),
    "eight": Body(
        "tentacle", "tentacles", "tentacles", "wriggled", "jetted", "waved all {their} arms", "", parts=("tentacle",)
    ),
    "shell": Body("claw", "claws", "legs", "scuttled", "scuttled", "clicked {their} claws", "", parts=("claw", "shell")),
}  # fmt: skip

# Which body an animal, a toy or a helper has, by the word that names it.
_SPECIES_BODY = {
    "cat": "cat", "kitten": "cat", "tiger": "cat", "lion": "cat", "dog": "dog", "puppy": "dog", "sheepdog": "dog",
    "poodle": "dog", "wolf": "dog", "fox": "paws", "rabbit": "rabbit", "bunny": "rabbit", "hare": "rabbit",
    "bear": "paws", "teddy": "paws", "panda": "paws", "mouse": "paws", "hamster": "paws", "koala": "paws",
    "squirrel": "paws", "hedgehog": "paws", "otter": "paws", "badger": "paws", "marmot": "paws", "lamb": "hooves",
    "monkey": "hands", "elephant": "trunk", "pig": "hooves", "sheep": "hooves", "goat": "hooves", "horse": "hooves",
    "pony": "hooves", "deer": "hooves", "camel": "hooves", "giraffe": "hooves", "zebra": "hooves", "owl": "bird",
    "duck": "bird", "hen": "bird", "robin": "bird", "raven": "bird", "parrot": "bird", "seagull": "bird",
    "puffin": "bird", "eagle": "bird", "swan": "bird", "swallow": "bird", "skylark": "bird", "peacock": "bird",
    "toucan": "bird", "kingfisher": "bird", "sparrow": "bird", "pigeon": "bird", "penguin": "waddler", "frog": "frog",
    "turtle": "sea", "tortoise": "paws", "seahorse": "sea", "fish": "sea", "dolphin": "sea", "whale": "sea",
    "seal": "waddler", "octopus": "eight", "crab": "shell", "lizard": "paws", "bat": "bird", "snail": "sea",
    "ladybird": "bird", "butterfly": "bird", "sprite": "fairy", "glow-worm": "sea", "spider": "eight",
}  # fmt: skip


def body_for(kind: str, noun: str = "") -> Body:
    """The body of a character of `kind` (child, dragon, animal...) named `noun`
    ("cat", "mountain goat"); an animal the words do not name gets paws."""
    for word in reversed(re.findall(r"[a-z-]+", noun.lower())):
        key = _SPECIES_BODY.get(word) or _SPECIES_BODY.get(word.removesuffix("s"))
        if key:
            return BODIES[key] if key in BODIES else BODIES["fairy"]
    if kind in BODIES:
        return BODIES[kind]
    return BODIES["paws"] if kind in ("animal", "helper") else HUMAN


# Body words the quality report and tests look for, and the bodies they fit.
BODY_WORDS = ("finger", "fingers", "hand", "hands", "paw", "paws", "claw", "claws", "wing", "wings", "hooves", "beak")


def body_words_foreign(sentence: str, body: Body) -> list[str]:
    """Body words in `sentence` that `body` does not have ("fingers" for a dragon)."""
    words = re.findall(r"[a-z]+", sentence.lower())
    fits = set(body.parts) | {body.hand.split()[-1]} | ({body.hands.split()[-1]} if body.hands else set())
    fits |= {word + "s" for word in fits} | ({"hooves"} if "hoof" in fits else set())
    return [word for word in words if word in BODY_WORDS and word not in fits]
