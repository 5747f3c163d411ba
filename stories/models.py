import secrets
import uuid

from django.conf import settings
from django.db import models

from storyforge.core.images import GeneratedImage
from storyforge.core.reading import AgeGroup, Language, sentences

MIN_PAGES = 1
MAX_PAGES = 20
MAX_CAST = 4
# Where a page waits while the book is renumbered: above any real page number.
PAGE_PARKED = 1000


def seed_generate() -> int:
    return secrets.randbits(31)


class Series(models.Model):
    """An ordered group of stories that continue each other."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="series")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "series"
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["owner", "-updated_at"], name="series_owner_recent")]
        constraints = [models.CheckConstraint(condition=~models.Q(title=""), name="series_has_title")]

    def __str__(self):
        return self.title


class Tone(models.TextChoices):
    GENTLE = "gentle", "Gentle"
    FUNNY = "funny", "Funny"
    ADVENTUROUS = "adventurous", "Adventurous"
    BEDTIME = "bedtime", "Calm bedtime"
    SILLY = "silly", "Silly"
    MYSTERIOUS = "mysterious", "Mysterious"
    HEARTWARMING = "heartwarming", "Heartwarming"


class ArtStyle(models.TextChoices):
    WATERCOLOUR = "watercolour", "Watercolour"
    CRAYON = "crayon", "Crayon"
    STORYBOOK = "storybook", "Classic storybook"
    PAPER_CUT = "paper-cut", "Paper cut-out"
    PENCIL = "pencil", "Coloured pencil"
    CARTOON = "cartoon", "Bright cartoon"


class StoryStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    QUEUED = "queued", "Queued"
    GENERATING = "generating", "Generating"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class Story(models.Model):
    """A picture book: a brief (who, for whom, what kind of story) and, once
    generated, its title, summary and pages."""

    Status = StoryStatus

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stories")
    title = models.CharField(max_length=200, blank=True)
    characters = models.ManyToManyField("characters.Character", through="StoryCharacter", related_name="stories")
    series = models.ForeignKey(Series, null=True, blank=True, on_delete=models.SET_NULL, related_name="stories")
    series_position = models.PositiveSmallIntegerField(null=True, blank=True)
    age_group = models.CharField(max_length=4, choices=AgeGroup.choices, default=AgeGroup.PRESCHOOL)
    page_count = models.PositiveSmallIntegerField(default=8)
    tone = models.CharField(max_length=16, choices=Tone.choices, default=Tone.GENTLE)
    moral = models.CharField(max_length=200, blank=True)
    setting = models.CharField(max_length=200, blank=True, help_text="Where it happens, or what it is about.")
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.ENGLISH)
    art_style = models.CharField(max_length=16, choices=ArtStyle.choices, default=ArtStyle.WATERCOLOUR)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    error_code = models.CharField(max_length=40, blank=True)
    error_message = models.TextField(blank=True)
    summary = models.TextField(blank=True, help_text="A few sentences; later stories in the series read it.")
    reading_level = models.FloatField(null=True, blank=True, help_text="Flesch-Kincaid grade of the whole text.")
    seed = models.BigIntegerField(default=seed_generate, help_text="Makes the offline storyteller repeatable.")
    prompt_tokens = models.PositiveIntegerField(default=0)
    completion_tokens = models.PositiveIntegerField(default=0)
    cost = models.DecimalField(max_digits=12, decimal_places=6, default=0, help_text="US dollars.")
    share_token = models.CharField(
        max_length=64, null=True, blank=True, unique=True, help_text="Unguessable key of the read-only public link."
    )
    subtitle = models.CharField(max_length=200, blank=True)
    author_name = models.CharField(
        max_length=100, blank=True, help_text="The name on the cover; empty means the account's display name."
    )
    dedication = models.TextField(blank=True, help_text="The dedication page's words; empty means no such page.")
    cover = models.ForeignKey(
        "stories.CoverPicture", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "stories"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="story_owner_recent"),
            models.Index(fields=["owner", "status", "-created_at"], name="story_owner_status_recent"),
            models.Index(fields=["series", "series_position"], name="story_series_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(page_count__gte=MIN_PAGES, page_count__lte=MAX_PAGES),
                name="story_page_count_1_to_20",
            ),
            models.CheckConstraint(condition=models.Q(status__in=StoryStatus.values), name="story_status_known"),
            models.CheckConstraint(condition=models.Q(age_group__in=AgeGroup.values), name="story_age_group_known"),
            models.CheckConstraint(condition=models.Q(language__in=Language.values), name="story_language_known"),
            models.CheckConstraint(condition=models.Q(tone__in=Tone.values), name="story_tone_known"),
            models.CheckConstraint(condition=models.Q(art_style__in=ArtStyle.values), name="story_art_style_known"),
            models.CheckConstraint(condition=models.Q(cost__gte=0), name="story_cost_not_negative"),
            models.CheckConstraint(
                condition=~models.Q(status="failed") | ~models.Q(error_code=""), name="story_failure_has_code"
            ),
            models.CheckConstraint(
                condition=models.Q(series_position__isnull=True) | models.Q(series_position__gte=1),
                name="story_series_position_from_1",
            ),
            models.UniqueConstraint(fields=["series", "series_position"], name="story_one_per_series_position"),
        ]

    def __str__(self):
        return self.title or f"Untitled story #{self.pk}"

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


class StoryCharacter(models.Model):
    """A character's part in a story."""

    class Role(models.TextChoices):
        MAIN = "main", "Main character"
        SUPPORTING = "supporting", "Supporting character"

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="cast")
    character = models.ForeignKey("characters.Character", on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.MAIN)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order of appearance in the brief.")

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["story", "character"], name="story_character_once"),
            models.CheckConstraint(
                condition=models.Q(role__in=["main", "supporting"]), name="story_character_role_known"
            ),
        ]

    def __str__(self):
        return f"{self.character} ({self.get_role_display()})"


