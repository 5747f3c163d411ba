"""Every change to characters and their relationships goes through here, whichever
interface asks: the wizard, the API, the admin's demo data, a command."""

from __future__ import annotations

import contextlib
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from characters import catalogue
from characters.models import PORTRAIT_JOB, Character, Portrait, Relationship, RelationshipKind
from characters.selectors import character_get, character_sheet, relationship_get
from storyforge.core.errors import Conflict, InvalidInput, NotFound
from storyforge.core.images import candidate_choose, files_delete_on_commit, image_upload_to
from storyforge.core.pagecache import pagecache_invalidate
from storyforge.generation import breaker
from storyforge.generation.budget import generation_reserved
from storyforge.generation.calls import provider_call
from storyforge.generation.jobs import job_begin, job_images_save, job_request
from storyforge.generation.models import GenerationJob
from storyforge.generation.moderation import drawn_pictures_moderate, picture_moderate, sheet_texts, text_moderate
from storyforge.generation.providers import cost_estimate, provider_get
from storyforge.generation.providers.base import Capability

APPEARANCE_PALETTES = {
    "hair_colour": catalogue.HAIR_COLOURS,
    "eye_colour": catalogue.EYE_COLOURS,
    "skin_tone": catalogue.SKIN_TONES,
}


def _custom_traits_clean(custom_traits) -> list[str]:
    """The grown-up's own traits, spaces tidied and blanks dropped: at most
    MAX_CUSTOM_TRAITS of at most CUSTOM_TRAIT_MAX_LENGTH characters each, whatever
    the character's status (a draft's traits go into the wizard's prompts too)."""
    if not isinstance(custom_traits, list | tuple) or not all(isinstance(trait, str) for trait in custom_traits):
        raise InvalidInput.for_field("custom_traits", "Traits of your own are a list of words.")
    custom = [" ".join(trait.split()) for trait in custom_traits if trait.strip()]
    if len(custom) > catalogue.MAX_CUSTOM_TRAITS:
        raise InvalidInput.for_field("custom_traits", f"Add at most {catalogue.MAX_CUSTOM_TRAITS} traits of your own.")
    too_long = [trait for trait in custom if len(trait) > catalogue.CUSTOM_TRAIT_MAX_LENGTH]
    if too_long:
        raise InvalidInput.for_field(
            "custom_traits", f"Keep each trait under {catalogue.CUSTOM_TRAIT_MAX_LENGTH} characters."
        )
    return custom


def traits_validate(traits: list[str], custom_traits: list[str]) -> tuple[list[str], list[str]]:
    """Catalogue keys and custom traits, cleaned; InvalidInput naming the field otherwise."""
    unknown = [key for key in traits if key not in catalogue.TRAITS_BY_KEY]
    if unknown:
        raise InvalidInput.for_field("traits", f"Unknown trait: {', '.join(unknown)}.")
    if len(set(traits)) != len(traits):
        raise InvalidInput.for_field("traits", "Each trait can be chosen once.")
    custom = _custom_traits_clean(custom_traits)
    lowered = [trait.lower() for trait in custom] + [catalogue.TRAITS_BY_KEY[key].label.lower() for key in traits]
    if len(set(lowered)) != len(lowered):
        raise InvalidInput.for_field("custom_traits", "That trait is already chosen.")
    total = len(traits) + len(custom)
    if not catalogue.MIN_TRAITS <= total <= catalogue.MAX_TRAITS:
        raise InvalidInput.for_field(
            "traits", f"Choose between {catalogue.MIN_TRAITS} and {catalogue.MAX_TRAITS} traits (you have {total})."
        )
    return list(traits), custom


def character_traits_check(traits: list[str], custom_traits: list[str]) -> None:
    """The trait rules (1-5, no duplicates, short custom ones) and moderation of the
    custom traits: InvalidInput or ContentFlagged, as the wizard shows them live."""
    traits_validate(traits, custom_traits)
    text_moderate(custom_traits)


