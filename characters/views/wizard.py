"""The six-step wizard that makes or edits a character: steps, live checks while
typing, autosave and the live preview of the look."""

from __future__ import annotations

import copy
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from characters import catalogue
from characters.forms import (
    AppearanceForm,
    BackgroundForm,
    BasicsForm,
    PersonalityForm,
    PortraitChoiceForm,
    PortraitUploadForm,
    RelationshipForm,
    WizardStepForm,
)
from characters.models import Character
from characters.selectors import (
    character_appearance,
    character_get,
    character_list,
    character_sheet,
    portrait_job_get,
    portrait_list,
    relationships_of,
)
from characters.services import (
    character_create,
    character_traits_check,
    character_update,
    relationship_create,
    relationship_delete,
)
from characters.views.display import error_onto, problem, relationship_phrases, swatches_of, traits_of
from storyforge.core import errors
from storyforge.generation.providers.offline import OfflineProvider


@dataclass(frozen=True)
class Step:
    number: int
    slug: str
    label: str
    form: type[WizardStepForm] | None = None


STEPS = (
    Step(1, "basics", "Basics", BasicsForm),
    Step(2, "personality", "Personality", PersonalityForm),
    Step(3, "appearance", "Appearance", AppearanceForm),
    Step(4, "background", "Story background", BackgroundForm),
    Step(5, "portrait", "Portrait"),
    Step(6, "review", "Review"),
)
# Where the wizard sends the grown-up to fix a field that confirming refused.
FIELD_STEPS = {name: step.number for step in STEPS if step.form for name in step.form.base_fields}
PORTRAITS_SHOWN = 12


# Starting, editing and confirming: the wizard


@login_required
@require_http_methods(["GET", "POST"])
def character_new(request):
    if request.method == "POST":
        character = character_create(user=request.user, name="", status=Character.Status.DRAFT)
        return redirect("characters:wizard", character.pk, 1)
    drafts = character_list(user=request.user, status=Character.Status.DRAFT)[:10]
    breadcrumbs = [("Characters", reverse("characters:list")), ("New character", None)]
    return render(request, "characters/new.html", {"drafts": drafts, "breadcrumbs": breadcrumbs})


def _step(number: int) -> Step:
    if not 1 <= number <= len(STEPS):
        raise errors.NotFound("The character wizard has no such step.")
    return STEPS[number - 1]


def _errors_key(character: Character) -> str:
    return f"characters:wizard-errors:{character.pk}"


@login_required
@require_http_methods(["GET", "POST"])
def wizard_step(request, character_id: int, step: int):
    character = character_get(user=request.user, character_id=character_id)
    current = _step(step)
    if request.method == "GET":
        return step_render(request, character, current, form=_step_form_pending(request, character, current))
    go = request.POST.get("go", "next")
    if current.slug == "review" and go == "confirm":
        return _confirm(request, character)
    if current.form is None:
        return _step_redirect(character, current, go)
    form = current.form(request.POST, strict=go == "next")
    relationship_form = None
    if current.slug == "background":
        relationship_form = RelationshipForm(request.POST, others=_others(request.user, character))
    if not form.is_valid():
        return step_render(request, character, current, status=400, form=form, relationship_form=relationship_form)
    try:
        character = _step_save(request.user, character, current, form)
    except errors.DomainError as error:
        if isinstance(error, errors.NotFound):
            raise
        error_onto(form, error, flagged_field="custom_traits")
        return step_render(request, character, current, status=400, form=form, relationship_form=relationship_form)
    if relationship_form is not None:
        answer = _relationships_change(request, character, current, go, relationship_form)
        if answer is not None:
            return answer
    return _step_redirect(character, current, go)


def _step_save(user, character: Character, step: Step, form: WizardStepForm) -> Character:
    # Next on the personality step checks the choice as confirming will.
    strict = step.slug == "personality" and form.strict
    return character_update(user=user, character_id=character.pk, check_traits=strict, **form.changes())


