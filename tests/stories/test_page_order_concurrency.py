"""Page numbers stay 1..n and unique when many changes to one book arrive at once:
each change either happens whole or is refused with a clear error (CONFLICT, or
an order that no longer lists the book's pages), never a database error."""

import random
import threading

import pytest
from django.db import connection

from stories import services
from stories.models import Page, Story
from storyforge.core.errors import Conflict, InvalidInput
from tests.factories import PageFactory, StoryFactory

CHANGES = 24


@pytest.mark.both_databases
@pytest.mark.django_db(transaction=True)
def test_adding_removing_and_reordering_at_once_keeps_the_numbers_dense():
    story = StoryFactory(status=Story.Status.READY, page_count=6)
    for number in range(1, 7):
        PageFactory(story=story, number=number, text=f"Page text {number}.")
    owner = story.owner
    start = threading.Barrier(CHANGES, timeout=30)
    outcomes, failures = [], []

    def change(n):
        rng = random.Random(n)
        try:
            start.wait()
            if n % 3 == 0:
                services.page_add(user=owner, story_id=story.pk, position=rng.randint(1, 4), mode="blank")
            elif n % 3 == 1:
                services.page_remove(user=owner, story_id=story.pk, number=rng.randint(1, 4))
            else:
                order = list(range(1, 7))
                rng.shuffle(order)
                services.pages_reorder(user=owner, story_id=story.pk, order=order)
            outcomes.append("done")
        except (Conflict, InvalidInput):
            outcomes.append("refused")
        except Exception as error:  # a database error is the bug this test is for
            failures.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=change, args=(n,)) for n in range(CHANGES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert failures == []
    assert len(outcomes) == CHANGES and "done" in outcomes
    numbers = list(Page.objects.filter(story=story).order_by("number").values_list("number", flat=True))
    story.refresh_from_db()
    assert numbers == list(range(1, len(numbers) + 1))
    assert story.page_count == len(numbers)
    texts = list(Page.objects.filter(story=story).exclude(text="").values_list("text", flat=True))
    assert len(set(texts)) == len(texts)  # no page was copied or lost in a move
