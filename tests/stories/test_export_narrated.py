"""The read-along EPUB: a narrated story exported with `narrated=True` carries EPUB 3
Media Overlays (a SMIL document per page, a `<par>` per sentence, the clips as MP3) on
fixed pages (pre-paginated, as Apple Books needs to read it aloud), passes epubcheck,
and times every sentence by its clip; the plain EPUB stays plain and reflowable."""

import functools
import io
import math
import re
import zipfile
from array import array
from collections import Counter
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stories.export import book_export
from storyforge.core import audio
from storyforge.core.errors import Conflict, NotFound
from storyforge.core.reading import sentences
from tests.factories import SentenceClipFactory, UserFactory
from tests.stories.export_books import ready_story
from tests.stories.test_export_epub import epubcheck

pytestmark = pytest.mark.django_db

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "smil": "http://www.w3.org/ns/SMIL",
    "xhtml": "http://www.w3.org/1999/xhtml",
}
# Two sentences a page, one with characters XML must escape.
TEXT = 'Page {n}: Tom & Mia <3 the red kite. "Look up!" said Mia, and it flew.'


@functools.cache
def tone(ms: int) -> bytes:
    """A clip of `ms` of a quiet 440 Hz tone, in StoryForge's clip shape: not silence, so
    that pauses between pages can be told from speech."""
    count = audio.SAMPLE_RATE * ms // 1000
    wave = array("h", (int(6000 * math.sin(2 * math.pi * 440 * i / audio.SAMPLE_RATE)) for i in range(count)))
    return audio.mp3_encoded(wave.tobytes())


def narrate(page, *, version=None):
    """A clip for every sentence of the page's text, each of its own length."""
    for index, sentence in enumerate(sentences(page.text)):
        mp3 = tone(300 + 100 * ((page.number + index) % 4))
        SentenceClipFactory(
            page=page,
            page_version=page.version if version is None else version,
            index=index,
            text=sentence,
            audio__data=mp3,
            duration_ms=audio.duration_ms(mp3),
        )


def narrated_story(pages=3, *, texts=None, **fields):
    """A ready story (as `ready_story`) with two sentences a page, every sentence narrated."""
    story = ready_story(pages, texts=texts or [TEXT.format(n=n) for n in range(1, pages + 1)], **fields)
    for page in story.pages.order_by("number"):
        narrate(page)
    return story


def read_along(story) -> bytes:
    return book_export(user=story.owner, story_id=story.pk, format="epub", narrated=True).data


def clips_of(story):
    return [clip for page in story.pages.order_by("number") for clip in page.clips.order_by("index")]


