"""Word banks of the offline storyteller: places, tones, helpers and the small
phrases that make one book different from the next. The artist reads the places
too, so a story by the sea is drawn by the sea.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    key: str  # also the artist's backdrop
    keywords: tuple[str, ...]
    name: str  # "the seaside"
    where: str  # "at the seaside"
    landmarks: tuple[str, ...]
    sounds: tuple[str, ...]  # past-tense clauses: "the waves went swish, swash"
    creatures: tuple[str, ...]  # helpers that live there
    air: str  # one rich sentence about the place, for older readers


# Order matters: the first family whose keyword appears wins, so "under the sea"
# is underwater before "sea" makes it the seaside.
PLACES: tuple[Place, ...] = (
    Place(
        "underwater",
        ("underwater", "under the sea", "reef", "coral", "seabed", "mermaid", "mermaids", "deep sea", "submarine"),
        "the bottom of the sea",
        "deep under the sea",
        (
            "the coral reef",
            "the sunken ship",
            "the kelp forest",
            "the shell garden",
            "the sandy seabed",
            "the turtle cave",
        ),
        ("the bubbles went blub, blub", "the seaweed swayed to and fro"),
        ("turtle", "octopus", "seahorse", "crab"),
        "Shafts of green and golden light wobbled down through the water, and shoals of silver fish flickered past.",
    ),
    Place(
        "space",
        ("space", "moon", "planet", "planets", "stars", "rocket", "galaxy", "mars", "comet", "spaceship", "astronaut"),
        "outer space",
        "far out in space",
        ("the silver rocket", "the moon craters", "the purple planet", "the space station", "the comet trail"),
        ("the stars twinkled", "the rocket engine hummed"),
        ("moon rabbit", "little robot", "space mouse"),
        "All around them the stars glittered like sugar spilled across a velvet tablecloth.",
    ),
    Place(
        "seaside",
        ("sea", "seaside", "beach", "coast", "shore", "lighthouse", "island", "harbour", "pier", "ocean", "sand"),
        "the seaside",
        "at the seaside",
        (
            "the rock pools",
            "the old lighthouse",
            "the sand dunes",
            "the little harbour",
            "the wooden pier",
            "the sea cave",
        ),
        ("the waves went swish, swash", "the seagulls called overhead"),
        ("crab", "seagull", "seal", "puffin"),
        "The air smelled of salt and seaweed, and the waves rolled in, one after another, silver at the edges.",
    ),
    Place(
        "snow",
        ("snow", "snowy", "mountain", "mountains", "ice", "icy", "arctic", "winter", "ski", "glacier", "north pole"),
        "the snowy mountains",
        "up in the snowy mountains",
        (
            "the snowy slope",
            "the frozen lake",
            "the pine trees",
            "the ice cave",
            "the mountain hut",
            "the top of the hill",
        ),
        ("the snow went crunch, crunch", "the wind whistled softly"),
        ("mountain goat", "snow hare", "penguin"),
        "Everything sparkled under a blanket of fresh snow, and their breath made little clouds in the frosty air.",
    ),
    Place(
        "castle",
        ("castle", "palace", "kingdom", "king", "queen", "princess", "prince", "knight", "knights", "tower", "throne"),
        "the old castle",
        "at the old castle",
        (
            "the great hall",
            "the spiral staircase",
            "the tall tower",
            "the castle kitchen",
            "the drawbridge",
            "the library",
        ),
        ("the flags flapped on the towers", "the old doors creaked"),
        ("mouse", "raven", "castle cat"),
        "Colourful flags fluttered from the towers, and the old stone walls were warm from the afternoon sun.",
    ),
    Place(
        "forest",
        ("forest", "wood", "woods", "woodland", "jungle", "trees", "tree", "glade", "treehouse"),
        "the forest",
        "in the forest",
        (
            "the hollow oak",
            "the mossy log",
            "the fern glade",
            "the babbling brook",
            "the mushroom ring",
            "the old bridge",
        ),
        ("the leaves whispered", "a woodpecker went tap, tap, tap"),
        ("owl", "squirrel", "badger", "deer"),
        "Sunlight dappled the mossy ground, and somewhere high above, a family of birds was chattering excitedly.",
    ),
    Place(
        "farm",
        ("farm", "barn", "field", "fields", "tractor", "orchard", "cows", "sheep", "chickens"),
        "the farm",
        "on the farm",
        ("the red barn", "the duck pond", "the hay loft", "the orchard", "the sunflower field", "the muddy lane"),
        ("the hens went cluck, cluck", "the tractor rumbled far away"),
        ("goat", "hen", "pig", "sheepdog"),
        "The fields stretched golden to the hills, and the whole farmyard smelled of hay and warm apples.",
    ),
    Place(
        "school",
        ("school", "classroom", "nursery", "kindergarten", "teacher", "playground"),
        "school",
        "at school",
        (
            "the classroom",
            "the playground",
            "the reading corner",
            "the art table",
            "the school garden",
            "the music room",
        ),
        ("the school bell went ding, ding", "the pencils went scritch, scratch"),
        ("class hamster", "school cat"),
        "Paintings of rockets and rainbows covered the walls, and the classroom hummed with busy chatter.",
    ),
    Place(
        "town",
        ("city", "town", "village", "street", "market", "shop", "bakery", "library", "square", "station"),
        "the town",
        "in the little town",
        ("the bakery", "the busy market", "the clock tower", "the toy shop", "the fountain", "the bus stop"),
        ("the town clock went bong", "the bicycles went ring, ring"),
        ("pigeon", "dog", "cat"),
        "The cobbled streets were full of market stalls, and the smell of fresh bread drifted from the bakery.",
    ),
    Place(
        "garden",
        ("garden", "park", "meadow", "flowers", "allotment", "pond", "picnic"),
        "the garden",
        "in the garden",
        ("the vegetable patch", "the pond", "the apple tree", "the greenhouse", "the flower beds", "the old shed"),
        ("the bees went buzz, buzz", "the birds sang in the hedge"),
        ("snail", "ladybird", "robin", "frog"),
        "The flower beds were bursting with colour, and fat bumblebees drifted lazily from bloom to bloom.",
    ),
    Place(
        "home",
        ("home", "house", "bedroom", "kitchen", "bed", "attic", "cottage", "flat", "bath", "bathtub"),
        "home",
        "at home",
        ("the kitchen", "the cosy sofa", "the bedroom", "the attic", "the back door", "the toy box"),
        ("the kettle went whistle, whistle", "the clock went tick, tock"),
        ("cat", "mouse", "dog"),
        "The house was warm and cosy, and the smell of toast drifted up the stairs.",
    ),
)
PLACES_BY_KEY = {place.key: place for place in PLACES}
_ELSEWHERE = Place(
    "garden",
    (),
    "",
    "",
    ("the big tree", "the little bridge", "the gate", "the hilltop", "the old well", "the winding path"),
    ("the birds sang", "the wind hummed"),
    ("rabbit", "robin", "snail"),
    "The sky was wide and blue, and every path seemed to lead somewhere wonderful.",
)
# How a place of the family is named after "Mia was ...": on a farm, at the beach.
_PREPOSITION = {"farm": "on", "seaside": "at", "school": "at", "snow": "on"}
_PREPOSITIONS = ("in", "on", "at", "under", "by", "near", "inside", "above", "beside", "up", "down", "far", "deep")
_ARTICLES = ("a", "an", "the", "my", "our", "his", "her", "their")


def place_find(text: str) -> Place | None:
    """The family of places `text` talks about ("a castle in the clouds" -> castle), or None."""
    lowered = text.lower()
    for place in PLACES:
        for keyword in place.keywords:
            if re.search(rf"\b{re.escape(keyword)}\b", lowered):
                return place
    return None


def place_for_setting(setting: str, choice: int) -> Place:
    """The place a story happens: the brief's own words when it has some (with the
    landmarks of the family they name), else one of the built-in places."""
    setting = " ".join(setting.split()).rstrip(".")
    if not setting:
        return PLACES[choice % len(PLACES)]
    family = place_find(setting) or _ELSEWHERE
    first = setting.split()[0].lower()
    if first in _PREPOSITIONS:
        where, name = setting, setting
    else:
        name = setting
        where = f"{_PREPOSITION.get(family.key, 'in')} {setting}"
    bare = setting.lower().removeprefix("the ")
    if family is not _ELSEWHERE and (bare in family.keywords or setting.lower() == family.name):
        name, where = family.name, family.where
    return Place(
        family.key, family.keywords, name, where, family.landmarks, family.sounds, family.creatures, family.air
    )


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
