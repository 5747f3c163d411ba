from django.urls import path

from characters import views
from storyforge import converters  # noqa: F401 - registers <id:...>

app_name = "characters"

urlpatterns = [
    path("", views.character_gallery, name="list"),
    path("new/", views.character_new, name="new"),
    path("import/", views.character_import, name="import"),
    path("<id:character_id>/card.<slug:format>", views.character_card, name="card"),
    path("<id:character_id>/", views.character_detail, name="detail"),
    path("<id:character_id>/delete/", views.character_delete_view, name="delete"),
    path("<id:character_id>/wizard/<id:step>/", views.wizard_step, name="wizard"),
    path("<id:character_id>/wizard/<id:step>/autosave/", views.wizard_autosave, name="autosave"),
    path("<id:character_id>/wizard/traits/check/", views.traits_check, name="traits_check"),
    path("<id:character_id>/preview.png", views.character_preview, name="preview"),
    path("<id:character_id>/portraits/generate/", views.portrait_generate_view, name="portrait_generate"),
    path("<id:character_id>/portraits/status/", views.portrait_status, name="portrait_status"),
    path("<id:character_id>/portraits/select/", views.portrait_choose, name="portrait_select"),
    path("<id:character_id>/portraits/upload/", views.portrait_upload_view, name="portrait_upload"),
]
