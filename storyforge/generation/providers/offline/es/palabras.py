"""Palabras del cuentacuentos en español: the catalogue's traits as Spanish
adjectives (masculine, feminine), relationships, goals, fears and relationship notes, and
the check that tells the family's Spanish words from words in another language; the
sentences are in frases.txt and hechos.txt."""

from __future__ import annotations

import re

TRAITS = {
    "kind": ("amable", "amable"), "gentle": ("dulce", "dulce"), "loyal": ("leal", "leal"),
    "generous": ("generoso", "generosa"), "funny": ("divertido", "divertida"), "shy": ("tímido", "tímida"),
    "curious": ("curioso", "curiosa"), "clever": ("listo", "lista"), "creative": ("creativo", "creativa"),
    "dreamy": ("soñador", "soñadora"), "patient": ("paciente", "paciente"), "organised": ("ordenado", "ordenada"),
    "energetic": ("enérgico", "enérgica"), "playful": ("juguetón", "juguetona"), "calm": ("tranquilo", "tranquila"),
    "chatty": ("parlanchín", "parlanchina"), "messy": ("desordenado", "desordenada"), "brave": ("valiente", "valiente"),
    "adventurous": ("aventurero", "aventurera"), "determined": ("decidido", "decidida"),
    "cautious": ("prudente", "prudente"), "honest": ("sincero", "sincera"),
}  # fmt: skip

# A relationship's word: (masculine, feminine, the two of them).
RELATIONS = {
    "best friend": ("mejor amigo", "mejor amiga", "mejores amigos"),
    "sibling": ("hermano", "hermana", "hermanos"), "sister": ("hermano", "hermana", "hermanos"),
    "brother": ("hermano", "hermana", "hermanos"), "grandparent": ("abuelo", "abuela", "familia"),
    "parent": ("padre", "madre", "familia"), "cousin": ("primo", "prima", "primos"),
    "friend": ("amigo", "amiga", "amigos"), "pet": ("mascota", "mascota", "inseparables"),
    "teacher": ("maestro", "maestra", "buenos compañeros"), "neighbour": ("vecino", "vecina", "vecinos"),
    "classmate": ("compañero de clase", "compañera de clase", "compañeros de clase"), "rival": ("rival", "rival", "rivales"),
}  # fmt: skip

GOALS = (
    "la Bellota Dorada", "la Perla de la Luna", "la Pluma del Arcoíris", "la Llave de las Estrellas",
    "la Campana de Plata", "la Corona de Cristal", "el Caracol que Canta", "la Piedra de los Deseos",
)  # fmt: skip


def join(words: list[str]) -> str:
    """ "Mia, Leo y Pip"; "y" turns to "e" before an "i" sound: "Mia e Inés"."""
    if len(words) <= 1:
        return "".join(words)
    last = words[-1]
    conjunction = "e" if last.lower().startswith(("i", "hi")) and not last.lower().startswith(("hie", "ia")) else "y"
    return ", ".join(words[:-1]) + f" {conjunction} " + last


# Words of a Spanish setting and the kind of place they name; the first that matches wins.
PLACE_WORDS = (
    ("fondo del mar|submarin|arrecife|coral", "underwater"), ("espacio|luna|planeta|cohete|estrella", "space"),
    ("nieve|nevad|montaña|hielo|helad|invierno", "snow"), ("isla", "island"), ("desierto|duna|oasis", "desert"),
    ("playa|costa|mar\\b|faro|puerto", "beach"), ("barco|pirata|velero", "ship"), ("selva|jungla", "jungle"),
    ("bosque|árbol", "forest"), ("río|lago|arroyo|estanque", "river"), ("granja|establo|huerta", "farm"),
    ("prado|campo|colina", "meadow"), ("jardín|flores", "garden"), ("parque|columpio", "park"),
    ("zoo|zoológico", "zoo"), ("ciudad", "city"), ("pueblo|aldea|mercado|plaza|panadería", "town"),
    ("tren|estación", "train"), ("castillo|palacio|reino|princes|rey|reina", "castle"), ("nube|cielo|arcoíris", "clouds"),
    ("cueva|gruta|túnel", "cave"), ("museo", "museum"), ("biblioteca|libros", "library"),
    ("colegio|escuela|clase", "school"), ("feria|circo|tiovivo", "fair"), ("casa|cocina|habitación|cama", "home"),
)  # fmt: skip


