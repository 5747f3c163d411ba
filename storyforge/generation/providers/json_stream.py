"""Reading one JSON object while it is still being written, piece by piece.

A story streams from the AI as `{"title": ..., "summary": ..., "pages": [{...}, ...]}`
in pieces cut anywhere: inside a word, an escape (`\\u00e9` split after `\\u0`), or
between two halves of a character. `JsonObjectStream` reports each top-level string
member (`on_member(key, value)`) and each element of a top-level array
(`on_item(key, index, value)`) as soon as its closing character arrives, whatever
the cut. Reasoning models may think aloud first (`<think>...</think>`): that is
skipped. Anything else before the object, or text that is not JSON, makes the
stream give up quietly (`given_up`): the caller then reads the whole reply at the end.
"""

from __future__ import annotations

import json
from collections.abc import Callable

THINK_OPEN, THINK_CLOSE = "<think>", "</think>"


class JsonObjectStream:
    def __init__(
        self,
        *,
        on_member: Callable[[str, str], None] | None = None,
        on_item: Callable[[str, int, object], None] | None = None,
    ):
        self.on_member = on_member or (lambda key, value: None)
        self.on_item = on_item or (lambda key, index, value: None)
        self.given_up = False
        self._lead = ""  # what came before the object, while it is not yet known to be one
        self._text: list[str] = []  # the object so far, one entry per character
        self._started = False
        self._ended = False
        self._stack: list[str] = []  # "{" and "[" of the containers we are in
        self._in_string = self._escape = False
        self._expect_key = False  # inside an object, before a member's ":"
        self._key_start = -1  # where the top-level key being read starts
        self._key = ""  # the top-level member being read
        self._value_start = -1  # where the value being captured starts
        self._index = 0  # the position of the next element of a top-level array

    def feed(self, piece: str) -> None:
        if self.given_up or self._ended:
            return
        if not self._started:
            piece = self._lead_skip(piece)
            if not self._started:
                return
        for char in piece:
            self._char(char)
            if self.given_up or self._ended:
                return

    def _lead_skip(self, piece: str) -> str:
        """The part of `piece` from the opening brace on, once it has come."""
        self._lead += piece
        while True:
            lead = self._lead.lstrip()
            if not lead:
                return ""
            if lead.startswith("{"):
                self._started = True
                self._lead = ""
                return lead
            if lead.startswith(THINK_OPEN):
                end = lead.find(THINK_CLOSE)
                if end < 0:
                    return ""
                self._lead = lead[end + len(THINK_CLOSE) :]
                continue
            if not THINK_OPEN.startswith(lead[: len(THINK_OPEN)]):
                self.given_up = True
            return ""

    def _char(self, char: str) -> None:
        position = len(self._text)
        self._text.append(char)
        depth = len(self._stack)
        if self._in_string:
            if self._escape:
                self._escape = False
            elif char == "\\":
                self._escape = True
            elif char == '"':
                self._in_string = False
                self._string_closed(position, depth)
            return
        if char in " \t\r\n":
            return
        if char == '"':
            self._in_string = True
            if depth == 1 and self._expect_key:
                self._key_start = position
            elif self._value_begins(depth):
                self._value_start = position
            return
        if char in "{[":
            if depth == 2 and self._stack[1] == "[":
                self._value_start = position  # an element of a top-level array
            self._stack.append(char)
            self._expect_key = char == "{"
            if depth == 1 and char == "[":
                self._index = 0
            return
        if char in "}]":
            if not self._stack or self._stack.pop() != {"}": "{", "]": "["}[char]:
                self.given_up = True
                return
            self._expect_key = False
            if not self._stack:
                self._ended = True
            elif len(self._stack) == 2 and self._stack[1] == "[" and self._value_start >= 0:
                self._item_done(position)
            return
        if char == ":":
            self._expect_key = False
            return
        if char == ",":
            self._expect_key = self._stack[-1] == "{" if self._stack else False
            return
        if depth == 0:
            self.given_up = True  # not an object after all

    def _value_begins(self, depth: int) -> bool:
        """Whether a value starting here is one we report: a top-level member's
        string, or an element of a top-level array."""
        if depth == 1:
            return not self._expect_key
        return depth == 2 and self._stack[1] == "["

    def _string_closed(self, position: int, depth: int) -> None:
        if depth == 1 and self._key_start >= 0:
            self._key = self._loads(self._key_start, position)
            self._key_start = -1
        elif depth == 1 and self._value_start >= 0:
            value = self._loads(self._value_start, position)
            self._value_start = -1
            if isinstance(value, str):
                self.on_member(self._key, value)
        elif depth == 2 and self._value_start >= 0:
            self._item_done(position)

    def _item_done(self, position: int) -> None:
        value = self._loads(self._value_start, position)
        self._value_start = -1
        index, self._index = self._index, self._index + 1
        if value is not None:
            self.on_item(self._key, index, value)

    def _loads(self, start: int, end: int):
        try:
            return json.loads("".join(self._text[start : end + 1]))
        except ValueError:
            self.given_up = True
            return None
