"""Input and output shapes of the stories API: stories, pages, pictures, series, jobs.

Inputs check types and choices; the services check the rest (ownership, the cast,
moderation, the daily budget) and name the field at fault.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from stories.export import BOOK_FORMATS, TRIM_SIZES
from stories.models import (
    MAX_CAST,
    MAX_PAGES,
    MIN_PAGES,
    ArtStyle,
    Illustration,
    Page,
    Series,
    Story,
    StoryCharacter,
    Tone,
)
from stories.services.pages import PAGE_TEXT_MAX, REGENERATE
from stories.services.series import SERIES_DESCRIPTION_MAX_LENGTH, SERIES_TITLE_MAX_LENGTH
from stories.services.story import STORY_TEXT_CAPS
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
    """Expects the cast prefetched (stories.selectors.story_list does)."""

    cast = StoryCastOutput(many=True)
    total_tokens = serializers.IntegerField()

    class Meta:
        model = Story
        fields = [
            "id",
            "title",
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


class StoryDetailOutput(StoryOutput):
    """Expects pages and pictures prefetched (stories.selectors.story_book_get does)."""

    pages = PageOutput(many=True)

    class Meta(StoryOutput.Meta):
        fields = [*StoryOutput.Meta.fields, "pages"]
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
    """The new title (the one thing a PATCH changes, so required)."""

    title = TextField(max_length=STORY_TEXT_CAPS["title"])


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
        return StoryOutput(self.context["stories"], many=True).data


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
    narrated = serializers.BooleanField(default=False, help_text="EPUB only: a read-along EPUB with media overlays.")
