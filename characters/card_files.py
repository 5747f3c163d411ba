"""Character cards as files: a JSON document, or a PNG picture carrying the card in a
`tEXt` chunk named `chara` (base64 of the UTF-8 JSON; V3 cards also write `ccv3`).

Only bytes and JSON here; what a card's fields mean for a StoryForge character is
characters.cards.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import re
import struct
from typing import Any

from storyforge.core.errors import InvalidInput

CARD_MAX_BYTES = 8 * 1024 * 1024
# The card's JSON itself, bounded before it is parsed: a file may be 8 MB for its
# picture, but no character needs a megabyte of words, and json.loads recurses once
# per level (thousands of levels are a RecursionError, not an answer).
CARD_JSON_MAX_BYTES = 1024 * 1024
CARD_JSON_MAX_DEPTH = 64
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_JSON_BRACKET = re.compile(rb"[\[\]{}]")


def card_upload_read(upload) -> tuple[Any, bytes | None]:
    """The card in an uploaded file, JSON or PNG (told apart by content, not by name),
    and the PNG itself when it was one (the card's picture). Files over 8 MB are
    refused before they are read. InvalidInput (field "file") for anything that is
    not JSON or a PNG with a card; what the JSON says is not checked here."""
    size = getattr(upload, "size", None)
    if size is None or size > CARD_MAX_BYTES:
        raise InvalidInput.for_field("file", f"The file is larger than {CARD_MAX_BYTES // (1024 * 1024)} MB.")
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(CARD_MAX_BYTES + 1)  # bounded even if the stated size was wrong
    if len(data) > CARD_MAX_BYTES:
        raise InvalidInput.for_field("file", f"The file is larger than {CARD_MAX_BYTES // (1024 * 1024)} MB.")
    if data.startswith(PNG_SIGNATURE):
        return card_png_read(data), data
    return _json_load(data, "That file is not a character card: upload a .json card or a PNG with one in it."), None


def card_png_write(picture: bytes, card: dict) -> bytes:
    """`picture` re-encoded as PNG with the card in a `chara` tEXt chunk, and
    nothing else of the original's metadata."""
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("chara", base64.b64encode(json.dumps(card, ensure_ascii=False).encode("utf-8")).decode("ascii"))
    with Image.open(io.BytesIO(picture)) as image:
        image = image if image.mode in ("RGB", "RGBA", "L", "LA", "P") else image.convert("RGBA")
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def card_png_read(data: bytes) -> Any:
    """The card in a PNG's `ccv3` or `chara` tEXt chunk (the V3 one when both are there)."""
    chunks = _png_card_chunks(data)
    text = chunks.get("ccv3") or chunks.get("chara")
    if text is None:
        raise InvalidInput.for_field("file", "This picture has no character card in it.")
    if len(text) > (CARD_JSON_MAX_BYTES + 2) // 3 * 4 + 4:  # base64 of the largest card, and some slack
        raise InvalidInput.for_field("file", _too_large())
    try:
        decoded = base64.b64decode(text, validate=False)
    except (binascii.Error, ValueError):
        raise InvalidInput.for_field("file", "The character card in this picture is damaged.") from None
    return _json_load(decoded, "The character card in this picture is damaged.")


def _png_card_chunks(data: bytes) -> dict[str, bytes]:
    """The text of the `chara` and `ccv3` tEXt chunks, read straight from the chunk
    list: the picture itself is not decoded."""
    found: dict[str, bytes] = {}
    position = len(PNG_SIGNATURE)
    while position + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        start, end = position + 8, position + 8 + length
        if end > len(data):
            break
        if kind == b"tEXt":
            keyword, _, text = data[start:end].partition(b"\0")
            keyword = keyword.decode("latin-1").lower()
            if keyword in ("chara", "ccv3"):
                found.setdefault(keyword, text)
        elif kind == b"IEND":
            break
        position = end + 4  # the chunk's CRC
    return found


def _too_large() -> str:
    return (
        f"The character card is larger than {CARD_JSON_MAX_BYTES // 1024} KB; StoryForge reads cards up to that size."
    )


def _json_depth(data: bytes) -> int:
    """How deeply the JSON's arrays and objects nest, counting brackets outside its
    strings: cheap, and without recursing."""
    depth = deepest = 0
    for bracket in _JSON_BRACKET.findall(_JSON_STRING.sub(b"", data)):
        if bracket in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _json_load(data: bytes, message: str) -> Any:
    """The card's JSON, refused (field "file") when it is larger than
    CARD_JSON_MAX_BYTES or nests deeper than CARD_JSON_MAX_DEPTH, before it is parsed."""
    if len(data) > CARD_JSON_MAX_BYTES:
        raise InvalidInput.for_field("file", _too_large())
    if _json_depth(data) > CARD_JSON_MAX_DEPTH:
        raise InvalidInput.for_field(
            "file",
            f"The character card nests more than {CARD_JSON_MAX_DEPTH} levels deep; it is not one StoryForge reads.",
        )
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise InvalidInput.for_field("file", message) from None
