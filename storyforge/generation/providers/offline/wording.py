"""Other wordings of common phrases (wording.txt), so the same line of a story
reads differently from one book to the next: "took a deep breath", "breathed in
slowly", "took a long, slow breath".

The storyteller rewords each line's template before its names are filled in, so a
character's name or a user's words are never touched, and the story's own random
draw picks each wording, so the same brief and seed always read the same.
"""

from __future__ import annotations

import random
import re
from pathlib import Path


def _table() -> dict[str, tuple[str, ...]]:
    table = {}
    for raw in Path(__file__).with_name("wording.txt").read_text(encoding="utf-8").splitlines():
        if raw.strip() and not raw.startswith("#"):
            phrase, _, others = raw.partition(" = ")
            choices = tuple(dict.fromkeys(part.strip() for part in others.split(" / ") if part.strip()))
            table[phrase.strip()] = choices or (phrase.strip(),)
    return table


WORDINGS = _table()
_KEYS = sorted(WORDINGS, key=len, reverse=True)
# A slot ({c.they}) is passed over whole; a phrase may follow "a" or "an", which then
# agrees with the wording chosen ("a big hill", "an enormous hill").
_PATTERN = re.compile(
    r"\{[^{}]*\}|(?<![\w])(?:(?P<article>[Aa]n?) )?(?P<phrase>"
    + "|".join(re.escape(key[0].upper() + key[1:]) + "|" + re.escape(key) for key in _KEYS)
    + r")(?![\w])"
)


# Words that may stand next to their own wording ("and" in "ran and ran").
_SMALL = frozenset(("a", "an", "the", "and", "of", "to", "so", "as", "at", "in", "on", "up", "all", "very", "it"))
# A speech verb after what was said, before the speaker's name: '"Hi!" laughed {c}'.
_INVERTED = re.compile(r'[.,!?]" $')


def _words(text: str) -> set[str]:
    return {word for word in re.findall(r"[a-z]+", text.lower()) if word not in _SMALL}


def _fits(chosen: str, phrase: str, before: str, after: str) -> bool:
    """Whether a wording reads well where the phrase stands: it brings no word the
    line already says next to it ("for the first time ever ever", "gave a wave a
    friendly wave", "nodded slowly slowly"), and a speech verb before its speaker's
    name stays one word ('"Hi!" laughed Mia', never 'laughed and laughed Mia')."""
    if chosen == phrase:
        return True
    if _INVERTED.search(before) and after.startswith(" {") and " " in chosen.strip('!?,." '):
        return False
    near = " ".join(before.split()[-2:] + after.split()[:3])
    return not (_words(chosen) - _words(phrase)) & _words(near)


def reworded(template: str, rng: random.Random) -> str:
    """The template with each known phrase told one of its ways."""

    def pick(match: re.Match) -> str:
        phrase = match["phrase"]
        if phrase is None:
            return match[0]
        key = phrase if phrase in WORDINGS else phrase[0].lower() + phrase[1:]
        before, after = template[: match.start("phrase")], template[match.end() :]
        choices = [choice for choice in WORDINGS[key] if _fits(choice, key, before, after)] or [key]
        chosen = rng.choice(choices)
        if phrase[0].isupper():
            chosen = chosen[0].upper() + chosen[1:]
        article = match["article"]
        if article:
            word = "an" if chosen[0].lower() in "aeiou" else "a"
            article = word.capitalize() if article[0] == "A" else word
            return f"{article} {chosen}"
        return chosen

    return _PATTERN.sub(pick, template)
