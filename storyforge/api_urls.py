"""The API: /api/v1/ (each app's api_urls), the OpenAPI schema and its docs page.

URL names are in the "api" namespace: reverse("api:story-detail", args=[id]).
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

v1 = [
    path("", include("accounts.api_urls")),
    path("", include("characters.api_urls")),
    path("", include("stories.api_urls")),
    path("", include("storyforge.generation.api_urls")),
]

urlpatterns = [
    path("v1/", include((v1, "api"))),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
