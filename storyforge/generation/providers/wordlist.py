"""Moderation without a network: a built-in list of words no children's picture book
should contain, matched as whole words, whatever their case.

Whole-word matching is the point: "class" does not contain the word "ass", nor
"grape" "rape", nor "skill" "kill", nor "Scunthorpe" anything. The lists stay
deliberately short and unambiguous, so ordinary story words pass: a dragon, a scary
monster, a fight with a cold, a bloodhound, a shooting star, a weed in the garden,
Dick Whittington.
Slurs are kept out of the source: they are stored as SHA-256 digests of the
lower-cased word and a text's words are compared by digest.
"""

from __future__ import annotations

import hashlib
import re

from storyforge.generation.providers.base import ModerationResult

_WORDS: dict[str, tuple[str, ...]] = {
    "violence": (
        "kill", "kills", "killed", "killer", "killers", "killing", "murder", "murders", "murdered", "murderer",
        "blood", "bloody", "bleeding to death", "gore", "gory", "gun", "guns", "gunfire", "gunshot", "rifle",
        "pistol", "stab", "stabs", "stabbed", "stabbing", "behead", "beheaded", "decapitate", "decapitated",
        "massacre", "slaughter", "slaughtered", "torture", "tortured", "strangle", "strangled", "corpse", "corpses",
        "bomb", "bombs", "grenade", "shoot him", "shoot her", "shoot them", "dead body", "dead bodies",
    ),
    "sexual": (
        "sex", "sexy", "sexual", "sexually", "porn", "porno", "pornography", "pornographic", "nude", "nudes",
        "nudity", "erotic", "orgasm", "rape", "raped", "rapes", "raping", "rapist", "molest", "molested",
        "fetish", "genitals", "penis", "vagina", "boobs",
    ),
    "hate": (
        "nazi", "nazis", "hitler", "kkk", "white power", "master race", "ethnic cleansing", "genocide", "subhuman",
    ),
    "self-harm": (
        "suicide", "suicidal", "kill yourself", "kill myself", "kill himself", "kill herself", "kill themselves",
        "self-harm", "self harm", "cut myself", "cutting myself", "hang myself", "overdose",
    ),
    "drugs": (
        "drugs", "cocaine", "heroin", "meth", "methamphetamine", "crack cocaine", "marijuana", "cannabis", "lsd",
        "drunk", "vodka", "cigarette", "cigarettes", "get stoned",
    ),
    "profanity": (
        "fuck", "fucking", "fucked", "shit", "shitty", "bitch", "bitches", "bastard", "ass", "asshole", "arsehole",
        "cunt", "wanker", "motherfucker",
    ),
}  # fmt: skip

# Slurs, as the first 16 hex digits of sha256(word.lower()).
_SLUR_DIGESTS = frozenset(
    (
        "044eb98b18769b88",
        "08a841e996781e9e",
        "0ce875d620076b53",
        "120f6e5b4ea32f65",
        "158869a97379229b",
        "16ea09fc78ca83ca",
        "17a110e533284872",
        "17bde8b4064612e2",
        "1e02eec4f1095143",
        "22fc75e65a0e9d34",
        "268651b3ece98010",
        "341d56384afc0f47",
        "3b1e0d7c5dd45583",
        "402f7ebd98864afe",
        "5b3ae48be122f7ed",
        "7122c9a14ba2d20e",
        "82159dd02870c13e",
        "8f5083e3e5c7dc89",
        "98b52c4b6b7d1f48",
        "9915ba2d822280f2",
        "c1cabb6f6e431f9c",
        "c3de533e9b7fe63b",
        "cc02032349c833ac",
        "eef3bd091670c344",
    )
)

_PATTERNS = {
    category: re.compile(
        r"\b(?:" + "|".join(r"\s+".join(map(re.escape, term.split())) for term in terms) + r")\b", re.IGNORECASE
    )
    for category, terms in _WORDS.items()
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def moderate(texts: list[str]) -> ModerationResult:
    """Flagged when any text holds a listed word; the categories say which lists matched."""
    categories: set[str] = set()
    for text in texts:
        for category, pattern in _PATTERNS.items():
            if pattern.search(text):
                categories.add(category)
        if any(_digest(word) in _SLUR_DIGESTS for word in _WORD.findall(text)):
            categories.add("hate")
    return ModerationResult(flagged=bool(categories), categories=tuple(sorted(categories)))


def _digest(word: str) -> str:
    return hashlib.sha256(word.lower().encode()).hexdigest()[:16]
