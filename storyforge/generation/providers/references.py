"""The reference pictures a provider draws from: a character's selected portrait,
read through Django's storage API by its stored name, so that it reaches the image
server whether the pictures are on this machine's disk or in object storage."""

from __future__ import annotations

import logging

from django.core.files.storage import default_storage

from storyforge.generation.providers.base import CharacterSheet

logger = logging.getLogger(__name__)


def portrait_read(character: CharacterSheet) -> bytes | None:
    """The bytes of the character's selected portrait; None when it has none, or when
    it cannot be read (then the picture is drawn from the words alone, and logged)."""
    if not character.portrait_file:
        return None
    try:
        with default_storage.open(character.portrait_file, "rb") as file:
            return file.read()
    except (OSError, ValueError):
        logger.warning("Portrait of %s cannot be read from %s.", character.name, character.portrait_file)
        return None
