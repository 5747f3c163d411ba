from django.db.models import Prefetch, QuerySet

from stories.models import Story, StoryCharacter


def story_list(*, user, status: str | None = None) -> QuerySet[Story]:
    """The user's stories, newest first, with their cast in order."""
    stories = (
        Story.objects.filter(owner=user)
        .select_related("series")
        .prefetch_related(Prefetch("cast", queryset=StoryCharacter.objects.select_related("character")))
    )
    if status:
        stories = stories.filter(status=status)
    return stories
