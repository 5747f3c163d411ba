"""factory-boy factories for every model.

Defaults make a valid, ready-to-use object whose related objects share one owner:
a story's cast, a relationship's two characters and a job's story all belong to
the same grown-up unless a test says otherwise.
"""

from decimal import Decimal

import factory
from django.db.models import Max

from accounts.models import User
from characters.catalogue import Kind, Pronouns
from characters.models import Character, Portrait, Relationship, RelationshipKind
from stories.models import (
    CoverPicture,
    Illustration,
    Page,
    PageRevision,
    SentenceClip,
    Series,
    Story,
    StoryCharacter,
    StoryJobKind,
)
from storyforge.core import audio
from storyforge.core.reading import AgeGroup, Language, TextSize
from storyforge.generation.models import Allowance, GenerationJob

USER_PASSWORD = "pass-word-123"


def _image(filename: str, colour: str) -> factory.django.ImageField:
    """A real, small PNG drawn by Pillow, so that width and height are filled in."""
    return factory.django.ImageField(filename=filename, width=32, height=24, color=colour, format="PNG")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"grown-up-{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(USER_PASSWORD)
    default_age_group = AgeGroup.PRESCHOOL
    language = Language.ENGLISH
    text_size = TextSize.MEDIUM


class CharacterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Character

    class Params:
        draft = factory.Trait(status=Character.Status.DRAFT, name="")

    owner = factory.SubFactory(UserFactory)
    name = factory.Faker("first_name")
    kind = Kind.CHILD
    age = 6
    pronouns = Pronouns.THEY
    traits = factory.LazyFunction(lambda: ["brave", "curious"])
    hair_colour = "brown"
    hair_style = "curly"
    eye_colour = "green"
    skin_tone = "light"
    clothing = "a yellow raincoat"
    likes = "puddles and dinosaurs"
    status = Character.Status.READY


class PortraitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Portrait

    character = factory.SubFactory(CharacterFactory)
    image = _image("portrait.png", "orange")
    prompt = "A friendly portrait in watercolour."
    provider = "offline"
    seed = factory.Sequence(lambda n: n)
    cost = Decimal("0")


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relationship

    from_character = factory.SubFactory(CharacterFactory)
    to_character = factory.SubFactory(CharacterFactory, owner=factory.SelfAttribute("..from_character.owner"))
    kind = RelationshipKind.FRIEND


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series

    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Adventures, volume {n}")


class StoryFactory(factory.django.DjangoModelFactory):
    """`StoryFactory(pages=3)` also makes pages 1 to 3."""

    class Meta:
        model = Story
        skip_postgeneration_save = True

    class Params:
        failed = factory.Trait(
            status=Story.Status.FAILED, error_code="provider_unavailable", error_message="The storyteller is away."
        )
        in_series = factory.Trait(
            series=factory.SubFactory(SeriesFactory, owner=factory.SelfAttribute("..owner")),
            series_position=1,
        )

    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"The Puddle Expedition {n}")
    age_group = AgeGroup.PRESCHOOL
    page_count = 8
    setting = "a rainy park"
    status = Story.Status.DRAFT
    seed = factory.Sequence(lambda n: n)

    @factory.post_generation
    def pages(story, create, extracted, **kwargs):
        if create and extracted:
            PageFactory.create_batch(extracted, story=story, **kwargs)


class StoryCharacterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StoryCharacter

    story = factory.SubFactory(StoryFactory)
    character = factory.SubFactory(CharacterFactory, owner=factory.SelfAttribute("..story.owner"))
    role = StoryCharacter.Role.MAIN
    position = 0


def _next_page_number(page) -> int:
    if page.story.pk is None:
        return 1
    highest = Page.objects.filter(story=page.story).aggregate(highest=Max("number"))["highest"]
    return (highest or 0) + 1


class PageFactory(factory.django.DjangoModelFactory):
    """Numbers pages 1, 2, 3... within each story; the 21st is refused by the database."""

    class Meta:
        model = Page

    story = factory.SubFactory(StoryFactory)
    number = factory.LazyAttribute(_next_page_number)
    text = factory.LazyAttribute(lambda page: f"Page {page.number}: the friends set off across the park.")
    visual_description = "Two friends in raincoats jump into a big puddle."


class IllustrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Illustration

    page = factory.SubFactory(PageFactory)
    image = _image("illustration.png", "skyblue")
    prompt = "Two friends jump into a puddle, watercolour."
    provider = "offline"
    seed = factory.Sequence(lambda n: n)
    cost = Decimal("0")


class CoverPictureFactory(factory.django.DjangoModelFactory):
    """A cover candidate; `CoverPictureFactory(story=story, chosen=True)` makes it the book's cover."""

    class Meta:
        model = CoverPicture
        skip_postgeneration_save = True

    class Params:
        chosen = factory.Trait(is_selected=True)

    story = factory.SubFactory(StoryFactory)
    image = _image("cover.png", "gold")
    prompt = "The front cover: everyone together."
    provider = "offline"
    seed = factory.Sequence(lambda n: n)
    cost = Decimal("0")

    @factory.post_generation
    def on_the_cover(self, create, extracted, **kwargs):
        if create and self.is_selected:
            Story.objects.filter(pk=self.story_id).update(cover=self)
            self.story.cover = self


# A real MP3 of half a second of silence, in StoryForge's clip shape, so that clips
# decode and time like spoken ones.
CLIP_MP3 = audio.mp3_encoded(audio.silence(0.5))
CLIP_MS = audio.duration_ms(CLIP_MP3)


class SentenceClipFactory(factory.django.DjangoModelFactory):
    """A clip of the page's current text: `SentenceClipFactory(page=page, index=0, text="...")`."""

    class Meta:
        model = SentenceClip

    page = factory.SubFactory(PageFactory)
    page_version = factory.LazyAttribute(lambda clip: clip.page.version)
    index = 0
    text = "Mia found a ball."
    audio = factory.django.FileField(filename="clip.mp3", data=CLIP_MP3)
    duration_ms = CLIP_MS
    provider = "offline"
    voice = "en"


class PageRevisionFactory(factory.django.DjangoModelFactory):
    """An earlier text of a page: `PageRevisionFactory(page=page, version=1, text="...")`."""

    class Meta:
        model = PageRevision

    page = factory.SubFactory(PageFactory)
    version = 1
    text = "Page 1: an earlier telling."
    visual_description = "Two friends under one umbrella."


class GenerationJobFactory(factory.django.DjangoModelFactory):
    """A queued job for a story's text, owned by the story's owner."""

    class Meta:
        model = GenerationJob

    class Params:
        succeeded = factory.Trait(
            status=GenerationJob.Status.SUCCEEDED,
            progress=100,
            attempts=1,
            prompt_tokens=900,
            completion_tokens=1500,
            cost=Decimal("0.001250"),
        )
        failed = factory.Trait(
            status=GenerationJob.Status.FAILED,
            attempts=3,
            error_code="provider_unavailable",
            error_message="The storyteller is away.",
        )

    owner = factory.SubFactory(UserFactory)
    kind = StoryJobKind.STORY_TEXT
    story = factory.SubFactory(StoryFactory, owner=factory.SelfAttribute("..owner"))
    status = GenerationJob.Status.QUEUED
    idempotency_key = factory.Sequence(lambda n: f"job-{n:06d}")
    provider = "offline"


class AllowanceFactory(factory.django.DjangoModelFactory):
    """A user's own daily limits, as staff set them in the admin."""

    class Meta:
        model = Allowance

    user = factory.SubFactory(UserFactory)
    daily_budget = Decimal("5.00")
    daily_generations = 10
