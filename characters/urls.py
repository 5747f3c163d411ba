from django.urls import path

from characters.views import gallery, portraits, wizard
from storyforge.core import converters  # noqa: F401 - registers <id:...>

app_name = "characters"

urlpatterns = [
    path("", gallery.character_gallery, name="list"),
    path("new/", wizard.character_new, name="new"),
    path("import/", gallery.character_import, name="import"),
    path("<id:character_id>/card.<slug:format>", gallery.character_card, name="card"),
    path("<id:character_id>/", gallery.character_detail, name="detail"),
    path("<id:character_id>/delete/", gallery.character_delete_view, name="delete"),
    path("<id:character_id>/wizard/<id:step>/", wizard.wizard_step, name="wizard"),
    path("<id:character_id>/wizard/<id:step>/autosave/", wizard.wizard_autosave, name="autosave"),
    path("<id:character_id>/wizard/traits/check/", wizard.traits_check, name="traits_check"),
    path("<id:character_id>/preview.png", wizard.character_preview, name="preview"),
    path("<id:character_id>/portraits/generate/", portraits.portrait_generate_view, name="portrait_generate"),
    path("<id:character_id>/portraits/status/", portraits.portrait_status, name="portrait_status"),
    path("<id:character_id>/portraits/select/", portraits.portrait_choose, name="portrait_select"),
    path("<id:character_id>/portraits/upload/", portraits.portrait_upload_view, name="portrait_upload"),
]
