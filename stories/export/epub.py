"""A ready story as a reflowable EPUB 3 ebook: a cover page (its picture the EPUB's
cover image), a dedication page when the book has one, one XHTML document per
story page, an end page, the navigation document, a stylesheet, Andika, and the
pictures at their stored size.

The archive is written with `zipfile` rather than a library, for full control of
what epubcheck looks at: `mimetype` is the first entry and stored uncompressed,
and every entry has a fixed date, so the same story gives the same bytes.
The documents come from templates/stories/export/epub/, autoescaped like any
other template, and every text passes through `book_text`, which drops the
characters XML cannot hold.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from dataclasses import dataclass
from datetime import UTC

from django.template.loader import render_to_string

from stories.export.book import Book, BookImage
from stories.export.pdf import FONTS_DIR, image_media_type

EPUB_FONTS = ("Andika-Regular.ttf", "Andika-Bold.ttf")
# Media types EPUB 3.2 readers must show without a fallback; anything else
# (WebP, for one) is converted to PNG.
CORE_IMAGE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif"}
# A fixed timestamp for every entry (ZIP cannot store dates before 1980).
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# Body text in ems, by age group: larger for younger readers, as in print; the
# reader's own text size setting scales all of them.
TYPE_SCALE = {"1-2": 1.8, "3-5": 1.5, "6-8": 1.25, "9-12": 1.0}


@dataclass(frozen=True)
class EpubImage:
    id: str
    href: str
    media_type: str
    data: bytes
    is_cover: bool = False


def book_epub(book: Book) -> bytes:
    # The same book keeps its identifier from one export to the next.
    identifier = uuid.uuid5(uuid.NAMESPACE_URL, f"storyforge:story:{book.story_id}:{book.created.isoformat()}")
    images: dict[str, EpubImage] = {}

    def picture(image: BookImage | None, name: str, *, is_cover: bool = False) -> EpubImage | None:
        """The picture's entry in the book, added once however many pages show it."""
        if image is None:
            return None
        if image.name not in images:
            data, media_type = _core_image(image.read())
            href = f"images/{name}.{CORE_IMAGE_TYPES[media_type]}"
            images[image.name] = EpubImage(
                id=f"image-{name}", href=href, media_type=media_type, data=data, is_cover=is_cover
            )
        return images[image.name]

    cover = picture(book.cover, "cover", is_cover=True)  # first, so that the page showing it shares it
    characters = [
        (character, picture(character.portrait, f"portrait-{index}"))
        for index, character in enumerate(book.characters, 1)
    ]
    pages = [(page, f"page-{page.number:02d}", picture(page.picture, f"page-{page.number:02d}")) for page in book.pages]
    documents = [("cover", "cover.xhtml", book.title)]
    if book.dedication:
        documents.append(("dedication", "dedication.xhtml", book.words["dedication"]))
    story_pages = [(name, f"{name}.xhtml", f"{book.words['page']} {page.number}") for page, name, _ in pages]
    documents += story_pages
    documents.append(("end", "end.xhtml", book.words["the_end"]))

    common = {"book": book, "type_scale": TYPE_SCALE.get(book.age_group, 1.25)}
    files: list[tuple[str, bytes]] = [
        ("META-INF/container.xml", _render("container.xml", {})),
        (
            "OEBPS/package.opf",
            _render(
                "package.opf",
                {
                    **common,
                    "identifier": f"urn:uuid:{identifier}",
                    "modified": book.modified.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "documents": documents,
                    "images": sorted(images.values(), key=lambda image: image.href),
                    "cover": cover,
                    "fonts": EPUB_FONTS,
                },
            ),
        ),
        (
            "OEBPS/nav.xhtml",
            _render(
                "nav.xhtml", {**common, "documents": documents, "bodymatter": story_pages[0] if story_pages else None}
            ),
        ),
        ("OEBPS/css/book.css", _render("book.css", common)),
        ("OEBPS/cover.xhtml", _render("cover.xhtml", {**common, "cover": cover, "characters": characters})),
    ]
    if book.dedication:
        files.append(("OEBPS/dedication.xhtml", _render("dedication.xhtml", common)))
    for page, name, image in pages:
        files.append((f"OEBPS/{name}.xhtml", _render("page.xhtml", {**common, "page": page, "picture": image})))
    files.append(("OEBPS/end.xhtml", _render("end.xhtml", common)))
    files += [(f"OEBPS/{image.href}", image.data) for image in images.values()]
    files += [(f"OEBPS/fonts/{name}", (FONTS_DIR / name).read_bytes()) for name in EPUB_FONTS]

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(_entry("mimetype", zipfile.ZIP_STORED), b"application/epub+zip")
        for name, data in files:
            # Pictures and fonts are compressed already; deflating them again buys little.
            packed = name.endswith((".png", ".jpg", ".gif", ".ttf"))
            archive.writestr(_entry(name, zipfile.ZIP_STORED if packed else zipfile.ZIP_DEFLATED), data)
    return buffer.getvalue()


def _render(template: str, context: dict) -> bytes:
    return render_to_string(f"stories/export/epub/{template}", context).encode("utf-8")


def _entry(name: str, compression: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = compression
    info.external_attr = 0o644 << 16
    return info


def _core_image(data: bytes) -> tuple[bytes, str]:
    """The picture in a format every EPUB reader shows: as it is when it is PNG,
    JPEG or GIF, otherwise converted to PNG."""
    media_type = image_media_type(data)
    if media_type in CORE_IMAGE_TYPES:
        return data, media_type
    from PIL import Image

    with Image.open(io.BytesIO(data)) as picture:
        converted = io.BytesIO()
        picture.convert("RGBA").save(converted, format="PNG")
    return converted.getvalue(), "image/png"
