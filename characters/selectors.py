from django.db.models import QuerySet

from characters.models import Character


def character_list(*, user, status: str | None = None) -> QuerySet[Character]:
    """The user's characters, most recently changed first, with their selected portrait."""
    characters = Character.objects.filter(owner=user).select_related("selected_portrait")
    if status:
        characters = characters.filter(status=status)
    return characters
