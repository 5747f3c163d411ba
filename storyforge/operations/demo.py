"""The demo account that `make run` creates, so a first visitor can log in and look around."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from characters.models import Character, Relationship
from characters.services import character_create, relationship_create

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


def demo_seed() -> DemoSummary:
    """Create the demo user, their characters and a finished story; running it again
    changes nothing. The story is written and illustrated on the spot by the offline
    provider, whatever provider is configured, so demo data costs nothing."""
    summary = _demo_people()
    from stories.models import Story

    user = get_user_model().objects.get(username=DEMO_USERNAME)
    if not Story.objects.filter(owner=user).exists():
        _demo_story(user)
        summary.story_created = True
    return summary


def _demo_story(user) -> None:
    from django.test.utils import override_settings

    from stories.services import story_create
    from storyforge.celery import app

    cast = {c.name: c for c in Character.objects.filter(owner=user)}
    characters = [
        {"character": cast["Mia"].pk, "role": "main"},
        {"character": cast["Leo"].pk, "role": "supporting"},
        {"character": cast["Pip"].pk, "role": "supporting"},
    ]
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True  # run the generation here, not in a worker
    try:
        with override_settings(
            STORYFORGE_AI_PROVIDER="offline",
            STORYFORGE_TEXT_PROVIDER="",
            STORYFORGE_IMAGE_PROVIDER="",
            STORYFORGE_MODERATION_PROVIDER="",
        ):
            story_create(user=user, characters=characters, **DEMO_STORY)
    finally:
        app.conf.task_always_eager = previous


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
