"""The beats every plot shares, in the text form beats.py reads: opening lines, what
each personality trait makes a character do, the wandering middle pages, each
tone's own pages and ending, and the colour lines that fill an older reader's page.
"""

from __future__ import annotations

from storyforge.generation.providers.offline.beats import Beat, Line, blocks_parse, line_parse

_TEXT = """
# The opening line; the seed picks one. Only the hero is named: the others come next.
[openers]
opener: C One {x.morning} morning, {h} {h.was} {s.where}. | One {x.morning} morning, {h} {h.was} {s.where}, and {s.sound}.
opener: C It was a {x.morning} day {s.where}. {h} went out to play. | It was a {x.morning} day {s.where}, and {h} could tell that anything might happen.
opener: C {h} woke up early {s.where}. | {h} woke up early {s.where}, and {s.sound}.
opener: C Once upon a time, {h} lived {s.where}. | Once upon a time, {h} lived {s.where}, where {s.sound} all day long.
opener: C Good morning, {h}! | Good morning, {h}! The sun was up, and {s.sound} {s.where}.
opener: C Today was a special day for {h}. | Today was going to be a very special day for {h}, {s.where}.
opener: C Look! Here {h.is} {h}, {s.where}. | Look closely, and you will find {h}, {s.where}, where {s.sound}.
opener: C {h} loved {s.name}. | {h} loved {s.name} more than anywhere else in the whole wide world.
opener: C Listen! {s.sound}. {h} woke up. | Listen! {s.sound}, and that meant a new day had begun for {h}.
opener: C {h} had a plan for the day. | {h} had a big plan for the day: to explore every corner {s.where}.
# What the moral follows on the last page.
lead: C {h} smiled. | And {h} learned something that {h.they} would always remember:
lead: C {h} knew it now. | That day, {h} found out something important:
lead: C What a day! | Looking back on the day, {h} understood:
# How a trait's page begins: getting somewhere new.
context: C {t} went on to {l}. | {t} walked on until {t.they} reached {l}.
context: C Next, {t} came to {l}. | A little later, {t} came to {l}, which looked different from everything before.
context: C {t} stopped at {l}. | When {t} got to {l}, {t.they} stopped for a moment to look around.
context: C On went {t}, to {l}. | On went {t}, past {l}, chattering as {t.they} went.

# How each trait shows: "key = what the picture shows".
[traits]
trait: kind = helping a small beetle
C {c} helped a beetle that was stuck. | {c} saw a beetle stuck on its back and gently turned it over, because {c} was always kind.
trait: gentle = holding a moth gently
C {c} let a moth rest on {c.their} hand. | {c} let a moth rest on {c.their} finger, as still and gentle as could be.
trait: loyal = waiting for a friend
C {c} stayed close to {p}. | When {p} fell behind, {c} waited, because good friends never leave anyone behind.
trait: generous = sharing the biggest apple
C {c} gave {p} the biggest apple. | {c} found two apples and gave the biggest one to {p} without even thinking about it.
trait: funny = pulling a funny face
C {c} pulled a funny face. Ha ha! | {c} pulled the silliest face anyone had ever seen, and soon everyone was giggling.
trait: shy = whispering a good idea
C {c} had an idea. {c.They} said it softly. | {c} did not say much, but when {c.they} finally whispered an idea, it was the best idea of the day.
trait: curious = looking closely at a strange stone
C "What is that?" asked {c}. | "What is that, and how did it get there?" asked {c}, who always wanted to know everything.
trait: clever = working out a puzzle
C {c} had a clever idea. | {c} tapped {c.their} chin, thought hard, and came up with a very clever plan.
trait: creative = drawing a map with a stick
C {c} drew a map with a stick. | {c} drew a wonderful map with a stick, with arrows, stars and a little smiling sun.
trait: dreamy = daydreaming and looking at the sky
C {c} looked at the sky and dreamed. | {c} gazed at the sky and dreamed up a whole kingdom of clouds, until {p} gently said hello.
trait: patient = waiting quietly
C {c} waited and waited. | {c} waited patiently, counting slowly, until it was exactly the right moment.
trait: organised = checking a list
C {c} checked {c.their} list. | {c} pulled out a neat little list and ticked off each thing, one by one.
trait: energetic = running and jumping
C {c} ran and jumped. Zoom! | {c} raced ahead, jumped over a log and ran all the way back, still full of beans.
trait: playful = playing follow-the-leader
C {c} made up a game. | {c} turned the whole walk into a game of follow-the-leader, with extra hops.
trait: calm = breathing slowly and calmly
C "Let's stay calm," said {c}. | "Let's all take a slow, deep breath," said {c} calmly, and everyone felt better at once.
trait: chatty = chatting while walking
C {c} talked and talked. | {c} chatted all the way, telling stories about everything from socks to shooting stars.
trait: messy = dropping a trail of crumbs
C {c} dropped crumbs all over. | {c} left a trail of crumbs behind {c.them}, which was messy, but it showed the way back.
trait: brave = bravely going first
C {c} went first. {c.They} {c.was} brave. | {c} took a deep breath and went first, because being brave means doing it even with a wobbly tummy.
trait: adventurous = climbing up to look ahead
C {c} climbed up to look ahead. | {c} scrambled up onto a high rock to see what lay over the next hill.
trait: determined = pushing on, step after step
C "We will not give up!" said {c}. | "We will not give up," said {c} firmly, and {c.they} kept going, step after step.
trait: cautious = testing the ground carefully
C "Take care!" said {c}. | "Careful, everyone," said {c}, testing the ground first to make sure it was safe.
trait: honest = telling the truth
C "I took the wrong turn," said {c}. | "I have to tell the truth," said {c}. "I took the wrong turn." Everyone smiled, because honesty is brave too.

[wanderings]
wander: crossing a stream on stepping stones | not in: space home school
C {t} came to a stream. | Soon {t} came to a chattering stream with no bridge at all.
C {c} found stepping stones. Hop, hop! | {c} spotted a row of stepping stones, and one by one they all hopped across.
wander: meeting {n}
C Along came {n}. | Near {l}, {t} met {n}, who wanted to know where {t.they} {t.was} going.
X "Can I come too?" asked {n}. | "May I come along?" asked {n}. "I know these parts very well."
C "Yes!" said {h}. | "Of course!" said {h}, and now there was one more friend on the team.
wander: sheltering from the rain under a big leaf | not in: space underwater home school
C Drip, drop! It began to rain. | Drip, drop, drip! Big, fat raindrops began to fall.
C {t} hid under a big leaf. | {t} sheltered under an enormous leaf and listened to the rain drumming like a tiny band.
wander: having a picnic
C {t} stopped for a snack. | By {l}, {t} stopped for a well-earned picnic.
C {c} shared the {f}. | {c} shared out the {f}, making sure everybody had exactly the same.
X Yum, yum! | They were the tastiest {f} in the whole world.
wander: singing a song together
C {c} sang a happy song. | To keep everyone cheerful, {c} made up a song about {s.name}.
X La, la, la! | Soon everyone was singing along, and the song echoed all around.
wander: chasing a hat blown by the wind | not in: space underwater home
C Whoosh! A big wind came. | Whoosh! A great gust of wind came rushing past.
C It took {p.s} hat! | It snatched {p.s} hat and whirled it up into the air.
C {c} caught it. Phew! | {c} leapt up and caught it, just in time.
wander: choosing between two paths | not in: space underwater home school
C The path split in two. | At {l}, the path split in two, one way sunny and one way shady.
C {c} chose the sunny way. | {c} thought carefully and chose the sunny way, and it was just right.
wander: splashing in a puddle | not in: space underwater
C {c} slipped in a puddle. Splash! | {c} slipped on a wet stone and landed right in a puddle. Splash!
C They all laughed, even {c}. | Everyone laughed, and {c} laughed loudest of all.
wander: looking at shapes in the clouds | not in: space underwater home school
C {t} looked up at the clouds. | {t} lay down for a moment and watched the clouds drifting by.
C One looked like {k}! | One cloud looked exactly like {k}, and another like a very surprised sheep.
wander: listening to a tip from {n}
C {n} gave {t.them} a tip. | {n} leaned in close and whispered a useful tip.
X "Look up, not down," said {n}. | "When you feel stuck, look up, not down," said {n}. "Answers like to hide up high."
wander: crossing a wobbly rope bridge | not in: space underwater home school
C Next was a wobbly bridge. | Next there was a rope bridge that wobbled and wiggled with every step.
C {c} held on tight. | {c} held on tight and said, "Slowly does it," until everyone was safely across.
wander: peeking at a tiny mouse | not in: space underwater
C {t} heard a noise! Rustle, rustle. | Suddenly, {t} heard a rustle, rustle from somewhere near {l}.
C It was only a tiny mouse. | It was only a tiny mouse, who squeaked hello and scurried away.
wander: counting {y}
C {c} counted the {y}. | {c} stopped to count the {y} nearby.
C One, two, three, four, five! | One, two, three, four, five {y}, all in a row.
wander: resting on a big flat stone
C {c} was tired. | After all that walking, {c} felt tired.
C {t} had a little rest. | So {t} rested on a big flat stone and listened while {s.sound}.
wander: giving a flower as a present | not in: space underwater
C {c} picked a flower for {p}. | {c} picked a little yellow flower and gave it to {p}.
C "Thank you," said {p}. | "Thank you," said {p}, and tucked it behind one ear.
wander: doing a happy dance
C {t} did a happy dance. | {t} did a happy, hoppy, wiggly dance right there at {l}.
X Hop, skip, jump! | Wiggle, wiggle, hop, and a twirl to finish!
wander: calling hello and hearing the echo
C "Hello!" called {c}. | "Hello-o-o!" called {c}, as loudly as {c.they} could.
C "Hello!" called the echo. | "Hello-o-o!" the echo called back, and everyone giggled.
wander: looking all around
C {t} looked all around. | {t} stopped to look around. {s.air}
X It was so pretty. | It was so beautiful that nobody said a word for a whole minute.

# Each tone's own middle pages, and how its story ends before the moral.
[funny]
tone: laughing at a joke
C "{j.q}" asked {c}.
C "{j.a}" said {p}.
X They all had the giggles. | Everyone giggled so much that {h} got the hiccups.
tone: making silly noises
C {c} made a silly noise. {x.sound} | {c} made the silliest noise you ever heard: {x.sound}
X They all laughed. | Everyone laughed until their tummies ached.
ending: giggling on the way home
C {t} giggled all the way home. | {t} giggled all the way home, and {c} did one last silly dance. {x.sound}

[bedtime]
tone: yawning as the sky grows dark
C {c} gave a big yawn. | {c} gave a big, slow yawn, and the sky turned soft and pink.
C Yawns are catching! | Then {p} yawned too, because yawns are catching.
tone: humming a soft lullaby
C {c} hummed a soft song. | {c} hummed a soft, sleepy tune, as gentle as a feather.
X Hush, hush. | Everything went quiet and still to listen.
ending: snuggled up in bed at home, at night, with the moon in the window
C That night, {t} snuggled into bed. | That night, {t} snuggled down under the warmest blankets, as the moon peeped in.
C Good night, {h}. Sleep tight. | Good night, {h}. Sleep tight, and dream of {s.name}.

[mysterious]
tone: following strange footprints
C {c} saw strange footprints. | Near {l}, {c} spotted a line of very strange footprints.
C Where did they go? | They went round and round in circles, and then simply stopped.
tone: hearing a whisper
C {t} heard a whisper: "This way." | {t} heard a tiny whisper, soft as a moth: "This way."
C But nobody was there. | But when {t.they} looked, nobody was there. Was it only the wind?
ending: walking home under a rising moon
C {t} went home, smiling. | {t} walked home under the rising moon, already wondering what tomorrow would bring.

[adventurous]
tone: racing to the top
C "Race you!" shouted {c}. | "Race you to the top!" shouted {c}, already running.
C {t} ran and ran. Zoom! | {t} ran so fast that the wind whistled in their ears.
tone: swinging across on a rope
C {c} swung on a rope. Whee! | {c} grabbed a dangling rope and swung across. Wheee!
C They all cheered. | Everyone followed, one after another, cheering all the way.
ending: looking out towards the next adventure
C What a day it was! | What an adventure it had been! {t} could hardly wait for the next one.

[gentle]
tone: smelling the flowers
C {t} smelled the flowers. | {t} stopped to smell the flowers, which smelled of honey and summer.
X Mmm!
tone: watching a ladybird
C A ladybird landed on {c}. | A tiny ladybird landed on {c.s} hand and walked all the way up to the wrist.
X It tickled! | It tickled, but {c} kept very still.
ending: walking home at sunset
C {t} went home, happy and warm. | As the sun went down, {t} walked home, happy and warm inside.

[heartwarming]
tone: sharing a big hug
C {c} gave {p} a big hug. | {c} gave {p} a big, warm hug, the kind that makes your toes feel cosy.
C "I'm glad you are here," said {p}.
tone: saying thank you
C {c} said thank you to {p}. | {c} turned to {p} and said thank you for being such a good friend.
X {p} smiled. | {p} smiled the widest smile.
ending: sharing one big hug
C {t} shared one big hug. | {t} shared one big hug, the warmest hug of all.

# Lines that give an older reader's page more colour, by the part of the story it tells.
[textures]
texture: middle
X {c} smiled at {p}. | {c} glanced at {p} and smiled, because everything is better with a friend.
X {s.sound}. | Somewhere nearby, {s.sound}, as if the whole place was listening.
X {p} giggled. | {p} gave a little giggle, which soon turned into a proper laugh.
X "What next?" said {c}. | "What do you think will happen next?" asked {c}, eyes wide.
X {c} took a deep breath. | {c} took a deep breath and felt ready for anything.
X {t} kept going. | {t} kept going, one foot after the other, chatting about everything and nothing.
X {p} looked up the path. | {p} pointed ahead, where something interesting seemed to be waiting.
X {c} felt happy. | {c} felt a warm, fizzy feeling, the kind that comes before something wonderful.
X "This is fun!" said {p}. | "I am so glad we came," said {p}, and meant every word.
X {c} hummed a tune. | {c} hummed a little tune that nobody had ever heard before.
X {t} looked around. | {t} looked around, noticing every colour and every shape.
X {p} held on to {c.s} hand. | {p} reached for {c.s} hand, and they walked side by side.
X {c} stood still to hear. | {c} stood very still and listened, trying to hear the smallest sound.
X What a day it was! | It was turning into the most surprising day anyone could remember.
texture: inciting
X "Oh my!" said {p}. | "Oh my goodness," whispered {p}. "What shall we do?"
X {c} thought hard. | {c} frowned and thought hard, because this was a problem that needed solving.
X {p} nodded. | {p} nodded firmly, and that settled it.
X There was no time to lose! | There was not a moment to lose, so nobody wasted one.
texture: climax
X They all held their breath. | For a moment, nobody dared to breathe.
X Thump, thump went {c.s} heart. | {c.s} heart was going thump, thump, thump like a drum.
X {p} watched, eyes wide. | {p} watched with enormous eyes, hardly daring to look.
X This was it! | This was the moment they had been waiting for all day.
texture: resolution
X {p} clapped. | {p} clapped so hard that {p.their} hands tingled.
X They all smiled. | Everyone was smiling from ear to ear, and nobody could stop.
X "We did it!" said {c}. | "We really did it!" said {c}, still hardly believing it.
X What a feeling! | It was the best feeling in the world, better even than birthday cake.
texture: ending
X The stars came out. | One by one, the first stars came out to say good night.
X {s.sound}. | Far away, {s.sound}, softer and softer.
X {c} yawned. | {c} gave a happy, tired yawn.
X It had been a good day. | It had been a very good day indeed, and everybody knew it.
"""

