"""reap_jobs, usage_report, prune_media and check_integrity, on a real database and real files."""

import io
import os
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from characters.models import Character
from stories.models import Page, Story, StoryJobKind
from storyforge.generation.models import GenerationJob
from tests.factories import (
    CharacterFactory,
    CoverPictureFactory,
    GenerationJobFactory,
    IllustrationFactory,
    PageFactory,
    PortraitFactory,
    RelationshipFactory,
    StoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def fails(*args) -> tuple[CommandError, str]:
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command(*args, stdout=out, stderr=io.StringIO())
    return error.value, out.getvalue()


# reap_jobs


def test_reap_jobs_sends_a_stuck_job_again_then_fails_it():
    past = timezone.now() - timedelta(minutes=5)
    job = GenerationJobFactory(status=GenerationJob.Status.RUNNING, attempts=1, deadline_at=past)
    assert run("reap_jobs").strip() == "reap_jobs: 1 stuck job(s) sent to a worker again, 0 failed."
    job.refresh_from_db()
    assert job.status == GenerationJob.Status.QUEUED and job.error_code == "JOB_STUCK"
    GenerationJob.objects.filter(pk=job.pk).update(status=GenerationJob.Status.RUNNING, deadline_at=past)
    assert run("reap_jobs").strip() == "reap_jobs: 0 stuck job(s) sent to a worker again, 1 failed."
    job.refresh_from_db()
    assert job.status == GenerationJob.Status.FAILED
    assert "0 stuck job(s) sent to a worker again, 0 failed" in run("reap_jobs")


# usage_report


def test_usage_report_sums_tokens_cost_and_generations_per_user_for_the_month():
    ada, bo = UserFactory(username="ada"), UserFactory(username="bo")
    GenerationJobFactory(owner=ada, succeeded=True)  # 2,400 tokens, $0.00125
    GenerationJobFactory(owner=ada, succeeded=True, requested=False, kind=StoryJobKind.PAGE_ILLUSTRATION)
    GenerationJobFactory(owner=bo, succeeded=True, cost=Decimal("0.5"))
    old = GenerationJobFactory(owner=bo, succeeded=True, cost=Decimal("9"))
    now = timezone.now()
    last_month = (now.replace(day=1) - timedelta(days=1)).replace(day=15)
    GenerationJob.objects.filter(pk=old.pk).update(created_at=last_month)

    out = run("usage_report")
    lines = out.strip().splitlines()
    assert lines[0].split() == ["USER", "GENERATIONS", "JOBS", "TOKENS", "COST", "(USD)"]
    assert lines[1].split() == ["bo", "1", "1", "2,400", "0.5000"]  # the most expensive first
    assert lines[2].split() == ["ada", "1", "2", "4,800", "0.0025"]
    assert lines[-1] == (f"usage_report {now:%Y-%m}: 2 user(s), 2 generation(s), 3 job(s), 7,200 tokens, $0.5025.")
    previous = run("usage_report", "--month", f"{last_month:%Y-%m}")
    assert previous.strip().splitlines()[-1] == (
        f"usage_report {last_month:%Y-%m}: 1 user(s), 1 generation(s), 1 job(s), 2,400 tokens, $9.0000."
    )
    assert run("usage_report", "--month", "2001-01").strip() == (
        "usage_report 2001-01: 0 user(s), 0 generation(s), 0 job(s), 0 tokens, $0.0000."
    )


@pytest.mark.parametrize("month", ["2026-13", "2026-1", "January", "2026-00"])
def test_usage_report_refuses_a_month_it_cannot_read(month):
    error, _ = fails("usage_report", "--month", month)
    assert "--month must be a month written YYYY-MM" in str(error)


# prune_media


def age(path: Path, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def plant(media_root: Path, name: str, content: bytes = b"x" * 100) -> Path:
    path = media_root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    age(path, 2)
    return path


def test_prune_media_deletes_only_unreferenced_images(media_root):
    portrait = PortraitFactory()
    illustration = IllustrationFactory()
    kept = [Path(portrait.image.path), Path(illustration.image.path)]
    for path in kept:
        age(path, 2)
    orphans = [
        plant(media_root, "portraits/ab/orphan.png", b"p" * 300),
        plant(media_root, "illustrations/cd/ef/orphan.png", b"i" * 200),
    ]
    others = [plant(media_root, "exports/book.pdf"), plant(media_root, "notes.txt")]
    recent = media_root / "portraits/ab/being-saved.png"
    recent.write_bytes(b"new")

    dry = run("prune_media", "--dry-run")
    assert "would delete portraits/ab/orphan.png" in dry and "would delete illustrations/cd/ef/orphan.png" in dry
    assert dry.strip().splitlines()[-1] == (
        "prune_media: would delete 2 orphaned file(s), 500 bytes to free; 1 recent orphan(s) kept for now."
    )
    assert all(path.exists() for path in orphans + kept + others + [recent])

    out = run("prune_media")
    assert out.strip().splitlines()[-1] == (
        "prune_media: deleted 2 orphaned file(s), 500 bytes freed; 1 recent orphan(s) kept for now."
    )
    assert not any(path.exists() for path in orphans)
    assert all(path.exists() for path in kept + others + [recent])

    out = run("prune_media", "--min-age", "0")
    assert out.strip().splitlines()[-1] == "prune_media: deleted 1 orphaned file(s), 3 bytes freed."
    assert not recent.exists() and all(path.exists() for path in kept + others)


def test_prune_media_keeps_the_cover_pictures_books_refer_to(media_root):
    cover = CoverPictureFactory()
    kept = Path(cover.image.path)
    age(kept, 2)
    orphan = plant(media_root, "covers/ab/orphan.png", b"c" * 50)

    out = run("prune_media")

    assert out.strip().splitlines()[-1] == "prune_media: deleted 1 orphaned file(s), 50 bytes freed."
    assert kept.exists() and not orphan.exists()


def test_prune_media_with_no_image_folders_deletes_nothing(media_root):
    assert run("prune_media").strip() == "prune_media: deleted 0 orphaned file(s), 0 bytes freed."


@pytest.mark.parametrize("minutes", ["soon", "-5"])
def test_prune_media_refuses_a_bad_minimum_age(minutes):
    error, _ = fails("prune_media", "--min-age", minutes)
    assert "--min-age" in str(error)


# check_integrity


def test_check_integrity_on_consistent_data_finds_nothing():
    character = CharacterFactory()
    portrait = PortraitFactory(character=character, is_selected=True)
    Character.objects.filter(pk=character.pk).update(selected_portrait=portrait)
    story = StoryFactory(status=Story.Status.READY, page_count=2, pages=2)
    page = story.pages.first()
    illustration = IllustrationFactory(page=page, is_selected=True)
    Page.objects.filter(pk=page.pk).update(selected_illustration=illustration)
    RelationshipFactory()
    assert run("check_integrity").strip() == "check_integrity: 0 problem(s) found; all consistent."


def test_check_integrity_finds_each_planted_problem_and_fix_repairs_the_safe_ones(media_root):
    # A selected portrait of another character, and a flagged portrait nobody points at.
    mia, leo = CharacterFactory(name="Mia"), CharacterFactory(name="Leo")
    mia_portrait = PortraitFactory(character=mia, is_selected=True)
    leo_portrait = PortraitFactory(character=leo, is_selected=True)
    Character.objects.filter(pk=mia.pk).update(selected_portrait=leo_portrait)
    # A page whose selected picture belongs to another page.
    story = StoryFactory(status=Story.Status.READY, page_count=2, pages=2)
    first, second = story.pages.order_by("number")
    first_picture = IllustrationFactory(page=first, is_selected=True)
    Page.objects.filter(pk=second.pk).update(selected_illustration=first_picture)
    Page.objects.filter(pk=first.pk).update(selected_illustration=first_picture)
    # A ready book with a gap in its pages.
    gappy = StoryFactory(status=Story.Status.READY, page_count=3)
    for number in (1, 2, 4):
        PageFactory(story=gappy, number=number)
    # An image row without its file.
    lost = PortraitFactory()
    Path(lost.image.path).unlink()
    # A relationship across two accounts.
    crossed = RelationshipFactory(to_character=CharacterFactory())
    # A job left running past its deadline.
    stuck = GenerationJobFactory(
        status=GenerationJob.Status.RUNNING, attempts=1, deadline_at=timezone.now() - timedelta(hours=1)
    )

    error, out = fails("check_integrity")
    assert error.returncode == 1
    assert str(error) == "check_integrity: 7 problem(s) found."
    assert (
        f"[portrait_selection] character {mia.pk}: its selected portrait {leo_portrait.pk} belongs to character {leo.pk}"
        in out
    )
    assert f"[portrait_selection] character {leo.pk}: portrait {leo_portrait.pk} is marked as selected" in out
    assert (
        f"[illustration_selection] story {story.pk} page 2: its selected illustration {first_picture.pk} belongs to another page"
        in out
    )
    assert f"[page_numbers] story {gappy.pk} is ready with 3 pages for a page count of 3; missing page numbers 3" in out
    assert f"[image_files] portrait {lost.pk}: its file {lost.image.name} is missing" in out
    assert f"[relationship_owners] relationship {crossed.pk}: characters" in out
    assert f"[overdue_jobs] story_text job {stuck.pk} has been running past its deadline" in out
    assert out.count("(--fix repairs this)") == 4

    error, out = fails("check_integrity", "--fix")
    assert str(error) == "check_integrity: 7 problem(s) found, 4 fixed, 3 need a person."
    assert f"fixed: character {mia.pk}: selected portrait {leo_portrait.pk} -> {mia_portrait.pk}" in out
    assert f"fixed: character {leo.pk}: selected portrait none -> {leo_portrait.pk}" in out
    assert f"fixed: story {story.pk} page 2: selected illustration {first_picture.pk} -> none" in out
    assert f"fixed: job {stuck.pk}: failed with JOB_STUCK" in out
    mia.refresh_from_db(), leo.refresh_from_db(), second.refresh_from_db(), first.refresh_from_db()
    stuck.refresh_from_db()
    assert mia.selected_portrait_id == mia_portrait.pk and leo.selected_portrait_id == leo_portrait.pk
    assert second.selected_illustration_id is None and first.selected_illustration_id == first_picture.pk
    assert stuck.status == GenerationJob.Status.FAILED and stuck.error_code == "JOB_STUCK"
    # Its story is told why, as the sweep would.
    assert Story.objects.get(pk=stuck.story_id).status == Story.Status.FAILED

    error, out = fails("check_integrity")
    assert str(error) == "check_integrity: 3 problem(s) found."
    gappy.delete(), lost.delete(), crossed.delete()
    assert run("check_integrity", "--fix").strip() == "check_integrity: 0 problem(s) found; all consistent."


def test_prune_media_deletes_orphaned_narration_clips_and_keeps_the_book_s(media_root):
    from tests.factories import SentenceClipFactory

    clip = SentenceClipFactory()
    kept = Path(clip.audio.path)
    age(kept, 2)
    orphan = plant(media_root, "narration/ab/orphan.mp3", b"m" * 100)

    out = run("prune_media")

    assert out.strip().splitlines()[-1] == "prune_media: deleted 1 orphaned file(s), 100 bytes freed."
    assert kept.exists() and not orphan.exists()
