"""The sounds of what a story's pages tell ("Moo, moo!" where a cow is), which the
reading-level pass (readability.py) may tell to make a young reader's text easier.
"""

from __future__ import annotations

import re
import zlib

# Sounds that belong to what a page tells (the cow is there: "Moo, moo!"; it rains:
# "Pitter, patter."), as a board book tells them: a word said twice, which a toddler
# joins in with. The first word a sentence names, in this order, picks the sound.
SOUNDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"cows?|calf", ("Moo, moo!", "Moo, moo.")),
    (r"hens?|chicks?|chickens?", ("Cluck, cluck!", "Cheep, cheep!")),
    (r"sheep|lambs?", ("Baa, baa!", "Baa, baa.")),
    (r"ducks?|ducklings?", ("Quack, quack!", "Quack, quack.")),
    (r"pigs?|piglets?", ("Oink, oink!", "Oink, oink.")),
    (r"frogs?|toads?", ("Croak, croak!", "Ribbit, ribbit!")),
    (r"bees?", ("Buzz, buzz!", "Buzz, buzz.")),
    (r"owls?", ("Hoo, hoo!", "Twit, twoo!")),
    (r"dogs?|pupp(?:y|ies)", ("Woof, woof!", "Woof, woof.")),
    (r"horses?|ponies|pony", ("Clip, clop!", "Neigh, neigh!")),
    (r"monkeys?", ("Ooh, ooh!", "Eek, eek!")),
    (r"parrots?|seagulls?|gulls?", ("Squawk, squawk!", "Squawk, squawk.")),
    (r"birds?|robins?|nests?|skylarks?|chicks?", ("Tweet, tweet!", "Cheep, cheep!")),
    (r"rain|raining|rained|raindrops?|drizzle", ("Pitter, patter.", "Drip, drop.")),
    (r"puddles?|splash(?:ed)?|splashing|paddled|pond|bath", ("Splish, splash!", "Splash, splash!")),
    (r"snow|snowy|snowflakes?", ("Crunch, crunch!", "Crunch, crunch.")),
    (r"wind|windy|breeze", ("Whoo, whoo!", "Whoosh, whoosh!")),
    (r"waves?|sea", ("Swish, swash!", "Splish, splosh!")),
    (r"clocks?", ("Tick, tock!", "Tick, tock.")),
    (r"bells?", ("Ding, dong!", "Ding, ding!")),
    (r"trains?", ("Choo, choo!", "Toot, toot!")),
    (r"tractors?|cars?|bus|buses|rocket", ("Beep, beep!", "Vroom, vroom!")),
    (r"kites?|flew|fly|flying|swooped", ("Whoosh, whoosh!", "Swoop, swoop!")),
    (r"knock(?:ed)?|knocking", ("Knock, knock!", "Tap, tap!")),
    (r"creak(?:ed|y)?|gate", ("Creak, creak!", "Creak, creak.")),
    (r"waterfall|river|stream|brook", ("Splish, splash!", "Splosh, splosh!")),
    (r"vines?|swings?|swung|slide", ("Whee, whee!", "Whoosh, whoosh!")),
    (r"fell|fallen|tumbled|bumped|dropped", ("Bump, bump!", "Oops, oops!")),
    (r"scared|afraid|frightened|shivered|gulped", ("Gulp, gulp.", "Eek, eek!")),
    (r"stars?|moon", ("Twinkle, twinkle.", "Shine, shine.")),
    (r"hooray|yay|worked", ("Hooray, hooray!", "Yay, yay!")),
    (r"gifts?|present|surprise", ("Ta, da!", "Ooh, ooh!")),
    (r"laugh(?:ed|ing)?|giggl\w*|chuckl\w*|titter\w*|joke", ("Ha, ha!", "Hee, hee!", "Ho, ho!")),
    (r"hug(?:ged)?|cuddl\w*|squeezed", ("Squeeze, squeeze!", "Hug, hug!")),
    (r"ate|eat|eating|munch\w*|yum\w*|lunch|picnic|snacks?|cake|jam|biscuits?|apples?|berries", ("Yum, yum!", "Munch, munch!")),
    (r"cheered|clapped|hooray", ("Clap, clap!", "Hooray, hooray!")),
    (r"jump(?:ed)?|hopped|hop|bounc\w*|leapt", ("Boing, boing!", "Hop, hop!")),
    (r"ran|raced|dashed|hurried|running|scampered|rushed", ("Pit, pat!", "Zoom, zoom!")),
    (r"climbed|up the|scrambled", ("Up, up!", "Climb, climb!")),
    (r"sang|song|sing|singing|hummed|tune", ("La, la!", "Tra, la!")),
    (r"cried|crying|sobbed|sob|tears|sniff\w*", ("Sniff, sniff.", "Boo, hoo.")),
    (r"sleep\w*|asleep|bed|bedtime|yawn\w*|snuggled|night|goodnight", ("Shh, shh.", "Night, night.", "Yawn, yawn.")),
    (r"dark|quiet|hush|whispered|tiptoed", ("Shh, shh.", "Hush, hush.")),
    (r"walked|marched|stomped|trotted|wandered|set off|headed", ("Stomp, stomp!", "Tramp, tramp!")),
    (r"goodbye|waved goodbye|went home|headed home", ("Bye, bye!", "Wave, wave!")),
)  # fmt: skip
# More animals' sounds, which only a board book tells: every animal of a place has one,
# so whichever a board page meets, a toddler can join in ("Maa, maa!" where a goat is).
BOARD_SOUNDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"cats?|kittens?", ("Meow, meow!", "Purr, purr.")),
    (r"\w*dogs?|poodles?", ("Woof, woof!", "Ruff, ruff!")),
    (r"(?:\w+ )?fox(?:es)?", ("Yip, yip!", "Yap, yap!")),
    (r"(?:\w+ )?goats?", ("Maa, maa!", "Bleat, bleat!")),
    (r"(?:\w+ )?mouse|mice|hamsters?|marmots?", ("Squeak, squeak!", "Squeak, squeak.")),
    (r"pigeons?|doves?", ("Coo, coo!", "Coo, coo.")),
    (r"sparrows?|swallows?|kingfishers?|toucans?", ("Cheep, cheep!", "Tweet, tweet!")),
    (r"ravens?|crows?", ("Caw, caw!", "Caw, caw.")),
    (r"eagles?", ("Screech, screech!", "Swoop, swoop!")),
    (r"peacocks?", ("Squawk, squawk!", "Swish, swish!")),
    (r"puffins?|bats?", ("Flap, flap!", "Flap, flap.")),
    (r"crabs?", ("Snip, snap!", "Click, clack!")),
    (r"seals?", ("Arf, arf!", "Honk, honk!")),
    (r"swans?", ("Honk, honk!", "Honk, honk.")),
    (r"dolphins?", ("Squeak, squeak!", "Click, click!")),
    (r"whales?|otters?", ("Splash, splash!", "Splish, splash!")),
    (r"(?:\w+ )?(?:turtles?|tortoises?)|snails?|camels?", ("Plod, plod.", "Slow, slow.")),
    (r"elephants?", ("Toot, toot!", "Stomp, stomp!")),
    (r"penguins?", ("Waddle, waddle!", "Flap, flap!")),
    (r"butterfl(?:y|ies)|ladybirds?|glow-worms?", ("Flutter, flutter!", "Flit, flit!")),
    (r"rabbits?|bunn(?:y|ies)|hares?", ("Hop, hop!", "Thump, thump!")),
    (r"squirrels?", ("Chitter, chatter!", "Scurry, scurry!")),
    (r"\w*fish|seahorses?|octopus", ("Blub, blub!", "Bubble, bubble!")),
    (r"hedgehogs?|badgers?", ("Snuffle, snuffle!", "Sniff, sniff.")),
    (r"deer|zebras?|giraffes?", ("Trot, trot!", "Clip, clop!")),
    (r"(?:polar )?bears?", ("Grr, grr!", "Growl, growl!")),
    (r"lizards?|spiders?", ("Scuttle, scuttle!", "Tiptoe, tiptoe.")),
)  # fmt: skip
SOUND_WORDS = frozenset(sound for _, sounds in (*SOUNDS, *BOARD_SOUNDS) for sound in sounds)
_CUES = [(re.compile(rf"\b(?:{cue})\b", re.IGNORECASE), sounds) for cue, sounds in SOUNDS]
_BOARD_CUES = [*_CUES, *((re.compile(rf"\b(?:{cue})\b", re.IGNORECASE), sounds) for cue, sounds in BOARD_SOUNDS)]


