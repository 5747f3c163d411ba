"""Exporting a ready story: a print-ready PDF (read back with pypdf) and an EPUB 3
ebook (read back with ebooklib, and checked by epubcheck when it is installed)."""

import io
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from ebooklib import ITEM_COVER, ITEM_DOCUMENT, ITEM_IMAGE, epub
from PIL import Image
from pypdf import PdfReader

from stories.export import pdf as pdf_module
from stories.export import story_export_epub, story_export_pdf
from stories.export.pdf import book_fetcher
from stories.models import Story
from storyforge.core.errors import Conflict, InvalidInput, NotFound
from tests.factories import (
    IllustrationFactory,
    PortraitFactory,
    StoryCharacterFactory,
    StoryFactory,
    UserFactory,
)
from tests.servers import ServerUnavailable, skip_or_fail

pytestmark = pytest.mark.django_db

XSS = "<script>alert(1)</script>"
REMOTE_IMAGE = '<img src="http://example.com/x.png">'
SQUARE, A4, LETTER = (576, 576), (595.28, 841.89), (612, 792)
BLEED_PT = 9


COLOURS = ("skyblue", "gold", "tomato", "seagreen", "plum")


def ready_story(pages=3, *, portraits=True, texts=None, picture_size=(32, 24), **fields):
    """A ready story with two characters (portraits selected unless told otherwise)
    and `pages` pages, each with its own selected illustration."""
    user = fields.pop("owner", None) or UserFactory(first_name="Ada", last_name="Lovelace")
    fields.setdefault("title", "The Puddle Expedition")
    fields.setdefault("moral", "Friends share their umbrellas.")
    story = StoryFactory(owner=user, status=Story.Status.READY, page_count=pages, pages=pages, **fields)
    for index, name in enumerate(("Mia", "Leo")):
        role = StoryCharacterFactory(story=story, character__name=name, position=index)
        if portraits:
            portrait = PortraitFactory(character=role.character, is_selected=True, image__color=COLOURS[index])
            role.character.selected_portrait = portrait
            role.character.save()
    for page in story.pages.order_by("number"):
        if texts:
            page.text = texts[page.number - 1]
        page.selected_illustration = IllustrationFactory(
            page=page,
            is_selected=True,
            image__color=COLOURS[page.number % len(COLOURS)],
            image__width=picture_size[0] + page.number,
            image__height=picture_size[1],
        )
        page.save()
    return story


def pdf_of(story, **options) -> PdfReader:
    return PdfReader(io.BytesIO(story_export_pdf(user=story.owner, story_id=story.pk, **options)))


def words(text: str) -> str:
    return " ".join((text or "").split())


def page_texts(reader: PdfReader) -> list[str]:
    return [words(page.extract_text()) for page in reader.pages]


# PDF ------------------------------------------------------------------------------


def test_a_pdf_has_a_cover_then_one_page_per_story_page_then_the_end_page():
    story = ready_story(3, texts=["Mia found a puddle.", "Leo jumped in it.", "Everyone was very wet."])

    texts = page_texts(pdf_of(story))

    assert len(texts) == 1 + 3 + 1
    assert "The Puddle Expedition" in texts[0]
    assert "Mia" in texts[0] and "Leo" in texts[0] and "by Ada Lovelace" in texts[0]
    assert "Mia found a puddle." in texts[1]
    assert "Leo jumped in it." in texts[2]
    assert "Everyone was very wet." in texts[3]
    assert "Friends share their umbrellas." in texts[4] and "The end" in texts[4]


def test_without_a_moral_the_book_ends_with_a_gentle_the_end():
    texts = page_texts(pdf_of(ready_story(1, moral="")))

    assert texts[-1] == "The end"


def test_the_words_the_book_adds_are_in_the_storys_language():
    texts = page_texts(pdf_of(ready_story(1, language="de", moral="")))

    assert "Mit" in texts[0] and "von Ada Lovelace" in texts[0]
    assert texts[-1] == "Ende"


@pytest.mark.parametrize(("size", "trim"), [("square", SQUARE), ("a4", A4), ("letter", LETTER)])
@pytest.mark.parametrize("bleed", [False, True])
def test_each_trim_size_gives_pages_of_that_size_with_an_optional_bleed(size, trim, bleed):
    reader = pdf_of(ready_story(2), size=size, bleed=bleed)

    assert len(reader.pages) == 4
    extra = BLEED_PT if bleed else 0
    for page in reader.pages:
        assert (float(page.trimbox.width), float(page.trimbox.height)) == pytest.approx(trim, abs=0.01)
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
            (trim[0] + 2 * extra, trim[1] + 2 * extra), abs=0.01
        )
        assert float(page.trimbox.left) - float(page.mediabox.left) == pytest.approx(extra)


