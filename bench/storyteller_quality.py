"""The offline storyteller's quality report: for a spread of briefs (every age
group, many kinds of character, place and lesson, English and Spanish) the figures
issue 16 asks about.

    .venv/bin/python bench/storyteller_quality.py [--books 40]

For each brief it writes `--books` books (seeds 0, 1, 2...) and prints: the share of
distinct sentences, the sentence found in the most books and its share of books, the
share of books that tell each character's traits, likes and backstory, the reading
grade against the age group's band, words from other kinds of place, and body words
that do not fit a character; `--top N` also lists each brief's N most repeated
sentences. A board book's refrain (plots.py) repeats on purpose and is left out of
its variety figures. No database and no Django setup are needed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from storyforge.core.reading import READING_LEVEL_TARGETS
from storyforge.generation.providers.base import CharacterSheet as Sheet
from storyforge.generation.providers.base import Scene, StoryBrief
from storyforge.generation.providers.offline import quality
from storyforge.generation.providers.offline.artist import cover_scene
from storyforge.generation.providers.offline.plots import PLOTS
from storyforge.generation.providers.offline.readability import grade_of
from storyforge.generation.providers.offline.scene_reading import figures_planned
from storyforge.generation.providers.offline.sounds import SOUND_WORDS
from storyforge.generation.providers.offline.storyteller import story_write

MIA = Sheet(
    "Mia",
    "child",
    "she/her",
    7,
    ("Brave", "Curious"),
    likes="rock pools, pancakes",
    backstory="Mia lives by the sea and collects shells with stories in them.",
)
PIP = Sheet(
    "Pip",
    "dragon",
    "they/them",
    300,
    ("Gentle", "afraid of the dark"),
    likes="warm stones, riddles",
    backstory="Pip hatched in a storm on the longest night.",
    role="supporting",
)
LEO = Sheet(
    "Leo",
    "child",
    "he/him",
    4,
    ("Playful", "Funny"),
    likes="dinosaurs and puddles",
    backstory="Leo is Mia's little brother and wants to do everything she does.",
)
BOLT = Sheet(
    "Bolt",
    "robot",
    "it/its",
    None,
    ("Clever", "Cautious"),
    likes="shiny bolts",
    backstory="Bolt was built from an old toaster.",
)
WHISKERS = Sheet(
    "Whiskers",
    "animal",
    "he/him",
    3,
    ("Lazy", "Kind"),
    appearance="a ginger cat",
    likes="naps",
    backstory="He was found in a box by the bakery.",
    role="supporting",
)
GRAN = Sheet(
    "Grandma Rose",
    "grown-up",
    "she/her",
    70,
    ("Patient", "Funny"),
    likes="gardening and jam",
    backstory="She grew up on a farm.",
    role="supporting",
)
# (label, cast, relationships, age group, pages, tone, moral, setting, language)
BRIEFS = (
    ("issue brief", (MIA, PIP), ("Pip is Mia's best friend (since the storm).",), "6-8", 12, "gentle",
     "Telling the truth takes courage", "a snowy mountain village", "en"),
    ("board book", (LEO, WHISKERS), ("Whiskers is Leo's pet.",), "1-2", 8, "bedtime", "Sharing makes everyone happy",
     "the farm", "en"),
    ("preschool", (MIA, LEO), ("Mia is Leo's sibling (big sister).",), "3-5", 10, "funny", "Never give up",
     "a sunny beach", "en"),
    ("confident", (BOLT, MIA, GRAN), ("Grandma Rose is Mia's grandparent.",), "9-12", 14, "adventurous",
     "Caring for nature means caring for our home", "far out in space", "en"),
    ("own words", (PIP, BOLT), (), "6-8", 8, "mysterious", "Always brush your teeth", "an old museum", "en"),
    ("jungle", (WHISKERS, LEO), (), "3-5", 12, "heartwarming", "Say thank you", "the jungle", "en"),
    ("español", (MIA, PIP, LEO), ("Leo is Mia's sibling (little brother).",), "6-8", 12, "gentle",
     "Decir la verdad requiere valor", "un pueblo de montaña nevado", "es"),
)  # fmt: skip


# A board book's refrain repeats on purpose, and a sound word ("Moo, moo!") is said
# wherever its cow is: they are left out of the variety figures.
REFRAINS = frozenset(plot.refrain for plot in PLOTS.values())


def report(books: int, top: int = 0) -> None:
    header = (
        "brief        age  lang  distinct  top-share  traits likes backstory  grade  band        out-of-place  bodies"
        "  figures"
    )
    print(header)
    tops, sounds = [], []
    for label, cast, relations, age, pages, tone, moral, setting, language in BRIEFS:
        brief = StoryBrief(cast, relations, age, pages, tone, moral, setting, language, "watercolour", 0)
        drafts = [story_write(replace(brief, seed=seed)) for seed in range(books)]
        variety = quality.variety(drafts, (REFRAINS if age == "1-2" else frozenset()) | SOUND_WORDS)
        counted = quality.variety(drafts, REFRAINS if age == "1-2" else frozenset())
        texts = [quality.full_text(draft) for draft in drafts]
        traits = min(sum(quality.uses_traits(t, s, language) for t in texts) / books for s in cast)
        likes = min(sum(quality.uses_likes(t, s) for t in texts) / books for s in cast)
        backstory = min(sum(quality.uses_backstory(t, s) for t in texts) / books for s in cast)
        grade = statistics.median(grade_of(text, language) for text in texts)
        low, high = READING_LEVEL_TARGETS[age]
        # Places' and bodies' words are English word lists: a Spanish book is not measured ("-").
        english = language == "en"
        misplaced = sum(len(quality.words_from_other_places(d, brief)) for d in drafts) if english else "-"
        bodies = sum(len(quality.body_words_misfit(d, brief)) for d in drafts) if english else "-"
        right, pictures = _figures(drafts, brief)
        print(
            f"{label:<12} {age:<4} {language:<5} {variety.distinct_share:>7.0%}  {variety.top_share:>8.0%}"
            f"  {traits:>6.0%} {likes:>5.0%} {backstory:>9.0%}  {grade:>5.1f}  {low:>4.1f}..{high:<4.1f}"
            f"  {misplaced:>12}  {bodies:>6}  {right}/{pictures}"
        )
        tops.append((label, variety.top, variety.top_share, quality.most_repeated(drafts, top)))
        sounds.append(f"{label} {counted.distinct_share:.0%} / {counted.top_share:.0%}")
    print("\n(board book: the plot's refrain, repeated on purpose, is not counted in distinct or top-share;")
    print(' nor are sound words, "Moo, moo!". Counting them, distinct / top-share: ' + ", ".join(sounds) + ")")
    print("\nThe sentence found in the most books, per brief:")
    for label, first, share, _ in tops:
        print(f"  {label:<12} {share:>4.0%}  {first[:90]}")
    for label, _, _, repeated in tops if top else ():
        print(f"\nThe {top} sentences found in the most books, {label}:")
        for sentence, count in repeated:
            print(f"  {count / books:>4.0%}  {sentence[:100]}")
    print("\n(figures: pictures, the cover's included, that show exactly as many characters as the cast,")
    print(" out of all pictures; the page's words never add a figure.)")


def _figures(drafts, brief: StoryBrief) -> tuple[int, int]:
    """How many of the books' pictures (pages and covers) the offline artist plans with
    exactly the story's cast, out of how many pictures."""
    size, right, pictures = len(brief.characters), 0, 0
    for seed, draft in enumerate(drafts):
        scenes = [
            Scene(number, page.visual_description, page.text, brief.characters, brief.setting, "watercolour", seed)
            for number, page in enumerate(draft.pages, start=1)
        ]
        scenes.append(cover_scene(draft.title, brief.characters, brief.setting, "watercolour", seed))
        right += sum(figures_planned(scene) == size for scene in scenes)
        pictures += len(scenes)
    return right, pictures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--books", type=int, default=40)
    parser.add_argument("--top", type=int, default=0, help="also list each brief's N most repeated sentences")
    arguments = parser.parse_args()
    report(arguments.books, arguments.top)
