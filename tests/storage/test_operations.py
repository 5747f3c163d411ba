"""Operator commands and account deletion on object storage: prune_media lists and
deletes objects, check_integrity finds every file by listing the bucket, and a
deleted account leaves no object of its own behind."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import (
    USER_PASSWORD,
    CharacterFactory,
    IllustrationFactory,
    PageFactory,
    PortraitFactory,
    SentenceClipFactory,
    StoryFactory,
    UserFactory,
)

pytestmark = [pytest.mark.services]


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _library(owner=None):
    """A portrait, two pages' pictures (in folders two levels deep) and a narration clip."""
    owner = owner or UserFactory()
    portrait = PortraitFactory(character=CharacterFactory(owner=owner))
    story = StoryFactory(owner=owner, page_count=2, pages=2)
    pictures = [IllustrationFactory(page=page) for page in story.pages.all()]
    clip = SentenceClipFactory(page=story.pages.first())
    return [portrait.image.name, *(picture.image.name for picture in pictures), clip.audio.name]


@pytest.mark.django_db
def test_prune_media_deletes_only_unreferenced_objects_once_they_are_old_enough(s3_storage):
    kept = _library()
    orphans = [
        default_storage.save("portraits/ab/orphan.png", ContentFile(b"p" * 300)),
        default_storage.save("illustrations/cd/orphan.png", ContentFile(b"i" * 200)),
    ]
    other = default_storage.save("exports/notes.txt", ContentFile(b"not ours"))
    assert s3_storage.names() == {*kept, *orphans, other}

    out = run("prune_media")  # every orphan was saved a moment ago: a worker may be saving it
    assert out.strip().splitlines()[-1] == (
        "prune_media: deleted 0 orphaned file(s), 0 bytes freed; 2 recent orphan(s) kept for now."
    )
    dry = run("prune_media", "--dry-run", "--min-age", "0")
    assert all(f"would delete {name}" in dry for name in orphans)
    assert s3_storage.names() == {*kept, *orphans, other}

    out = run("prune_media", "--min-age", "0")

    assert out.strip().splitlines()[-1] == "prune_media: deleted 2 orphaned file(s), 500 bytes freed."
    assert s3_storage.names() == {*kept, other}


@pytest.mark.django_db
def test_check_integrity_finds_every_object_and_names_the_one_that_is_gone(s3_storage):
    names = _library()
    assert s3_storage.names() == set(names)
    assert run("check_integrity").strip() == "check_integrity: 0 problem(s) found; all consistent."

    s3_storage.client.delete_object(Bucket=s3_storage.name, Key=names[1])

    out = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("check_integrity", stdout=out, stderr=io.StringIO())
    (finding,) = [line for line in out.getvalue().splitlines() if line.startswith("[")]
    assert finding.startswith("[image_files] illustration ") and finding.endswith(f"its file {names[1]} is missing")


@pytest.mark.django_db(transaction=True)
def test_a_deleted_account_leaves_no_object_behind(s3_storage, client):
    user, neighbour = UserFactory(), UserFactory()
    theirs = _library(user)
    drawn = [IllustrationFactory(page=PageFactory(story__owner=user)).image.name]  # a second book
    neighbours = _library(neighbour)
    assert s3_storage.names() == {*theirs, *drawn, *neighbours}
    client.force_login(user)

    response = client.post("/accounts/delete/", {"password": USER_PASSWORD, "confirm": "on"})

    assert response.status_code == 302
    assert s3_storage.names() == set(neighbours)  # the neighbour's files are untouched
