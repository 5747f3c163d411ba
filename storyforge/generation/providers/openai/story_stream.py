"""A story's pages told one by one while its reply streams (story_write's `on_page`)."""

from __future__ import annotations

from collections.abc import Callable

from storyforge.generation.providers.base import PageDraft
from storyforge.generation.providers.json_stream import JsonObjectStream
from storyforge.generation.providers.openai import answers


class StoryPagesStream:
    """Feed it the reply's text as it comes (`feed`); it calls `on_page(number, page,
    title, summary)` for each well-formed page, in order, once it is complete. A page
    out of place or malformed ends the telling: the rest is read from the whole reply."""

    def __init__(self, page_count: int, on_page: Callable[[int, PageDraft, str, str], None]):
        self.page_count, self.on_page = page_count, on_page
        self.title = self.summary = ""
        self.told = 0
        self.stopped = False
        self.parser = JsonObjectStream(on_member=self._member, on_item=self._item)

    def feed(self, text: str) -> None:
        if not self.stopped:
            self.parser.feed(text)

    def _member(self, key: str, value: str) -> None:
        if key in ("title", "summary"):
            setattr(self, key, value.strip())

    def _item(self, key: str, index: int, value) -> None:
        if key != "pages" or self.stopped:
            return
        if index != self.told or index >= self.page_count or not isinstance(value, dict):
            self.stopped = True
            return
        try:
            page = answers.page_parse(value, f"page {index + 1}")
        except ValueError:
            self.stopped = True
            return
        self.told += 1
        self.on_page(index + 1, page, self.title, self.summary)
