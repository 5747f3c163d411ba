"""The cast the offline storyteller's tests write for: a child, a dragon, a little
brother, a robot, a cat and a grandmother, each with traits, likes and a backstory
(the same cast as bench/storyteller_quality.py)."""

from storyforge.generation.providers.base import CharacterSheet, StoryBrief

MIA = CharacterSheet("Mia", "child", "she/her", 7, ("Brave", "Curious"), likes="rock pools, pancakes",
                     backstory="Mia lives by the sea and collects shells with stories in them.")  # fmt: skip
PIP = CharacterSheet("Pip", "dragon", "they/them", 300, ("Gentle", "afraid of the dark"), likes="warm stones, riddles",
                     backstory="Pip hatched in a storm on the longest night.", role="supporting")  # fmt: skip
LEO = CharacterSheet("Leo", "child", "he/him", 4, ("Playful", "Funny"), likes="dinosaurs and puddles",
                     backstory="Leo is Mia's little brother and wants to do everything she does.")  # fmt: skip
BOLT = CharacterSheet("Bolt", "robot", "it/its", None, ("Clever", "Cautious"), likes="shiny bolts",
                      backstory="Bolt was built from an old toaster.")  # fmt: skip
WHISKERS = CharacterSheet("Whiskers", "animal", "he/him", 3, ("Lazy", "Kind"), appearance="a ginger cat",
                          likes="naps", backstory="He was found in a box by the bakery.", role="supporting")  # fmt: skip
GRAN = CharacterSheet("Grandma Rose", "grown-up", "she/her", 70, ("Patient", "Funny"), likes="gardening and jam",
                      backstory="She grew up on a farm.", role="supporting")  # fmt: skip


def spanish_brief(cast=(MIA, PIP, LEO), seed: int = 0, **changes) -> StoryBrief:
    """The issue's brief in Spanish: a 12-page gentle book about telling the truth in a
    snowy mountain village, Leo Mia's little brother; `changes` replace any field."""
    values = {
        "characters": cast,
        "relationships": ("Leo is Mia's sibling (little brother).",),
        "age_group": "6-8",
        "page_count": 12,
        "tone": "gentle",
        "moral": "Decir la verdad requiere valor",
        "setting": "un pueblo de montaña nevado",
        "language": "es",
        "art_style": "watercolour",
        "seed": seed,
    }
    return StoryBrief(**(values | changes))
