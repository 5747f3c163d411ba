from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from stories.views.dashboard import home
from storyforge.core import private_media, pwa
from storyforge.operations import health, metrics

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("characters/", include("characters.urls")),
    path("", include("stories.urls")),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline, name="offline"),
    path("admin/", admin.site.urls),
    path("api/", include("storyforge.api_urls")),
    # Operations (docs/operations.md): liveness, readiness, Prometheus.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics_view, name="metrics"),
    # Portraits, pictures and narration: only for their owner or a share link's holder.
    re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<name>.+)$", private_media.media_serve, name="media"),
]

# Error pages (storyforge/core/views.py); the same addresses under /api/ answer in JSON.
handler400 = "storyforge.core.views.bad_request"
handler403 = "storyforge.core.views.permission_denied"
handler404 = "storyforge.core.views.page_not_found"
handler500 = "storyforge.core.views.server_error"