def sound_of(text: str) -> str:
    """The sound of what `text` tells ("Moo, moo!" where a cow is), or "" when it tells
    nothing that makes one; which of a thing's sounds is drawn from the text itself.
    Only a board book asks, so any animal of a place has its sound (BOARD_SOUNDS)."""
    found = [(match.start(), sounds) for cue, sounds in _BOARD_CUES for match in [cue.search(text)] if match]
    if not found:
        return ""
    sounds = min(found, key=lambda item: item[0])[1]
    return sounds[zlib.crc32(text.encode()) % len(sounds)]


# An older child's book tells a sound once, just before the line that makes it, so it
# reads as part of the story ("Zoom! Leo raced to the vines.", "Pitter-patter! The
# rain came down."), not as a chant on its own. A thing's sound needs the thing
# named; a doing's sound needs someone doing it. Words that are not a sound
# ("Night, night.", "Wave, wave!"), and "Ta-da!" where no present is shown, are
# left out.
_THINGS = frozenset(
    re.findall(
        r"\w+",
        "cow cows calf hen hens chick chicks chicken chickens sheep lamb lambs duck ducks duckling ducklings pig pigs "
        "piglet piglets frog frogs toad toads bee bees owl owls dog dogs puppy puppies horse horses pony ponies monkey "
        "monkeys parrot parrots seagull seagulls gull gulls bird birds robin robins skylark skylarks rain raindrops "
        "drizzle puddle puddles pond snow snowflakes wind breeze waves sea clock clocks bell bells train trains "
        "tractor tractors car cars bus buses rocket kite kites gate waterfall river stream brook vines swing swings "
        "slide stars moon gift gifts present surprise",
    )
)
_DOINGS = SOUNDS.index(next(row for row in SOUNDS if row[0].startswith("fell")))  # the rows after the things
_NOT_MADE = frozenset(("night", "wave", "climb", "hug", "squeeze", "shine", "tramp", "twinkle"))
# More sounds a thing makes, so the same waterfall does not say the same in every book.
_MORE = {
    "puddle": ("Splosh, splosh!", "Plip, plop!", "Squelch, squelch!"), "waterfall": ("Whoosh, whoosh!", "Rush, rush!"),
    "river": ("Gurgle, gurgle!", "Swish, swish!"), "stream": ("Babble, babble!", "Trickle, trickle!"),
    "vines": ("Swish, swish!", "Creak, creak!"), "rain": ("Plip, plop!", "Pitter, pat!"), "wind": ("Whee, whoo!",),
    "sea": ("Shush, shush!", "Slosh, slosh!"), "waves": ("Shush, shush!", "Slosh, slosh!"),
    "monkey": ("Chatter, chatter!", "Hoo, hoo!"), "gift": ("Wow, wow!", "Oh, oh!"), "present": ("Wow, wow!", "Oh, oh!"),
    "surprise": ("Wow, wow!", "Oh, oh!"), "bird": ("Chirp, chirp!",), "frog": ("Plop, plop!",), "duckling": ("Peep, peep!",),
}  # fmt: skip
# What someone likes, wishes for or talks about is not there to be heard ("a game about puddles").
_ABSENT = re.compile(
    r"\b(?:about|of|loves?|loved|wish(?:ed)?|likes?|liked|dream\w*|thought|remember\w*)\b[^.!?]*$", re.IGNORECASE
)
_REVEALED = re.compile(r"\b(?:unwrapped|opened|revealed|pulled out|showed)\b", re.IGNORECASE)
_DOER = re.compile(r"(?:^|[.!?,] |\b(?:and|then) )([A-Z][a-z]+) $")  # "Leo raced", a name just before
_NOT_DOERS = re.compile(
    r"\b(?:I|A|An|The|Then|And|But|So|Now|Soon|Just|When|One|All|This|That|There)(?: the [a-z]+)? $"
)
_SAID = frozenset(("aha", "oho", "hmm", "wow", "oh", "ooh", "hey", "yoo-hoo", "humph", "huff", "phew"))  # said words
_DOUBLED = frozenset(("ha", "hee", "ho", "la"))  # a laugh or a song is said twice: "Ho-ho!", "La-la!"


