"""A story's pages saved while the AI is still writing the rest of it.

The story call streams (storyforge/generation/providers/json_stream.py): each page,
once its text is complete, is moderated, saved and shown (the studio and the API
list it), and its picture asked for at once, while later pages are still being
written. A page the moderation flags is never saved, so no picture starts for it;
the job then fails as before, keeping the pages saved before it.

Saves are keyed by (story, page number): a job delivered again after its worker
died mid-stream writes the story again, finds the pages it saved the first time,
and adds only the missing ones, each with one picture job.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import F

from stories.models import Page, Story
from storyforge.core.errors import AIUnavailable
from storyforge.core.pagecache import pagecache_invalidate
from storyforge.core.queues import database_connections_release
from storyforge.generation.budget import generation_carried
from storyforge.generation.calls import generated_text_moderate
from storyforge.generation.models import GenerationJob
from storyforge.generation.providers import cost_estimate
from storyforge.generation.providers.base import PageDraft, ProviderError, Usage

STORY_REFUSAL = "The written story was not suitable for children and was thrown away; try another brief."
WRITING = (Story.Status.QUEUED, Story.Status.GENERATING)


class PagesAsWritten:
    """Given to a provider that streams (`pages_stream`) as story_write's `on_page`."""

    def __init__(self, *, job_id: int, story: Story):
        self.job_id, self.story_id, self.owner_id = job_id, story.pk, story.owner_id
        self.usage = Usage()  # the moderation of the pages, charged to the text job
        # A page flagged (or refused for good): no page after it is saved, and the error
        # is raised once the reply is complete (`problem_raise`), so that what the AI
        # wrote is charged as it was before pages streamed.
        self.problem: ProviderError | None = None
        # A page's moderation failing for a moment (or the circuit breaker, half-open,
        # letting only the story call through) stops the saving as it streams: the rest
        # is moderated in one call and saved once the reply is complete, as without
        # streaming, instead of the whole story being written again.
        self.streaming = True

    def asked_of(self, provider) -> dict:
        """story_write's keyword arguments for `provider`: none when it cannot stream."""
        return {"on_page": self.page_written} if getattr(provider, "pages_stream", False) else {}

    def page_written(self, number: int, page: PageDraft, title: str = "", summary: str = "") -> None:
        """Page `number` is complete (the title and summary, written before the pages,
        come with it): moderated with the first page, saved unless it is already, and
        its picture queued."""
        if self.problem is not None or not self.streaming:
            return
        texts = [page.text, page.visual_description] + ([title, summary] if number == 1 else [])
        try:
            moderation = generated_text_moderate(texts, refusal=STORY_REFUSAL)
        except ProviderError as error:
            if error.transient:
                self.streaming = False
            else:
                self.problem = error
            return
        except AIUnavailable:
            self.streaming = False
            return
        self.usage += moderation.usage
        with transaction.atomic():
            story = Story.objects.select_for_update().get(pk=self.story_id)
            if story.status in WRITING and number <= story.page_count:
                saved, created = Page.objects.get_or_create(
                    story=story,
                    number=number,
                    defaults={"text": page.text, "visual_description": page.visual_description},
                )
                if created:
                    if number == 1 and title and not story.title:
                        story.title = title[:200]
                        story.save(update_fields=["title", "updated_at"])
                    self._picture_ask(story, saved)
        pagecache_invalidate(self.owner_id)
        database_connections_release()  # back to waiting for the rest of the story

    def problem_raise(self) -> None:
        """After the story call: the error a page met while it streamed, if any."""
        if self.problem is not None:
            raise self.problem

    def _picture_ask(self, story: Story, page: Page) -> None:
        """The page's picture job, holding a picture's share of the estimate the text
        job holds for the whole book (moved, not added, so the budget counts it once)."""
        from stories.services.generation import illustration_job_create

        share = cost_estimate(images=1)
        moved = GenerationJob.objects.filter(pk=self.job_id, reserved__gte=share).update(reserved=F("reserved") - share)
        with generation_carried(owner_id=story.owner_id, estimate=share if moved else Decimal("0")):
            illustration_job_create(story, page)


def pages_rest_save(story: Story, drafts: tuple[PageDraft, ...]) -> list[Page]:
    """Inside the text job's last transaction, the story locked: the pages the stream
    did not save (a provider that does not stream, a reply read only at the end),
    created now; returns them. Pages already saved stay as they are."""
    have = set(Page.objects.filter(story=story).values_list("number", flat=True))
    return Page.objects.bulk_create(
        Page(story=story, number=number, text=page.text, visual_description=page.visual_description)
        for number, page in enumerate(drafts, start=1)
        if number not in have
    )


def pages_unsaved(story: Story, drafts: tuple[PageDraft, ...]) -> list[PageDraft]:
    """The drafts whose page is not saved yet: what is left to moderate at the end."""
    have = set(Page.objects.filter(story=story).values_list("number", flat=True))
    return [page for number, page in enumerate(drafts, start=1) if number not in have]