CHARACTER_FIELDS = frozenset(
    {
        "name", "kind", "age", "pronouns", "traits", "custom_traits", "hair_colour", "hair_style", "eye_colour",
        "skin_tone", "clothing", "distinctive_features", "backstory", "likes", "status",
    }
)  # fmt: skip


# The caps on a character's free text, one place each: a CharField's max_length, and
# here the backstory's (a TextField). Every prompt about the character carries these
# words, so they hold whichever door they come in by: the wizard, the API, a card.
BACKSTORY_MAX_LENGTH = 2000
CHARACTER_TEXT_CAPS = {
    **{
        field: Character._meta.get_field(field).max_length
        for field in (
            "name",
            "hair_colour",
            "hair_style",
            "eye_colour",
            "skin_tone",
            "clothing",
            "distinctive_features",
            "likes",
        )
    },
    "backstory": BACKSTORY_MAX_LENGTH,
}


def _text_caps_check(character: Character) -> None:
    for field, cap in CHARACTER_TEXT_CAPS.items():
        value = getattr(character, field)
        if not isinstance(value, str):
            raise InvalidInput.for_field(field, "This takes text.")
        if len(value) > cap:
            label = field.replace("_", " ")
            raise InvalidInput.for_field(field, f"Keep the {label} to {cap} characters or fewer (it has {len(value)}).")


def _character_check(character: Character) -> None:
    """Validate a character before saving: every field's shape and length cap, the
    palettes, and for a ready character a name and 1-5 traits. InvalidInput names
    the fields."""
    if isinstance(character.name, str):
        character.name = " ".join(character.name.split())
    _text_caps_check(character)
    if character.status == Character.Status.READY:
        if not character.name:
            raise InvalidInput.for_field("name", "Give the character a name.")
        character.traits, character.custom_traits = traits_validate(
            list(character.traits or []), list(character.custom_traits or [])
        )
    else:
        _custom_traits_clean(character.custom_traits or [])
    for field, palette in APPEARANCE_PALETTES.items():
        value = getattr(character, field)
        if value and value not in {swatch.key for swatch in palette}:
            raise InvalidInput.for_field(field, f"'{value}' is not one of the colours on offer.")
    if character.hair_style and character.hair_style not in dict(catalogue.HAIR_STYLES):
        raise InvalidInput.for_field("hair_style", f"'{character.hair_style}' is not one of the hair styles on offer.")
    try:
        character.full_clean(exclude=["owner", "selected_portrait"])
    except ValidationError as error:
        raise InvalidInput("Some of the details need another look.", details={"fields": error.message_dict}) from None


# What a grown-up types about a character that goes into prompts (the palettes are fixed choices).
TYPED_FIELDS = ("name", "clothing", "distinctive_features", "backstory", "likes", "custom_traits")


def _typed_words_moderate(character: Character, *, before: dict) -> None:
    """Moderate the typed words that are new since `before` (the values saved so far),
    once they have passed their length caps: ContentFlagged when any is unsuitable.
    Only new words, so that the wizard's autosave does not ask about the same ones again."""
    texts = []
    for field in TYPED_FIELDS:
        value, old = getattr(character, field), before.get(field)
        if field == "custom_traits":
            texts += [trait for trait in value or [] if trait not in (old or [])]
        elif value != old:
            texts.append(value)
    text_moderate(texts)


def _fields_only(fields: dict) -> dict:
    unknown = sorted(set(fields) - CHARACTER_FIELDS)
    if unknown:
        raise InvalidInput.for_field(unknown[0], "This cannot be set on a character.")
    return fields


@transaction.atomic
def character_create(*, user, name: str = "", status: str = Character.Status.READY, **fields) -> Character:
    """A new character of `user`. A ready character needs a name and 1-5 traits; a
    draft (the wizard saves one at every step) may be incomplete."""
    character = Character(owner=user, name=name, status=status, **_fields_only(fields))
    _character_check(character)
    _typed_words_moderate(character, before={})
    character.save()
    pagecache_invalidate(user.pk)
    return character


