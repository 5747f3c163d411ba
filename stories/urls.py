from django.urls import path

from stories.views import cover, export, gallery, page_shape, reader, series, studio
from storyforge.core import converters  # noqa: F401 - registers <id:...>

app_name = "stories"

urlpatterns = [
    path("stories/", gallery.story_gallery_view, name="list"),
    path("stories/new/", studio.story_new, name="new"),
    path("stories/<id:story_id>/progress/", studio.story_progress, name="progress"),
    path("stories/<id:story_id>/retry/", studio.story_retry, name="retry"),
    path("stories/<id:story_id>/cancel/", studio.story_cancel, name="cancel"),
    # Reading, editing and sharing a finished book (stories/views/reader.py).
    path("stories/<id:story_id>/", reader.story_read, name="detail"),
    path("stories/<id:story_id>/print/", reader.story_print, name="print"),
    path("stories/<id:story_id>/title/", reader.story_title, name="title"),
    # The cover and front matter (stories/views/cover.py).
    path("stories/<id:story_id>/front/", cover.story_front_matter, name="front_matter"),
    path("stories/<id:story_id>/cover/regenerate/", cover.cover_regenerate, name="cover_regenerate"),
    path("stories/<id:story_id>/cover/<id:cover_id>/select/", cover.cover_select, name="cover_select"),
    path("stories/<id:story_id>/delete/", reader.story_delete, name="delete"),
    path("stories/<id:story_id>/share/", reader.story_share, name="share"),
    path("stories/<id:story_id>/narration/", reader.story_narrate, name="narrate"),
    path("stories/<id:story_id>/pages/<id:number>/", reader.page_text, name="page"),
    path("stories/<id:story_id>/pages/<id:number>/edit/", reader.page_edit, name="page_edit"),
    path("stories/<id:story_id>/pages/<id:number>/regenerate/", reader.page_regenerate, name="page_regenerate"),
    # Adding, removing and moving pages, and undoing text changes (stories/views/page_shape.py).
    path("stories/<id:story_id>/pages/add/", page_shape.page_add, name="page_add"),
    path("stories/<id:story_id>/pages/reorder/", page_shape.pages_reorder, name="pages_reorder"),
    path("stories/<id:story_id>/pages/<id:number>/remove/", page_shape.page_remove, name="page_remove"),
    path("stories/<id:story_id>/pages/<id:number>/move/", page_shape.page_move, name="page_move"),
    path(
        "stories/<id:story_id>/pages/<id:number>/history/<id:version>/restore/",
        page_shape.page_restore,
        name="page_restore",
    ),
    path(
        "stories/<id:story_id>/pages/<id:number>/illustrations/<id:illustration_id>/select/",
        reader.illustration_select,
        name="illustration_select",
    ),
    path("stories/<id:story_id>/jobs/<id:job_id>/", reader.job_status, name="job"),
    path("stories/<id:story_id>/export/<slug:format>/", export.story_export, name="export"),
    path("shared/<slug:token>/", reader.story_shared, name="shared"),
    # Series (stories/views/series.py).
    path("series/", series.series_index, name="series_list"),
    path("series/<id:series_id>/", series.series_detail, name="series_detail"),
    path("series/<id:series_id>/edit/", series.series_update, name="series_update"),
    path("series/<id:series_id>/delete/", series.series_delete, name="series_delete"),
]
