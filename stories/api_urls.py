from django.urls import path

from stories import api, api_cover, api_pages

urlpatterns = [
    path("stories/", api.StoryListApi.as_view(), name="story-list"),
    path("stories/<id:story_id>/", api.StoryDetailApi.as_view(), name="story-detail"),
    path("stories/<id:story_id>/retry/", api.StoryRetryApi.as_view(), name="story-retry"),
    path("stories/<id:story_id>/narration/", api.StoryNarrationApi.as_view(), name="story-narration"),
    path("stories/<id:story_id>/export/", api.StoryExportApi.as_view(), name="story-export"),
    path("stories/<id:story_id>/cover/regenerate/", api_cover.CoverRegenerateApi.as_view(), name="cover-regenerate"),
    path("stories/<id:story_id>/cover/<id:cover_id>/select/", api_cover.CoverSelectApi.as_view(), name="cover-select"),
    path("stories/<id:story_id>/cancel/", api.StoryCancelApi.as_view(), name="story-cancel"),
    path("stories/<id:story_id>/pages/", api_pages.PageListApi.as_view(), name="page-list"),
    path("stories/<id:story_id>/pages/reorder/", api_pages.PageReorderApi.as_view(), name="page-reorder"),
    path("stories/<id:story_id>/pages/<id:number>/", api.PageDetailApi.as_view(), name="page-detail"),
    path("stories/<id:story_id>/pages/<id:number>/history/", api_pages.PageHistoryApi.as_view(), name="page-history"),
    path(
        "stories/<id:story_id>/pages/<id:number>/history/<id:version>/restore/",
        api_pages.PageRestoreApi.as_view(),
        name="page-restore",
    ),
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
