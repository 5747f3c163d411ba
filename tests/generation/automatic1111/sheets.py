"""The characters and scenes the tests draw, and portrait files for them."""

import dataclasses
import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from storyforge.generation.providers.base import CharacterSheet, Scene

MIA = CharacterSheet(
    name="Mia",
    kind="child",
    pronouns="she/her",
    age=4,
    traits=("brave",),
    appearance="a child with curly ginger hair, green eyes, wearing a yellow raincoat",
)
PIP = CharacterSheet(
    name="Pip", kind="dragon", pronouns="it/its", role="supporting", appearance="a dragon with green scales"
)


def scene(*characters: CharacterSheet, seed: int = 3) -> Scene:
    return Scene(
        page_number=1,
        visual_description="Mia waves at Pip by the pond.",
        page_text="Hello, Pip!",
        characters=characters,
        setting="a garden",
        art_style="watercolour",
        seed=seed,
    )


def with_portrait(character: CharacterSheet, colour: str = "red", size: int = 64) -> CharacterSheet:
    """The character with a selected portrait: a PNG saved through the storage, as
    portraits are, and named by its stored name."""
    buffer = io.BytesIO()
    Image.new("RGB", (size, size), colour).save(buffer, "PNG")
    name = default_storage.save(
        f"portraits/tests/{character.name.lower()}-{colour}.png", ContentFile(buffer.getvalue())
    )
    return dataclasses.replace(character, portrait_file=name)


def stored(name: str) -> bytes:
    with default_storage.open(name, "rb") as file:
        return file.read()
