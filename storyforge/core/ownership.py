"""The one way to look up an object of the signed-in user's by its id."""

from __future__ import annotations

from django.db.models import QuerySet

from storyforge.core.converters import object_id
from storyforge.core.errors import NotFound


def owned_get(owned: QuerySet, pk, *, what: str, for_update: bool = False):
    """The object with id `pk` (as it came: address, form, API body) among `owned`, a
    queryset already limited to the user's own. Another user's object, no such object
    and a `pk` that is not an id are all the same NotFound ("That story does not
    exist, or it is not yours."), so that ids of other people's things cannot be
    probed. `for_update` locks the object's own row until the transaction ends (only
    that row: PostgreSQL cannot lock the nullable side of an outer join, and what is
    loaded with it is not being changed)."""
    if for_update:
        owned = owned.select_for_update(of=("self",))
    found = owned.filter(pk=object_id(pk)).first()
    if found is None:
        raise NotFound.of(what)
    return found
