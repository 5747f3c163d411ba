"""Input and output shapes of the stories API: stories, pages, pictures, series, jobs.

Inputs check types and choices; the services check the rest (ownership, the cast,
moderation, the daily budget) and name the field at fault.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from stories.export import BOOK_FORMATS, PDF_LAYOUTS, TRIM_SIZES
from stories.models import (
    MAX_CAST,
    MAX_PAGES,
    MIN_PAGES,
    ArtStyle,
    CoverPicture,
    Illustration,
    Page,
    PageRevision,
    Series,
    Story,
    StoryCharacter,
    Tone,
)
from stories.services.page_order import PAGE_ADD_MODES
from stories.services.pages import PAGE_TEXT_MAX, REGENERATE
from stories.services.series import SERIES_DESCRIPTION_MAX_LENGTH, SERIES_TITLE_MAX_LENGTH
from stories.services.story import FRONT_MATTER_CAPS, STORY_TEXT_CAPS
from storyforge.core.api_schema import ID_MAX, TextField, UniqueListField
from storyforge.core.private_media import media_url
from storyforge.core.reading import AgeGroup, Language
from storyforge.generation.serializers import JobOutput


class IllustrationOutput(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The picture (PNG).")

    class Meta:
        model = Illustration
        fields = ["id", "url", "width", "height", "provider", "model", "is_selected", "created_at"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, illustration) -> str:
        return media_url(illustration.image, request=self.context.get("request"))


class CoverPictureOutput(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The picture (PNG).")

    class Meta:
        model = CoverPicture
        fields = ["id", "url", "width", "height", "provider", "model", "is_selected", "created_at"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, cover) -> str:
        return media_url(cover.image, request=self.context.get("request"))


class BookCoverOutput(serializers.Serializer):
    """The picture on a book's cover."""

    url = serializers.URLField(help_text="The picture (PNG).")
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)
    source = serializers.ChoiceField(
        choices=[("cover", "cover"), ("page", "page")],
        help_text="cover: drawn for the cover (one of `cover_pictures`); page: page 1's picture, for a book whose "
        "cover is not drawn (yet).",
    )


def _first_page(story):
    """Page 1 of a story, from what the selector loaded: `cover_pages` (stories.selectors.
    cover_prefetch) or all its pages (story_book_get)."""
    if hasattr(story, "cover_pages"):
        return story.cover_pages[0] if story.cover_pages else None
    return next((page for page in story.pages.all() if page.number == 1), None)


class PageOutput(serializers.ModelSerializer):
    """`version` goes up with every edit: send it back when editing the text."""

    selected_illustration = IllustrationOutput(allow_null=True, help_text="The picture in the book, or null.")
    illustrations = IllustrationOutput(many=True, help_text="Every candidate picture, oldest first.")

    class Meta:
        model = Page
        fields = ["number", "text", "visual_description", "version", "selected_illustration", "illustrations"]
        read_only_fields = fields


class StoryCastOutput(serializers.ModelSerializer):
    name = serializers.CharField(source="character.name")

    class Meta:
        model = StoryCharacter
        fields = ["character", "name", "role"]
        read_only_fields = fields


class StoryOutput(serializers.ModelSerializer):
    """Expects the cast and the cover prefetched (stories.selectors.story_list does, with
    cover_prefetch() for page 1's picture)."""

    cast = StoryCastOutput(many=True)
    total_tokens = serializers.IntegerField()
    author_name = serializers.CharField(help_text="The name on the cover as set for this book; empty: `author`.")
    author = serializers.SerializerMethodField(help_text="The name on the cover: `author_name`, else yours.")
    cover = serializers.SerializerMethodField(help_text="The picture on the cover, or null before one is drawn.")

    class Meta:
        model = Story
        fields = [
            "id",
            "title",
            "subtitle",
            "author_name",
            "author",
            "dedication",
            "cover",
            "status",
            "cast",
            "age_group",
            "page_count",
            "tone",
            "moral",
            "setting",
            "language",
            "art_style",
            "series",
            "series_position",
            "summary",
            "reading_level",
            "error_code",
            "error_message",
            "prompt_tokens",
            "completion_tokens",
            "total_tokens",
            "cost",
            "created_at",
            "updated_at",
            "completed_at",
        ]
        read_only_fields = fields

    def get_author(self, story) -> str:
        return story.author_name or story.owner.author_name

    @extend_schema_field(BookCoverOutput(allow_null=True))
    def get_cover(self, story):
        from stories.selectors import cover_picture_of

        picture = cover_picture_of(story, _first_page(story))
        if picture is None:
            return None
        url = media_url(picture.image, request=self.context.get("request"))
        source = "cover" if story.cover_id else "page"
        return {"url": url, "width": picture.width, "height": picture.height, "source": source}


