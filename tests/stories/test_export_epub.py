"""Exporting a ready story as an EPUB 3 ebook, read back with ebooklib and checked by
epubcheck when it is installed."""

import io
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from ebooklib import ITEM_COVER, ITEM_DOCUMENT, ITEM_IMAGE, epub
from PIL import Image

from tests.servers import ServerUnavailable, skip_or_fail
from tests.stories.export_books import (
    REMOTE_IMAGE,
    XSS,
    epub_of,
    illustrations_of,
    portraits_of,
    ready_story,
)

pytestmark = pytest.mark.django_db


def epub_read(data: bytes, tmp_path: Path) -> epub.EpubBook:
    path = tmp_path / "book.epub"
    path.write_bytes(data)
    return epub.read_epub(str(path))


def epubcheck(path: Path) -> subprocess.CompletedProcess:
    found = shutil.which("epubcheck")
    if found is None:
        skip_or_fail(ServerUnavailable("epubcheck is not installed (Debian package epubcheck)"))
    # Debian's /usr/bin/epubcheck is the jar itself, run through binfmt_misc where
    # the kernel has it; call Java directly so it runs in containers without it.
    command = [found]
    if Path(found).resolve().suffix == ".jar" or Path(found).read_bytes()[:2] == b"PK":
        java = shutil.which("java")
        if java is None:
            skip_or_fail(ServerUnavailable("epubcheck needs Java (Debian package default-jre-headless)"))
        command = [java, "-jar", str(Path(found).resolve())]
    return subprocess.run([*command, str(path)], capture_output=True, text=True, timeout=120)


def test_an_epub_passes_epubcheck(tmp_path):
    story = ready_story(3, title=f"Mia & Leo's {XSS}", texts=[f"Tom said: {XSS} & ran.", "Two.", "Three."])
    path = tmp_path / "book.epub"
    path.write_bytes(epub_of(story))

    result = epubcheck(path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "No errors or warnings detected" in result.stdout + result.stderr


def test_an_epub_starts_with_its_uncompressed_mimetype():
    with zipfile.ZipFile(io.BytesIO(epub_of(ready_story(1)))) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert archive.read("mimetype") == b"application/epub+zip"
        assert archive.read("META-INF/container.xml")


def test_an_epub_opens_with_ebooklib_with_its_metadata_cover_pages_and_pictures(tmp_path):
    story = ready_story(3, language="fr", texts=["Un.", "Deux.", "Trois."])
    data = epub_of(story)

    book = epub_read(data, tmp_path)

    assert book.get_metadata("DC", "title")[0][0] == "The Puddle Expedition"
    assert book.get_metadata("DC", "language")[0][0] == "fr"
    assert book.get_metadata("DC", "creator")[0][0] == "Ada Lovelace"
    documents = [item.get_name() for item in book.get_items_of_type(ITEM_DOCUMENT)]
    assert documents == [
        "nav.xhtml", "cover.xhtml", "page-01.xhtml", "page-02.xhtml", "page-03.xhtml", "end.xhtml"
    ]  # fmt: skip
    for number, text in enumerate(["Un.", "Deux.", "Trois."], 1):
        assert text in book.get_item_with_id(f"page-{number:02d}").get_content().decode()
    end = book.get_item_with_id("end").get_content().decode()
    assert "Friends share their umbrellas." in end and "Fin" in end
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for illustration in illustrations_of(story):
            page = ElementTree.fromstring(archive.read(f"OEBPS/page-{illustration.page.number:02d}.xhtml"))
            (image,) = page.iter("{http://www.w3.org/1999/xhtml}img")
            assert archive.read(f"OEBPS/{image.get('src')}") == Path(illustration.image.path).read_bytes()
    pictures = {item.get_content() for item in book.get_items_of_type(ITEM_IMAGE)}
    (cover,) = book.get_items_of_type(ITEM_COVER)
    assert cover.get_content() == Path(illustrations_of(story)[0].image.path).read_bytes()
    assert pictures | {cover.get_content()} == {
        Path(picture.image.path).read_bytes() for picture in [*illustrations_of(story), *portraits_of(story)]
    }
    assert len(book.toc) == 5
    package = _package(data)
    modified = package.find(".//opf:meta[@property='dcterms:modified']", NS)
    assert modified is not None and modified.text.endswith("Z")
    assert package.find(".//opf:item[@properties='cover-image']", NS) is not None
    assert package.find(".//opf:item[@properties='nav']", NS).get("href") == "nav.xhtml"


def test_every_epub_document_is_well_formed_and_holds_user_text_escaped():
    story = ready_story(2, title=f"Tea {XSS}", texts=[f"Oh {XSS} \x07bell", f"{REMOTE_IMAGE} <b>bold</b>"])

    with zipfile.ZipFile(io.BytesIO(epub_of(story))) as archive:
        documents = {
            name: archive.read(name).decode() for name in archive.namelist() if name.endswith((".xhtml", ".opf"))
        }

    for name, text in documents.items():
        ElementTree.fromstring(text.encode())  # raises on anything not well-formed
        assert "<script" not in text and "<b>" not in text and 'src="http' not in text, name
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in documents["OEBPS/page-01.xhtml"]
    assert "bell" in documents["OEBPS/page-01.xhtml"] and "\x07" not in documents["OEBPS/page-01.xhtml"]
    assert "Tea &lt;script&gt;" in documents["OEBPS/package.opf"]
    page = ElementTree.fromstring(documents["OEBPS/page-02.xhtml"].encode())
    assert REMOTE_IMAGE in "".join(page.itertext())


def test_a_picture_in_a_format_epub_readers_may_not_show_is_converted_to_png():
    story = ready_story(1, portraits=False)
    illustration = illustrations_of(story)[0]
    webp = io.BytesIO()
    Image.new("RGB", (20, 10), "green").save(webp, format="WEBP")
    Path(illustration.image.path).write_bytes(webp.getvalue())

    with zipfile.ZipFile(io.BytesIO(epub_of(story))) as archive:
        pictures = [name for name in archive.namelist() if name.startswith("OEBPS/images/")]
        assert pictures == ["OEBPS/images/cover.png"]
        with Image.open(io.BytesIO(archive.read(pictures[0]))) as picture:
            assert picture.format == "PNG" and picture.size == (20, 10)


def test_the_same_story_gives_the_same_epub():
    story = ready_story(2)

    assert epub_of(story) == epub_of(story)


NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}


def _package(data: bytes) -> ElementTree.Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return ElementTree.fromstring(archive.read("OEBPS/package.opf"))
