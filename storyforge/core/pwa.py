"""StoryForge as an installable web app: the manifest, the service worker (served
from the site root so that it may control every page) and the offline page."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

# Bump when the app shell changes, so browsers drop the old cache.
SHELL_VERSION = "4"


@require_GET
@cache_control(max_age=3600)
def manifest(request):
    return JsonResponse(
        {
            "name": "StoryForge",
            "short_name": "StoryForge",
            "description": "Personalised, illustrated picture books starring the children you love.",
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "background_color": "#fffaf2",
            "theme_color": "#b4441c",
            "icons": [
                {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
                {"src": static("icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            ],
        },
        content_type="application/manifest+json",
    )


@require_GET
@cache_control(no_cache=True)
def service_worker(request):
    shell = [
        "/offline/",
        static("css/site.css"),
        static("css/reader.css"),  # a book opened before must look like a book offline too
        static("js/site.js"),
        static("js/reader.js"),
        static("js/read_along.js"),
        static("js/vendor/htmx-2.0.11.min.js"),
        static("icons/icon.svg"),
        static("icons/icon-192.png"),
    ]
    script = render_to_string("pwa/sw.js", {"version": SHELL_VERSION, "shell": shell, "media_url": settings.MEDIA_URL})
    response = HttpResponse(script, content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def offline(request):
    return render(request, "pwa/offline.html")
