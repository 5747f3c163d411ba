"""Cada edad con su voz: the Spanish book told for its age group (issue 16).

6-8 is the book as the teller lays it out. 1-2 is a board book: a page tells one short
sentence of the story (the opening, the goal, a step of the lesson, the climax, the
ending with the moral) and, where it fits, one short fact of the cast, with the
place's sound now and then ("¡Cronch, cronch!"). 3-5 is laid out the same way with at
most three sentences a page, its steps in their shorter wordings and the place's
moments only on a page nothing else fills. 9-12 takes the wordings of the longest
sentences, tells some pairs of plain sentences as one, and lays a page of four
sentences or more in two paragraphs.
"""

from __future__ import annotations

import re

from storyforge.generation.providers.offline.es.palabras import TRAITS, fear_of, is_plural, is_spanish
from storyforge.generation.providers.offline.facts import likes_of

# Where one sentence ends and the next begins; "—¿Quién ha sido? —preguntó Leo." is one.
_SPLIT = re.compile(r"(?<=[.!?»])\s+(?=[—¡¿«]*[A-ZÁÉÍÓÚÑ])")


def sentences(text: str) -> list[str]:
    return [part for part in _SPLIT.split(text.strip()) if part]


def sound_of(sonidos: tuple[str, ...]) -> list[str]:
    """The place's sounds as a toddler says them: "las burbujas hacían blub, blub" -> "¡Blub, blub!"."""
    found = []
    for sonido in sonidos:
        match = re.search(r"\b(\w{1,6}), (\w{1,6})$", sonido)
        if match and match[1][0] == match[2][0]:
            found.append(f"¡{match[1].capitalize()}, {match[2]}!")
    return found


def shortest(options: list[str], rng) -> str:
    """One of the two shortest wordings: the fewest sentences, then the fewest letters."""
    ranked = sorted(options, key=lambda text: (len(sentences(text)), len(text)))
    return rng.choice(ranked[:2])


def short_fill(text: str, rng) -> str:
    """A wording's <a/b> choices, each one of its two shortest."""
    return re.sub(r"<([^<>]*)>", lambda m: rng.choice(sorted(m[1].split("/"), key=len)[:2]), text)


def toddler_facts(people) -> list[str]:
    """Each character's traits, fears, likes and backstory in a few short sentences."""
    said = []
    for person in people:
        sheet, name = person.sheet, person.name
        adjectives = person.traits()
        likes = " ".join(sheet.likes.split()).rstrip(".")
        like = ""
        if likes and is_spanish(likes):
            many = is_plural([likes]) or len(likes_of(sheet)) > 1
            like = f"le {'encantaban' if many else 'encantaba'} {likes}"
        elif likes:
            like = f"le gustaba esto: «{likes}»"
        extra = []
        for trait in (" ".join(t.split()) for t in sheet.traits):
            if not trait or trait.lower() in TRAITS:
                continue
            what = fear_of(trait)
            if what:
                many = what.startswith(("los ", "las "))
                extra.append(f"A {name} le {'daban' if many else 'daba'} miedo {what}.")
            else:
                extra.append(f"En la tarjeta de {name} pone: «{trait}».")
        if adjectives and like:
            said.append(f"{name} era {adjectives}, y {like}.")
        elif adjectives:
            said.append(f"{name} era {adjectives}.")
        elif like:
            said.append(f"A {name} {like}.")
        said += extra
        backstory = " ".join(sheet.backstory.split())
        if backstory and is_spanish(backstory):
            said.append(backstory if backstory.endswith((".", "!", "?")) else backstory + ".")
        elif backstory:
            said.append(f"La tarjeta de {name} dice: «{backstory}»")
    return said


def board_book(
    count: int, beats: list[str], facts: list[str], fillers: list[str], sounds: list[str], limit: int = 2
) -> list[str]:
    """The pages of a young reader's book: `beats` are the story's eight sentences in
    order (opening, goal, the lesson's four steps, climax, ending); a page holds at most
    `limit` sentences, the cast's facts where there is room, and sometimes the place's
    sound. A short book leaves out the steps a toddler misses least."""
    beats = list(enumerate(beats))
    room = sum(limit - len(sentences(beat)) for _, beat in beats[:-1])
    for number, beat in enumerate((4, 1, 6, 2)):  # what happens next, the goal, the climax, the choice
        if len(beats) > count or number == 0 and room < len(facts):
            beats = [(index, text) for index, text in beats if index != beat]
    pages = [sentences(beat) for _, beat in beats]
    while len(pages) > count:  # merge the two shortest neighbours, never the ending
        index = min(range(len(pages) - 2), key=lambda i: len(pages[i]) + len(pages[i + 1]))
        pages[index : index + 2] = [pages[index] + pages[index + 1]]
    fillers = [text for text in fillers if len(sentences(text)) == 1]
    while len(pages) < count:  # a free page before the climax
        room = sum(limit - len(page) for page in pages[:-1])
        pages.insert(len(pages) - 2, [fillers.pop(0)] if fillers and len(facts) < room else [])
    waiting = list(facts)
    for _ in range(limit):  # one fact a page, then another where a page has room
        for page in pages[:-1]:
            if waiting and len(page) + len(sentences(waiting[0])) <= limit:
                page += sentences(waiting.pop(0))
    for fact in waiting if count >= 8 else ():  # a long book tells every fact: before the moral, else anywhere
        told = sentences(fact)
        if len(pages[-1]) + len(told) <= limit:
            pages[-1][-1:-1] = told
        else:
            min(pages[:-1], key=len).extend(told)
    for index, page in enumerate(pages):
        if not page:
            page.append(fillers.pop(0) if fillers else sounds[0] if sounds else "")
        fits = index % 2 == 0 or len(page) == 1 if limit == 2 else len(page) < limit  # 3-5: within its three
        if sounds and fits and index < len(pages) - 1:
            page.append(sounds[index % len(sounds)])
    return [" ".join(page) for page in pages]


def paragraphs(pages: list[str], names: set[str], key: int) -> list[str]:
    """Older readers' pages: some pairs of plain sentences told as one ("...; luego..."),
    and a page of four sentences or more in two paragraphs."""
    out = []
    for number, page in enumerate(pages):
        parts: list[str] = []
        for index, sentence in enumerate(sentences(page)):
            previous = parts[-1] if parts else ""
            first = sentence.split()[0] if sentence.split() else ""
            if (
                (number + index + key) % 7 != 0
                and previous.endswith(".")
                and not previous.startswith(("—", "¡", "¿"))
                and not sentence.startswith(("—", "¡", "¿", "«"))
                and sentence.endswith(".")
                and len((previous + " " + sentence).split()) <= 45
            ):
                sentence = sentence if first in names else sentence[0].lower() + sentence[1:]
                parts[-1] = previous[:-1] + "; " + sentence
            else:
                parts.append(sentence)
        if len(sentences(page)) >= 4 and len(parts) >= 2:
            half = (len(parts) + 1) // 2
            out.append(" ".join(parts[:half]) + "\n\n" + " ".join(parts[half:]))
        else:
            out.append(" ".join(parts))
    return out