def _step_redirect(character: Character, current: Step, go: str):
    if go == "back":
        number = current.number - 1
    elif go.isdigit():
        number = int(go)
    else:
        number = current.number + 1
    number = min(max(number, 1), len(STEPS))
    return redirect("characters:wizard", character.pk, number)


def _step_form_pending(request, character: Character, step: Step) -> WizardStepForm | None:
    """The step's form, showing the errors confirming found, if it sent the grown-up here."""
    if step.form is None:
        return None
    pending = request.session.get(_errors_key(character))
    if not pending or pending["step"] != step.number:
        return step.form(initial=step.form.initial_for(character))
    del request.session[_errors_key(character)]
    form = step.form.bound_to(character)
    for field, field_messages in pending["fields"].items():
        form.add_error(field if field in form.fields else None, field_messages)
    return form


def _confirm(request, character: Character):
    try:
        character_update(user=request.user, character_id=character.pk, status=Character.Status.READY)
    except errors.InvalidInput as error:
        fields = error.details.get("fields") or {}
        steps = [FIELD_STEPS[field] for field in fields if field in FIELD_STEPS]
        if not steps:
            return step_render(request, character, STEPS[-1], status=400, problem=problem(error))
        request.session[_errors_key(character)] = {"step": min(steps), "fields": fields}
        messages.error(request, "One more thing before this character is ready: " + error.message)
        return redirect("characters:wizard", character.pk, min(steps))
    was_ready = character.status == Character.Status.READY
    messages.success(request, "Changes saved." if was_ready else f"{character.name} is ready to star in stories.")
    return redirect("characters:detail", character.pk)


def _others(user, character: Character):
    return character_list(user=user).exclude(pk=character.pk)


def _relationships_change(request, character: Character, current: Step, go: str, form: RelationshipForm):
    """The story background step also adds and removes relationships; None when done."""
    remove = request.POST.get("remove_relationship")
    if remove:
        relationship_delete(user=request.user, relationship_id=remove)
        messages.success(request, "Relationship removed.")
        return redirect(reverse("characters:wizard", args=[character.pk, current.number]) + "#relationships")
    if go != "add_relationship" and not form.is_filled():
        return None
    if form.is_valid() and not form.cleaned_data["to_character"]:
        form.add_error("to_character", "Choose the other character.")
    if form.is_valid():
        try:
            relationship_create(
                user=request.user,
                from_character_id=character.pk,
                to_character_id=form.cleaned_data["to_character"],
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
            )
        except (errors.InvalidInput, errors.Conflict, errors.ContentFlagged) as error:
            error_onto(form, error, flagged_field="note")
    if form.errors:
        step_form = current.form(initial=current.form.initial_for(character))
        return step_render(request, character, current, status=400, form=step_form, relationship_form=form)
    messages.success(request, "Relationship added.")
    if go == "add_relationship":
        return redirect(reverse("characters:wizard", args=[character.pk, current.number]) + "#relationships")
    return None


def step_render(request, character: Character, step: Step, *, status: int = 200, **extra):
    context = {
        "character": character,
        "step": step,
        "steps": STEPS,
        "next_step": STEPS[step.number] if step.number < len(STEPS) else None,
        "editing": character.status == Character.Status.READY,
        "breadcrumbs": _wizard_breadcrumbs(character, step),
    }
    context.update(_STEP_CONTEXT.get(step.slug, lambda request, character: {})(request, character))
    context.update({key: value for key, value in extra.items() if value is not None or key not in context})
    return render(request, f"characters/wizard/{step.slug}.html", context, status=status)


def _wizard_breadcrumbs(character: Character, step: Step) -> list:
    crumbs = [("Characters", reverse("characters:list"))]
    if character.status == Character.Status.READY:
        crumbs += [(character.name, reverse("characters:detail", args=[character.pk])), ("Edit", None)]
    else:
        crumbs.append((character.name or "New character", None))
    return crumbs


def _personality_context(request, character):
    return {
        "trait_groups": [
            (category, [trait for trait in catalogue.TRAITS if trait.category == category])
            for category in catalogue.TRAIT_CATEGORIES
        ],
        "max_traits": catalogue.MAX_TRAITS,
        "max_custom": catalogue.MAX_CUSTOM_TRAITS,
        "custom_max_length": catalogue.CUSTOM_TRAIT_MAX_LENGTH,
    }