@transaction.atomic
def character_update(*, user, character_id: int, check_traits: bool = False, **fields) -> Character:
    """Change some of a character's fields; `status="ready"` confirms a draft.

    `check_traits` holds a draft's new traits to the rules confirming will apply, and
    moderates the grown-up's own words (the wizard's personality step asks for this)."""
    if check_traits:
        character_traits_check(fields.get("traits", []), fields.get("custom_traits", []))
    character = character_get(user=user, character_id=character_id, for_update=True)
    before = {field: getattr(character, field) for field in TYPED_FIELDS}
    for field, value in _fields_only(fields).items():
        setattr(character, field, value)
    _character_check(character)
    _typed_words_moderate(character, before=before)
    character.save()
    pagecache_invalidate(user.pk)
    return character


@transaction.atomic
def character_delete(*, user, character_id: int) -> None:
    """Delete a character with its portraits and relationships; stories keep their text."""
    character = character_get(user=user, character_id=character_id, for_update=True)
    names = list(character.portraits.values_list("image", flat=True))
    character.delete()
    pagecache_invalidate(user.pk)
    files_delete_on_commit(names)


RELATIONSHIP_NOTE_MAX = Relationship._meta.get_field("note").max_length


def _relationship_check(*, kind: str | None, note: str | None) -> None:
    """The kind and the note a relationship is created or changed with (None: unchanged)."""
    if kind is not None and kind not in RelationshipKind.values:
        raise InvalidInput.for_field("kind", f"'{kind}' is not a kind of relationship StoryForge knows.")
    if note is not None and len(note) > RELATIONSHIP_NOTE_MAX:
        raise InvalidInput.for_field("note", f"Keep the note under {RELATIONSHIP_NOTE_MAX} characters.")


@transaction.atomic
def relationship_create(
    *, user, from_character_id: int, to_character_id: int, kind: str, note: str = ""
) -> Relationship:
    """ "FROM is TO's <kind>", between two of the user's own characters."""
    _relationship_check(kind=kind, note=note)
    from_character = character_get(user=user, character_id=from_character_id)
    to_character = character_get(user=user, character_id=to_character_id)
    if from_character.pk == to_character.pk:
        raise InvalidInput.for_field("to_character", "A character cannot be related to itself.")
    text_moderate([note])  # the note goes into every prompt of a story with both
    try:
        with transaction.atomic():
            return Relationship.objects.create(
                from_character=from_character, to_character=to_character, kind=kind, note=note.strip()
            )
    except IntegrityError:
        raise Conflict(f"{from_character} and {to_character} already have a relationship; edit that one.") from None


@transaction.atomic
def relationship_update(
    *, user, relationship_id: int, kind: str | None = None, note: str | None = None
) -> Relationship:
    _relationship_check(kind=kind, note=note)
    text_moderate([note or ""])
    relationship = relationship_get(user=user, relationship_id=relationship_id, for_update=True)
    if kind is not None:
        relationship.kind = kind
    if note is not None:
        relationship.note = note.strip()
    relationship.save()
    return relationship


@transaction.atomic
def relationship_delete(*, user, relationship_id: int) -> None:
    relationship_get(user=user, relationship_id=relationship_id).delete()


def portrait_generate(*, user, character_id: int) -> GenerationJob:
    """Ask for a set of portrait candidates of one of the user's characters. The job
    carries the id of the request (or task) that asked, for the logs."""
    character = character_get(user=user, character_id=character_id)
    breaker.breaker_check()
    text_moderate(sheet_texts(character_sheet(character)))
    count = settings.STORYFORGE_PORTRAIT_CANDIDATES
    with generation_reserved(user=user, estimate=cost_estimate(images=count)):  # checks and holds the budget
        attempt = GenerationJob.objects.filter(character=character, kind=PORTRAIT_JOB).count() + 1
        return job_request(
            owner_id=user.pk,
            kind=PORTRAIT_JOB,
            character=character,
            idempotency_key=f"portrait:character:{character.pk}:{attempt}:{uuid.uuid4().hex[:8]}",
        )


