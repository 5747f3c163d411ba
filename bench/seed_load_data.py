"""Data for the load and query benchmarks, written straight into the database with
bulk_create (no AI, no services): users with ready characters (each with a selected
portrait), finished stories of N pages with a two-character cast and a chosen
picture on every page, and one succeeded job per story. Every picture is one tiny
shared PNG. Creation times are spread over the past days, as real data would be.

    seed(owner_count=1, characters=200, stories=100, pages=12) -> the first owner
"""

from __future__ import annotations

import io
from decimal import Decimal

from stories.models import StoryJobKind

PORTRAIT_NAME = "portraits/bench.png"
ILLUSTRATION_NAME = "illustrations/bench.png"


def _tiny_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "orange").save(buffer, format="PNG")
    return buffer.getvalue()


def _images_write() -> None:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    for name in (PORTRAIT_NAME, ILLUSTRATION_NAME):
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(_tiny_png()))


def seed(*, owners: int = 1, characters: int = 200, stories: int = 100, pages: int = 12, prefix: str = "bench"):
    """`owners` users, each with `characters` characters and `stories` finished
    stories of `pages` pages. Returns the first user."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from characters.models import Character, Portrait
    from stories.models import Illustration, Page, Story, StoryCharacter
    from storyforge.generation.models import GenerationJob

    _images_write()
    user_model = get_user_model()
    now = timezone.now()
    first = None
    for number in range(owners):
        with transaction.atomic():
            user = user_model.objects.create_user(username=f"{prefix}-{number}", password="bench-password-0123")
            first = first or user
            people = Character.objects.bulk_create(
                Character(
                    owner=user,
                    name=f"Character {index}",
                    traits=["brave", "curious"],
                    status=Character.Status.READY,
                    hair_colour="brown",
                    eye_colour="green",
                )
                for index in range(characters)
            )
            portraits = Portrait.objects.bulk_create(
                Portrait(character=person, image=PORTRAIT_NAME, width=8, height=8, is_selected=True, provider="bench")
                for person in people
            )
            for person, portrait in zip(people, portraits, strict=True):
                person.selected_portrait = portrait
            Character.objects.bulk_update(people, ["selected_portrait"], batch_size=1000)
            books = Story.objects.bulk_create(
                Story(
                    owner=user,
                    title=f"Book {index}",
                    page_count=pages,
                    setting="a rainy park",
                    status=Story.Status.READY,
                    completed_at=now,
                )
                for index in range(stories)
            )
            StoryCharacter.objects.bulk_create(
                StoryCharacter(story=book, character=people[(index + offset) % len(people)], position=offset)
                for index, book in enumerate(books)
                for offset in range(min(2, len(people)))
            )
            leaves = Page.objects.bulk_create(
                (
                    Page(story=book, number=page, text=f"Page {page} of {book.title}: the friends set off.")
                    for book in books
                    for page in range(1, pages + 1)
                ),
                batch_size=2000,
            )
            pictures = Illustration.objects.bulk_create(
                (
                    Illustration(page=leaf, image=ILLUSTRATION_NAME, width=8, height=8, is_selected=True)
                    for leaf in leaves
                ),
                batch_size=2000,
            )
            for leaf, picture in zip(leaves, pictures, strict=True):
                leaf.selected_illustration = picture
            Page.objects.bulk_update(leaves, ["selected_illustration"], batch_size=2000)
            GenerationJob.objects.bulk_create(
                (
                    GenerationJob(
                        owner=user,
                        kind=StoryJobKind.STORY_TEXT,
                        story=book,
                        status=GenerationJob.Status.SUCCEEDED,
                        idempotency_key=f"{prefix}:{user.pk}:story:{book.pk}",
                        cost=Decimal("0.01"),
                        requested=True,
                    )
                    for book in books
                ),
                batch_size=2000,
            )
            # Spread the creation times over the past days, newest last.
            with connection.cursor() as cursor:
                for table, column in (
                    (Story._meta.db_table, "created_at"),
                    (GenerationJob._meta.db_table, "created_at"),
                    (Character._meta.db_table, "updated_at"),
                ):
                    cursor.execute(
                        f"UPDATE {table} SET {column} = %s - ((SELECT max(id) FROM {table}) - id) * interval '1 minute'"
                        " WHERE owner_id = %s",
                        [now, user.pk],
                    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return first
