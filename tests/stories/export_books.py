"""Ready stories to export, and what the export tests read them back with."""

import io

from pypdf import PdfReader

from stories.export import story_export_epub, story_export_pdf
from stories.models import Story
from tests.factories import IllustrationFactory, PortraitFactory, StoryCharacterFactory, StoryFactory, UserFactory

XSS = "<script>alert(1)</script>"
REMOTE_IMAGE = '<img src="http://example.com/x.png">'
COLOURS = ("skyblue", "gold", "tomato", "seagreen", "plum")


def ready_story(pages=3, *, portraits=True, texts=None, picture_size=(32, 24), **fields):
    """A ready story with two characters (portraits selected unless told otherwise)
    and `pages` pages, each with its own selected illustration."""
    user = fields.pop("owner", None) or UserFactory(first_name="Ada", last_name="Lovelace")
    fields.setdefault("title", "The Puddle Expedition")
    fields.setdefault("moral", "Friends share their umbrellas.")
    story = StoryFactory(owner=user, status=Story.Status.READY, page_count=pages, pages=pages, **fields)
    for index, name in enumerate(("Mia", "Leo")):
        role = StoryCharacterFactory(story=story, character__name=name, position=index)
        if portraits:
            portrait = PortraitFactory(character=role.character, is_selected=True, image__color=COLOURS[index])
            role.character.selected_portrait = portrait
            role.character.save()
    for page in story.pages.order_by("number"):
        if texts:
            page.text = texts[page.number - 1]
        page.selected_illustration = IllustrationFactory(
            page=page,
            is_selected=True,
            image__color=COLOURS[page.number % len(COLOURS)],
            image__width=picture_size[0] + page.number,
            image__height=picture_size[1],
        )
        page.save()
    return story


def pdf_of(story, **options) -> PdfReader:
    return PdfReader(io.BytesIO(story_export_pdf(user=story.owner, story_id=story.pk, **options)))


def words(text: str) -> str:
    return " ".join((text or "").split())


def page_texts(reader: PdfReader) -> list[str]:
    return [words(page.extract_text()) for page in reader.pages]


def epub_of(story) -> bytes:
    return story_export_epub(user=story.owner, story_id=story.pk)


def illustrations_of(story):
    """The story's chosen pictures, page by page."""
    return [
        page.selected_illustration for page in story.pages.select_related("selected_illustration").order_by("number")
    ]


def portraits_of(story):
    """The chosen portraits of the story's cast."""
    cast = story.cast.select_related("character__selected_portrait")
    return [role.character.selected_portrait for role in cast if role.character.selected_portrait]
