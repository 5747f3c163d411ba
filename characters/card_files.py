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
import struct
from typing import Any

from storyforge.core.errors import InvalidInput

CARD_MAX_BYTES = 8 * 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


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


def _json_load(data: bytes, message: str) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise InvalidInput.for_field("file", message) from None
