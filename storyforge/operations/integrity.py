"""Consistency checks across the whole database, and the repairs that are safe
(`manage.py check_integrity [--fix]`).

Safe means the right value can be derived from the data itself: a picture
selection is re-derived from the pictures' `is_selected` flag (what the select
services set first), and a job running past its deadline with no worker left is
failed the way the stuck-job sweep fails it. Everything else (a page missing
from a book, an image row without its file, a relationship across two accounts)
is reported for a person to decide.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from characters.models import Character, Portrait, Relationship
from stories.models import Illustration, Page, Story
from storyforge.core.errors import ErrorCode
from storyforge.core.images import candidate_choose
from storyforge.generation.models import GenerationJob
from storyforge.operations.media import STORED_FILES, media_walk

STUCK_CODE = ErrorCode.JOB_STUCK
STUCK_MESSAGE = "The job ran past its deadline with no worker to finish it; try again."


@dataclass
class Finding:
    check: str  # which check found it: portrait_selection, page_numbers, ...
    message: str
    repair: Callable[[], str] | None = None  # does the safe repair and says what it did
    subject: str = ""  # what the repair changes ("character:12"): one repair each
    repaired: str = ""


def findings_collect() -> list[Finding]:
    findings: list[Finding] = []
    for check in (
        _portrait_selection,
        _illustration_selection,
        _page_numbers,
        _image_files,
        _relationship_owners,
        _overdue_jobs,
    ):
        findings.extend(check())
    return findings


def findings_repair(findings: list[Finding]) -> list[Finding]:
    """Run the safe repair of each finding that has one; returns those repaired."""
    repaired = []
    done: set[str] = set()
    for finding in findings:
        if finding.repair is None or finding.subject in done:
            continue
        with transaction.atomic():
            finding.repaired = finding.repair()
        done.add(finding.subject)
        repaired.append(finding)
    return repaired


# Picture selections: the pointer and the flag must agree


def _portrait_selection() -> list[Finding]:
    findings, seen = [], set()
    elsewhere = Character.objects.filter(selected_portrait__isnull=False).exclude(
        selected_portrait__character_id=F("id")
    )
    for character_id, portrait_id, owner_of_portrait in elsewhere.values_list(
        "id", "selected_portrait_id", "selected_portrait__character_id"
    ):
        seen.add(character_id)
        findings.append(
            Finding(
                "portrait_selection",
                f"character {character_id}: its selected portrait {portrait_id} belongs to character "
                f"{owner_of_portrait}",
                _portrait_rederive_for(character_id),
                f"character:{character_id}",
            )
        )
    unflagged = Character.objects.filter(selected_portrait__character_id=F("id"), selected_portrait__is_selected=False)
    for character_id, portrait_id in unflagged.values_list("id", "selected_portrait_id"):
        seen.add(character_id)
        findings.append(
            Finding(
                "portrait_selection",
                f"character {character_id}: its selected portrait {portrait_id} is not marked as selected",
                _portrait_rederive_for(character_id),
                f"character:{character_id}",
            )
        )
    unpointed = Portrait.objects.filter(is_selected=True).filter(
        Q(character__selected_portrait__isnull=True) | ~Q(character__selected_portrait_id=F("id"))
    )
    for portrait_id, character_id in unpointed.values_list("id", "character_id"):
        if character_id in seen:
            continue
        findings.append(
            Finding(
                "portrait_selection",
                f"character {character_id}: portrait {portrait_id} is marked as selected but is not the "
                "character's selected portrait",
                _portrait_rederive_for(character_id),
                f"character:{character_id}",
            )
        )
    return findings


def _portrait_rederive_for(character_id: int) -> Callable[[], str]:
    def repair() -> str:
        character = Character.objects.select_for_update().get(pk=character_id)
        before = character.selected_portrait_id
        candidates = Portrait.objects.filter(character_id=character_id)
        flagged = candidates.filter(is_selected=True).first()
        candidate_choose(
            character, flagged, candidates=candidates, field="selected_portrait", owner_id=character.owner_id
        )
        after = flagged.pk if flagged else None
        return f"character {character_id}: selected portrait {before or 'none'} -> {after or 'none'}"

    return repair


def _illustration_selection() -> list[Finding]:
    findings, seen = [], set()
    elsewhere = Page.objects.filter(selected_illustration__isnull=False).exclude(selected_illustration__page_id=F("id"))
    for page_id, story_id, number, illustration_id in elsewhere.values_list(
        "id", "story_id", "number", "selected_illustration_id"
    ):
        seen.add(page_id)
        findings.append(
            Finding(
                "illustration_selection",
                f"story {story_id} page {number}: its selected illustration {illustration_id} belongs to another page",
                _illustration_rederive_for(page_id),
                f"page:{page_id}",
            )
        )
    unflagged = Page.objects.filter(selected_illustration__page_id=F("id"), selected_illustration__is_selected=False)
    for page_id, story_id, number, illustration_id in unflagged.values_list(
        "id", "story_id", "number", "selected_illustration_id"
    ):
        seen.add(page_id)
        findings.append(
            Finding(
                "illustration_selection",
                f"story {story_id} page {number}: its selected illustration {illustration_id} is not marked "
                "as selected",
                _illustration_rederive_for(page_id),
                f"page:{page_id}",
            )
        )
    unpointed = Illustration.objects.filter(is_selected=True).filter(
        Q(page__selected_illustration__isnull=True) | ~Q(page__selected_illustration_id=F("id"))
    )
    for illustration_id, page_id, story_id, number in unpointed.values_list(
        "id", "page_id", "page__story_id", "page__number"
    ):
        if page_id in seen:
            continue
        findings.append(
            Finding(
                "illustration_selection",
                f"story {story_id} page {number}: illustration {illustration_id} is marked as selected but is "
                "not the page's selected illustration",
                _illustration_rederive_for(page_id),
                f"page:{page_id}",
            )
        )
    return findings


def _illustration_rederive_for(page_id: int) -> Callable[[], str]:
    def repair() -> str:
        page = Page.objects.select_related("story").select_for_update(of=("self",)).get(pk=page_id)
        before = page.selected_illustration_id
        candidates = Illustration.objects.filter(page_id=page_id)
        flagged = candidates.filter(is_selected=True).first()
        candidate_choose(
            page, flagged, candidates=candidates, field="selected_illustration", owner_id=page.story.owner_id
        )
        after = flagged.pk if flagged else None
        return (
            f"story {page.story_id} page {page.number}: selected illustration {before or 'none'} -> {after or 'none'}"
        )

    return repair


# Books, files, relationships, jobs: reported


def _page_numbers() -> list[Finding]:
    # Numbers are unique per story and at least 1, so N pages whose highest number
    # is N are exactly 1..N.
    stories = (
        Story.objects.filter(status=Story.Status.READY)
        .annotate(pages_found=Count("pages"), highest=Max("pages__number"))
        .exclude(pages_found=F("page_count"), highest=F("page_count"))
        .order_by("id")
    )
    findings = []
    for story in stories:
        numbers = list(Page.objects.filter(story=story).order_by("number").values_list("number", flat=True))
        missing = sorted(set(range(1, max([story.page_count, *numbers]) + 1)) - set(numbers))
        findings.append(
            Finding(
                "page_numbers",
                f"story {story.pk} is ready with {len(numbers)} pages for a page count of {story.page_count}"
                + (f"; missing page numbers {', '.join(map(str, missing))}" if missing else ""),
            )
        )
    return findings


def _image_files() -> list[Finding]:
    """Rows whose stored file is missing: portraits, illustrations and narration clips.
    Each folder is listed once through the storage (on object storage a listing costs a
    request per thousand files, where asking about each file costs one per file)."""
    findings = []
    for model, field_name in STORED_FILES:
        stored = set(media_walk(default_storage, model.UPLOAD_FOLDER))
        label = model._meta.verbose_name
        for pk, name in model.objects.order_by("pk").values_list("pk", field_name).iterator():
            if not name or name not in stored:
                findings.append(Finding("image_files", f"{label} {pk}: its file {name or '(none)'} is missing"))
    return findings


def _relationship_owners() -> list[Finding]:
    crossed = Relationship.objects.exclude(from_character__owner_id=F("to_character__owner_id")).values_list(
        "pk", "from_character_id", "to_character_id"
    )
    return [
        Finding(
            "relationship_owners",
            f"relationship {pk}: characters {left} and {right} belong to different accounts",
        )
        for pk, left, right in crossed
    ]


def _overdue_jobs() -> list[Finding]:
    overdue = GenerationJob.objects.filter(status=GenerationJob.Status.RUNNING, deadline_at__lt=timezone.now())
    return [
        Finding(
            "overdue_jobs",
            f"{kind} job {pk} has been running past its deadline {deadline:%Y-%m-%d %H:%M:%S} UTC",
            _job_fail_for(pk),
            f"job:{pk}",
        )
        for pk, kind, deadline in overdue.values_list("pk", "kind", "deadline_at")
    ]


def _job_fail_for(job_id: int) -> Callable[[], str]:
    def repair() -> str:
        from storyforge.generation.jobs import job_fail

        job = GenerationJob.objects.select_for_update().get(pk=job_id)
        if job.status != GenerationJob.Status.RUNNING or not job.deadline_at or job.deadline_at >= timezone.now():
            return f"job {job_id}: left alone, it is {job.status} now"
        # The sweep's own ending for a stuck job: failed with JOB_STUCK, its story told why.
        job_fail(job_id=job_id, code=STUCK_CODE, message=STUCK_MESSAGE)
        return f"job {job_id}: failed with {STUCK_CODE}"

    return repair
