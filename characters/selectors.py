from django.db.models import Q, QuerySet

from characters import catalogue
from characters.models import PORTRAIT_JOB, Character, Portrait, Relationship
from storyforge.core.errors import NotFound
from storyforge.core.ownership import owned_get
from storyforge.generation.models import GenerationJob
from storyforge.generation.providers.base import CharacterSheet
from storyforge.generation.selectors import job_get


def character_list(*, user, status: str | None = None) -> QuerySet[Character]:
    """The user's characters, most recently changed first, with their selected portrait."""
    characters = Character.objects.filter(owner=user).select_related("selected_portrait")
    if status:
        characters = characters.filter(status=status)
    return characters


def character_search(*, user, text: str = "", kind: str = "", status: str = "") -> QuerySet[Character]:
    """The user's characters whose name contains `text`, of one kind and status when given."""
    characters = character_list(user=user, status=status or None)
    if text:
        characters = characters.filter(name__icontains=text)
    if kind:
        characters = characters.filter(kind=kind)
    return characters


def character_get(*, user, character_id, for_update: bool = False) -> Character:
    """One of the user's characters, with its selected portrait, from an id as it came
    (address, form, API body). Another user's, or no such one, is NotFound, never
    PermissionDenied, so that ids of other people's characters cannot be probed.
    `for_update` locks the character's row (not its portrait's) until the
    transaction ends."""
    return owned_get(character_list(user=user), character_id, what="character", for_update=for_update)


def character_appearance(character: Character) -> str:
    return catalogue.appearance_of(character)


def character_sheet(character: Character, *, role: str = "main") -> CharacterSheet:
    """How the AI sees a character. Expects `selected_portrait` to be loaded."""
    portrait = character.selected_portrait
    # The stored name, read later through the storage API: a path exists only on a disk.
    portrait_file = portrait.image.name if portrait is not None and portrait.image else None
    colours = {
        "hair": catalogue.swatch_hex(catalogue.HAIR_COLOURS, character.hair_colour, ""),
        "skin": catalogue.swatch_hex(catalogue.SKIN_TONES, character.skin_tone, ""),
        "eyes": catalogue.swatch_hex(catalogue.EYE_COLOURS, character.eye_colour, ""),
    }
    labels = [catalogue.TRAITS_BY_KEY[key].label.lower() for key in character.traits if key in catalogue.TRAITS_BY_KEY]
    return CharacterSheet(
        name=character.name,
        kind=character.kind,
        pronouns=character.pronouns,
        age=character.age,
        traits=tuple(labels + list(character.custom_traits)),
        hair_colour=character.hair_colour,
        hair_style=character.hair_style,
        eye_colour=character.eye_colour,
        skin_tone=character.skin_tone,
        clothing=character.clothing,
        distinctive_features=character.distinctive_features,
        backstory=character.backstory,
        likes=character.likes,
        role=role,
        appearance=character_appearance(character),
        colours={key: value for key, value in colours.items() if value},
        portrait_file=portrait_file,
    )


def relationship_sentences(character_ids: list[int]) -> tuple[str, ...]:
    """ "Mia is Leo's sibling (big sister)." for every relationship among these characters."""
    relationships = Relationship.objects.filter(
        Q(from_character_id__in=character_ids) & Q(to_character_id__in=character_ids)
    ).select_related("from_character", "to_character")
    return tuple(relationship_sentence(relationship) for relationship in relationships.order_by("id"))


def relationship_sentence(relationship: Relationship) -> str:
    """ "Mia is Leo's sibling (big sister).": how prompts and cards state a relationship.
    Expects both characters to be loaded."""
    note = f" ({relationship.note})" if relationship.note else ""
    return (
        f"{relationship.from_character.name} is {relationship.to_character.name}'s "
        f"{relationship.get_kind_display()}{note}."
    )


def character_roles(*, character: Character) -> QuerySet:
    """The character's parts in the owner's stories, newest story first, with the story loaded."""
    return (
        character.roles.filter(story__owner_id=character.owner_id)
        .select_related("story")
        .order_by("-story__created_at", "-story_id")
    )


def relationship_list(*, user) -> QuerySet[Relationship]:
    """Every relationship among the user's characters, with both characters loaded."""
    return Relationship.objects.filter(from_character__owner=user).select_related("from_character", "to_character")


def relationship_get(*, user, relationship_id, for_update: bool = False) -> Relationship:
    """One relationship among the user's characters, with both characters, from an id
    as it came; another user's, or no such one, is NotFound. `for_update` locks the
    relationship's row (not the characters') until the transaction ends."""
    return owned_get(relationship_list(user=user), relationship_id, what="relationship", for_update=for_update)


def relationships_of(*, character: Character) -> QuerySet[Relationship]:
    """The character's relationships, both ends with their selected portrait (the pages show it)."""
    return (
        relationship_list(user=character.owner)
        .filter(Q(from_character=character) | Q(to_character=character))
        .select_related("from_character__selected_portrait", "to_character__selected_portrait")
    )


def portrait_list(*, user, character_id) -> QuerySet[Portrait]:
    character = character_get(user=user, character_id=character_id)
    return Portrait.objects.filter(character=character).order_by("-created_at", "-id")


def portrait_job_get(*, user, character: Character, job_id) -> GenerationJob:
    """One of the user's portrait jobs for this character (the portrait step follows
    it); a job of another character, or of another kind, is NotFound."""
    job = job_get(user=user, job_id=job_id)
    if job.character_id != character.pk or job.kind != PORTRAIT_JOB:
        raise NotFound("That job does not exist, or it is not this character's.")
    return job
