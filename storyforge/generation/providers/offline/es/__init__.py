"""El cuentacuentos sin conexión en español: the offline storyteller's Spanish books.

Written in Spanish from the start, not translated: articles and contractions (del,
al), adjectives that agree with the character (valiente, curiosa, curioso; "una
persona curiosa" for they/them), dialogue with the Spanish dash. The book turns on
the same lessons as the English one (lecciones.txt, matched by Spanish words), in
the same kinds of place (lugares.txt), and tells every character's traits, likes
and backstory in what they do and say (hechos.py), in Spanish when the family wrote
them in Spanish and quoted whole when not. Each age group has its voice (edades.py):
a board book for 1-2, short pages for 3-5, paragraphs for 9-12. The seed decides
every choice, so the same brief tells the same book.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from storyforge.generation.providers.base import PageDraft, StoryBrief, StoryDraft
from storyforge.generation.providers.offline.es import edades
from storyforge.generation.providers.offline.es.hechos import Teller
from storyforge.generation.providers.offline.es.palabras import GOALS, PLACE_WORDS, TRAITS, is_spanish, join
from storyforge.generation.providers.offline.lessons import STAGES, stem
from storyforge.generation.providers.offline.places import place_for_setting

_HERE = Path(__file__).parent


@dataclass(frozen=True)
class Lugar:
    name: str
    where: str
    sitios: tuple[str, ...]
    sonidos: tuple[str, ...]
    animal: str  # "una ardilla"


def _lugares() -> dict[str, Lugar]:
    lugares = {}
    for line in (_HERE / "lugares.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, name, where, sitios, sonidos, animal = (part.strip() for part in line.split("|"))
            lugares[key] = Lugar(name, where, _parts(sitios), _parts(sonidos), animal)
    return lugares


def _parts(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(";") if part.strip())


def _lecciones() -> dict[str, dict[str, list[str]]]:
    lecciones, current = {}, None
    for line in (_HERE / "lecciones.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("["):
            current = lecciones.setdefault(line.strip("[] "), {})
        else:
            name, _, value = line.partition(": ")
            current.setdefault(name.strip(), []).append(value.strip())
    return lecciones


def _frases() -> dict[str, list[str]]:
    frases: dict[str, list[str]] = {}
    for line in (_HERE / "frases.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition(": ")
            frases.setdefault(name.strip(), []).append(value.strip())
    return frases


LUGARES = _lugares()
LECCIONES = _lecciones()
FRASES = _frases()


def leccion_match(moral: str) -> str | None:
    """The lesson a Spanish moral is about, by its words and their stems."""
    stems = {stem(word) for word in re.findall(r"[a-záéíóúñü]+", moral.lower())}
    best, score = None, 0
    for key, leccion in LECCIONES.items():
        found = len(stems & {stem(word) for word in leccion["palabras"][0].split()})
        if found > score:
            best, score = key, found
    return best


class _Persona:
    def __init__(self, sheet):
        self.name = sheet.name.strip() or "Sam"
        self.sheet = sheet
        self.gender = {"she/her": "f", "he/him": "m", "it/its": "m"}.get(sheet.pronouns, "n")

    def __str__(self) -> str:
        return self.name

    def traits(self) -> str:
        """ "valiente y curiosa"; for they/them "una persona valiente y curiosa"."""
        words = [TRAITS[t.lower()] for t in self.sheet.traits if t.lower() in TRAITS]
        if not words:
            return ""
        gender = "f" if self.gender == "n" else self.gender
        adjectives = join([word[0] if gender == "m" else word[1] for word in words])
        if self.gender == "n":
            noun = "una persona" if self.sheet.kind in ("child", "grown-up") else "una criatura"
            return f"{noun} {adjectives}"
        return adjectives


def story_write(brief: StoryBrief) -> StoryDraft:
    rng = random.Random(brief.seed)
    people = [_Persona(sheet) for sheet in sorted(brief.characters, key=lambda s: s.role == "supporting")]
    hero = people[0]
    pal = people[1] if len(people) > 1 else None
    lugar = LUGARES[_kind_of(brief.setting, rng.randrange(len(LUGARES)))]
    setting = " ".join(brief.setting.split()).rstrip(".")
    where = _where(setting, lugar)
    sitios = list(lugar.sitios)
    rng.shuffle(sitios)
    animal = lugar.animal
    friend = str(pal) if pal else re.sub(r"^(un|una) ", lambda m: "el " if m[1] == "un" else "la ", animal)
    moral = " ".join(brief.moral.split())
    key = (leccion_match(moral) if moral else None) or rng.choice(sorted(LECCIONES))
    leccion = LECCIONES[key]
    moral = moral or leccion["moraleja"][0]
    goal = rng.choice(GOALS)
    ns = {"h": str(hero), "p": friend, "o": "\x01", "meta": goal, "where": where}
    used: set[str] = set()

    def fill(text: str, number: int) -> str:
        text = re.sub(r"<([^<>]*)>", lambda m: rng.choice(m[1].split("/")), text)
        return text.format(**ns, l=sitios[number % len(sitios)], sonido=rng.choice(lugar.sonidos))

    def told(group: str, number: int, **extra: str) -> str:
        """One of the group's sentences, not told before in this book."""
        options = [text for text in FRASES[group] if text not in used] or FRASES[group]
        text = rng.choice(options)
        used.add(text)
        return fill(
            text.replace("{otros}", extra.get("otros", "")).replace("{estaban}", extra.get("estaban", "")), number
        )

    teller = Teller(people, rng, sitios, lugar.sonidos)
    facts = teller.facts()
    opening = [told("apertura", 0)]
    others = [str(person) for person in people[1:]]
    if others:
        many = len(others) > 1
        text = rng.choice(FRASES["compañía"])
        for word, plural, one in (("{llegaron}", "llegaron", "llegó"), ("{tardaron}", "tardaron", "tardó")):
            text = text.replace(word, plural if many else one)
        text = text.replace("{otros}", join(others)).replace("{estaban}", "estaban" if many else "estaba")
        opening.append(fill(text, 0))
    opening += teller.relations(brief)
    stages = [fill(rng.choice(leccion[stage]), i + 1) for i, stage in enumerate(STAGES)]
    goal_page = told("meta", 1)
    climax = told("cumbre", 2)
    closing = fill(rng.choice(FRASES["cierre"]), len(sitios) - 1)
    said = moral if moral.endswith((".", "!", "?")) else moral + "."

    def ended(closing: str) -> str:
        return f"{closing} {said[0].lower() + said[1:] if closing.endswith(':') else said}"

    ending = ended(closing)
    moments = [told("momento", 3 + index) for index in range(max(0, brief.page_count))]
    count = max(1, brief.page_count)
    if brief.age_group == "1-2" and count > 3:  # a board book: the shortest wordings, a sound now and then

        def short(lines: list[str], number: int) -> str:
            return edades.shortest([fill(edades.short_fill(text, rng), number) for text in lines], rng)

        beats = [short(FRASES["apertura"], 0), short(FRASES["meta"], 1)]
        beats += [short(leccion[stage], i + 1) for i, stage in enumerate(STAGES)]
        beats += [short(FRASES["cumbre"], 2), ended(short(FRASES["cierre"], len(sitios) - 1))]
        fillers = sorted((fill(edades.short_fill(text, rng), 3) for text in FRASES["momento"]), key=len)[:6]
        rng.shuffle(fillers)
        sounds = edades.sound_of(lugar.sonidos)
        rng.shuffle(sounds)
        pages = edades.board_book(count, beats, edades.toddler_facts(people), fillers, sounds)
    elif brief.age_group == "3-5" and count > 3:  # at most three sentences a page, the moments left out first
        stages = [_fewest([fill(text, i + 1) for text in leccion[stage]], rng) for i, stage in enumerate(STAGES)]
        beats = [" ".join(opening[:2]), goal_page, *stages, climax, ending]
        pages = edades.board_book(count, beats, opening[2:] + facts, moments, edades.sound_of(lugar.sonidos), limit=3)
    else:
        if brief.age_group == "9-12":  # older readers: the wordings of the longest sentences
            stages = [_longest([fill(text, i + 1) for text in leccion[stage]], rng) for i, stage in enumerate(STAGES)]
            goal_page = _longest([fill(text, 1) for text in FRASES["meta"]], rng)
            climax = _longest([fill(text, 2) for text in FRASES["cumbre"]], rng)
            sets = [Teller(people, random.Random(f"{brief.seed}:{n}"), sitios, lugar.sonidos).facts() for n in range(3)]
            facts = [_longest(list(wordings), rng) for wordings in zip(facts, *sets, strict=True)]
        pages = _lay_out(count, opening, goal_page, stages, climax, ending, facts, moments)
        if brief.age_group == "9-12":
            pages = edades.paragraphs(pages, {str(person) for person in people}, brief.seed)
    pages = [_finish(text, animal) for text in pages]
    visuals = [
        f"{join([str(p) for p in people])}, {where}, {'por la noche' if i == count - 1 else 'de día'}."
        for i in range(count)
    ]
    title = f"{hero} y {goal}" if rng.random() < 0.5 else f"La aventura de {hero}"
    summary = f"{join([str(p) for p in people])} {'buscaron' if len(people) > 1 else 'buscó'} {goal} {where}. Moraleja: {moral}"
    return StoryDraft(
        title,
        _finish(summary, animal),
        tuple(PageDraft(t, v) for t, v in zip(pages, visuals, strict=True)),
        model="offline-storyteller-3-es",
    )