class StoryDetailOutput(StoryOutput):
    """Expects pages and pictures prefetched (stories.selectors.story_book_get does)."""

    pages = PageOutput(many=True)
    cover_pictures = CoverPictureOutput(many=True, help_text="Every cover candidate, oldest first.")

    class Meta(StoryOutput.Meta):
        fields = [*StoryOutput.Meta.fields, "cover_pictures", "pages"]
        read_only_fields = fields


class StoryCreatedOutput(StoryOutput):
    """The new story (status "queued") and the job writing it; give the job to the serializer's context."""

    job = serializers.SerializerMethodField()

    class Meta(StoryOutput.Meta):
        fields = [*StoryOutput.Meta.fields, "job"]
        read_only_fields = fields

    @extend_schema_field(JobOutput)
    def get_job(self, story):
        return JobOutput(self.context["job"]).data


class StoryCastInput(serializers.Serializer):
    character = serializers.IntegerField(min_value=1, max_value=ID_MAX, help_text="Id of one of your ready characters.")
    role = serializers.ChoiceField(choices=StoryCharacter.Role.choices, default=StoryCharacter.Role.MAIN)


class StoryCreateInput(serializers.Serializer):
    """The brief. Unset age_group and language come from your preferences."""

    characters = UniqueListField(
        child=StoryCastInput(), min_length=1, max_length=MAX_CAST, help_text="Your ready characters, each once."
    )
    title = TextField(
        max_length=STORY_TEXT_CAPS["title"], required=False, allow_blank=True, help_text="Empty: the AI names it."
    )
    age_group = serializers.ChoiceField(choices=AgeGroup.choices, required=False)
    page_count = serializers.IntegerField(
        min_value=MIN_PAGES, max_value=MAX_PAGES, required=False, help_text="8 if unset."
    )
    tone = serializers.ChoiceField(choices=Tone.choices, required=False)
    moral = TextField(max_length=STORY_TEXT_CAPS["moral"], required=False, allow_blank=True)
    setting = TextField(max_length=STORY_TEXT_CAPS["setting"], required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=Language.choices, required=False)
    art_style = serializers.ChoiceField(choices=ArtStyle.choices, required=False)
    series = serializers.IntegerField(
        min_value=1,
        max_value=ID_MAX,
        required=False,
        allow_null=True,
        help_text="Id of one of your series: the story continues it.",
    )


class StoryUpdateInput(serializers.Serializer):
    """The title and front matter to change; a field left out stays as it is."""

    title = TextField(max_length=STORY_TEXT_CAPS["title"], required=False)
    subtitle = TextField(
        max_length=FRONT_MATTER_CAPS["subtitle"], required=False, allow_blank=True, help_text="Empty: none."
    )
    author_name = TextField(
        max_length=FRONT_MATTER_CAPS["author_name"],
        required=False,
        allow_blank=True,
        help_text="The name on the cover; empty: your display name.",
    )
    dedication = TextField(
        max_length=FRONT_MATTER_CAPS["dedication"],
        required=False,
        allow_blank=True,
        help_text='A page of its own after the cover ("For Mia, who is braver than she knows"); empty: none.',
    )


class StoryRetryOutput(serializers.Serializer):
    jobs = JobOutput(many=True, help_text="The jobs asked for: the text, or the missing pictures.")


class NarrationOutput(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=["none", "narrating", "partial", "ready", "failed"],
        help_text="none: not asked for; narrating: jobs running; ready: every page has its voice; partial: some "
        "pages (an edited page is narrated again); failed: the last job failed, see error_code.",
    )
    pages = serializers.IntegerField(help_text="Pages with text.")
    pages_narrated = serializers.IntegerField()
    jobs_running = serializers.IntegerField()
    error_code = serializers.CharField(allow_blank=True)
    error_message = serializers.CharField(allow_blank=True)
    jobs = JobOutput(many=True, required=False, help_text="The jobs just asked for, one a page (POST only).")