# Words in a relationship's note and how they are said in Spanish (masculine, feminine):
# "Leo is Mia's sibling (little brother)" is "Leo era el hermano pequeño de Mia".
NOTES = {
    "little": ("pequeño", "pequeña"), "younger": ("pequeño", "pequeña"), "baby": ("pequeño", "pequeña"),
    "big": ("mayor", "mayor"), "older": ("mayor", "mayor"), "twin": ("gemelo", "gemela"),
}  # fmt: skip

# What a character may be afraid of, in Spanish: "afraid of the dark".
FEARS = {
    "the dark": "la oscuridad", "dark": "la oscuridad", "water": "el agua", "the water": "el agua",
    "heights": "las alturas", "thunder": "los truenos", "storms": "las tormentas", "spiders": "las arañas",
    "dogs": "los perros", "the sea": "el mar", "monsters": "los monstruos", "loud noises": "los ruidos fuertes",
}  # fmt: skip

# Short words that give a language away, for telling whether the family wrote a fact
# in Spanish ("las pozas y las tortitas") or in another language ("rock pools, pancakes").
# "a" is left out: it is a word of both.
_SPANISH = """el la los las un una unos unas y e o de del al en con sin que por para su sus mi mis es son era fue
vive vivía nació tiene tenía le lo se muy más pero como cuando ella él ellos hay está estaba"""
_ENGLISH = """the an and of in on with by from to is are was were his her their its he she they it who that
lives loves likes has had be at for my your this into out"""
SPANISH_WORDS = frozenset(_SPANISH.split())
ENGLISH_WORDS = frozenset(_ENGLISH.split())


def is_spanish(text: str) -> bool:
    """Whether the family's words read as Spanish: by its little words first (el, las, y,
    de / the, and, of), then by letters (ñ and accents, or k, w, th, sh, oo, ee, -ing)
    and the endings Spanish nouns have (-o, -a, -os, -as, -ción). Words with no sign
    either way ("naps") are not taken for Spanish, so they are quoted, never bent."""
    score = 0
    for word in re.findall(r"[a-záéíóúüñ']+", text.lower()):
        if word in SPANISH_WORDS or re.search(r"[áéíóúüñ]", word):
            score += 2
        elif word in ENGLISH_WORDS or "'" in word:
            score -= 2
        elif re.search(r"k|w|th|sh|oo|ee|ing$|y$", word):
            score -= 1
        elif re.search(r"(?:[oa]s?|ción|ciones)$", word):
            score += 1
    return score > 0


def is_plural(things: list[str]) -> bool:
    """Whether a list of liked things takes a plural verb: "me encantan las pozas",
    but "me encanta nadar" (one thing, or things that are all verbs)."""
    if len(things) > 1:
        return not all(re.fullmatch(r"[a-záéíóúñ]+(?:ar|er|ir)(?:se)?", thing.lower()) for thing in things)
    return bool(things) and bool(re.match(r"(?:los|las|unos|unas|mis|sus) |.*s$", things[0].lower()))


_FEAR = re.compile(r"(?:afraid|scared|frightened) of (.+)", re.IGNORECASE)


def fear_of(trait: str) -> str | None:
    """What a trait such as "afraid of the dark" fears, in Spanish ("la oscuridad"), when
    the fear is one FEARS knows; None for any other trait."""
    fear = _FEAR.fullmatch(" ".join(trait.split()).rstrip("."))
    return FEARS.get(fear[1].lower()) if fear else None