def test_crop_marks_are_drawn_only_with_a_bleed():
    story = ready_story(1)
    plain, bled = pdf_of(story), pdf_of(story, bleed=True)

    # WeasyPrint draws the marks as lines in the bleed area: the page draws more.
    assert len(bled.pages[1].get_contents().get_data()) > len(plain.pages[1].get_contents().get_data())
    assert plain.pages[1].bleedbox == plain.pages[1].trimbox
    assert bled.pages[1].bleedbox == bled.pages[1].mediabox


def test_the_shipped_font_is_embedded_in_the_pdf():
    reader = pdf_of(ready_story(1))

    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            described = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            fonts[str(font["/BaseFont"])] = described["/FontDescriptor"].get_object()
    assert fonts and all("Andika" in name for name in fonts)
    assert all({"/FontFile2", "/FontFile3"} & set(descriptor) for descriptor in fonts.values())


def test_type_is_largest_for_the_youngest_readers():
    def body_size(age_group):
        reader = pdf_of(ready_story(1, age_group=age_group))
        sizes = []

        def visit(text, cm, tm, font, size):
            if "friends set off" in text:
                sizes.append(round(size * abs(cm[0]) * abs(tm[0]), 1))

        reader.pages[1].extract_text(visitor_text=visit)
        return max(sizes)

    sizes = [body_size(group) for group in ("1-2", "3-5", "6-8", "9-12")]

    assert sizes == sorted(sizes, reverse=True) and len(set(sizes)) == 4
    assert sizes[0] == 30 and sizes[-1] == 14


@pytest.mark.parametrize("size", ["square", "a4", "letter"])
def test_a_page_of_the_longest_text_still_fits_on_one_sheet_beside_its_picture(size):
    longest = ("Mia ran and ran across the big green park. " * 60)[:2000]
    story = ready_story(2, age_group="1-2", texts=[longest, "A short page."])

    texts = page_texts(pdf_of(story, size=size))

    assert len(texts) == 4
    assert words(longest) in texts[1]


@pytest.mark.parametrize("size", ["square", "a4", "letter"])
def test_a_cover_and_end_page_of_the_longest_words_each_stay_on_one_sheet(size):
    user = UserFactory(first_name="Alexandra " * 15, last_name="Montgomery-" * 13)
    title = ("The Very Long Adventure of the Enormous Umbrella " * 5)[:200]
    story = ready_story(1, owner=user, title=title, moral=("Be kind to every puddle you meet. " * 7)[:200])
    for index in range(2, 4):
        role = StoryCharacterFactory(story=story, character__name="Bartholomew " * 5, position=index)
        role.character.selected_portrait = PortraitFactory(character=role.character, is_selected=True)
        role.character.save()

    texts = ["".join(text.split()) for text in page_texts(pdf_of(story, size=size))]

    assert len(texts) == 3
    assert "".join(title.split()) in texts[0] and "Montgomery-Montgomery" in texts[0]
    assert "Bekindtoeverypuddle" in texts[2]


def test_pictures_are_placed_at_their_stored_size():
    story = ready_story(2, picture_size=(1024, 768))
    stored = {(illustration.width, illustration.height) for illustration in _illustrations(story)}
    stored |= {(portrait.width, portrait.height) for portrait in _portraits(story)}

    reader = pdf_of(story)

    placed = set()
    for page in reader.pages:
        for image in page["/Resources"].get("/XObject", {}).values():
            image = image.get_object()
            if image["/Subtype"] == "/Image":
                placed.add((int(image["/Width"]), int(image["/Height"])))
    assert placed == stored == {(1025, 768), (1026, 768), (32, 24)}


def test_text_that_looks_like_html_is_printed_as_text_and_nothing_is_fetched(monkeypatch):
    fetchers = []

    def recording_fetcher():
        fetchers.append(book_fetcher())
        return fetchers[-1]

    monkeypatch.setattr(pdf_module, "book_fetcher", recording_fetcher)
    story = ready_story(1, title=f"Tea {XSS}", texts=[f"Look: {REMOTE_IMAGE} and {XSS}"])

    texts = ["".join(text.split()) for text in page_texts(pdf_of(story))]  # lines may break after a "/"

    assert "Tea<script>alert(1)</script>" in texts[0]
    assert '<imgsrc="http://example.com/x.png">and<script>alert(1)</script>' in texts[1]
    (fetcher,) = fetchers
    assert fetcher.refused == []
    assert fetcher.fetched and all(url.startswith("file:") for url in fetcher.fetched)