def _fewest(options: list[str], rng: random.Random) -> str:
    """One of the wordings of two sentences or fewer, if there is one."""
    fewest = min(len(edades.sentences(text)) for text in options)
    return rng.choice([text for text in options if len(edades.sentences(text)) <= max(2, fewest)])


def _longest(options: list[str], rng: random.Random) -> str:
    """One of the two wordings whose sentences are longest."""
    ranked = sorted(options, key=lambda text: -len(text.split()) / len(edades.sentences(text)))
    return rng.choice(ranked[:2])


def _kind_of(setting: str, choice: int) -> str:
    """The kind of place a setting names, in Spanish words or English ones."""
    lowered = setting.lower()
    if not lowered.strip():
        return sorted(LUGARES)[choice % len(LUGARES)]
    for pattern, key in PLACE_WORDS:
        if re.search(pattern, lowered):
            return key
    kind = place_for_setting(setting, 0)
    return kind.key if kind.key in LUGARES else "meadow"


# Words a setting may already begin with ("junto al mar", "cerca del río"): it is told as written.
_LEADS = ("en", "sobre", "bajo", "junto", "dentro", "cerca", "a", "al", "entre", "por", "debajo", "encima", "lejos",
          "tras", "hacia", "desde", "más")  # fmt: skip


def _where(setting: str, lugar: Lugar) -> str:
    """Where the story happens, as Spanish words after a verb: "en la granja", "en una
    playa soleada", "junto al mar". A setting written in another language ("a snowy
    village") is not bent into Spanish: the book names its kind of place in Spanish."""
    if not setting or not is_spanish(setting) and not re.fullmatch(r"[A-ZÁÉÍÓÚÑ][\w-]*", setting):
        return lugar.where
    first = setting.split()[0]
    if first.lower() in _LEADS:
        return first.lower() + setting[len(first) :]
    if first in ("El", "La", "Los", "Las", "Un", "Una", "Unos", "Unas"):
        setting = first.lower() + setting[len(first) :]
    return f"en {setting}"