class Page(models.Model):
    """One page of a book: its text, what the picture shows, and its chosen illustration.
    `version` goes up with every edit so that two editors cannot overwrite each other."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveSmallIntegerField()
    text = models.TextField(blank=True)
    visual_description = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    selected_illustration = models.ForeignKey(
        "stories.Illustration", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["story", "number"]
        constraints = [
            models.UniqueConstraint(fields=["story", "number"], name="page_number_unique_per_story"),
            # A page being moved waits at PAGE_PARKED + its number for the length of one
            # statement of the renumbering transaction (stories/services/page_order.py).
            models.CheckConstraint(
                condition=models.Q(number__gte=MIN_PAGES, number__lte=MAX_PAGES)
                | models.Q(number__gt=PAGE_PARKED, number__lte=PAGE_PARKED + MAX_PAGES),
                name="page_number_1_to_20_or_parked",
            ),
        ]

    def __str__(self):
        return f"Page {self.number} of story {self.story_id}"

    @property
    def narration_clips(self) -> list["SentenceClip"]:
        """The clips of the page's current text, in order (from `clips`, prefetched by
        the book selectors: no query per page)."""
        return sorted((clip for clip in self.clips.all() if clip.page_version == self.version), key=lambda c: c.index)

    @property
    def narrated(self) -> bool:
        """Whether every sentence of the current text has its clip."""
        return bool(self.text.strip()) and len(self.narration_clips) == len(sentences(self.text))


class Illustration(GeneratedImage):
    """A candidate picture for a page; at most one is the selected one."""

    UPLOAD_FOLDER = "illustrations"

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="illustrations")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["page", "-created_at"], name="illustration_page_recent")]
        constraints = [
            models.UniqueConstraint(
                fields=["page"], condition=models.Q(is_selected=True), name="illustration_one_selected_per_page"
            ),
            models.CheckConstraint(condition=models.Q(cost__gte=0), name="illustration_cost_not_negative"),
        ]

    def __str__(self):
        return f"Illustration for page {self.page_id} ({self.provider})"


class CoverPicture(GeneratedImage):
    """A candidate picture for a book's cover, composed for it (the cast together,
    the title's subject); the chosen one is `Story.cover`. A book without one shows
    page 1's picture on its cover."""

    UPLOAD_FOLDER = "covers"

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="cover_pictures")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["story", "-created_at"], name="cover_story_recent")]
        constraints = [
            models.UniqueConstraint(
                fields=["story"], condition=models.Q(is_selected=True), name="cover_one_selected_per_story"
            ),
            models.CheckConstraint(condition=models.Q(cost__gte=0), name="cover_cost_not_negative"),
        ]

    def __str__(self):
        return f"Cover picture for story {self.story_id} ({self.provider})"


def clip_upload_to(instance, filename: str) -> str:
    """`narration/ab/<uuid>.mp3`: unguessable names spread over 256 folders."""
    name = uuid.uuid4().hex
    return f"{SentenceClip.UPLOAD_FOLDER}/{name[:2]}/{name}.mp3"


class SentenceClip(models.Model):
    """One sentence of a page, read aloud: the narration of a book is its pages'
    clips, in order. A clip belongs to the page's text at one `page_version`; an edit
    makes the page's clips stale and the page is narrated again (the rest are kept)."""

    UPLOAD_FOLDER = "narration"

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="clips")
    page_version = models.PositiveIntegerField()
    index = models.PositiveSmallIntegerField(help_text="The sentence's place on the page, from 0.")
    text = models.TextField(help_text="The sentence as spoken (storyforge.core.reading.sentences).")
    audio = models.FileField(upload_to=clip_upload_to, max_length=200)
    duration_ms = models.PositiveIntegerField()
    provider = models.CharField(max_length=32, blank=True)
    model = models.CharField(max_length=100, blank=True)
    voice = models.CharField(max_length=100, blank=True)
    cost = models.DecimalField(max_digits=12, decimal_places=6, default=0, help_text="US dollars.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["page", "index"]
        constraints = [
            models.UniqueConstraint(fields=["page", "page_version", "index"], name="clip_one_per_sentence"),
            models.CheckConstraint(condition=models.Q(cost__gte=0), name="clip_cost_not_negative"),
        ]

    def __str__(self):
        return f"Sentence {self.index} of page {self.page_id} (version {self.page_version})"


class PageRevision(models.Model):
    """An earlier text of a page: every change to a page's words keeps the words it
    replaced, at the page version they had, so that they can be read and restored."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField(help_text="The page's version while it had this text.")
    text = models.TextField()
    visual_description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, help_text="When this text was replaced.")

    class Meta:
        ordering = ["page", "-version"]
        constraints = [models.UniqueConstraint(fields=["page", "version"], name="page_revision_one_per_version")]

    def __str__(self):
        return f"Page {self.page_id} at version {self.version}"


class StoryJobKind(models.TextChoices):
    """The kinds of generation job the stories app registers (stories/jobs.py)."""

    STORY_TEXT = "story_text", "Story text"
    PAGE_ILLUSTRATION = "page_illustration", "Page illustration"
    PAGE_TEXT = "page_text", "Page text"
    PAGE_NARRATION = "page_narration", "Page narration"
    PAGE_WRITE = "page_write", "New page"
    COVER_ILLUSTRATION = "cover_illustration", "Cover picture"