def test_the_book_fetcher_serves_only_the_fonts_and_media_files(media_root):
    from weasyprint import HTML

    fetcher = book_fetcher()
    picture = media_root / "illustrations" / "x.png"
    picture.parent.mkdir(parents=True)
    Image.new("RGB", (4, 3), "red").save(picture)

    assert fetcher(picture.as_uri()).read()[:4] == b"\x89PNG"
    assert fetcher((pdf_module.FONTS_DIR / "Andika-Regular.ttf").as_uri()).read(4)
    assert fetcher("data:text/plain;base64,aGk=").read() == b"hi"
    for url in (
        "http://example.com/x.png",
        "https://example.com/x.png",
        "ftp://example.com/x.png",
        "file:///etc/passwd",
        f"file://example.com{picture}",  # urllib would fetch this one by FTP
        (media_root / ".." / ".." / "secret.png").as_uri(),
    ):
        with pytest.raises(ValueError, match="local files only"):
            fetcher(url)
    # And inside WeasyPrint: HTML asking for a remote picture gets nothing.
    HTML(string=REMOTE_IMAGE, url_fetcher=fetcher).write_pdf()
    assert "http://example.com/x.png" in fetcher.refused


def test_pictures_in_a_storage_without_local_files_are_read_through_the_storage(monkeypatch):
    from django.db.models.fields.files import FieldFile

    story = ready_story(2)

    def no_local_path(self):
        raise NotImplementedError("This backend doesn't support absolute paths.")

    monkeypatch.setattr(FieldFile, "path", property(no_local_path))
    fetchers = []
    monkeypatch.setattr(pdf_module, "book_fetcher", lambda: fetchers.append(book_fetcher()) or fetchers[-1])

    reader = pdf_of(story)
    with zipfile.ZipFile(io.BytesIO(epub_of(story))) as archive:
        pictures = [name for name in archive.namelist() if name.startswith("OEBPS/images/")]

    assert len(reader.pages) == 4
    placed = {int(image.get_object()["/Width"]) for image in reader.pages[0]["/Resources"]["/XObject"].values()}
    assert placed == {33, 34, 32}  # both pages' pictures and the portraits
    assert all(url.startswith(("data:", "file:")) for url in fetchers[0].fetched)
    assert any(url.startswith("data:image/png") for url in fetchers[0].fetched)
    assert len(pictures) == 4  # the cover (page 1), page 2, two portraits


def test_another_users_story_is_not_found():
    story = ready_story(1)

    with pytest.raises(NotFound):
        story_export_pdf(user=UserFactory(), story_id=story.pk)
    with pytest.raises(NotFound):
        story_export_epub(user=UserFactory(), story_id=story.pk)
    with pytest.raises(NotFound):
        story_export_pdf(user=story.owner, story_id="not-a-number")


@pytest.mark.parametrize("status", ["draft", "queued", "generating", "failed"])
def test_a_story_that_is_not_ready_cannot_be_exported(status):
    story = StoryFactory(status=status, pages=1, **({"error_code": "AI_TIMEOUT"} if status == "failed" else {}))

    with pytest.raises(Conflict, match="finish generating first"):
        story_export_pdf(user=story.owner, story_id=story.pk)
    with pytest.raises(Conflict, match="finish generating first"):
        story_export_epub(user=story.owner, story_id=story.pk)


def test_an_unknown_trim_size_is_refused():
    story = ready_story(1)

    with pytest.raises(InvalidInput) as error:
        story_export_pdf(user=story.owner, story_id=story.pk, size="a5")
    assert "size" in error.value.details["fields"]


def test_a_page_without_a_picture_is_printed_with_its_text():
    story = ready_story(2, portraits=False)
    page = story.pages.get(number=2)
    page.selected_illustration = None
    page.save()

    texts = page_texts(pdf_of(story))

    assert len(texts) == 4 and "Page 2: the friends set off" in texts[2]


# EPUB -----------------------------------------------------------------------------


def epub_of(story) -> bytes:
    return story_export_epub(user=story.owner, story_id=story.pk)


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
        for illustration in _illustrations(story):
            page = ElementTree.fromstring(archive.read(f"OEBPS/page-{illustration.page.number:02d}.xhtml"))
            (image,) = page.iter("{http://www.w3.org/1999/xhtml}img")
            assert archive.read(f"OEBPS/{image.get('src')}") == Path(illustration.image.path).read_bytes()
    pictures = {item.get_content() for item in book.get_items_of_type(ITEM_IMAGE)}
    (cover,) = book.get_items_of_type(ITEM_COVER)
    assert cover.get_content() == Path(_illustrations(story)[0].image.path).read_bytes()
    assert pictures | {cover.get_content()} == {
        Path(picture.image.path).read_bytes() for picture in [*_illustrations(story), *_portraits(story)]
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
    illustration = _illustrations(story)[0]
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


def _illustrations(story):
    return [
        page.selected_illustration for page in story.pages.select_related("selected_illustration").order_by("number")
    ]


def _portraits(story):
    cast = story.cast.select_related("character__selected_portrait")
    return [role.character.selected_portrait for role in cast if role.character.selected_portrait]