def _lay_out(count, opening, goal_page, stages, climax, ending, facts, moments) -> list[str]:
    """The pages: the opening, the goal, the lesson's four steps between the
    characters' facts and the place's moments, the climax and the ending."""
    if count <= 3:
        text = " ".join([*opening, *facts, goal_page, *stages, climax, ending])
        sentences = re.split(r"(?<=[.!?])\s+(?=[—¡¿A-ZÁÉÍÓÚ])", text)
        size = -(-len(sentences) // count)
        return [" ".join(sentences[i * size : (i + 1) * size]) or ending for i in range(count)]
    middles = count - 3
    groups = [[stage] for stage in stages] if middles >= 4 else [stages[:2], stages[2:]] if middles >= 2 else [stages]
    pages = [" ".join([*opening, *facts[:2]]), goal_page]
    slots = [round(i * (middles - 1) / max(1, len(groups) - 1)) for i in range(len(groups))]
    moments = list(moments)
    for index in range(middles):
        page = list(groups[slots.index(index)]) if index in slots else [moments.pop(0)]
        pages.append(" ".join(page))
    for index, extra in enumerate(facts[2:]):  # the other facts go with the middle pages
        pages[2 + index % max(1, middles)] += " " + extra
    for index in range(2, len(pages)):  # a page of one short step gets a moment of the place
        if len(pages[index]) < 90 and moments:
            pages[index] += " " + moments.pop(0)
    pages[-1] += " " + climax
    return [*pages, ending]


def _finish(text: str, animal: str) -> str:
    """The other creature named with "una" the first time and "la" after; de el -> del."""
    definite = re.sub(r"^(un|una) ", lambda m: "el " if m[1] == "un" else "la ", animal)
    first = text.find("\x01")
    if first >= 0:
        text = text[:first] + animal + text[first + 1 :].replace("\x01", definite)
    text = re.sub(r"\bde el\b", "del", text)
    text = re.sub(r"\ba el\b", "al", text)
    return re.sub(r"(^|[.!?]»?\s+)([a-záéíóú])", lambda m: m[1] + m[2].upper(), text)
