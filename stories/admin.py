from django.contrib import admin

from stories.models import CoverPicture, Illustration, Page, SentenceClip, Series, Story, StoryCharacter
from stories.services.page_history import page_revision_keep

# How a picture was made is a record, not something to edit.
IMAGE_RECORD = ("width", "height", "prompt", "provider", "model", "seed", "cost", "created_at")


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "created_at", "updated_at")
    list_select_related = ("owner",)
    search_fields = ("title", "owner__username")
    date_hierarchy = "created_at"
    autocomplete_fields = ("owner",)
    readonly_fields = ("created_at", "updated_at")


class StoryCharacterInline(admin.TabularInline):
    model = StoryCharacter
    autocomplete_fields = ("character",)
    extra = 0


class PageInline(admin.TabularInline):
    model = Page
    fields = ("number", "text", "version")
    # Page text is edited on the page's own form, which keeps `version` honest.
    readonly_fields = ("text", "version")
    extra = 0
    show_change_link = True


class CoverPictureInline(admin.TabularInline):
    model = CoverPicture
    fields = ("image", "is_selected", "provider", "model", "cost", "created_at")
    # The cover is chosen by the cover_select service, which keeps Story.cover in step.
    readonly_fields = ("is_selected", "provider", "model", "cost", "created_at")
    extra = 0


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ("__str__", "owner", "status", "age_group", "page_count", "series", "cost", "created_at")
    list_filter = ("status", "age_group", "tone", "art_style", "language")
    list_select_related = ("owner", "series")
    search_fields = ("title", "owner__username", "error_code")
    date_hierarchy = "created_at"
    autocomplete_fields = ("owner", "series")
    # Status and errors move together (a failed story needs a code), so both are the services' to set.
    readonly_fields = (
        "status",
        "error_code",
        "error_message",
        "reading_level",
        "seed",
        "prompt_tokens",
        "completion_tokens",
        "cost",
        "created_at",
        "updated_at",
        "completed_at",
        "cover",
    )
    fieldsets = (
        (None, {"fields": ("owner", "title", "series", "series_position")}),
        ("Cover and front matter", {"fields": ("subtitle", "author_name", "dedication", "cover")}),
        ("Brief", {"fields": ("age_group", "page_count", "tone", "moral", "setting", "language", "art_style")}),
        ("Result", {"fields": ("status", "summary", "reading_level", "error_code", "error_message")}),
        ("Generation", {"fields": ("seed", "prompt_tokens", "completion_tokens", "cost")}),
        ("Dates", {"fields": ("created_at", "updated_at", "completed_at")}),
    )
    inlines = (StoryCharacterInline, CoverPictureInline, PageInline)


class IllustrationInline(admin.TabularInline):
    model = Illustration
    fields = ("image", "is_selected", "provider", "model", "cost", "created_at")
    # Selection lives in two places kept in step by the illustration_select service.
    readonly_fields = ("is_selected", "provider", "model", "cost", "created_at")
    extra = 0
    show_change_link = True


class SentenceClipInline(admin.TabularInline):
    """The page's narration, a clip per sentence; made by the narration jobs only."""

    model = SentenceClip
    fields = ("page_version", "index", "text", "audio", "duration_ms", "provider", "voice", "cost")
    readonly_fields = fields
    extra = 0
    can_delete = True  # a clip deleted here is spoken again the next time the book is narrated

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ("__str__", "story", "number", "version", "updated_at")
    list_select_related = ("story",)
    search_fields = ("story__title", "text")
    autocomplete_fields = ("story",)
    readonly_fields = ("version", "selected_illustration", "created_at", "updated_at")
    inlines = (IllustrationInline, SentenceClipInline)

    def save_model(self, request, obj, form, change):
        # An editor holding the old version must see a conflict rather than overwrite this edit.
        if change and form.has_changed():
            if {"text", "visual_description"} & set(form.changed_data):  # the words it had can be put back
                page_revision_keep(Page.objects.select_for_update().get(pk=obj.pk))
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(Illustration)
class IllustrationAdmin(admin.ModelAdmin):
    list_display = ("__str__", "page", "provider", "model", "is_selected", "cost", "created_at")
    list_filter = ("provider", "is_selected")
    list_select_related = ("page",)
    search_fields = ("page__story__title", "prompt")
    date_hierarchy = "created_at"
    autocomplete_fields = ("page",)
    readonly_fields = ("is_selected", *IMAGE_RECORD)
