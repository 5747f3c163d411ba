from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from characters.selectors import character_list
from stories.models import Series, Story, StoryCharacter
from storyforge.core.converters import object_id
from storyforge.core.errors import NotFound
from storyforge.core.ownership import owned_get
from storyforge.core.pagecache import pagecache_read
from storyforge.generation.selectors import usage_summary


def story_list(*, user, status: str | None = None) -> QuerySet[Story]:
    """The user's stories, newest first, with their cast in order (each with their portrait)."""
    cast = StoryCharacter.objects.select_related("character__selected_portrait")
    stories = (
        Story.objects.filter(owner=user)
        .select_related("series", "cover", "owner")
        .prefetch_related(Prefetch("cast", queryset=cast))
    )
    if status:
        stories = stories.filter(status=status)
    return stories


def cover_prefetch() -> Prefetch:
    """Page 1 with its chosen picture, as `cover_pages`: the book's cover picture
    (the reader's `cover_picture`) for lists of stories."""
    from stories.models import Page

    return Prefetch(
        "pages", queryset=Page.objects.filter(number=1).select_related("selected_illustration"), to_attr="cover_pages"
    )


def cover_picture_of(story: Story, first_page=None):
    """The picture on a book's cover: its own cover picture (`story.cover`, loaded
    with the story), else, for a book made before covers or whose cover is still being
    drawn, the chosen picture of `first_page`; None when there is neither."""
    if story.cover_id:
        return story.cover
    return first_page.selected_illustration if first_page is not None else None


def covers_attach(stories) -> list[Story]:
    """The stories as a list, each with `cover_picture`, the picture the reader shows
    on its cover (None before it is drawn). Expects `cover_prefetch()` to be loaded."""
    books = list(stories)
    for story in books:
        story.cover_picture = cover_picture_of(story, story.cover_pages[0] if story.cover_pages else None)
    return books


def story_gallery(*, user, status: str | None = None, text: str = "") -> QuerySet[Story]:
    """The user's stories for the gallery, newest first, whose title contains `text`:
    with their cast, series and cover (`covers_attach`), a fixed number of queries a page."""
    stories = story_list(user=user, status=status).prefetch_related(cover_prefetch())
    if text:
        stories = stories.filter(title__icontains=text)
    return stories


def story_get(*, user, story_id, for_update: bool = False) -> Story:
    """One of the user's stories, nothing else loaded: the ownership check every
    change to a story starts with. Another user's story is NotFound."""
    return owned_get(Story.objects.filter(owner=user), story_id, what="story", for_update=for_update)


def story_book_get(*, user, story_id) -> Story:
    """One of the user's stories as a book: its cast, its pages with their chosen
    picture, every picture candidate, the narration's clips and the pages' earlier texts
    (newest first), in a fixed number of queries (the reader,
    the API's story, the exports). Another user's story is NotFound."""
    from stories.models import CoverPicture, Illustration, Page, PageRevision, SentenceClip

    pages = (
        Page.objects.order_by("number")
        .select_related("selected_illustration")
        .prefetch_related(
            Prefetch("illustrations", queryset=Illustration.objects.order_by("created_at", "id")),
            Prefetch("clips", queryset=SentenceClip.objects.order_by("page_version", "index")),
            Prefetch("revisions", queryset=PageRevision.objects.order_by("-version")),  # the reader's undo
        )
    )
    covers = Prefetch("cover_pictures", queryset=CoverPicture.objects.order_by("created_at", "id"))
    books = story_list(user=user).prefetch_related(Prefetch("pages", queryset=pages), covers)
    return owned_get(books, story_id, what="story")


def series_list(*, user) -> QuerySet[Series]:
    """The user's series, most recently changed first, each with its `story_count`."""
    # A subquery rather than Count(): without GROUP BY a series can be locked (series_get).
    counts = Story.objects.filter(series=OuterRef("pk")).order_by().values("series").annotate(count=Count("pk"))
    return (
        Series.objects.filter(owner=user)
        .annotate(story_count=Coalesce(Subquery(counts.values("count")), 0))
        .order_by("-updated_at", "-id")
    )


def series_get(*, user, series_id, for_update: bool = False) -> Series:
    """One of the user's series with its `story_count`. Another user's is NotFound."""
    return owned_get(series_list(user=user), series_id, what="series", for_update=for_update)


def series_stories(*, series) -> QuerySet[Story]:
    """The series' stories in order, each with its cast, its owner and its cover
    picture, and its first page with that page's chosen picture in `cover_pages`
    (empty before it is written): `covers_attach` gives each its `cover_picture`."""
    return (
        Story.objects.filter(series=series)
        .order_by("series_position")
        .select_related("cover", "owner")
        .prefetch_related(
            Prefetch("cast", queryset=StoryCharacter.objects.select_related("character")), cover_prefetch()
        )
    )


def page_get(*, user, story_id, number, for_update: bool = False):
    """One page of one of the user's stories, with its story. Another user's page,
    or a number the story has no page for, is NotFound."""
    from stories.models import Page

    pages = Page.objects.select_related("story")
    if for_update:
        pages = pages.select_for_update(of=("self",))
    page = pages.filter(story__owner=user, story_id=object_id(story_id), number=object_id(number)).first()
    if page is None:
        raise NotFound.of("page")
    return page


def story_get_shared(*, token) -> Story:
    """The finished story a share link points to, with its author, cast and pages with
    their chosen picture and narration clips, in a fixed number of queries. An unknown
    or revoked token, or a story that is not ready, is NotFound."""
    from stories.models import Page, SentenceClip

    if not isinstance(token, str) or not token:
        raise NotFound("This link does not work any more.")
    story = (
        Story.objects.filter(share_token=token, status=Story.Status.READY)
        .select_related("owner", "series", "cover")
        .prefetch_related(
            Prefetch("cast", queryset=StoryCharacter.objects.select_related("character")),
            Prefetch(
                "pages",
                queryset=Page.objects.order_by("number")
                .select_related("selected_illustration")
                .prefetch_related(Prefetch("clips", queryset=SentenceClip.objects.order_by("page_version", "index"))),
            ),
        )
        .first()
    )
    if story is None:
        raise NotFound("This link does not work any more.")
    return story


def series_books(*, series) -> QuerySet[Story]:
    """The series' stories in order, as `series_stories` loads them."""
    return series_stories(series=series)


def dashboard_data(*, user) -> dict:
    """What the dashboard shows of `user`: ready characters, drafts, recent stories,
    usage; through the page cache (storyforge/core/pagecache.py)."""

    def compute() -> dict:
        return {
            "characters": list(character_list(user=user, status="ready")[:8]),
            "drafts": list(character_list(user=user, status="draft")[:6]),
            "stories": covers_attach(story_list(user=user).prefetch_related(cover_prefetch())[:8]),
            "usage": usage_summary(user=user),
        }

    # The usage figures count "today" in UTC, so the day is part of the key.
    return pagecache_read("dashboard", "dashboard", compute, user_id=user.pk, daily=True)


def story_book_get_cached(*, user, story_id) -> Story:
    """`story_book_get` through the page cache, for the reader. Another user's story
    is NotFound, and that is not cached."""
    story_id = object_id(story_id)
    return pagecache_read(
        "reader", f"story:{story_id}", lambda: story_book_get(user=user, story_id=story_id), user_id=user.pk
    )
