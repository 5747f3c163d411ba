"""The world of one offline story: who is in it, where it happens, what they are
after, and the names its templates are filled with ({h}, {t}, {g}...).

The seed decides everything here. Its last digit turns the plot wheel and picks the
opening line, the next ones pick the goal and the title, and `random.Random(seed)`
makes every other choice, so the same brief and seed always make the same world.
"""

from __future__ import annotations

import random
import re
from types import SimpleNamespace

from storyforge.generation.providers.base import StoryBrief
from storyforge.generation.providers.offline import episodes
from storyforge.generation.providers.offline.bodies import BODY_WORDS, body_for
from storyforge.generation.providers.offline.cast import Group, Person, calls_shorten, person_from_sheet
from storyforge.generation.providers.offline.lessons import LESSONS, Lesson, lesson_match, lesson_of_own_words
from storyforge.generation.providers.offline.phrases import (
    CLOUD_SHAPES,
    FOODS,
    HELPER_NAMES,
    JOKES,
    SHORT_HELPER_NAMES,
    tone_for,
)
from storyforge.generation.providers.offline.places import KINDS, place_for_setting
from storyforge.generation.providers.offline.plots import WHEEL_SIZE, Plot, plot_choose


class StoryWorld:
    """Who, where and what one story is about: its people, helper, place, goal and
    tone, and the names its templates are filled with. The seed decides them all."""

    def __init__(self, brief: StoryBrief, young: bool):
        self.brief = brief
        self.young = young
        self.rng = random.Random(brief.seed)
        self.plot: Plot = plot_choose(brief)
        digits = brief.seed // WHEEL_SIZE
        self.goal_index, self.title_index = digits % 12, (digits // 12) % 4
        self.opener = episodes.OPENERS[brief.seed % WHEEL_SIZE]

        self.people = [person_from_sheet(sheet) for sheet in brief.characters] or [Person("Sam", "they/them")]
        self.people.sort(key=lambda person: not person.main)  # mains first, otherwise in the brief's order
        self.hero = self.people[0]
        self.hero_full = Person(self.hero.name, self.hero.pronouns, self.hero.noun)  # the opening's first mention
        calls_shorten(self.people)
        self.team = Group(self.people)
        many = {2: "two", 3: "three", 4: "four"}.get(len(self.people), "")
        # After its first mention, the whole group is "the three of them", or for young
        # listeners, whose pages must stay short, "the three friends"; a family is not
        # called friends ("Mia and Leo", sister and brother, are "the two of them").
        family = re.search(_FAMILY, " ".join(brief.relationships), re.IGNORECASE)
        self.team_alias = f"the {many} friends" if self.young and not family else f"the {many} of them"
        sheets = sorted(brief.characters, key=lambda sheet: sheet.role == "supporting")
        self.sheets = {id(person): sheet for person, sheet in zip(self.people, sheets, strict=False)}
        self.traits = {
            id(person): [t.strip() for t in sheet.traits if t.strip()]
            for person, sheet in zip(self.people, sheets, strict=False)
        }
        self.place = place_for_setting(brief.setting, self.rng.randrange(len(KINDS)))
        # A sound told beside a name must not lend that character a body part ("a toucan
        # clacked its beak" next to Mia reads as Mia's beak to a quick reader).
        plain = [sound for sound in self.place.sounds if not re.search(rf"\b(?:{'|'.join(BODY_WORDS)})\b", sound)]
        self.place_sounds = plain or list(self.place.sounds)
        self.landmarks = list(self.place.landmarks)
        self.rng.shuffle(self.landmarks)
        self.helper = self._helper_make()
        tone = tone_for(brief.tone)
        self.tone_key = brief.tone if brief.tone in episodes.ENDINGS else "gentle"
        self.ns = {
            "h": self.hero,
            "t": self.team,
            "n": self.helper,
            "s": SimpleNamespace(
                name=self.place.name,
                where=self.place.where,
                sound=self.rng.choice(self.place_sounds),
                air=self.place.air,
                light=self.rng.choice(self.place.light),
                weather=self.rng.choice(self.place.weather),
            ),
            "x": SimpleNamespace(
                sound=self.rng.choice(tone.sounds),
                adj=self.rng.choice(tone.adjectives),
                morning=self.rng.choice(tone.mornings),
            ),
            "f": self.rng.choice(self.place.foods + FOODS[:2]),
            "k": self.rng.choice(CLOUD_SHAPES),
            "j": SimpleNamespace(**dict(zip(("q", "a"), self.rng.choice(JOKES), strict=True))),
            "y": self.place.count,
            "z": self.rng.choice([a for a in self.place.animals if a != self.helper.noun] or self.place.animals),
            "a": self.hero,
            "o": self.hero,
            "b0": self.rng.choice(("Grandma", "Grandpa", "the baby", "a friend at home", "Auntie Jo")),
        }
        finds = self.rng.sample(self.place.finds, 2)
        self.ns["i"], self.ns["i2"] = _thing(finds[0]), finds[1]
        self.ns["m"] = _thing(self.rng.choice(self.place.made))
        self.sounds = tone.sounds
        self._goal_make()
        moral = " ".join(brief.moral.split())
        self.lesson: Lesson = (
            (lesson_match(moral) or lesson_of_own_words(moral)) if moral else self.rng.choice(list(LESSONS.values()))
        )
        self.moral = moral or self.rng.choice(self.lesson.morals)

    def _helper_make(self) -> Person:
        creature = self.rng.choice(self.place.animals)
        names = SHORT_HELPER_NAMES if self.young else HELPER_NAMES
        taken = {person.name for person in self.people}
        name = self.rng.choice([name for name in names if name not in taken])
        pronouns = self.rng.choice(("she/her", "he/him"))
        helper = Person(f"\x01{name}\x02", pronouns, creature, body=body_for("helper", creature))
        adjective = self.rng.choice(("little", "friendly", "cheerful"))
        self.helper_intro = f"{'an' if adjective[0] in 'aeiou' else 'a'} {adjective} {creature} called {name}"
        self._helper_mention = re.compile(f"\x01{re.escape(name)}\x02(?: the {re.escape(creature)})?")
        self.helper_desc = f"{name} the {creature}"
        self.helper_kind = creature
        return helper

    def _goal_make(self) -> None:
        raw = self.plot.goals[self.goal_index]
        key = self.plot.key
        if key == "quest":
            goal = SimpleNamespace(name=raw[0], short=raw[1])
        elif key == "lost-and-found":
            goal = SimpleNamespace(bare=raw[0], short=raw[1])
            self.ns["o"] = self.rng.choice([person for person in self.people[:2] if person.main] or [self.hero])
        elif key == "new-friend":
            # The new friend is another kind of animal than the helper met on the way, so
            # "a bear called Toffee" and "a bear called Otto" are never two of one book.
            others = [animal for animal in self.place.animals if animal != self.helper_kind] or self.place.animals
            species = raw[1] if raw[1] in ("new girl", "new boy") else self.rng.choice(others)
            goal = Person(raw[0], raw[2], species, body=body_for("helper", species))
            goal.words["a_desc"] = f"{'an' if species[0] in 'aeiou' else 'a'} {species} called {raw[0]}"
        elif key == "facing-a-fear":
            afraid, fear = self._fear_find()
            goal = SimpleNamespace(fear=fear or raw[0], trick=raw[1])
            self.ns["a"] = afraid
        elif key == "helping":
            who, short, problem, fix, it = self._helping_of_the_place()
            goal = SimpleNamespace(who=who, short=short, problem=problem, fix=fix, it=it, It=it.capitalize())
        else:
            thing, event, clue1, clue2, clue3, culprit, reveal = self._mystery_of_the_place(raw)
            the_culprit = re.sub(r"^(a|an) ", "the ", culprit)
            goal = SimpleNamespace(
                thing=thing, event=event, clue1=clue1, clue2=clue2, clue3=clue3, culprit=culprit, reveal=reveal,
                the_culprit=the_culprit,
            )  # fmt: skip
        self.ns["g"] = goal

    def _mystery_of_the_place(self, raw: tuple[str, ...]) -> tuple[str, ...]:
        """The seed's mystery, solved by a creature that lives in the story's place: a
        hedgehog eating strawberries is no answer on a beach, where a crab may be. A
        mystery whose answer is the place's weather or insects ("the cheeky wind", "a
        family of bees") is swapped for the next one that fits; one solved by an animal
        keeps its clues and takes one of the place's animals, with its own adjective."""
        goals = self.plot.goals[self.goal_index :] + self.plot.goals[: self.goal_index]
        for goal in goals:
            culprit = goal[5]
            if culprit.startswith("the "):  # "the cheeky wind"
                if "wind" in self.place.has:
                    return goal
                continue
            if culprit.startswith("a family of "):  # fireflies, bees
                if "bugs" in self.place.has:
                    return goal
                continue
            *adjectives, species = culprit.split()[1:]
            if _lives_in(species, self.place.animals):
                return goal
            animal = self.rng.choice(self.place.animals)
            words = " ".join([*adjectives, animal])
            return (*goal[:5], f"{'an' if words[0] in 'aeiou' else 'a'} {words}", goal[6])
        return raw

    def _helping_of_the_place(self) -> tuple[str, ...]:
        """The seed's one in need of help, or the next that belongs in the story's place
        (a baby bird needs trees for its nest, a kite wind): no hedgehog far out in
        space. Where none belongs (under the sea), one of the place's own animals has
        lost its way home."""
        goals = self.plot.goals[self.goal_index :] + self.plot.goals[: self.goal_index]
        for goal in goals:
            species = goal[1].split()[-1]
            needs = _HELPING_NEEDS.get(species, ())
            if _lives_in(species, self.place.animals) or any(need in self.place.has for need in needs):
                return goal
        animal = self.rng.choice(self.place.animals)
        return (
            f"a little {animal}",
            f"the {animal}",
            "could not find the way home",
            f"showed the {animal} the way home",
            "it",
        )

    def _fear_find(self) -> tuple[Person, str]:
        """The main character afraid of something, and of what; else the shyest main
        character or the hero. Supporting characters never take the story over."""
        mains = [person for person in self.people if person.main]
        for person in mains:
            for trait in self.traits.get(id(person), ()):
                match = re.match(r"(?:afraid|scared|frightened) of (.+)", trait.strip().lower())
                if match:
                    return person, match[1].rstrip(".")
        for person in mains:
            if {"shy", "cautious"} & self._traits(person):
                return person, ""
        return self.hero, ""

    def _traits(self, person: Person) -> set[str]:
        return {trait.lower() for trait in self.traits.get(id(person), ())}


# What a place must have for one of the helping plot's creatures to be there, unless
# it is one of the place's own animals: a baby bird's nest is in a tree.
_HELPING_NEEDS = {
    "bird": ("trees",), "snail": ("grass", "flowers"), "tortoise": ("grass", "hot"), "duckling": ("stream",),
    "bee": ("flowers",), "star": ("sky", "stars"), "hedgehog": ("leaves",), "bat": ("trees",), "kite": ("wind",),
    "penguin": ("cold",), "giant": ("trees",), "owl": ("trees",),
}  # fmt: skip
# Relationship words that make a group a family rather than friends.
_FAMILY = r"\b(?:sibling|sister|brother|twin|cousin|parent|mother|father|mum|mom|dad|grand\w*|aunt|uncle)s?\b"
# Young animals that live wherever their grown-ups do.
_YOUNG_OF = {"puppy": "dog", "kitten": "cat", "chick": "hen", "duckling": "duck"}


def _lives_in(species: str, animals: tuple[str, ...]) -> bool:
    """Whether a creature ("hedgehog", "puppy") is one of a place's `animals` ("dog",
    "city fox"): by its own name or, for a young one, its grown-ups'."""
    names = {species, _YOUNG_OF.get(species, species)}
    return any(animal.split()[-1] in names for animal in animals)


def _thing(text: str) -> SimpleNamespace:
    """A thing found or made, as templates name it: {i.a} "a pine cone", {i.the}, {i.bare}."""
    bare = re.sub(r"^(?:a|an|the) ", "", text)
    return SimpleNamespace(a=text, the=f"the {bare}", bare=bare)
