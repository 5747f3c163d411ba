from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Reading preferences", {"fields": ("default_age_group", "language", "text_size")}),
    )
    list_display = (*DjangoUserAdmin.list_display, "default_age_group", "language", "text_size", "date_joined")
    list_filter = (*DjangoUserAdmin.list_filter, "default_age_group", "language", "text_size")
    date_hierarchy = "date_joined"
