"""A character's own pages: the gallery, the character page, deleting it, and its
card for other tools."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from characters.cards import character_card_download, character_card_import
from characters.forms import CardImportForm, GalleryFilterForm
from characters.models import Character
from characters.selectors import (
    character_appearance,
    character_get,
    character_roles,
    character_search,
    relationships_of,
)
from characters.services import character_delete
from characters.views.display import error_onto, relationship_phrases, swatches_of, traits_of
from storyforge.core import errors
from storyforge.core.downloads import download_response

GALLERY_PAGE = 48  # portraits per page of the gallery


# The gallery


@login_required
@require_GET
def character_gallery(request):
    form = GalleryFilterForm(request.GET)
    found = character_search(user=request.user, **form.filters())
    ready = Paginator(found.filter(status=Character.Status.READY), GALLERY_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "filtered": any(form.filters().values()),
        "ready": ready,
        "query": query.urlencode(),
        "drafts": [
            (character, resume_step(character))
            for character in found.filter(status=Character.Status.DRAFT)[:GALLERY_PAGE]
        ],
        "breadcrumbs": [("Characters", None)],
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "characters/partials/gallery_results.html", context)
    return render(request, "characters/gallery.html", context)


def resume_step(character: Character) -> int:
    """The first wizard step a draft still needs."""
    if not character.name:
        return 1
    if not character.traits and not character.custom_traits:
        return 2
    return 6


# A character's page, and deleting it


@login_required
@require_GET
def character_detail(request, character_id: int):
    character = character_get(user=request.user, character_id=character_id)
    context = {
        "character": character,
        "traits": traits_of(character),
        "appearance": character_appearance(character),
        "swatches": swatches_of(character),
        "relationships": relationship_phrases(character, relationships_of(character=character)),
        "roles": character_roles(character=character),
        "resume_step": resume_step(character),
        "breadcrumbs": [("Characters", reverse("characters:list")), (str(character), None)],
    }
    return render(request, "characters/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def character_delete_view(request, character_id: int):
    character = character_get(user=request.user, character_id=character_id)
    if request.method == "POST":
        character_delete(user=request.user, character_id=character.pk)
        messages.success(request, f"{character} was deleted.")
        return redirect("characters:list")
    breadcrumbs = [
        ("Characters", reverse("characters:list")),
        (str(character), reverse("characters:detail", args=[character.pk])),
        ("Delete", None),
    ]
    return render(request, "characters/delete.html", {"character": character, "breadcrumbs": breadcrumbs})


# Character cards: the same character in other tools


@login_required
@require_GET
def character_card(request, character_id: int, format: str):
    if format not in ("json", "png"):
        raise Http404("Cards are exported as json or png.")
    return download_response(character_card_download(user=request.user, character_id=character_id, format=format))


@login_required
@require_http_methods(["GET", "POST"])
def character_import(request):
    form = CardImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            character = character_card_import(user=request.user, upload=form.cleaned_data["file"])
        except errors.InvalidInput as error:
            error_onto(form, error)
        else:
            messages.success(request, f"{character.name} has joined your characters.")
            return redirect("characters:detail", character_id=character.pk)
    return render(
        request,
        "characters/import.html",
        {"form": form, "breadcrumbs": [("Characters", reverse("characters:list")), ("Import a card", None)]},
        status=400 if form.errors else 200,
    )
