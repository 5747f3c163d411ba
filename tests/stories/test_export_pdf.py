"""Exporting a ready story as a print-ready PDF, read back with pypdf: the pages and
their words, the trim sizes and bleed, the type, the pictures, and nothing fetched
from anywhere but the fonts and the stored pictures."""

import pytest
from PIL import Image

from stories.export import pdf as pdf_module
from stories.export import story_export_pdf
from stories.export.pdf import book_fetcher
from storyforge.core.errors import InvalidInput
from tests.factories import PortraitFactory, StoryCharacterFactory, UserFactory
from tests.stories.export_books import (
    REMOTE_IMAGE,
    XSS,
    illustrations_of,
    page_texts,
    pdf_of,
    portraits_of,
    ready_story,
    words,
)

pytestmark = pytest.mark.django_db


SQUARE, A4, LETTER, A5 = (576, 576), (595.28, 841.89), (612, 792), (419.53, 595.28)
BLEED_PT = 9


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


@pytest.mark.parametrize(("size", "trim"), [("square", SQUARE), ("a4", A4), ("letter", LETTER), ("a5", A5)])
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
    stored = {(illustration.width, illustration.height) for illustration in illustrations_of(story)}
    stored |= {(portrait.width, portrait.height) for portrait in portraits_of(story)}

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
    assert fetcher.fetched and all(url.startswith(("file:", "media:")) for url in fetcher.fetched)


def test_the_book_fetcher_serves_only_the_fonts_and_stored_files(media_root):
    from weasyprint import HTML

    fetcher = book_fetcher()
    picture = media_root / "illustrations" / "x.png"
    picture.parent.mkdir(parents=True)
    Image.new("RGB", (4, 3), "red").save(picture)

    # Stored files by their storage name (read through the storage), never by their path.
    assert fetcher("media:illustrations/x.png").read()[:4] == b"\x89PNG"
    assert fetcher((pdf_module.FONTS_DIR / "Andika-Regular.ttf").as_uri()).read(4)
    assert fetcher("data:text/plain;base64,aGk=").read() == b"hi"
    for url in (
        picture.as_uri(),  # the stored file's path: not how books name pictures
        "media:illustrations/missing.png",
        "media:../../../etc/passwd",
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


def test_an_unknown_trim_size_is_refused():
    story = ready_story(1)

    with pytest.raises(InvalidInput) as error:
        story_export_pdf(user=story.owner, story_id=story.pk, size="a3")
    assert "size" in error.value.details["fields"]


def test_a_page_without_a_picture_is_printed_with_its_text():
    story = ready_story(2, portraits=False)
    page = story.pages.get(number=2)
    page.selected_illustration = None
    page.save()

    texts = page_texts(pdf_of(story))

    assert len(texts) == 4 and "Page 2: the friends set off" in texts[2]