def _word(sound: str) -> str:
    """A sound said once: "Zoom, zoom!" is "Zoom!", "Splish, splash!" "Splish-splash!"."""
    first, second = (part.strip(" !.") for part in sound.split(","))
    said = first if first.lower() == second.lower() and first.lower() not in _DOUBLED else f"{first}-{second.lower()}"
    return said + sound[-1]


# Doings only an older child's book hears (a board book keeps to SOUNDS).
_TOLD = [
    *_CUES,
    (re.compile(r"\b(?:carr(?:y|ied)|lifted|pushed|heaved)\b", re.IGNORECASE), ("Heave, ho!", "Puff, puff!")),
    (re.compile(r"\b(?:thought|wondered|pondered)\b", re.IGNORECASE), ("Hmm, hmm.", "Hmm, hmm!")),
    (re.compile(r"\b(?:called out|shouted|yelled)\b", re.IGNORECASE), ("Yoo, hoo!", "Hey, hey!")),
    (re.compile(r"\b(?:sighed|huffed|puffed)\b", re.IGNORECASE), ("Huff, huff.", "Humph, humph.")),
    (re.compile(r"\b(?:found|spotted|discovered)\b", re.IGNORECASE), ("Aha, aha!", "Oho, oho!")),
    (re.compile(r"\b(?:hid|hiding|peeked|peeped)\b", re.IGNORECASE), ("Shh, shh.", "Shh, shh!")),
    (re.compile(r"\b(?:rested|flopped|plopped)\b", re.IGNORECASE), ("Phew, phew!", "Puff, puff.")),
]