def _appearance_context(request, character):
    # The sketch's address changes with every save, so that no cached one is shown.
    return {"preview_version": int(character.updated_at.timestamp())}


def _background_context(request, character):
    others = list(_others(request.user, character))
    return {
        "relationships": relationship_phrases(character, relationships_of(character=character)),
        "others": others,
        "relationship_form": RelationshipForm(others=others),
    }


def portrait_context(request, character):
    job = None
    if request.method == "GET" and request.GET.get("job"):
        job = portrait_job_get(user=request.user, character=character, job_id=request.GET["job"])
    return {
        "portraits": list(portrait_list(user=request.user, character_id=character.pk)[:PORTRAITS_SHOWN]),
        "job": job,
        "choice_form": PortraitChoiceForm(),
        "upload_form": PortraitUploadForm(),
    }


def _review_context(request, character):
    return {
        "traits": traits_of(character),
        "appearance": character_appearance(character),
        "swatches": swatches_of(character),
        "relationships": relationship_phrases(character, relationships_of(character=character)),
    }


_STEP_CONTEXT = {
    "personality": _personality_context,
    "appearance": _appearance_context,
    "background": _background_context,
    "portrait": portrait_context,
    "review": _review_context,
}


# Live checks while typing, and autosave


@login_required
@require_POST
def traits_check(request, character_id: int):
    """The personality step's live check (htmx): the count and what is wrong, beside the fields."""
    character_get(user=request.user, character_id=character_id)
    form = PersonalityForm(request.POST)
    problems: dict = {}
    note = ""
    if form.is_valid():
        traits, custom = form.cleaned_data["traits"], form.cleaned_data["custom_traits"]
        try:
            character_traits_check(traits, custom)
        except errors.InvalidInput as error:
            problems = error.details.get("fields") or {"traits": [error.message]}
        except errors.ContentFlagged:
            problems = {"custom_traits": ["Some of these words are not suitable for a children's book; change them."]}
        except errors.DomainError:
            note = "The words could not be checked just now; they are checked again before any picture is drawn."
    else:
        problems = {field: list(field_errors) for field, field_errors in form.errors.items()}
    context = {"problems": problems, "count": form.trait_count(), "max_traits": catalogue.MAX_TRAITS, "note": note}
    response = render(request, "characters/partials/traits_check.html", context)
    patch_cache_control(response, no_store=True)
    return response


@login_required
@require_POST
def wizard_autosave(request, character_id: int, step: int):
    """What wizard.js sends a couple of seconds after typing stops: 204 when saved,
    else 400 with the API's error shape."""
    character = character_get(user=request.user, character_id=character_id)
    current = _step(step)
    if current.form is None:
        raise errors.NotFound("That step has nothing to save.")
    form = current.form(request.POST)
    if not form.is_valid():
        fields = {field: list(field_errors) for field, field_errors in form.errors.items()}
        error = errors.InvalidInput(details={"fields": fields})
        return JsonResponse({"error": error.as_dict()}, status=error.http_status)
    try:
        character_update(user=request.user, character_id=character.pk, **form.changes())
    except errors.InvalidInput as error:
        return JsonResponse({"error": error.as_dict()}, status=error.http_status)
    return HttpResponse(status=204)


@login_required
@require_GET
def character_preview(request, character_id: int):
    """The offline artist's drawing of the draft with the appearance in the query
    string (the wizard's live preview). Nothing is saved."""
    character = character_get(user=request.user, character_id=character_id)
    form = AppearanceForm(request.GET)
    form.is_valid()  # what is valid is drawn; the rest stays as saved
    look = copy.copy(character)
    for field, value in form.changes().items():
        setattr(look, field, value)
    drawn = OfflineProvider().portrait_draw(character_sheet(look), count=1, art_style="storybook", seed=character.pk)
    response = HttpResponse(drawn[0].png, content_type="image/png")
    patch_cache_control(response, private=True, max_age=60)
    return response
