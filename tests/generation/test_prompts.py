from storyforge.generation.providers import prompts
from storyforge.generation.providers.base import CharacterSheet, Scene, StoryBrief

MIA = CharacterSheet(
    name="Mia",
    kind="child",
    pronouns="she/her",
    age=6,
    traits=("brave", "afraid of the dark"),
    backstory="Mia moved to the seaside last summer.",
    likes="shells and thunderstorms",
    appearance="a child with curly ginger hair, green eyes, light skin, wearing a yellow raincoat",
)
PIP = CharacterSheet(
    name="Pip",
    kind="dragon",
    pronouns="it/its",
    traits=("playful",),
    role="supporting",
    appearance="a dragon with green scales, wearing a tiny red scarf",
)


def brief(**overrides) -> StoryBrief:
    values = {
        "characters": (MIA, PIP),
        "relationships": ("Pip is Mia's best friend.",),
        "age_group": "3-5",
        "page_count": 7,
        "tone": "bedtime",
        "moral": "It is fine to ask for help",
        "setting": "a lighthouse by the sea",
        "language": "en",
        "art_style": "watercolour",
        "seed": 7,
    }
    values.update(overrides)
    return StoryBrief(**values)


def user_prompt(story_brief: StoryBrief) -> str:
    messages = prompts.story_messages(story_brief)
    assert [message["role"] for message in messages] == ["system", "user"]
    return messages[1]["content"]


def test_story_prompt_introduces_every_character():
    prompt = user_prompt(brief())

    assert "1. Mia (main character): a child, 6 years old, pronouns she/her." in prompt
    assert "2. Pip (supporting character): a dragon, pronouns it/its." in prompt
    assert "Personality: brave, afraid of the dark." in prompt
    assert MIA.appearance in prompt
    assert PIP.appearance in prompt
    assert "Mia moved to the seaside last summer." in prompt
    assert "shells and thunderstorms" in prompt


def test_story_prompt_builds_a_look_from_the_palette_when_the_sheet_has_none():
    leo = CharacterSheet(name="Leo", kind="child", pronouns="he/him", hair_colour="blonde", eye_colour="blue")

    assert "a child with blonde hair, blue eyes" in user_prompt(brief(characters=(leo,)))


def test_story_prompt_states_the_relationships():
    assert "Pip is Mia's best friend." in user_prompt(brief())


def test_story_prompt_gives_concrete_guidance_for_the_age_group():
    toddler = user_prompt(brief(age_group="1-2"))
    confident = user_prompt(brief(age_group="9-12"))

    assert "Age group: 1-2 years." in toddler
    assert "3 to 6 words each" in toddler
    assert "Age group: 9-12 years." in confident
    assert "Rich vocabulary" in confident


def test_story_prompt_names_tone_moral_and_setting():
    prompt = user_prompt(brief())

    assert "Tone: calm and sleepy, a bedtime story" in prompt
    assert "Moral: It is fine to ask for help." in prompt
    assert "Setting: a lighthouse by the sea." in prompt


def test_story_prompt_leaves_out_an_empty_moral_and_setting():
    prompt = user_prompt(brief(moral="", setting=""))

    assert "Moral:" not in prompt
    assert "Setting:" not in prompt


def test_story_prompt_asks_for_the_story_in_the_books_language():
    prompt = user_prompt(brief(language="de"))

    assert "every page in German" in prompt
    assert "visual_description in English" in prompt


def test_story_prompt_names_the_art_style():
    assert "soft watercolour painting" in user_prompt(brief(art_style="watercolour"))


def test_story_prompt_asks_for_the_exact_page_count():
    prompt = user_prompt(brief(page_count=11))

    assert "exactly 11 pages" in prompt
    assert "exactly 11 items" in prompt


def test_sequel_prompt_holds_the_earlier_summaries_in_order():
    prompt = user_prompt(brief(earlier_summaries=("Mia finds a dragon egg.", "The egg hatches into Pip.")))

    assert "The story so far:\n1. Mia finds a dragon egg.\n2. The egg hatches into Pip." in prompt
    assert "carry over" in prompt


def test_first_book_has_no_story_so_far():
    assert "The story so far" not in user_prompt(brief())


def test_stricter_prompt_asks_for_simpler_text_for_young_children():
    normal = user_prompt(brief(age_group="3-5"))
    stricter = user_prompt(brief(age_group="3-5", stricter_reading_level=True))

    assert "Reading level (important)" not in normal
    assert "Reading level (important): aim for a Flesch-Kincaid grade of at most 2.5." in stricter
    assert "shorter sentences" in stricter


def test_stricter_prompt_for_older_children_gives_the_grade_range_both_ways():
    stricter = user_prompt(brief(age_group="9-12", stricter_reading_level=True))

    assert "a Flesch-Kincaid grade between 2 and 8" in stricter
    assert "richer words" in stricter


def test_story_schema_is_strict():
    schema = prompts.STORY_SCHEMA
    page = schema["properties"]["pages"]["items"]

    assert set(schema["required"]) == set(schema["properties"]) == {"title", "summary", "pages"}
    assert set(page["required"]) == set(page["properties"]) == {"text", "visual_description"}
    assert schema["additionalProperties"] is False
    assert page["additionalProperties"] is False


def test_repair_messages_show_the_bad_reply_and_the_problem():
    first = prompts.story_messages(brief())

    messages = prompts.repair_messages(first, '{"title": "x"', "it is not valid JSON")

    assert messages[:2] == first
    assert messages[2] == {"role": "assistant", "content": '{"title": "x"'}
    assert messages[3]["role"] == "user"
    assert "it is not valid JSON" in messages[3]["content"]


def test_portrait_prompt_uses_the_appearance_word_for_word():
    prompt = prompts.portrait_prompt(MIA, "crayon", 0)

    assert MIA.appearance in prompt
    assert "wax crayon" in prompt
    assert prompt.endswith("children's picture book illustration, no text.")


def test_portrait_variants_differ_in_pose():
    assert prompts.portrait_prompt(MIA, "crayon", 0) != prompts.portrait_prompt(MIA, "crayon", 1)


def test_scene_prompt_describes_every_character_with_the_same_words():
    scene = Scene(
        page_number=3,
        visual_description="Mia and Pip climb the lighthouse stairs.",
        page_text="Up, up, up they go.",
        characters=(MIA, PIP),
        setting="a lighthouse by the sea",
        art_style="paper-cut",
        seed=1,
    )

    prompt = prompts.scene_prompt(scene)

    assert "Mia and Pip climb the lighthouse stairs." in prompt
    assert f"Mia is {MIA.appearance}." in prompt
    assert f"Pip is {PIP.appearance}." in prompt
    assert "a lighthouse by the sea" in prompt
    assert "paper cut-out collage" in prompt
    assert "no text" in prompt
