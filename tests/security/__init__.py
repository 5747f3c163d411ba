"""Security tests (docs/security.md). What several modules share: the routes of the
URL configuration, and a grown-up's full object graph built with the factories."""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from accounts.services import api_token_create
from characters.models import Character
from stories.models import PageRevision, Story
from tests.factories import (
    CharacterFactory,
    CoverPictureFactory,
    GenerationJobFactory,
    IllustrationFactory,
    PageFactory,
    PortraitFactory,
    RelationshipFactory,
    StoryCharacterFactory,
    StoryFactory,
    UserFactory,
)

PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>")


@dataclass(frozen=True)
class Route:
    route: str  # e.g. "stories/<id:story_id>/pages/<id:number>/"
    name: str
    callback: object

    @property
    def parameters(self) -> list[str]:
        return [a or b for a, b in PARAMETER.findall(self.route)]

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")

    def address(self, values: dict) -> str:
        def value(match):
            return str(values[match.group(1) or match.group(2)])

        path = PARAMETER.sub(value, self.route).replace("^", "").replace("$", "").replace("\\", "")
        return "/" + path


def routes(resolver=None, prefix: str = "") -> list[Route]:
    """Every route of the URL configuration, nested includes walked recursively."""
    resolver = resolver or get_resolver()
    found = []
    for pattern in resolver.url_patterns:
        text = prefix + str(pattern.pattern).lstrip("^")
        if isinstance(pattern, URLResolver):
            found.extend(routes(pattern, text))
        elif isinstance(pattern, URLPattern):
            found.append(Route(text, pattern.name or "", pattern.callback))
    return found


PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def object_graph(owner=None, text: str | None = None) -> dict:
    """Some of everything for one grown-up: a ready story with pages and illustrations
    in a series, characters with portraits and a relationship, a job and an API token.
    `text`, when given, goes into every user-controlled text field."""
    owner = owner or UserFactory()
    words = {} if text is None else {"name": f"Mia{text}", "clothing": text, "likes": text}
    if text is not None:
        words.update(custom_traits=[text], backstory=text, distinctive_features=text)
    character = CharacterFactory(owner=owner, **_existing(Character, words))
    friend = CharacterFactory(owner=owner)
    portrait = PortraitFactory(character=character, is_selected=True)
    character.selected_portrait = portrait
    character.save()
    relationship = RelationshipFactory(
        from_character=character, to_character=friend, **({"note": text} if text is not None else {})
    )
    story_words = {} if text is None else {"title": f"Book{text}", "moral": text, "setting": text}
    if text is not None:
        story_words.update(subtitle=text, author_name=f"Ada{text}", dedication=text)
    story = StoryFactory(
        owner=owner, status=Story.Status.READY, page_count=2, in_series=True, **_existing(Story, story_words)
    )
    if text is not None:
        story.series.title = f"Series{text}"
        story.series.description = text
        story.series.save()
    StoryCharacterFactory(story=story, character=character)
    pages = [PageFactory(story=story, **({"text": text} if text is not None else {})) for _ in range(2)]
    illustrations = [IllustrationFactory(page=page, is_selected=True) for page in pages]
    for page, illustration in zip(pages, illustrations, strict=True):
        page.selected_illustration = illustration
        page.save()
    pages[0].version = 2  # page 1 was edited once: its first words are in its history
    pages[0].save()
    revision = PageRevision.objects.create(page=pages[0], version=1, text="The words before.")
    job = GenerationJobFactory(owner=owner, story=story)
    cover = CoverPictureFactory(story=story, chosen=True)
    token, key = api_token_create(user=owner, name="owner's token")
    return {
        "owner": owner,
        "character": character,
        "friend": friend,
        "portrait": portrait,
        "relationship": relationship,
        "story": story,
        "series": story.series,
        "pages": pages,
        "illustrations": illustrations,
        "revision": revision,
        "job": job,
        "cover": cover,
        "token": token,
        "key": key,
    }


def _existing(model, values: dict) -> dict:
    fields = {field.name for field in model._meta.get_fields()}
    return {name: value for name, value in values.items() if name in fields}
