from django.urls import path

from stories.views import export, reader, series, studio

app_name = "stories"

urlpatterns = [
    path("stories/", studio.story_gallery, name="list"),
    path("stories/new/", studio.story_new, name="new"),
    path("stories/<int:story_id>/progress/", studio.story_progress, name="progress"),
    path("stories/<int:story_id>/retry/", studio.story_retry, name="retry"),
    # Reading, editing and sharing a finished book (stories/views/reader.py).
    path("stories/<int:story_id>/", reader.story_read, name="detail"),
    path("stories/<int:story_id>/print/", reader.story_print, name="print"),
    path("stories/<int:story_id>/title/", reader.story_title, name="title"),
    path("stories/<int:story_id>/delete/", reader.story_delete, name="delete"),
    path("stories/<int:story_id>/share/", reader.story_share, name="share"),
    path("stories/<int:story_id>/pages/<int:number>/", reader.page_text, name="page"),
    path("stories/<int:story_id>/pages/<int:number>/edit/", reader.page_edit, name="page_edit"),
    path("stories/<int:story_id>/pages/<int:number>/regenerate/", reader.page_regenerate, name="page_regenerate"),
    path(
        "stories/<int:story_id>/pages/<int:number>/illustrations/<int:illustration_id>/select/",
        reader.illustration_select,
        name="illustration_select",
    ),
    path("stories/<int:story_id>/jobs/<int:job_id>/", reader.job_status, name="job"),
    path("stories/<int:story_id>/export/<slug:format>/", export.story_export, name="export"),
    path("shared/<slug:token>/", reader.story_shared, name="shared"),
    # Series (stories/views/series.py).
    path("series/", series.series_index, name="series_list"),
    path("series/<int:series_id>/", series.series_detail, name="series_detail"),
    path("series/<int:series_id>/edit/", series.series_update, name="series_update"),
    path("series/<int:series_id>/delete/", series.series_delete, name="series_delete"),
]
