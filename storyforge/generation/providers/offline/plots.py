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

from storyforge.generation.providers.base import StoryBrief
from storyforge.generation.providers.offline.beats import Beat, Line, blocks_parse, line_parse

_TEXT = """
[quest]
title: {h} and {g.name}
title: The Quest for {g.name}
title: The Search for {g.name}
title: {h} Finds {g.name}
summary: {t} found {g.name} {s.where}.
moral: Working together makes every journey easier.
moral: The best treasure is a friend by your side.
moral: Small steps can take you a long way.
refrain: On we go, go, go!
reminder: X But where was {g.name}? | But there was still no sign of {g.name}, so {t} kept going.
goal: the Golden Acorn | the acorn
goal: the Moon Pearl | the pearl
goal: the Rainbow Feather | the feather
goal: the Singing Shell | the shell
goal: the Star Key | the key
goal: the Wishing Stone | the stone
goal: the Silver Bell | the bell
goal: the Giant Strawberry | the strawberry
goal: the Crystal Crown | the crown
goal: the Sunshine Seed | the seed
goal: the Dragon Kite | the kite
goal: the Honey Jar of Bumble Hill | the honey jar
inciting: looking at an old map together
C Then {h} found an old map. | Then, tucked under a {x.adj} stone, {h} found a crinkled old map.
C It showed the way to {g.name}! | In faded ink, it showed the secret way to {g.name}, which nobody had seen for a hundred years.
X "Let's find it!" said {p}. | "We simply have to find it," whispered {p}, eyes shining.
X Off {t.they} went. | So {t} packed a snack and a ball of string, and set off at once.
middle: reading a riddle on a little gate
C {t} came to a gate with a riddle. | At {l}, {t} came to a little gate with a riddle carved in it.
X It said, "What has hands but cannot clap?" | The riddle said: "What has hands but cannot clap?"
C "A clock!" said {c}. The gate opened. | {c} thought hard, then grinned. "A clock!" At once the gate swung open with a happy creak.
middle: following the map
C The map said: go past {l}. | The map pointed past {l}, where the path twisted like a ribbon.
X {h} counted the steps. One, two, three! | {h} counted every step out loud, and {p} marked each turn with a pebble so nobody got lost.
C {g.short} was close now. | With every step, {t} felt that {g.short} was getting closer.
middle: climbing a steep hill | needs: hills
C Next came a big, steep hill. | Next came a hill so steep that it seemed to touch the sky.
C Up, up, up {t.they} climbed. | Up, up, up {t} climbed, puffing and panting, until {t.they} reached the very top.
X What a view! | From up there, {t.they} could see all of {s.name} spread out like a patchwork quilt.
climax: finding {g.name}
C And there it was: {g.name}! | And there, glowing softly at {l}, was {g.name} at last!
X But it was up too high. | But it sat on a ledge far too high for anyone to reach alone.
C {p} gave {h} a boost. Up, up! | So {p} gave {h} a boost, and {h} reached up, up, up, until {h.they} could reach it at last.
resolution: cheering and holding up {g.name}
C {h} held {g.short} up high. Hip, hip, hooray! | {h} lifted {g.short} high above {h.their} head, and it sparkled.
X They all cheered. | {t} cheered so loudly that the whole of {s.name} seemed to cheer along.

[lost-and-found]
title: {o} and the Lost {g.bare}
title: Where Is the {g.bare}?
title: The Great {g.bare} Hunt
title: {o.s} Missing {g.bare}
summary: {t} found {o.s} lost {g.bare} {s.where}.
moral: Good friends help you look, and that makes everything easier.
moral: Never give up on the things you love.
moral: Keep looking and you will often find what you need.
refrain: Where is it, where?
reminder: X Still no {g.bare}. | There was still no sign of the {g.bare}, but nobody gave up.
goal: red kite | the kite
goal: lucky sock | the sock
goal: blue balloon | the balloon
goal: toy boat | the boat
goal: favourite hat | the hat
goal: shiny marble | the marble
goal: storybook | the book
goal: spotty ball | the ball
goal: music box | the music box
goal: woolly scarf | the scarf
goal: toy rocket | the rocket
goal: teddy bear | Teddy
inciting: looking for {o.s} lost {g.bare}
C Oh no! {o.s} {g.bare} was gone! | But then {o} gasped. {o.Their} {g.bare} was gone!
X "Where is it?" said {o}. | "I had it just a moment ago," said {o}, looking all around.
C {t} went to look for it. | {t} promised to search every corner until it was found.
middle: searching {l}
C {t} looked at {l}. | {t} searched {l} from top to bottom.
C No {g.bare} there. | {t.They} found <a feather/a button/a bottle top> and <a very surprised/a sleepy/a grumpy> {z}, but no {g.bare}.
middle: pulling something out of a bush | needs: trees
C {c} saw a shape in a bush! | {c} spotted something poking out of a bush and gave a shout.
C But it was just a leaf. | But it was only a crumpled leaf, and everyone laughed.
middle: talking to {n}
C {n} had seen it! | Then {n} hurried up, quite out of breath. {n.They} had seen it!
X "It went that way," said {n}. | "It went that way, towards {l}," said {n}, pointing.
C {t} ran that way. | {t} said thank you and hurried on.
climax: finding the lost {g.bare}
C There it was, at {l}! | And there, caught at {l}, was {o.s} {g.bare}!
X It was a bit dusty. | It was a little dusty and a little squashed, but it was safe.
resolution: hugging the {g.bare}
C {o} hugged {g.short}. Found! | {o} hugged {g.short} tight and promised never to lose it again.
X They all felt glad. | Everyone cheered, and {p} cheered loudest of all.

[new-friend]
title: {h} Meets {g}
title: A New Friend for {h}
title: Hello, {g}!
title: {h} and {g.desc}
summary: {t} made friends with {g.desc} {s.where}.
moral: A friendly hello can change someone's whole day.
moral: There is always room for one more friend.
moral: Being kind to someone new makes everyone happier.
refrain: Hi, new friend, hi!
reminder: X {g} watched and smiled. | {g} watched from a little way off, smiling a small, hopeful smile.
goal: Hazel | hedgehog | she/her
goal: Otto | otter | he/him
goal: Nimbus | little comet | it/its
goal: Bruno | bear cub | he/him
goal: Tilly | tortoise | she/her
goal: Zed | small robot | it/its
goal: Luna | moth | she/her
goal: Amara | new girl | she/her
goal: Sami | new boy | he/him
goal: Gus | goat | he/him
goal: Pebble | penguin | she/her
goal: Fern | fox cub | they/them
inciting: meeting {g.desc}
C Then {t} saw someone new. | Then {t} noticed someone new sitting all alone by {l}.
C It was {g.a_desc}. | It was {g.a_desc}, who had only just arrived.
X {g.They} looked a little sad. | {g.They} looked shy, and a little bit lonely.
middle: waving hello to {g.desc}
C {h} waved. {g} hid. | {h} waved a friendly wave, but {g} was so shy that {g.they} hid.
C "Hello," said {h} softly. | "It's all right," said {h} softly. "Would you like to play?"
middle: sharing a snack with {g.desc}
C {p} shared {p.their} {f}. | {p} opened a bag and shared {p.their} {f} with {g}.
C {g} smiled a tiny smile. | {g} took one, and for the first time, {g.they} smiled.
middle: playing hide and seek with {g.desc}
C {t} played hide and seek with {g}. | {t} taught {g} a game of hide and seek around {l}.
C {g} was very good at it! | It turned out that {g} was the best hider of all, and everyone laughed.
climax: following {g.desc} along a secret path
C Then {g} showed {t.them} a secret. | Then {g} showed {t} a secret that only {g.they} knew about.
C It was a hidden path to {l}! | It was a hidden path that led all the way to {l}, sparkling in the light.
resolution: smiling with {g.desc}
C Now {g} had a friend. | Now {g} did not feel new at all. {g.They} had friends.
X {g} was so glad. | {g} laughed the happiest laugh, and {t} laughed too.

# A fear goal pairs the fear with the brave trick that beats it.
[facing-a-fear]
title: {a} and {g.fear}
title: Brave {a} and {g.fear}
title: {a} Faces {g.fear}
title: Who Is Afraid of {g.fear}?
summary: {t} faced {g.fear}{t.together} {s.where}, and {a} was brave.
moral: Being brave means trying even when you feel scared.
moral: Scary things feel smaller when you face them with a friend.
moral: It is okay to be scared, and brave hearts try anyway.
refrain: Be brave, be brave!
reminder: X {a} thought about {g.fear}. | Every now and then, {a} thought about {g.fear}, but a little less each time.
goal: the dark | sang a brave little song
goal: thunder | counted slowly to ten
goal: the big waves | took three big, deep breaths
goal: the tall slide | hummed a happy tune
goal: the creaky stairs | made a brave face
goal: the wobbly bridge | whispered, "I can do it"
goal: deep water | thought of something funny
goal: the big dog next door | squeezed a lucky pebble
goal: loud fireworks | pretended to be a lion
goal: the buzzing bees | gave a big, brave roar
goal: the tall ladder | thought of a happy place
goal: the shadows on the wall | wiggled every single toe
inciting: looking worried about {g.fear}
C But {a} was scared of {g.fear}. | But there was one thing {a} did not like at all: {g.fear}.
X "I don't want to," said {a}. | "I don't want to," said {a} in a very small voice.
X {p} sat close to {a}. | {p} sat down beside {a} and held {a.their} {a.hand}.
middle: talking quietly together
C "We all get scared," said {p}. | "Everyone feels scared sometimes," said {p}. "Even me."
X {a} felt a bit better. | {a} was surprised, and felt a tiny bit better.
middle: taking one small step
C {a} took one small step. | At {l}, {a} took one small step, and then another.
C That was not so bad! | It was not so bad, and {a} felt a little taller inside.
middle: learning a brave trick from {n}
C {n} had a brave trick. | {n} knew a brave trick and was happy to share it.
C {n} {g.trick}. | Whenever {n.they} felt scared, {n} {g.trick}.
X "Try it," said {n}. | "Try it next time," said {n}. "It works every time."
climax: facing {g.fear} bravely
C {a} {g.trick}. | {a} remembered the trick and {g.trick}.
C Then {a} faced {g.fear}. | Then, with {p} close by, {a} faced {g.fear}, bravely and all the way.
resolution: smiling proudly
C It was not so scary after all! | And do you know what? {g.fear} was not nearly as scary as {a} had thought.
X {a} felt so proud. | {a} felt as tall as a tree and as proud as a lion.

[helping]
title: {h} to the Rescue
title: {h} Helps {g.who}
title: A Helping Hand for {g.short}
title: {h} and {g.who}
summary: {t} helped {g.who} who {g.problem} {s.where}.
moral: Helping others makes your own heart feel bigger.
moral: Even small hands can do big, kind things.
moral: When someone needs help, be the one who helps.
refrain: Yes, we can help!
reminder: X {g.short} was waiting for them. | All the while, {t} thought about {g.short}, who was waiting for help.
goal: a baby bird | the baby bird | had fallen out of its nest | lifted the baby bird back into its nest | it
goal: a little snail | the snail | was too slow to get home | carried the snail home in a teacup | it
goal: an old tortoise | the tortoise | had lost her glasses | found the tortoise's glasses | she
goal: a lost duckling | the duckling | could not find its mother | led the duckling back to its mother | it
goal: a tired bee | the bee | was too tired to fly home | gave the bee a drop of sweet water | it
goal: a small star | the star | had fallen out of the sky | sent the star back up on a balloon | it
goal: a hungry hedgehog | the hedgehog | could not find any breakfast | shared a picnic with the hedgehog | he
goal: a sleepy bat | the bat | could not find a place to sleep | made the bat a cosy bed in an old boot | she
goal: a little kite | the kite | had lost its string | tied the little kite a new string | it
goal: a hot penguin | the penguin | was far too warm | built the penguin a little house of ice | he
goal: a gentle giant | the giant | had a kite stuck up a tree | set the giant's kite free | he
goal: an old owl | the owl | had lost her voice | made the owl a cup of warm honey milk | she
inciting: finding {g.who} who needed help
C Then {t} heard a small cry. | Then, close to {l}, {t} heard a tiny, sad little cry.
C It was {g.who}. {g.It} {g.problem}. | It came from {g.who} who {g.problem}.
X "{t.We} can help!" said {h}. | "Don't worry," said {h} gently. "{t.We} will help you."
middle: making a plan
C {t} made a plan. | {t} sat down at {l} and made a careful plan.
X {c} had a good idea. | {c} had the best idea of all, and everyone listened.
middle: gathering what they needed
C {t} found what {t.they} needed. | {t} searched {l} for everything {t.they} needed.
X A ribbon, a string and a stick! | There was a ribbon, a ball of string and a very long stick.
middle: carrying {g.short} carefully
C {c} held {g.short} with care. | {c} carried {g.short} as gently as a soap bubble.
X "Nearly there," said {p}. | "Nearly there," said {p}, step by careful step.
climax: helping {g.short}
C {t} {g.fix}. | At last, {t} {g.fix}.
X It worked! | It worked perfectly, just as they had planned.
resolution: waving goodbye to {g.short}
C {g.short} was so happy. | {g.short} was so happy that {g.it} did a little dance.
C "Thank you!" said {g.short}. | "Thank you, thank you!" said {g.short}.

[mystery]
title: The Mystery of {g.thing}
title: {h} and {g.thing}
title: The Case of {g.thing}
title: The Secret of {g.thing}
summary: {t} solved the mystery of {g.thing} {s.where}.
moral: Sharp eyes and kind hearts can solve any mystery.
moral: Most mysteries have a friendly answer if you look closely.
moral: Patience and teamwork can solve any puzzle.
refrain: Who was it, who?
reminder: X Who could it be? | Who could it possibly be? {t} kept wondering.
goal: the missing strawberries | someone had been eating the strawberries | tiny footprints | red juice | a prickle | a hungry hedgehog | munching the very last strawberry
goal: the dusty footprints | dusty footprints went all over the floor | a wet patch | a chewed slipper | a wagging shadow | a playful puppy | rolling happily in a puddle
goal: the midnight music | music played every night, and nobody could find out who played it | a tiny bow | a broken string | a happy chirp | a cricket | playing a tiny fiddle
goal: the vanishing socks | socks kept vanishing from the washing line | a black feather | a bit of wool | a shiny button | a magpie | building a cosy nest of socks
goal: the glowing lights | little lights glowed in the dark, then vanished | a faint glow on a leaf | a glowing speck | a soft buzz | a family of fireflies | dancing in the dark
goal: the missing cake | half of the birthday cake had vanished | white crumbs | a sticky feather | a happy honk | a greedy goose | with icing all over its face
goal: the tapping sound | something went tap, tap, tap all day long | wood chips | a red feather | a round hole | a woodpecker | making a new front door
goal: the rolling apples | the apples kept rolling away | nibbled cores | a bushy hair | tiny footprints | a squirrel | rolling apples home for the winter
goal: the humming hedge | the hedge hummed all by itself | yellow dust | a sticky drip | a buzzing sound | a family of bees | making golden honey
goal: the flying letters | letters kept flying out of the postbox | a gust of air | a paper scrap | a swirl of dust | the cheeky wind | playing with the paper
goal: the missing carrots | every carrot in the basket had vanished | carrot tops | long ear marks | a happy thump | a rabbit | crunching the very last carrot
goal: the moving toys | the toys were never where they had been left | tiny footprints | a whisker | a ball of fluff | a kitten | playing with the toys at night
inciting: discovering a mystery
C Then a strange thing was found. | Something very strange was going on {s.where}.
C {g.event}! | {g.event}, and nobody knew why.
X "A mystery!" said {c}. | "This is a mystery," said {c} slowly. "And {t.we} are going to solve it."
middle: finding a clue
C {c} found a clue: {g.clue1}. | At {l}, {c} found the first clue: {g.clue1}.
X "Hmm," said {p}. | "Interesting," said {p}, and drew it in a little notebook.
middle: looking closely at a second clue
C Then {c} found {g.clue2}. | The second clue was near {l}: {g.clue2}.
X {t} took a close look. | {t} looked at it very closely, frowning and thinking.
middle: finding the last clue
C The last clue was {g.clue3}. | The last clue was the strangest of all: {g.clue3}.
C "I know!" said {c}. | "I think I know who it is," said {c}.
climax: hiding and watching quietly
C {t} hid and waited. | That evening, {t} hid near {l} and waited, as quiet as mice.
C It was {g.culprit}, {g.reveal}! | And then, who should appear but {g.culprit}, {g.reveal}!
resolution: laughing with {g.culprit}
C Now they knew! | The mystery was solved at last!
X They all laughed and laughed. | {t} laughed and laughed, and {g.the_culprit} looked a little embarrassed.
"""


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