def portrait_candidates_draw(*, job_id: int) -> None:
    """The worker's side of portrait_generate: draw the candidates and save them all at once."""
    job = job_begin(job_id)
    if job is None:
        return
    character = Character.objects.select_related("selected_portrait").get(pk=job.character_id)
    provider = provider_get(Capability.IMAGE)
    count = settings.STORYFORGE_PORTRAIT_CANDIDATES
    drawn = provider_call(
        provider.portrait_draw, character_sheet(character), count=count, art_style="storybook", seed=job.pk * 7919
    )
    drawn_pictures_moderate(
        drawn,
        refusal="{flagged} of the {drawn} portraits drawn did not look suitable for a children's book, so none is shown.",
    )

    def save(job, names):
        Portrait.objects.bulk_create(
            Portrait(
                character=character,
                image=name,
                prompt=image.prompt,
                provider=image.provider or provider.name,
                model=image.model,
                seed=image.seed,
                cost=image.usage.cost,
            )
            for name, image in zip(names, drawn, strict=True)
        )

    job_images_save(job_id=job_id, images=drawn, model=Portrait, provider=drawn[0].provider or provider.name, save=save)


@transaction.atomic
def portrait_select(*, user, character_id: int, portrait_id: int) -> Portrait:
    """Make one candidate the character's portrait; every later picture refers to it."""
    character = character_get(user=user, character_id=character_id, for_update=True)
    portrait = Portrait.objects.filter(character=character, pk=portrait_id).first()
    if portrait is None:
        raise NotFound("That portrait does not exist, or it is not this character's.")
    candidate_choose(
        character,
        portrait,
        candidates=Portrait.objects.filter(character=character),
        field="selected_portrait",
        owner_id=user.pk,
    )
    return portrait


UPLOAD_MAX_BYTES = 5 * 1024 * 1024
UPLOAD_MAX_SIDE = 4096
UPLOAD_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}
PORTRAIT_SIDE = 1024


def portrait_upload(*, user, character_id: int, upload) -> Portrait:
    """The grown-up's own picture as the character's portrait.

    Refuses files over 5 MB before reading them, anything that is not a PNG, JPEG,
    WebP or GIF image, and images over 4096 pixels a side (image bombs); the
    picture is re-encoded as PNG (no metadata kept) and becomes the selected one.
    """
    from io import BytesIO

    from PIL import Image, UnidentifiedImageError

    character = character_get(user=user, character_id=character_id)
    if upload.size is None or upload.size > UPLOAD_MAX_BYTES:
        raise InvalidInput.for_field("file", "The picture is larger than 5 MB.")
    try:
        with Image.open(upload) as probe:  # reads the header only
            if probe.format not in UPLOAD_FORMATS:
                raise InvalidInput.for_field("file", "Upload a PNG, JPEG, WebP or GIF picture.")
            if max(probe.size) > UPLOAD_MAX_SIDE:
                raise InvalidInput.for_field("file", f"The picture is larger than {UPLOAD_MAX_SIDE} pixels a side.")
            picture = probe.convert("RGBA")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise InvalidInput.for_field("file", "That file is not a picture StoryForge can read.") from None
    picture.thumbnail((PORTRAIT_SIDE, PORTRAIT_SIDE))
    buffer = BytesIO()
    picture.save(buffer, format="PNG")
    picture_moderate(buffer.getvalue())  # ContentFlagged: nothing is stored
    name = default_storage.save(image_upload_to(Portrait, "upload.png"), ContentFile(buffer.getvalue()))
    try:
        with transaction.atomic():
            portrait = Portrait.objects.create(
                character=character, image=name, provider="upload", source=Portrait.Source.UPLOADED
            )
            return portrait_select(user=user, character_id=character.pk, portrait_id=portrait.pk)
    except BaseException:
        with contextlib.suppress(OSError):
            default_storage.delete(name)
        raise