class PageUpdateInput(serializers.Serializer):
    """The page's new words (the one thing a PATCH changes, so required)."""

    text = TextField(max_length=PAGE_TEXT_MAX)
    version = serializers.IntegerField(
        min_value=1, required=False, help_text="The version you edited; a newer one on the server is a 409 CONFLICT."
    )


class PageRegenerateInput(serializers.Serializer):
    what = serializers.ChoiceField(choices=[(choice, choice) for choice in REGENERATE])


class PageCreateInput(serializers.Serializer):
    position = serializers.IntegerField(
        min_value=1,
        max_value=MAX_PAGES,
        help_text="Where the new page goes: 1 to the page count + 1 (the end); the pages from there move one on.",
    )
    mode = serializers.ChoiceField(
        choices=[(mode, mode) for mode in PAGE_ADD_MODES],
        help_text="write: the AI writes it to fit between its neighbours, then draws it (a job); blank: you write it.",
    )


class PageCreatedOutput(serializers.Serializer):
    page = PageOutput()
    job = JobOutput(allow_null=True, help_text="The job writing and drawing the page (mode write), else null.")


class PageDeleteInput(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, required=False, help_text="The version you saw; a newer one on the server is a 409 CONFLICT."
    )


class PageReorderInput(serializers.Serializer):
    order = UniqueListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_PAGES),
        min_length=1,
        max_length=MAX_PAGES,
        help_text="The page numbers in their new order, each of the book's pages once: [2, 1, 3] swaps the first two.",
    )


class PageRevisionOutput(serializers.ModelSerializer):
    class Meta:
        model = PageRevision
        fields = ["version", "text", "visual_description", "created_at"]
        read_only_fields = fields


class PageHistoryOutput(serializers.Serializer):
    number = serializers.IntegerField()
    version = serializers.IntegerField(help_text="The page's current version.")
    text = serializers.CharField(help_text="The page's current text.")
    revisions = PageRevisionOutput(many=True, help_text="Its earlier texts, newest first (the last 20).")


class SeriesOutput(serializers.ModelSerializer):
    """Expects `story_count` annotated (stories.selectors.series_list does)."""

    story_count = serializers.IntegerField()

    class Meta:
        model = Series
        fields = ["id", "title", "description", "story_count", "created_at", "updated_at"]
        read_only_fields = fields


class SeriesDetailOutput(SeriesOutput):
    """Give the series' stories (stories.selectors.series_stories) to the serializer's context."""

    stories = serializers.SerializerMethodField(help_text="In reading order.")

    class Meta(SeriesOutput.Meta):
        fields = [*SeriesOutput.Meta.fields, "stories"]
        read_only_fields = fields

    @extend_schema_field(StoryOutput(many=True))
    def get_stories(self, series):
        return StoryOutput(self.context["stories"], many=True, context=self.context).data


class SeriesCreateInput(serializers.Serializer):
    title = TextField(max_length=SERIES_TITLE_MAX_LENGTH)
    description = TextField(max_length=SERIES_DESCRIPTION_MAX_LENGTH, required=False, allow_blank=True)


class SeriesUpdateInput(serializers.Serializer):
    """The fields to change."""

    title = TextField(max_length=SERIES_TITLE_MAX_LENGTH, required=False)
    description = TextField(max_length=SERIES_DESCRIPTION_MAX_LENGTH, required=False, allow_blank=True)


class StoryExportInput(serializers.Serializer):
    format = serializers.ChoiceField(choices=list(BOOK_FORMATS), default="pdf")
    size = serializers.ChoiceField(choices=list(TRIM_SIZES), default="square")
    bleed = serializers.BooleanField(default=False)
    layout = serializers.ChoiceField(
        choices=list(PDF_LAYOUTS), default="book", help_text="PDF only: booklet imposes two pages a sheet."
    )
    narrated = serializers.BooleanField(default=False, help_text="EPUB only: a read-along EPUB with media overlays.")


class ExportMakingOutput(serializers.Serializer):
    """A book file asked for with `Prefer: respond-async` that the `cpu` worker is making."""

    status = serializers.CharField(help_text="`making`: ask the same address again after `retry_after` seconds.")
    retry_after = serializers.IntegerField(help_text="Seconds; also the `Retry-After` header.")
