"""Asking for a story and watching it being made."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from characters.selectors import character_list
from stories import services
from stories.forms import StoryBriefForm
from stories.models import Story
from stories.selectors import series_list, story_book_get, story_list
from stories.views.refusals import refusal_tell
from storyforge.core.errors import DomainError, ErrorCode, InvalidInput
from storyforge.core.ratelimit import rate_limit
from storyforge.generation.languages import text_language_names
from storyforge.generation.selectors import usage_summary


def _studio_initial(request, series_options) -> dict:
    """What the studio starts with: the reader's preferences, and the characters or
    series named in the link ("New story with Mia", "Continue this series")."""
    user = request.user
    initial = {"age_group": user.default_age_group, "language": user.language, "page_count": 8}
    wanted = [part for part in request.GET.get("characters", "").split(",") if part.isdigit()]
    series_id = request.GET.get("series", "")
    if series_id.isdigit() and int(series_id) in dict(series_options):
        initial["series"] = int(series_id)
        last = story_list(user=user).filter(series_id=int(series_id)).order_by("-series_position").first()
        if last is not None:
            wanted = [str(role.character_id) for role in last.cast.all()] or wanted
            initial.update(age_group=last.age_group, language=last.language, art_style=last.art_style)
    for index, character_id in enumerate(wanted):
        initial[f"role_{character_id}"] = "main" if index == 0 else "supporting"
    return initial


@login_required
@rate_limit("generation_user", key="user")
def story_new(request):
    characters = list(character_list(user=request.user, status="ready"))
    series_options = [(series.pk, series.title) for series in series_list(user=request.user)]
    form = StoryBriefForm(
        request.POST or None,
        characters=characters,
        series_choices=series_options,
        initial=_studio_initial(request, series_options),
    )
    error = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            story, _job = services.story_create(
                user=request.user,
                characters=form.cast(),
                age_group=data["age_group"],
                page_count=data["page_count"],
                tone=data["tone"],
                moral=data["moral"],
                setting=data["setting"],
                language=data["language"],
                art_style=data["art_style"],
                series_id=data["series"],
                title=data["title"],
            )
        except InvalidInput as problem:
            for field, field_messages in problem.details.get("fields", {}).items():
                target = field if field in form.fields else None
                for message in field_messages:
                    form.add_error(target, message)
            error = problem if not problem.details.get("fields") else None
        except DomainError as problem:
            error = problem
        else:
            return redirect("stories:progress", story_id=story.pk)
    return render(
        request,
        "stories/new.html",
        {
            "form": form,
            "error": error,
            "usage": usage_summary(user=request.user),
            "has_characters": bool(characters),
            "text_languages": text_language_names(),
            "breadcrumbs": [("Stories", reverse("stories:list")), ("New story", None)],
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def story_progress(request, story_id: int):
    """The book appearing: the text when it is written, then each page's picture.
    htmx swaps in the `partials/progress.html` part every second until it is done."""
    story = story_book_get(user=request.user, story_id=story_id)
    context = {
        "story": story,
        "pages": list(story.pages.all()),
        "done": story.status in (Story.Status.READY, Story.Status.FAILED),
        "stopped": story.status == Story.Status.FAILED and story.error_code == ErrorCode.STORY_CANCELLED,
        "breadcrumbs": [("Stories", reverse("stories:list")), (str(story), None)],
    }
    template = "stories/partials/progress.html" if request.htmx else "stories/progress.html"
    return render(request, template, context)


@login_required
@require_POST
def story_cancel(request, story_id: int):
    """The studio's Stop button: the book stops being made, the pages made so far stay."""
    try:
        services.story_cancel(user=request.user, story_id=story_id)
    except DomainError as problem:
        refusal_tell(request, problem)
    else:
        messages.success(request, "Stopped. The pages already made are kept; “Try again” finishes the book.")
    return redirect("stories:progress", story_id=story_id)


@login_required
@require_POST
@rate_limit("generation_user", key="user")
def story_retry(request, story_id: int):
    try:
        services.story_retry(user=request.user, story_id=story_id)
    except DomainError as problem:
        refusal_tell(request, problem)
    return redirect("stories:progress", story_id=story_id)
