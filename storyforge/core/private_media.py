"""Who may see a stored picture or sound, and how its bytes reach them.

Portraits can be photos of real children, so no stored file is public. Each app
registers the models that keep files (`media_source_register`), naming how to reach
the owner and, for what a shared book shows, the book's share token. `media_allowed`
is the one access check: the owner always, a holder of the share link while the book
is shared, nobody else. `media_url` makes every address a page or the API hands out,
and `media_serve` answers it: 404 for anyone the check refuses, else the file, sent
by the app, handed to nginx (X-Accel-Redirect) or Apache (X-Sendfile), or, on object
storage, a redirect to a short-lived signed address.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified, HttpResponseRedirect
from django.views.decorators.http import require_safe

SHARE_PARAMETER = "share"
# The owner's browser may keep a picture a day: names are never reused, so a kept
# copy is never stale. Share-link holders revalidate every time, so that unsharing
# cuts them off at once.
OWNER_CACHE = "private, max-age=86400"
SHARED_CACHE = "private, no-cache"


@dataclass(frozen=True)
class MediaSource:
    model: type
    field: str
    owner: str  # lookup from the model to the owner's id
    shared: str | None  # lookup to the share token of a book that shows it

    @property
    def folder(self) -> str:
        return f"{self.model.UPLOAD_FOLDER}/"


_sources: list[MediaSource] = []


def media_source_register(model, field: str, *, owner: str, shared: str | None = None) -> None:
    """Called by each app when it starts: `model.<field>` files belong to `owner`,
    and a share link whose token matches `shared` may see them too."""
    if not any(source.model is model and source.field == field for source in _sources):
        _sources.append(MediaSource(model, field, owner, shared))


def media_sources() -> tuple[MediaSource, ...]:
    return tuple(_sources)


def media_allowed(*, user, name: str, share_token: str = "") -> tuple[bool, bool]:
    """(allowed, as owner) for the stored file `name`: one query, whoever asks."""
    for source in _sources:
        if not name.startswith(source.folder):
            continue
        who = Q()
        is_owner = user is not None and user.is_authenticated
        if is_owner:
            who |= Q(**{source.owner: user.pk})
        if share_token and source.shared:
            who |= Q(**{source.shared: share_token})
        if not who:
            return False, False
        owners = source.model.objects.filter(who, **{source.field: name}).values_list(source.owner, flat=True)
        found = list(owners[:1])
        if not found:
            return False, False
        return True, is_owner and found[0] == user.pk
    return False, False


def media_url(file, *, share_token: str = "", request=None) -> str:
    """The address of a stored file for a page or the API: always this app's own
    media address, never the storage's, so every request passes `media_allowed`.
    Absolute when `request` is given (the API's answers)."""
    name = getattr(file, "name", file)
    if not name:
        return ""
    url = settings.MEDIA_URL + quote(name)
    if share_token:
        url = f"{url}?{urlencode({SHARE_PARAMETER: share_token})}"
    return request.build_absolute_uri(url) if request is not None else url


def _requester(request):
    """The signed-in user, or the owner of the API token the request carries (an API
    client fetching the picture addresses its answers gave it), or None."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    if "Authorization" not in request.headers:
        return user
    from rest_framework.exceptions import APIException
    from rest_framework.request import Request
    from rest_framework.settings import api_settings

    wrapped = Request(request)
    for authentication in api_settings.DEFAULT_AUTHENTICATION_CLASSES:
        try:
            found = authentication().authenticate(wrapped)
        except APIException:
            return None
        if found is not None:
            return found[0]
    return user


def _etag(name: str) -> str:
    return '"' + hashlib.sha256(name.encode()).hexdigest()[:32] + '"'


@require_safe
def media_serve(request, name: str):
    share_token = request.GET.get(SHARE_PARAMETER, "")
    allowed, as_owner = media_allowed(user=_requester(request), name=name, share_token=share_token)
    if not allowed:
        raise Http404("No such file.")
    etag = _etag(name)
    unchanged = etag in request.headers.get("If-None-Match", "")
    response = HttpResponseNotModified() if unchanged else _deliver(name)
    if response.status_code == 302:
        # A signed address expires: the redirect itself is never kept.
        response["Cache-Control"] = "private, no-store"
    else:
        response["ETag"] = etag
        response["Cache-Control"] = OWNER_CACHE if as_owner else SHARED_CACHE
    response["Vary"] = "Cookie"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _deliver(name: str):
    storage = default_storage
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    mode = settings.MEDIA_SENDFILE
    if mode == "redirect" and not content_type.startswith("audio/"):
        # Object storage: the browser fetches the picture from the private bucket itself,
        # at a signed address that expires in AWS_QUERYSTRING_EXPIRE seconds. Narration
        # clips (small) are sent by the app: the reader's service worker reads them as
        # bytes, which a cross-origin bucket would only allow with a CORS rule.
        return HttpResponseRedirect(storage.url(name))
    if mode == "nginx":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.MEDIA_SENDFILE_PREFIX + quote(name)
        return response
    if mode == "apache" and isinstance(storage, FileSystemStorage):
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = str(Path(storage.location) / name)
        return response
    try:
        file = storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404("No such file.") from None
    return FileResponse(file, content_type=content_type)
