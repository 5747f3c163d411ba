"""Path converters for object ids in every address, pages and API alike."""

from django.urls import register_converter

ID_MAX = 2**63 - 1  # a signed 64-bit integer: BigAutoField on SQLite and PostgreSQL


class ObjectIdConverter:
    """A whole number that fits a database id. A longer one does not match the
    address, so it is a plain 404 rather than a database error."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > ID_MAX:
            raise ValueError("not an id")
        return number

    def to_url(self, value) -> str:
        return str(value)


register_converter(ObjectIdConverter, "id")


def object_id(value) -> int:
    """An object id from an address, a form or an API body; anything that is not
    one (text, too big for the database) is simply not found."""
    from storyforge.core.errors import NotFound

    try:
        number = int(value)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not 0 < number <= ID_MAX:
        raise NotFound()
    return number