_BLOCKS = blocks_parse(_TEXT)
_SHARED = _BLOCKS["openers"].fields


def _pairs(name: str) -> tuple[tuple[str, str], ...]:
    return tuple((line.simple, line.rich) for line in map(line_parse, _SHARED[name]))


OPENERS = _pairs("opener")
MORAL_LEADS = _pairs("lead")
TRAIT_CONTEXTS = _pairs("context")
TRAIT_BEATS: dict[str, Beat] = {}
for _beat in _BLOCKS["traits"].beats:
    _key, _, _doing = _beat.doing.partition(" = ")
    TRAIT_BEATS[_key] = Beat(_doing, _beat.lines, kind="trait")
WANDERINGS = _BLOCKS["wanderings"].beats
TONE_BEATS = {
    tone: _BLOCKS[tone].beats_of("tone")
    for tone in ("funny", "bedtime", "mysterious", "adventurous", "gentle", "heartwarming")
}
ENDINGS = {tone: _BLOCKS[tone].beat("ending") for tone in TONE_BEATS}
TONE_BEATS["silly"], ENDINGS["silly"] = TONE_BEATS["funny"], ENDINGS["funny"]
TEXTURES = {beat.doing: beat.lines for beat in _BLOCKS["textures"].beats}

# What there is to count in each place.
COUNTABLES = {"underwater": "little fish", "space": "shooting stars", "seaside": "shells", "snow": "snowflakes"}


def trait_beat(trait: str, context: int = 0) -> Beat | None:
    """The page a trait ("brave") gives its character: getting somewhere, then the trait in action."""
    beat = TRAIT_BEATS.get(trait)
    if beat is None:
        return None
    simple, rich = TRAIT_CONTEXTS[context % len(TRAIT_CONTEXTS)]
    return Beat(beat.doing, (Line(True, simple, rich), *beat.lines), kind="trait")
