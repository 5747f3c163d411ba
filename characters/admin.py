from django.contrib import admin

from characters.models import Character, Portrait, Relationship

# How a picture was made is a record, not something to edit.
IMAGE_RECORD = ("width", "height", "prompt", "provider", "model", "seed", "cost", "created_at")


class PortraitInline(admin.TabularInline):
    model = Portrait
    fields = ("image", "source", "is_selected", "provider", "model", "cost", "created_at")
    # Selection lives in two places kept in step by the portrait_select service.
    readonly_fields = ("is_selected", "provider", "model", "cost", "created_at")
    extra = 0
    show_change_link = True


@admin.register(Character)
class CharacterAdmin(admin.ModelAdmin):
    list_display = ("__str__", "owner", "kind", "status", "age", "updated_at")
    list_filter = ("status", "kind", "pronouns")
    list_select_related = ("owner",)
    search_fields = ("name", "owner__username", "owner__email")
    date_hierarchy = "created_at"
    autocomplete_fields = ("owner",)
    readonly_fields = ("selected_portrait", "created_at", "updated_at")
    inlines = (PortraitInline,)


@admin.register(Portrait)
class PortraitAdmin(admin.ModelAdmin):
    list_display = ("__str__", "character", "source", "provider", "model", "is_selected", "cost", "created_at")
    list_filter = ("source", "provider", "is_selected")
    list_select_related = ("character",)
    search_fields = ("character__name", "prompt")
    date_hierarchy = "created_at"
    autocomplete_fields = ("character",)
    readonly_fields = ("is_selected", *IMAGE_RECORD)


@admin.register(Relationship)
class RelationshipAdmin(admin.ModelAdmin):
    list_display = ("from_character", "kind", "to_character", "note", "created_at")
    list_filter = ("kind",)
    list_select_related = ("from_character", "to_character")
    search_fields = ("from_character__name", "to_character__name", "note")
    autocomplete_fields = ("from_character", "to_character")
    readonly_fields = ("created_at",)
