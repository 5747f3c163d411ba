"""Series: stories that continue each other, in order."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from stories import services
from stories.selectors import covers_attach, series_books, series_get, series_list
from storyforge.core.errors import DomainError


def _form(request, problem: DomainError | None = None) -> dict:
    """The title and description as typed, and the error to show beside them."""
    fields = problem.details.get("fields", {}) if problem else {}
    return {
        "title": request.POST.get("title", ""),
        "description": request.POST.get("description", ""),
        "title_error": " ".join(fields.get("title", [])),
        "error": problem if problem and "title" not in fields else None,
    }


@login_required
def series_index(request):
    """Every series with its number of stories, and the form that starts a new one."""
    form, status = {"title": "", "description": ""}, 200
    if request.method == "POST":
        try:
            series = services.series_create(
                user=request.user,
                title=request.POST.get("title", ""),
                description=request.POST.get("description", ""),
            )
        except DomainError as problem:
            if problem.http_status == 404:
                raise
            form, status = _form(request, problem), problem.http_status
        else:
            messages.success(request, f"The series “{series.title}” is ready for its first story.")
            return redirect("stories:series_detail", series_id=series.pk)
    return render(
        request,
        "stories/series_list.html",
        {"series_list": series_list(user=request.user), "form": form, "breadcrumbs": [("Series", None)]},
        status=status,
    )


def _detail(request, series, *, form: dict | None = None, status: int = 200):
    return render(
        request,
        "stories/series_detail.html",
        {
            "series": series,
            "stories": covers_attach(series_books(series=series)),
            "form": form or {"title": series.title, "description": series.description},
            "breadcrumbs": [("Series", reverse("stories:series_list")), (series.title, None)],
        },
        status=status,
    )


@login_required
@require_safe
def series_detail(request, series_id: int):
    return _detail(request, series_get(user=request.user, series_id=series_id))


@login_required
@require_POST
def series_update(request, series_id: int):
    try:
        services.series_update(
            user=request.user,
            series_id=series_id,
            title=request.POST.get("title", ""),
            description=request.POST.get("description", ""),
        )
    except DomainError as problem:
        if problem.http_status == 404:
            raise
        series = series_get(user=request.user, series_id=series_id)
        return _detail(request, series, form=_form(request, problem), status=problem.http_status)
    messages.success(request, "The series is saved.")
    return redirect("stories:series_detail", series_id=series_id)


@login_required
@require_POST
def series_delete(request, series_id: int):
    """Delete the series; its stories stay in the gallery, no longer numbered."""
    services.series_delete(user=request.user, series_id=series_id)
    messages.success(request, "The series was deleted. Its stories are still in Stories.")
    return redirect("stories:series_list")
