"""The characters, briefs and scenes the tests give the provider, and the error a
story ends in."""

import pytest

from storyforge.generation.providers.base import CharacterSheet, ProviderError, Scene, StoryBrief

MIA = CharacterSheet(
    name="Mia",
    kind="child",
    pronouns="she/her",
    age=4,
    traits=("brave",),
    appearance="a child with curly ginger hair, green eyes, wearing a yellow raincoat",
)
PIP = CharacterSheet(name="Pip", kind="dragon", pronouns="it/its", appearance="a dragon with green scales")


def brief(**overrides) -> StoryBrief:
    values = {
        "characters": (MIA,),
        "relationships": (),
        "age_group": "3-5",
        "page_count": 5,
        "tone": "gentle",
        "moral": "sharing is fun",
        "setting": "a garden",
        "language": "en",
        "art_style": "watercolour",
        "seed": 1,
    }
    values.update(overrides)
    return StoryBrief(**values)


def scene(*characters: CharacterSheet) -> Scene:
    return Scene(
        page_number=1,
        visual_description="Mia waves at Pip by the pond.",
        page_text="Hello, Pip!",
        characters=characters,
        setting="a garden",
        art_style="watercolour",
        seed=3,
    )


def story_error(provider, story_brief=None) -> ProviderError:
    with pytest.raises(ProviderError) as caught:
        provider.story_write(story_brief or brief())
    return caught.value
