from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from storyforge import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Error pages (storyforge/views.py); the same addresses under /api/ answer in JSON.
handler400 = "storyforge.views.bad_request"
handler403 = "storyforge.views.permission_denied"
handler404 = "storyforge.views.page_not_found"
handler500 = "storyforge.views.server_error"
