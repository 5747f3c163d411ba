"""Every change to characters and their relationships goes through here, whichever
interface asks: the wizard, the API, the admin's demo data, a command."""

from __future__ import annotations

import contextlib
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from characters import catalogue
from characters.models import Character, Portrait, Relationship, RelationshipKind
from characters.selectors import character_sheet
from stories.models import GenerationJob
from storyforge.ai import breaker, provider_get
from storyforge.ai.base import Usage
from storyforge.ai.moderation import text_moderate
from storyforge.errors import Conflict, InvalidInput, NotFound
from storyforge.images import image_upload_to

APPEARANCE_PALETTES = {
    "hair_colour": catalogue.HAIR_COLOURS,
    "eye_colour": catalogue.EYE_COLOURS,
    "skin_tone": catalogue.SKIN_TONES,
}


def traits_validate(traits: list[str], custom_traits: list[str]) -> tuple[list[str], list[str]]:
    """Catalogue keys and custom traits, cleaned; InvalidInput naming the field otherwise."""
    unknown = [key for key in traits if key not in catalogue.TRAITS_BY_KEY]
    if unknown:
        raise InvalidInput.for_field("traits", f"Unknown trait: {', '.join(unknown)}.")
    if len(set(traits)) != len(traits):
        raise InvalidInput.for_field("traits", "Each trait can be chosen once.")
    custom = [" ".join(trait.split()) for trait in custom_traits if trait.strip()]
    if len(custom) > catalogue.MAX_CUSTOM_TRAITS:
        raise InvalidInput.for_field("custom_traits", f"Add at most {catalogue.MAX_CUSTOM_TRAITS} traits of your own.")
    too_long = [trait for trait in custom if len(trait) > catalogue.CUSTOM_TRAIT_MAX_LENGTH]
    if too_long:
        raise InvalidInput.for_field(
            "custom_traits", f"Keep each trait under {catalogue.CUSTOM_TRAIT_MAX_LENGTH} characters."
        )
    lowered = [trait.lower() for trait in custom] + [catalogue.TRAITS_BY_KEY[key].label.lower() for key in traits]
    if len(set(lowered)) != len(lowered):
        raise InvalidInput.for_field("custom_traits", "That trait is already chosen.")
    total = len(traits) + len(custom)
    if not catalogue.MIN_TRAITS <= total <= catalogue.MAX_TRAITS:
        raise InvalidInput.for_field(
            "traits", f"Choose between {catalogue.MIN_TRAITS} and {catalogue.MAX_TRAITS} traits (you have {total})."
        )
    return list(traits), custom


def _appearance_validate(fields: dict) -> None:
    for field, palette in APPEARANCE_PALETTES.items():
        value = fields.get(field)
        if value and value not in {swatch.key for swatch in palette}:
            raise InvalidInput.for_field(field, f"'{value}' is not one of the colours on offer.")


@transaction.atomic
def character_create(*, user, name: str, status: str = Character.Status.READY, **fields) -> Character:
    """A new character of `user`. A ready character needs a name and 1-5 traits; a
    draft may be incomplete and is checked again when it is confirmed."""
    name = " ".join(name.split())
    traits = fields.pop("traits", [])
    custom_traits = fields.pop("custom_traits", [])
    if status == Character.Status.READY:
        if not name:
            raise InvalidInput.for_field("name", "Give the character a name.")
        traits, custom_traits = traits_validate(traits, custom_traits)
    _appearance_validate(fields)
    character = Character(owner=user, name=name, status=status, traits=traits, custom_traits=custom_traits, **fields)
    character.full_clean(exclude=["owner", "selected_portrait"])
    character.save()
    return character


def _own_character(user, character_id: int) -> Character:
    try:
        return Character.objects.get(pk=character_id, owner=user)
    except Character.DoesNotExist:
        raise NotFound("That character does not exist, or it is not yours.") from None


