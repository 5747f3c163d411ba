"""Reading the character pages in tests: the wizard's addresses, a response's HTML,
the error shown beside a field, and pictures to upload."""

import io
import re

from PIL import Image


def wizard(character, step, *parts):
    return "/".join([f"/characters/{character.pk}/wizard/{step}", *parts, ""])


def html_of(response) -> str:
    return response.content.decode()


def field_error(html: str, field_id: str) -> str:
    """The text of the error shown beside a field (its `<id>_error` element)."""
    match = re.search(rf'id="{re.escape(field_id)}"[^>]*>(.*?)</(span|div)>', html, re.S)
    assert match, f"no error element {field_id}"
    return re.sub(r"<[^>]+>", " ", match.group(1)).strip()


def png_bytes(size=(40, 30), colour="teal") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)
