from django.urls import path

from stories import api

urlpatterns = [
    path("stories/", api.StoryListApi.as_view(), name="story-list"),
    path("stories/<id:story_id>/", api.StoryDetailApi.as_view(), name="story-detail"),
    path("stories/<id:story_id>/retry/", api.StoryRetryApi.as_view(), name="story-retry"),
    path("stories/<id:story_id>/narration/", api.StoryNarrationApi.as_view(), name="story-narration"),
    path("stories/<id:story_id>/export/", api.StoryExportApi.as_view(), name="story-export"),
    path("stories/<id:story_id>/pages/<id:number>/", api.PageDetailApi.as_view(), name="page-detail"),
    path(
        "stories/<id:story_id>/pages/<id:number>/regenerate/",
        api.PageRegenerateApi.as_view(),
        name="page-regenerate",
    ),
    path(
        "stories/<id:story_id>/pages/<id:number>/illustrations/<id:illustration_id>/select/",
        api.IllustrationSelectApi.as_view(),
        name="illustration-select",
    ),
    path("series/", api.SeriesListApi.as_view(), name="series-list"),
    path("series/<id:series_id>/", api.SeriesDetailApi.as_view(), name="series-detail"),
]