def parsed(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    return ElementTree.fromstring(archive.read(f"OEBPS/{name}"))


def seconds(value: str) -> float:
    assert value.endswith("s"), value
    return float(value[:-1])


def clock_ms(value: str) -> int:
    hours, minutes, rest = value.split(":")
    return round((int(hours) * 3600 + int(minutes) * 60 + float(rest)) * 1000)


def test_a_read_along_epub_passes_epubcheck(tmp_path):
    story = narrated_story(3, title="Mia & Leo's <Kite>")
    path = tmp_path / "read-along.epub"
    path.write_bytes(read_along(story))

    result = epubcheck(path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "No errors or warnings detected" in result.stdout + result.stderr


def test_every_overlay_lasts_as_long_as_its_clips_and_the_book_as_its_overlays():
    story = narrated_story(3)

    with zipfile.ZipFile(io.BytesIO(read_along(story))) as archive:
        package = parsed(archive, "package.opf")
        durations = {
            meta.get("refines"): clock_ms(meta.text)
            for meta in package.iterfind(".//opf:meta[@property='media:duration']", NS)
        }
        overlays = {
            item.get("id"): item.get("href")
            for item in package.iterfind(".//opf:item[@media-type='application/smil+xml']", NS)
        }
        pages = package.findall(".//opf:item[@media-overlay]", NS)
        smil_times = {}
        for overlay, href in overlays.items():
            clips = parsed(archive, href).iterfind(".//smil:audio", NS)
            smil_times[overlay] = round(
                sum(seconds(clip.get("clipEnd")) - seconds(clip.get("clipBegin")) for clip in clips) * 1000
            )

    assert [item.get("href") for item in pages] == ["page-01.xhtml", "page-02.xhtml", "page-03.xhtml"]
    assert {item.get("media-overlay") for item in pages} == set(overlays)
    assert {f"#{overlay}": ms for overlay, ms in smil_times.items()} == {
        key: ms for key, ms in durations.items() if key
    }
    decoded = sum(audio.duration_ms(clip.audio.read()) for clip in clips_of(story))
    assert durations[None] == sum(smil_times.values()) == decoded
    assert len(set(smil_times.values())) > 1  # the clips differ in length: each is timed by its own


def test_every_sentence_is_a_span_read_by_exactly_one_par_with_its_own_clip():
    story = narrated_story(2)
    clip_bytes = {(clip.page.number, clip.index): clip.audio.read() for clip in clips_of(story)}

    with zipfile.ZipFile(io.BytesIO(read_along(story))) as archive:
        for number in (1, 2):
            page = parsed(archive, f"page-{number:02d}.xhtml")
            spans = [span for span in page.iter(f"{{{NS['xhtml']}}}span") if span.get("id")]
            pars = parsed(archive, f"page-{number:02d}.smil").findall(".//smil:par", NS)
            targets = Counter(par.find("smil:text", NS).get("src") for par in pars)

            assert [span.text for span in spans] == sentences(TEXT.format(n=number))
            assert targets == Counter(f"page-{number:02d}.xhtml#{span.get('id')}" for span in spans)
            for index, par in enumerate(pars):
                sound = archive.read(f"OEBPS/{par.find('smil:audio', NS).get('src')}")
                assert sound == clip_bytes[(number, index)]
        package = archive.read("OEBPS/package.opf").decode()
        assert 'media-type="audio/mpeg"' in package
        assert '<meta property="media:active-class">-epub-media-overlay-active</meta>' in package
        assert ".-epub-media-overlay-active {" in archive.read("OEBPS/css/book.css").decode()


def test_the_read_along_epub_is_fixed_layout_one_page_at_a_time():
    story = narrated_story(2)

    with zipfile.ZipFile(io.BytesIO(read_along(story))) as archive:
        package = parsed(archive, "package.opf")
        properties = {meta.get("property"): meta.text for meta in package.iterfind(".//opf:meta[@property]", NS)}
        prefix = package.get("prefix")

    assert properties["rendition:layout"] == "pre-paginated"
    assert properties["rendition:spread"] == "none"
    # Apple Books uses embedded fonts only when told to; the prefix must be declared.
    assert properties["ibooks:specified-fonts"] == "true"
    assert prefix == "ibooks: http://vocabulary.itunes.apple.com/rdf/ibooks/vocabulary-extensions-1.0/"


def test_every_content_document_has_the_same_viewport_and_a_body_of_that_size():
    story = narrated_story(3)

    with zipfile.ZipFile(io.BytesIO(read_along(story))) as archive:
        package = parsed(archive, "package.opf")
        documents = [
            item.get("href") for item in package.iterfind(".//opf:item[@media-type='application/xhtml+xml']", NS)
        ]
        viewports = {}
        for href in documents:
            head = parsed(archive, href).find("xhtml:head", NS)
            viewports[href] = [meta.get("content") for meta in head.iterfind("xhtml:meta[@name='viewport']", NS)]
            stylesheets = [link.get("href") for link in head.iterfind("xhtml:link[@rel='stylesheet']", NS)]
            assert stylesheets == ["css/book.css", "css/fixed-layout.css"], href
        stylesheet = archive.read("OEBPS/css/fixed-layout.css").decode()

    assert sorted(documents) == sorted(
        ["nav.xhtml", "cover.xhtml", "page-01.xhtml", "page-02.xhtml", "page-03.xhtml", "end.xhtml"]
    )
    assert viewports == {href: ["width=1200, height=1200"] for href in documents}
    body = re.search(r"\nbody \{(.*?)\}", stylesheet, re.DOTALL)[1]
    assert "width: 1200px;" in body and "height: 1200px;" in body and "overflow: hidden;" in body


def test_a_page_with_many_words_gets_smaller_type_so_that_it_stays_on_its_page():
    story = narrated_story(2, texts=["A kite flew up. " * 40, "Mia ran."], age_group="3-5")

    with zipfile.ZipFile(io.BytesIO(read_along(story))) as archive:
        stylesheet = archive.read("OEBPS/css/fixed-layout.css").decode()

    sizes = {
        int(number): float(size)
        for number, size in re.findall(r"#page-(\d+) \.text \{\s*font-size: ([\d.]+)px;", stylesheet)
    }
    # The printed 8 x 8 in book's 24 pt, on a 1200 px page: 50 px, large enough for a child.
    assert sizes[2] == 50.0
    assert 18 < sizes[1] < sizes[2]


def test_the_plain_epub_of_a_narrated_story_has_no_overlays():
    story = narrated_story(2)

    plain = book_export(user=story.owner, story_id=story.pk, format="epub")

    assert plain.filename == "the-puddle-expedition.epub"
    with zipfile.ZipFile(io.BytesIO(plain.data)) as archive:
        names = archive.namelist()
        package = archive.read("OEBPS/package.opf").decode()
        page = archive.read("OEBPS/page-01.xhtml").decode()
    assert not [name for name in names if name.endswith((".smil", ".mp3"))]
    assert "media-overlay" not in package and "media:" not in package
    assert "<span" not in page
    # ...and it stays reflowable: no fixed layout, no viewport, no fixed-layout stylesheet.
    assert "rendition:" not in package and "ibooks:" not in package and "prefix=" not in package
    assert "viewport" not in page and "OEBPS/css/fixed-layout.css" not in names


def test_the_read_along_epub_is_its_own_edition_named_after_the_book():
    story = narrated_story(1)

    plain = book_export(user=story.owner, story_id=story.pk, format="epub").data
    download = book_export(user=story.owner, story_id=story.pk, format="epub", narrated=True)

    assert download.filename == "the-puddle-expedition-read-along.epub"
    assert download.content_type == "application/epub+zip"
    identifiers = [
        ElementTree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("OEBPS/package.opf"))
        .find(".//{http://purl.org/dc/elements/1.1/}identifier")
        .text
        for data in (plain, download.data, read_along(story))
    ]
    assert identifiers[0] != identifiers[1] == identifiers[2]


def test_paragraphs_stay_paragraphs_with_each_sentence_in_its_own_span():
    story = narrated_story(1, texts=["One fine day. Mia woke up.\n\nThe kite was gone! Where was it?"])

    with zipfile.ZipFile(io.BytesIO(read_along(story))) as archive:
        page = parsed(archive, "page-01.xhtml")

    text = page.find(".//xhtml:div[@class='text']", NS)
    paragraphs = [[span.text for span in p.iter(f"{{{NS['xhtml']}}}span")] for p in text.iter(f"{{{NS['xhtml']}}}p")]
    assert paragraphs == [["One fine day.", "Mia woke up."], ["The kite was gone!", "Where was it?"]]


def test_a_page_without_words_is_left_without_an_overlay():
    story = narrated_story(2, texts=[TEXT.format(n=1), "  "])

    with zipfile.ZipFile(io.BytesIO(read_along(story))) as archive:
        package = parsed(archive, "package.opf")
        names = archive.namelist()

    assert [item.get("href") for item in package.findall(".//opf:item[@media-overlay]", NS)] == ["page-01.xhtml"]
    assert "OEBPS/page-02.xhtml" in names and "OEBPS/page-02.smil" not in names


@pytest.mark.parametrize("how", ["one page not narrated", "one page narrated before its text changed"])
def test_a_story_not_fully_narrated_is_a_conflict(how):
    story = ready_story(3, texts=[TEXT.format(n=n) for n in (1, 2, 3)])
    for page in story.pages.order_by("number"):
        if page.number != 2:
            narrate(page)
        elif how == "one page narrated before its text changed":
            narrate(page, version=page.version)
            page.version += 1
            page.save()

    with pytest.raises(Conflict, match="Narrate the book first") as error:
        read_along(story)
    assert error.value.details["pages_not_narrated"] == [2]


def test_another_users_story_is_not_found():
    story = narrated_story(1)

    with pytest.raises(NotFound):
        book_export(user=UserFactory(), story_id=story.pk, format="epub", narrated=True)


def test_the_read_along_epub_costs_as_many_queries_for_eight_pages_as_for_three():
    counts = []
    for pages in (3, 8):
        story = narrated_story(pages)
        with CaptureQueriesContext(connection) as queries:
            read_along(story)
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_clips_are_read_through_the_storage_when_it_has_no_local_files(monkeypatch):
    from django.db.models.fields.files import FieldFile

    story = narrated_story(1)

    def no_local_path(self):
        raise NotImplementedError("This backend doesn't support absolute paths.")

    monkeypatch.setattr(FieldFile, "path", property(no_local_path))
    with zipfile.ZipFile(io.BytesIO(read_along(story))) as archive:
        sounds = [archive.read(name) for name in archive.namelist() if name.endswith(".mp3")]

    assert sounds == [clip.audio.read() for clip in clips_of(story)]


@pytest.mark.parametrize(
    "url", ["/stories/{id}/export/epub/?narrated=1", "/api/v1/stories/{id}/export/?format=epub&narrated=1"]
)
def test_the_download_links_answer_a_read_along_epub(client, url):
    story = narrated_story(1)
    client.force_login(story.owner)

    response = client.get(url.format(id=story.pk))

    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/epub+zip"
    assert response["Content-Disposition"] == 'attachment; filename="the-puddle-expedition-read-along.epub"'
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert "OEBPS/page-01.smil" in archive.namelist()


def test_asking_for_a_read_along_epub_of_an_unnarrated_story_is_a_409(client):
    story = ready_story(1)
    client.force_login(story.owner)

    response = client.get(f"/api/v1/stories/{story.pk}/export/?format=epub&narrated=1")

    assert response.status_code == 409
    assert "Narrate the book first" in response.json()["error"]["message"]