@transaction.atomic
def relationship_create(
    *, user, from_character_id: int, to_character_id: int, kind: str, note: str = ""
) -> Relationship:
    """ "FROM is TO's <kind>", between two of the user's own characters."""
    if kind not in RelationshipKind.values:
        raise InvalidInput.for_field("kind", f"'{kind}' is not a kind of relationship StoryForge knows.")
    if from_character_id == to_character_id:
        raise InvalidInput.for_field("to_character", "A character cannot be related to itself.")
    from_character = _own_character(user, from_character_id)
    to_character = _own_character(user, to_character_id)
    try:
        with transaction.atomic():
            return Relationship.objects.create(
                from_character=from_character, to_character=to_character, kind=kind, note=note.strip()
            )
    except IntegrityError:
        raise Conflict(f"{from_character} and {to_character} already have a relationship; edit that one.") from None


def portrait_generate(*, user, character_id: int, request_id: str = "") -> GenerationJob:
    """Ask for a set of portrait candidates of one of the user's characters."""
    from stories.services import generation_allowance_check, job_enqueue

    character = _own_character(user, character_id)
    breaker.breaker_check()
    text_moderate(
        [
            character.name,
            character.clothing,
            character.distinctive_features,
            character.backstory,
            *character.custom_traits,
        ]
    )
    count = settings.STORYFORGE_PORTRAIT_CANDIDATES
    generation_allowance_check(user=user, estimate=provider_get().cost_estimate(images=count))
    with transaction.atomic():
        attempt = GenerationJob.objects.filter(character=character, kind=GenerationJob.Kind.PORTRAIT).count() + 1
        job = GenerationJob.objects.create(
            owner=user,
            kind=GenerationJob.Kind.PORTRAIT,
            character=character,
            idempotency_key=f"portrait:character:{character.pk}:{attempt}:{uuid.uuid4().hex[:8]}",
            request_id=request_id,
        )
        job_enqueue(job)
    return job


def portrait_candidates_draw(*, job_id: int) -> None:
    """The worker's side of portrait_generate: draw the candidates and save them all at once."""
    from stories.services.generation import provider_call
    from stories.services.jobs import job_begin, job_lock_unfinished, job_succeed

    job = job_begin(job_id)
    if job is None:
        return
    character = Character.objects.select_related("selected_portrait").get(pk=job.character_id)
    provider = provider_get()
    count = settings.STORYFORGE_PORTRAIT_CANDIDATES
    drawn = provider_call(
        provider.portrait_draw, character_sheet(character), count=count, art_style="storybook", seed=job.pk * 7919
    )
    names = [default_storage.save(image_upload_to(Portrait, "portrait.png"), ContentFile(image.png)) for image in drawn]
    try:
        with transaction.atomic():
            job = job_lock_unfinished(job_id)
            if job is None:
                raise _AlreadyDone
            Portrait.objects.bulk_create(
                Portrait(
                    character=character,
                    image=name,
                    prompt=image.prompt,
                    provider=provider.name,
                    model=image.model,
                    seed=image.seed,
                    cost=image.usage.cost,
                )
                for name, image in zip(names, drawn, strict=True)
            )
            usage = sum((image.usage for image in drawn), Usage())
            job_succeed(job, usage=usage, provider=provider.name, model=drawn[0].model if drawn else "")
    except BaseException as error:
        for name in names:
            with contextlib.suppress(OSError):
                default_storage.delete(name)
        if not isinstance(error, _AlreadyDone):
            raise


class _AlreadyDone(Exception):
    """A duplicate delivery found the job finished: drop what this one drew."""


@transaction.atomic
def portrait_select(*, user, character_id: int, portrait_id: int) -> Portrait:
    """Make one candidate the character's portrait; every later picture refers to it."""
    character = _own_character(user, character_id)
    Character.objects.select_for_update().get(pk=character.pk)
    portrait = Portrait.objects.filter(character=character, pk=portrait_id).first()
    if portrait is None:
        raise NotFound("That portrait does not exist, or it is not this character's.")
    Portrait.objects.filter(character=character, is_selected=True).exclude(pk=portrait.pk).update(is_selected=False)
    if not portrait.is_selected:
        portrait.is_selected = True
        portrait.save(update_fields=["is_selected"])
    character.selected_portrait = portrait
    character.save(update_fields=["selected_portrait", "updated_at"])
    return portrait