def sound_told(text: str) -> str:
    """The sound of what `text` tells, said once ("Zoom!") for just before it, or with
    who makes it ("Zoom went Leo!", "Leo went zoom!") for just after it; "" when
    what makes it is not named. The first one the text names, and which of its
    sounds and wordings, are drawn from the text itself."""
    draw = zlib.crc32(text.encode())
    found = sorted((hit.start(), row, hit) for row, (cue, _) in enumerate(_TOLD) for hit in [cue.search(text)] if hit)
    for _, row, hit in found:
        before = text[: hit.start()]
        if _ABSENT.search(before) or before.count('"') % 2 or text.startswith(" on", hit.end()):  # "worked on"
            continue
        if hit[0].lower() not in _THINGS and (row < _DOINGS or _NOT_DOERS.search(before)):
            continue
        more = next((sounds for thing, sounds in _MORE.items() if hit[0].lower().startswith(thing)), ())
        usable = [
            sound for sound in (*_TOLD[row][1], *more)
            if sound.split(",")[0].lower() not in _NOT_MADE and (sound != "Ta, da!" or _REVEALED.search(text))
        ]  # fmt: skip
        if not usable:
            continue
        sound = _word(usable[draw % len(usable)])
        doer = _DOER.search(before) if hit[0].lower() not in _THINGS else None
        # "Zoom went Leo!" or "Leo went zoom!", told after the line, for a noise (not "Aha!").
        if doer and not _NOT_DOERS.search(before) and sound.lower()[:-1] not in _SAID and (draw >> 8) % 3:
            said, name = sound[:-1], doer[1]
            return f"{said} went {name}!" if (draw >> 12) % 2 else f"{name} went {said.lower()}!"
        return sound
    return ""


# Every sound as an older child's book says it ("Zoom!"): a sound word all the same.
SOUND_WORDS = SOUND_WORDS | {_word(sound) for _, sounds in (*SOUNDS, *BOARD_SOUNDS) for sound in sounds}
SOUND_WORDS |= {_word(sound) for sounds in (*_MORE.values(), *(sounds for _, sounds in _TOLD)) for sound in sounds}

__all__ = ["BOARD_SOUNDS", "SOUNDS", "SOUND_WORDS", "sound_of", "sound_told"]
