"""The wizard's portrait step: drawing candidates, following their progress,
choosing one, or uploading an own picture."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from characters.forms import PortraitChoiceForm, PortraitUploadForm
from characters.models import Character
from characters.selectors import character_get
from characters.services import portrait_generate, portrait_select, portrait_upload
from characters.views.display import error_onto, problem
from characters.views.wizard import STEPS, portrait_context, step_render
from storyforge.core import errors
from storyforge.core.ratelimit import rate_limit, ratelimit_retry_after, ratelimit_states

# What asking for portraits can meet that the portrait step explains in place; any
# other error is the error page.
GENERATION_ERRORS = (
    errors.ContentFlagged,
    errors.QuotaExceeded,
    errors.RateLimited,
    errors.AIUnavailable,
    errors.GenerationFailed,
)


def _portrait_answer(request, character: Character, **extra):
    """The portrait step again: the area alone for htmx, else the whole page."""
    step = STEPS[4]
    problem = extra.get("problem")
    if request.htmx:
        context = {"character": character, "steps": STEPS, **portrait_context(request, character), **extra}
        return render(request, "characters/partials/portrait_area.html", context)
    status = problem["status"] if problem else 400
    response = step_render(request, character, step, status=status, **extra)
    if problem and problem.get("retry_after"):
        response["Retry-After"] = str(problem["retry_after"])
    return response


@login_required
@require_POST
@rate_limit("generation_user", key="user", block=False)
def portrait_generate_view(request, character_id: int):
    character = character_get(user=request.user, character_id=character_id)
    if getattr(request, "limited", False):
        wait = ratelimit_retry_after(ratelimit_states(request))
        return _portrait_answer(request, character, problem=problem(errors.RateLimited(details={"retry_after": wait})))
    try:
        job = portrait_generate(user=request.user, character_id=character.pk)
    except GENERATION_ERRORS as error:
        return _portrait_answer(request, character, problem=problem(error))
    if request.htmx:
        return _portrait_answer(request, character, job=job)
    return redirect(reverse("characters:wizard", args=[character.pk, 5]) + f"?job={job.pk}#portraits")


@login_required
@require_GET
@never_cache
def portrait_status(request, character_id: int):
    """The portrait area while candidates are drawn: polled by htmx every second."""
    character = character_get(user=request.user, character_id=character_id)
    if not request.GET.get("job"):
        raise errors.NotFound("Which portraits? The address names no job.")
    context = {"character": character, "steps": STEPS, **portrait_context(request, character)}
    return render(request, "characters/partials/portrait_area.html", context)


@login_required
@require_POST
def portrait_choose(request, character_id: int):
    character = character_get(user=request.user, character_id=character_id)
    form = PortraitChoiceForm(request.POST)
    if not form.is_valid():
        return _portrait_answer(request, character, choice_form=form)
    portrait_select(user=request.user, character_id=character.pk, portrait_id=form.cleaned_data["portrait"])
    messages.success(request, "Portrait chosen.")
    return redirect(reverse("characters:wizard", args=[character.pk, 5]) + "#portraits")


@login_required
@require_POST
def portrait_upload_view(request, character_id: int):
    character = character_get(user=request.user, character_id=character_id)
    form = PortraitUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            portrait_upload(user=request.user, character_id=character.pk, upload=form.cleaned_data["file"])
        except errors.ContentFlagged as error:  # the picture itself, not words: say so beside the file
            form.add_error("file", error.message)
        except errors.InvalidInput as error:
            error_onto(form, error)
    if form.errors:
        return _portrait_answer(request, character, upload_form=form)
    messages.success(request, "Your picture is now the portrait.")
    return redirect(reverse("characters:wizard", args=[character.pk, 5]) + "#portraits")
