"""Asking for a story, and asking again after a failure."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from characters.models import Character
from characters.selectors import character_sheet, relationship_sentences
from stories.models import (
    MAX_CAST,
    MAX_PAGES,
    MIN_PAGES,
    ArtStyle,
    Page,
    Story,
    StoryCharacter,
    Tone,
)
from stories.selectors import series_get, story_get
from stories.services.generation import (
    book_pictures,
    illustration_job_create,
    story_brief,
    story_finish_if_complete,
    story_text_job_create,
)
from storyforge.core.errors import Conflict, ErrorCode, InvalidInput, NotFound
from storyforge.core.pagecache import pagecache_invalidate
from storyforge.core.reading import AgeGroup, Language
from storyforge.generation import breaker
from storyforge.generation.budget import generation_reserved
from storyforge.generation.jobs import jobs_cancel
from storyforge.generation.languages import text_language_check
from storyforge.generation.models import GenerationJob
from storyforge.generation.moderation import brief_texts, sheet_texts, text_moderate
from storyforge.generation.providers import cost_estimate

ROLES = {choice.value for choice in StoryCharacter.Role}
UNFINISHED_JOBS = (GenerationJob.Status.QUEUED, GenerationJob.Status.RUNNING)
# The caps on a brief's words are their CharFields' (one place each); they go into every prompt.
STORY_TEXT_CAPS = {field: Story._meta.get_field(field).max_length for field in ("title", "moral", "setting")}


def _choice(field: str, value: str, choices) -> str:
    if value not in choices.values:
        raise InvalidInput.for_field(field, f"'{value}' is not one of: {', '.join(choices.values)}.")
    return value


def _cast_validate(user, cast: list[dict]) -> list[tuple[Character, str]]:
    if not 1 <= len(cast) <= MAX_CAST:
        raise InvalidInput.for_field("characters", f"Choose between 1 and {MAX_CAST} characters.")
    ids = []
    for member in cast:
        try:
            ids.append(int(member["character"]))
        except (KeyError, TypeError, ValueError):
            raise InvalidInput.for_field("characters", "Each character needs its id.") from None
        if member.get("role", "main") not in ROLES:
            raise InvalidInput.for_field("characters", f"A role is 'main' or 'supporting', not '{member.get('role')}'.")
    if len(set(ids)) != len(ids):
        raise InvalidInput.for_field("characters", "Each character can be in the story once.")
    found = Character.objects.filter(owner=user, pk__in=ids).select_related("selected_portrait").in_bulk()
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise NotFound.of("character", characters=missing)
    drafts = [found[pk].name or f"#{pk}" for pk in ids if found[pk].status != Character.Status.READY]
    if drafts:
        raise InvalidInput.for_field("characters", f"Finish these characters first: {', '.join(drafts)}.")
    chosen = [(found[pk], member.get("role", "main")) for pk, member in zip(ids, cast, strict=True)]
    if not any(role == "main" for _, role in chosen):
        chosen[0] = (chosen[0][0], "main")
    return chosen


def story_create(
    *,
    user,
    characters: list[dict],
    age_group: str | None = None,
    page_count: int = 8,
    tone: str = Tone.GENTLE,
    moral: str = "",
    setting: str = "",
    language: str | None = None,
    art_style: str = ArtStyle.WATERCOLOUR,
    series_id: int | None = None,
    title: str = "",
) -> tuple[Story, GenerationJob]:
    """A new story from a brief, queued for writing and illustrating.

    `characters` is a list of {"character": id, "role": "main" | "supporting"}.
    Checks ownership, moderates the user's words, and checks the circuit breaker
    and the daily budget before anything is saved or enqueued.
    """
    age_group = _choice("age_group", age_group or user.default_age_group, AgeGroup)
    language = _choice("language", language or user.language, Language)
    text_language_check(language)  # before anything is saved: no English text under a German label
    _choice("tone", tone, Tone)
    _choice("art_style", art_style, ArtStyle)
    try:
        page_count = int(page_count)
    except (TypeError, ValueError):
        raise InvalidInput.for_field("page_count", "The page count is a whole number.") from None
    if not MIN_PAGES <= page_count <= MAX_PAGES:
        raise InvalidInput.for_field("page_count", f"A story has between {MIN_PAGES} and {MAX_PAGES} pages.")
    moral, setting, title = (" ".join(text.split()) for text in (moral, setting, title))
    for field, text in (("moral", moral), ("setting", setting), ("title", title)):
        if len(text) > STORY_TEXT_CAPS[field]:
            raise InvalidInput.for_field(field, f"Keep it under {STORY_TEXT_CAPS[field]} characters.")
    chosen = _cast_validate(user, characters)
    series = None if series_id is None else series_get(user=user, series_id=series_id)

    breaker.breaker_check()
    # Every word of the grown-ups' that the prompts will carry, relationship notes included.
    texts = [title, moral, setting, *relationship_sentences([character.pk for character, _ in chosen])]
    for character, _role in chosen:
        texts += sheet_texts(character_sheet(character))
    text_moderate(texts)
    estimate = cost_estimate(text_pages=page_count, images=book_pictures(page_count))
    with generation_reserved(user=user, estimate=estimate):  # checks the budget and holds the estimate
        position = None
        if series is not None:
            series_get(user=user, series_id=series.pk, for_update=True)  # one numbering at a time
            last = Story.objects.filter(series=series).aggregate(last=Max("series_position"))["last"]
            position = (last or 0) + 1
        story = Story.objects.create(
            owner=user,
            title=title,
            series=series,
            series_position=position,
            age_group=age_group,
            page_count=page_count,
            tone=tone,
            moral=moral,
            setting=setting,
            language=language,
            art_style=art_style,
            status=Story.Status.QUEUED,
        )
        StoryCharacter.objects.bulk_create(
            StoryCharacter(story=story, character=character, role=role, position=index)
            for index, (character, role) in enumerate(chosen)
        )
        pagecache_invalidate(user.pk)
        job = story_text_job_create(story, attempt=1)
    return story, job


def story_retry(*, user, story_id: int) -> list[GenerationJob]:
    """Ask again for what a failed story is missing: its text, or the pictures of the
    pages that have none. Pages already written and drawn are kept."""
    breaker.breaker_check()
    # The characters may have been edited since the story was asked for.
    text_moderate(brief_texts(story_brief(story_get(user=user, story_id=story_id))))
    with generation_reserved(user=user) as reservation:  # the estimate is held below, once known
        story = story_get(user=user, story_id=story_id, for_update=True)
        if story.status != Story.Status.FAILED:
            raise Conflict("Only a story whose generation failed can be retried.")
        attempt = story.generation_jobs.count() + 1
        story.status, story.error_code, story.error_message = Story.Status.GENERATING, "", ""
        story.save(update_fields=["status", "error_code", "error_message", "updated_at"])
        pagecache_invalidate(user.pk)
        pages = list(Page.objects.filter(story=story))
        missing = [page for page in pages if page.selected_illustration_id is None]
        if len(pages) < story.page_count:
            # The text stopped part-way (pages are saved as they stream in): it is written
            # again, the pages saved so far kept, and their missing pictures drawn.
            pictures = book_pictures(story.page_count - len(pages)) + len(missing)
            reservation.hold(cost_estimate(text_pages=story.page_count, images=pictures))
            return [
                story_text_job_create(story, attempt=attempt),
                *(illustration_job_create(story, page, attempt=attempt, requested=True) for page in missing),
            ]
        if not missing:
            story_finish_if_complete(story)
        reservation.hold(cost_estimate(images=len(missing)))
        return [illustration_job_create(story, page, attempt=attempt, requested=True) for page in missing]


DEDICATION_MAX = 300  # a few lines on a page of its own
FRONT_MATTER_CAPS = {
    "title": STORY_TEXT_CAPS["title"],
    "subtitle": Story._meta.get_field("subtitle").max_length,
    "author_name": Story._meta.get_field("author_name").max_length,
    "dedication": DEDICATION_MAX,
}


def _front_matter_text(field: str, text: str) -> str:
    """One line for a title, subtitle or author; a dedication keeps its line breaks."""
    if field == "dedication":
        lines = (" ".join(line.split()) for line in str(text).splitlines())
        text = "\n".join(line for line in lines if line)
    else:
        text = " ".join(str(text).split())
    if len(text) > FRONT_MATTER_CAPS[field]:
        raise InvalidInput.for_field(field, f"Keep it under {FRONT_MATTER_CAPS[field]} characters.")
    return text


def story_cancel(*, user, story_id: int) -> Story:
    """Stop making a story. Its queued jobs are cancelled and let go of what they held
    of the budget; a job whose AI call is running lets it finish, then drops its
    result (storyforge.generation.jobs). The pages already made stay, and the story
    says it was stopped (status failed, STORY_CANCELLED): story_retry finishes it.
    A story that is not being made is a CONFLICT."""
    story_get(user=user, story_id=story_id)  # another grown-up's story is NotFound, before any lock
    with transaction.atomic():
        # The jobs before the story: the order a worker saving its work locks them in.
        jobs = GenerationJob.objects.filter(story_id=story_id)
        list(jobs.select_for_update().filter(status__in=UNFINISHED_JOBS).values_list("pk", flat=True))
        story = story_get(user=user, story_id=story_id, for_update=True)
        if story.status not in (Story.Status.QUEUED, Story.Status.GENERATING):
            raise Conflict(
                f"This story is {story.get_status_display().lower()}, not being made: there is nothing to stop.",
                details={"status": story.status},
            )
        jobs_cancel(jobs)  # again under the story's lock: a job asked for meanwhile is caught too
        made = Page.objects.filter(story=story).count()
        kept = f"The {made} page(s) already written are kept; " if made else ""
        story.status, story.error_code = Story.Status.FAILED, ErrorCode.STORY_CANCELLED
        story.error_message = f"You stopped this book. {kept}Try again to finish it."
        story.save(update_fields=["status", "error_code", "error_message", "updated_at"])
        pagecache_invalidate(user.pk)
    return story


@transaction.atomic
def story_update(
    *,
    user,
    story_id: int,
    title: str | None = None,
    subtitle: str | None = None,
    author_name: str | None = None,
    dedication: str | None = None,
) -> Story:
    """Change a book's title and front matter: the fields given (None: unchanged). The
    title cannot be empty; an empty subtitle or dedication is none, an empty author
    name is the account's display name. Every new word is moderated."""
    given = {"title": title, "subtitle": subtitle, "author_name": author_name, "dedication": dedication}
    changes = {field: _front_matter_text(field, text) for field, text in given.items() if text is not None}
    if "title" in changes and not changes["title"]:
        raise InvalidInput.for_field("title", "Give the story a title.")
    text_moderate([text for text in changes.values() if text])
    story = story_get(user=user, story_id=story_id, for_update=True)
    for field, text in changes.items():
        setattr(story, field, text)
    story.save(update_fields=[*changes, "updated_at"])
    pagecache_invalidate(user.pk)
    return story


@transaction.atomic
def story_delete(*, user, story_id: int) -> None:
    """Delete a story with its pages, pictures and narration; its jobs stay for the usage figures."""
    from stories.models import CoverPicture, Illustration, SentenceClip
    from storyforge.core.images import files_delete_on_commit

    story = story_get(user=user, story_id=story_id, for_update=True)
    names = list(Illustration.objects.filter(page__story=story).values_list("image", flat=True))
    names += list(CoverPicture.objects.filter(story=story).values_list("image", flat=True))
    names += list(SentenceClip.objects.filter(page__story=story).values_list("audio", flat=True))
    story.delete()
    pagecache_invalidate(user.pk)
    files_delete_on_commit(names)
