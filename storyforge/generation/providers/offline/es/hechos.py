"""Lo que el cuento cuenta de cada personaje: the Spanish book's facts about its cast,
told inside the story, never by a narrator's aside ("Todo el mundo lo sabía: ...").

A trait is shown in something the character does ("Mia, valiente y curiosa, fue por
delante"), a like comes up in what they say, a backstory is told aloud by a pal or
remembered, a relationship shows in what the two of them do. The family types likes
and backstories in their own words, often in English even for a Spanish book: words
that read as Spanish are woven into the sentence ("—A mí me encantan las pozas y las
tortitas —dijo Mia."); any other words are never bent into Spanish grammar but quoted
whole, exactly as written, once, as the character's own words or their card's.
The wordings are in hechos.txt.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from storyforge.generation.providers.base import StoryBrief
from storyforge.generation.providers.offline.cast import relationship_pair
from storyforge.generation.providers.offline.es.palabras import (
    NOTES,
    RELATIONS,
    TRAITS,
    fear_of,
    is_plural,
    is_spanish,
    join,
)
from storyforge.generation.providers.offline.facts import likes_of

_CHOICE = re.compile(r"<([^<>]*)>")
_GENDER = re.compile(r"\[([^\[\]|]*)\|([^\[\]|]*)(?:\|([^\[\]|]*))?\]")
OTHER = "\x01"  # the place's other creature, named by the teller's last pass


def _hechos() -> dict[str, list[str]]:
    hechos: dict[str, list[str]] = {}
    for line in (Path(__file__).parent / "hechos.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition(": ")
            hechos.setdefault(name.strip(), []).append(value.strip())
    return hechos


HECHOS = _hechos()


class Teller:
    """Tells one book's facts: its wordings are drawn so that one book does not use the
    same wording twice, and each is filled for the character it is about."""

    def __init__(self, people: list, rng: random.Random, sitios: list[str], sonidos: tuple[str, ...]):
        self.people, self.rng, self.sitios, self.sonidos = people, rng, sitios, sonidos
        self.used: set[str] = set()

    def facts(self) -> list[str]:
        """Each character's traits, fears and other traits, likes and backstory."""
        found = []
        for person in self.people:
            found += [self._traits(person), *self._others(person), self._likes(person), self._backstory(person)]
        return [fact for fact in found if fact]

    def relations(self, brief: StoryBrief) -> list[str]:
        """How the characters are related, shown in what they do: "Mia esperó a Leo, su
        hermano pequeño"."""
        by_name = {person.name: person for person in self.people}
        said = []
        for sentence in brief.relationships[:2]:
            pair = relationship_pair(sentence)
            if not pair or pair[0] not in by_name or pair[1] not in by_name:
                continue
            a, b = by_name[pair[0]], by_name[pair[1]]
            kind = sentence.split("'s ", 1)[-1].lower()
            relation = next((forms for word, forms in RELATIONS.items() if word in kind), None)
            if relation is None:
                continue
            values = {"a": a.name, "b": b.name}
            if a.gender == "n":
                said.append(self._told("relacion_n", a, values | {"eran": relation[2]}))
                continue
            noun = relation[0] if a.gender == "m" else relation[1]
            note = next((forms for word, forms in NOTES.items() if re.search(rf"\b{word}\b", kind)), None)
            noun += f" {note[0] if a.gender == 'm' else note[1]}" if note else ""
            article = "la" if noun.startswith("mascota") or a.gender == "f" else "el"
            said.append(self._told("relacion", a, values | {"rel": f"{article} {noun}", "surel": f"su {noun}"}))
        return said

    def _traits(self, person) -> str:
        keys = [t.lower() for t in person.sheet.traits if t.lower() in TRAITS]
        adjectives = person.traits()
        if not adjectives:
            return ""
        acts = [act for key in keys for act in HECHOS.get(f"acto.{key}", ())] or HECHOS["acto.otro"]
        act = self.rng.choice(acts)
        helper = self._pal(person)
        done = self._fill(act, person, {"p": helper})
        values = {"t": adjectives, "acto": done, "acto_cap": done[0].upper() + done[1:]}
        if "{p}" in act:  # someone else watches or speaks: "Mia sonrió al ver que Pip ayudó a Leo"
            values["p"] = self._pal(person, helper) or ""
        if person.gender != "n":
            values["adj"] = adjectives
        return self._told("rasgo", person, values)

    def _others(self, person) -> list[str]:
        """Traits the catalogue does not list: a fear it knows ("afraid of the dark") in
        Spanish, anything else in the family's words."""
        said = []
        for trait in (" ".join(t.split()) for t in person.sheet.traits):
            if not trait or trait.lower() in TRAITS:
                continue
            what = fear_of(trait)
            if what:
                many = what.startswith(("los ", "las "))
                values = {"what": what, "What": what[0].upper() + what[1:]}
                said.append(
                    self._told(
                        "miedo", person, values | {"da": "dan" if many else "da", "daba": "daban" if many else "daba"}
                    )
                )
            else:
                said.append(self._told("raro", person, {"x": f"«{trait}»"}))
        return said

    def _likes(self, person) -> str:
        written = " ".join(person.sheet.likes.split())
        if not written:
            return ""
        if not is_spanish(written):
            return self._told("gusto_cita", person, {"x": f"«{written}»"})
        things = [part for like in likes_of(person.sheet) for part in re.split(r"\s+[ye]\s+", like) if part]
        cosas = join(things)
        many = is_plural(things)
        values = {"cosas": cosas, "Cosas": cosas[0].upper() + cosas[1:]}
        return self._told(
            "gusto", person, values | {"encantan": "encantan" if many else "encanta", "son": "son" if many else "es"}
        )

    def _backstory(self, person) -> str:
        written = " ".join(person.sheet.backstory.split())
        if not written:
            return ""
        if not is_spanish(written):
            return self._told("historia_cita", person, {"b": written})
        spoken = written.rstrip(".")  # inside a dialogue the line's own dash ends it
        return self._told("historia", person, {"b": written, "B": spoken[0].upper() + spoken[1:]})

    def _told(self, group: str, person, values: dict[str, str]) -> str:
        """One of the group's wordings that fits the character and the cast, not used
        before in this book if another will do, filled in."""
        fits = [text for text in HECHOS[group] if self._fits(text, person, values)]
        options = [text for text in fits if text not in self.used] or fits
        text = self.rng.choice(options)
        self.used.add(text)
        return self._fill(text, person, values)

    def _fits(self, text: str, person, values: dict[str, str]) -> bool:
        slots = set(re.findall(r"\{(\w+)\}", text))
        if "q" in slots and len(self.people) < 3 or "p" in slots and values.get("p") == "":
            return False
        if person.gender == "n" and any(not match[3] for match in _GENDER.finditer(text)):
            return False
        known = {"n", "p", "q", "l", "sonido", "acto"} | set(values)
        return slots <= known

    def _pal(self, person, besides: str = "") -> str | None:
        """Someone else in the story, other than `besides`; the place's creature if nobody is."""
        others = [other.name for other in self.people if other is not person and other.name != besides]
        return self.rng.choice(others) if others else (None if besides else OTHER)

    def _fill(self, text: str, person, values: dict[str, str]) -> str:
        pal = values.get("p") or self._pal(person)
        third = self._pal(person, pal)
        slots = {
            "n": person.name,
            "p": pal,
            "q": third or OTHER,
            "l": self.rng.choice(self.sitios),
            "sonido": self.rng.choice(self.sonidos),
            **values,
        }
        text = _CHOICE.sub(lambda match: self.rng.choice(match[1].split("/")), text)
        text = _GENDER.sub(lambda match: _gendered(match, person.gender), text)
        # The family's words go in last, in one pass, so nothing in them is read as a slot.
        return re.sub(r"\{(\w+)\}", lambda match: slots.get(match[1], match[0]), text)


def _gendered(match: re.Match, gender: str) -> str:
    if gender == "n" and match[3] is not None:
        return match[3]
    return match[1] if gender == "m" else match[2]
