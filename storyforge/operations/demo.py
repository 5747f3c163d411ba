"""The demo account that `make run` creates, so a first visitor can log in and look around."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from characters.models import Character, Portrait, Relationship
from characters.services import character_create, portrait_generate, portrait_select, relationship_create

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "storyforge-demo"

DEMO_CHARACTERS = (
    {
        "name": "Mia",
        "kind": "child",
        "age": 7,
        "pronouns": "she/her",
        "traits": ["brave", "curious", "kind"],
        "hair_colour": "auburn",
        "hair_style": "braids",
        "eye_colour": "green",
        "skin_tone": "light",
        "clothing": "a yellow raincoat and red wellies",
        "distinctive_features": "freckles and a gap in her front teeth",
        "backstory": "Mia lives by the sea and collects shells with stories in them.",
        "likes": "rock pools, drawing maps, pancakes",
    },
    {
        "name": "Leo",
        "kind": "child",
        "age": 4,
        "pronouns": "he/him",
        "traits": ["playful", "funny", "shy"],
        "hair_colour": "auburn",
        "hair_style": "curly",
        "eye_colour": "brown",
        "skin_tone": "light",
        "clothing": "dungarees with a dinosaur patch",
        "distinctive_features": "a toy dinosaur he never puts down",
        "backstory": "Leo is Mia's little brother and wants to do everything she does.",
        "likes": "dinosaurs, puddles, bedtime songs",
    },
    {
        "name": "Pip",
        "kind": "dragon",
        "age": 300,
        "pronouns": "they/them",
        "traits": ["gentle", "clever"],
        "custom_traits": ["afraid of the dark"],
        "hair_colour": "none",
        "eye_colour": "amber",
        "skin_tone": "scales-green",
        "clothing": "a tiny blue scarf",
        "distinctive_features": "wings too small to fly far",
        "backstory": "Pip lives in the cave above the beach and is older than the lighthouse.",
        "likes": "warm stones, riddles, the smell of toast",
    },
)
DEMO_RELATIONSHIPS = (("Mia", "Leo", "sibling", "big sister"), ("Pip", "Mia", "best-friend", "since the storm"))


DEMO_STORY = {
    "title": "Mia, Leo and the Lantern Cave",
    "page_count": 6,
    "age_group": "3-5",
    "tone": "adventurous",
    "moral": "Being brave is easier with a friend beside you.",
    "setting": "a windy beach with a lighthouse and a cave",
}


@dataclass
class DemoSummary:
    user_created: bool
    characters_created: int
    relationships_created: int
    story_created: bool = False
    portraits_drawn: int = 0


def demo_seed() -> DemoSummary:
    """Create the demo user, their characters with a portrait each, and a finished
    story; running it again changes nothing. The portraits and the story are drawn
    and written on the spot by the offline provider, whatever provider is
    configured, so demo data costs nothing."""
    from stories.models import Story

    with _offline_here():
        summary = _demo_people()
        user = get_user_model().objects.get(username=DEMO_USERNAME)
        # Before the story: its pictures are drawn after the cast's portraits.
        summary.portraits_drawn = _demo_portraits(user)
        if not Story.objects.filter(owner=user).exists():
            _demo_story(user)
            summary.story_created = True
    return summary


@contextmanager
def _offline_here() -> Iterator[None]:
    """The offline provider for every capability, and tasks run here, not in a worker."""
    from django.test.utils import override_settings

    from storyforge.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        with override_settings(
            STORYFORGE_AI_PROVIDER="offline",
            STORYFORGE_TEXT_PROVIDER="",
            STORYFORGE_IMAGE_PROVIDER="",
            STORYFORGE_MODERATION_PROVIDER="",
        ):
            yield
    finally:
        app.conf.task_always_eager = previous


def _demo_portraits(user) -> int:
    """A portrait for each demo character that has none, drawn through the portrait
    step's own service (the candidates are drawn as it returns, tasks being eager)
    and the first candidate chosen. How many characters got one."""
    drawn = 0
    names = [spec["name"] for spec in DEMO_CHARACTERS]
    for character in Character.objects.filter(owner=user, name__in=names, selected_portrait__isnull=True):
        portrait_generate(user=user, character_id=character.pk)
        first = Portrait.objects.filter(character=character).order_by("created_at", "id").first()
        if first is not None:  # None inside a test's transaction, where nothing is committed
            portrait_select(user=user, character_id=character.pk, portrait_id=first.pk)
            drawn += 1
    return drawn


def _demo_story(user) -> None:
    from stories.services import story_create

    cast = {c.name: c for c in Character.objects.filter(owner=user)}
    characters = [
        {"character": cast["Mia"].pk, "role": "main"},
        {"character": cast["Leo"].pk, "role": "supporting"},
        {"character": cast["Pip"].pk, "role": "supporting"},
    ]
    story_create(user=user, characters=characters, **DEMO_STORY)


@transaction.atomic
def _demo_people() -> DemoSummary:
    user, user_created = get_user_model().objects.get_or_create(
        username=DEMO_USERNAME, defaults={"first_name": "Demo", "email": "demo@example.org"}
    )
    if user_created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    existing = {c.name: c for c in Character.objects.filter(owner=user, name__in=[d["name"] for d in DEMO_CHARACTERS])}
    characters_created = 0
    for spec in DEMO_CHARACTERS:
        if spec["name"] not in existing:
            existing[spec["name"]] = character_create(user=user, **spec)
            characters_created += 1
    relationships_created = 0
    for from_name, to_name, kind, note in DEMO_RELATIONSHIPS:
        a, b = existing[from_name], existing[to_name]
        if not Relationship.objects.filter(from_character__in=(a, b), to_character__in=(a, b)).exists():
            relationship_create(user=user, from_character_id=a.pk, to_character_id=b.pk, kind=kind, note=note)
            relationships_created += 1
    return DemoSummary(user_created, characters_created, relationships_created)
