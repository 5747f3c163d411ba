"""Character Card V2 files: export as JSON and PNG, import of StoryForge's own cards
(a round trip gives the same character back) and of cards from other tools."""

import base64
import io
import json
import os
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from characters.card_files import CARD_MAX_BYTES
from characters.cards import character_card_export, character_card_import, character_card_png
from characters.models import Character, Portrait, Relationship
from storyforge.core.errors import InvalidInput, NotFound
from tests.factories import CharacterFactory, PortraitFactory, RelationshipFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

FIELDS = (
    "name", "kind", "age", "pronouns", "traits", "custom_traits", "hair_colour", "hair_style", "eye_colour",
    "skin_tone", "clothing", "distinctive_features", "backstory", "likes", "status", "card_extensions",
)  # fmt: skip


@pytest.fixture
def mia():
    user = UserFactory(first_name="Ada", last_name="Lovelace")
    mia = CharacterFactory(
        owner=user,
        name="Mia",
        kind="child",
        age=7,
        pronouns="she/her",
        traits=["brave", "curious"],
        custom_traits=["afraid of the dark"],
        hair_colour="auburn",
        hair_style="braids",
        eye_colour="green",
        skin_tone="light",
        clothing="a yellow raincoat",
        distinctive_features="freckles",
        backstory="Mia lives by the sea with her grandma.",
        likes="shells and kites",
        card_extensions={"depth_prompt": {"prompt": "Keep it kind.", "depth": 4}},
    )
    leo = CharacterFactory(owner=user, name="Leo")
    grandma = CharacterFactory(owner=user, name="Grandma Rose", kind="grown-up")
    RelationshipFactory(from_character=mia, to_character=leo, kind="sibling", note="big sister")
    RelationshipFactory(from_character=grandma, to_character=mia, kind="grandparent")
    return mia


def json_upload(card, name="card.json") -> SimpleUploadedFile:
    data = card if isinstance(card, bytes) else json.dumps(card).encode()
    return SimpleUploadedFile(name, data, content_type="application/json")


def png_upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("card.png", data, content_type="image/png")


def png_with(chunks: dict[str, dict], size=(40, 30)) -> bytes:
    info = PngInfo()
    for keyword, card in chunks.items():
        info.add_text(keyword, base64.b64encode(json.dumps(card).encode()).decode())
    buffer = io.BytesIO()
    Image.new("RGB", size, "purple").save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    chunks, position = [], 8
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        chunks.append((kind, data[position + 8 : position + 8 + length]))
        position += 12 + length
    return chunks


def as_dict(character) -> dict:
    return {field: getattr(character, field) for field in FIELDS}


def relationships_of(character) -> set[tuple[str, str, str, str]]:
    found = Relationship.objects.filter(from_character=character) | Relationship.objects.filter(to_character=character)
    return {(r.from_character.name, r.to_character.name, r.kind, r.note) for r in found}


def foreign_card(**data) -> dict:
    return {
        "spec": "chara_card_v2",
        "spec_version": "2.0",
        "data": {
            "name": "Captain Whiskers",
            "description": "{{char}} is a ship's cat who has sailed every sea. {{char}} tells {{user}} stories.",
            "personality": "brave, loyal, grumpy before breakfast, speaks in a long-winded nautical manner",
            "scenario": "On the deck of the Saucy Sardine.",
            "first_mes": "Ahoy!",
            "mes_example": "",
            "creator_notes": "",
            "system_prompt": "",
            "post_history_instructions": "",
            "alternate_greetings": [],
            "tags": ["Animal", "sailor", "Funny"],
            "creator": "someone else",
            "character_version": "3",
            "extensions": {"talkativeness": "0.6", "fav": True, "world": "Seven Seas"},
            **data,
        },
    }


# Export ---------------------------------------------------------------------------


def test_a_card_holds_the_standard_fields_and_everything_storyforge_knows(mia):
    card = character_card_export(user=mia.owner, character_id=mia.pk)

    assert card["spec"] == "chara_card_v2" and card["spec_version"] == "2.0"
    data = card["data"]
    assert data["name"] == "Mia" and data["creator"] == "Ada Lovelace" and data["character_version"] == "1"
    assert data["description"].startswith("A child with auburn hair in braids, green eyes, light skin")
    assert "Mia lives by the sea with her grandma." in data["description"]
    assert data["personality"].startswith("Brave, Curious, afraid of the dark")
    assert data["tags"] == ["Brave", "Curious", "afraid of the dark", "Child"]
    assert "Mia is Leo's sibling (big sister)." in data["scenario"]
    for field in ("first_mes", "mes_example", "system_prompt", "post_history_instructions"):
        assert data[field] == ""
    assert data["alternate_greetings"] == []
    assert data["extensions"]["depth_prompt"] == {"prompt": "Keep it kind.", "depth": 4}
    own = data["extensions"]["storyforge"]
    assert own["kind"] == "child" and own["age"] == 7 and own["pronouns"] == "she/her"
    assert own["appearance"] == {
        "hair_colour": "auburn", "hair_style": "braids", "eye_colour": "green", "skin_tone": "light",
        "clothing": "a yellow raincoat", "distinctive_features": "freckles",
    }  # fmt: skip
    assert own["traits"] == ["brave", "curious"] and own["custom_traits"] == ["afraid of the dark"]
    assert own["backstory"] == "Mia lives by the sea with her grandma." and own["likes"] == "shells and kites"
    assert sorted(own["relationships"], key=lambda item: item["with"]) == [
        {"with": "Grandma Rose", "kind": "grandparent", "note": "", "direction": "to"},
        {"with": "Leo", "kind": "sibling", "note": "big sister", "direction": "from"},
    ]
    json.dumps(card)  # JSON-ready as it is


def test_another_users_character_has_no_card(mia):
    with pytest.raises(NotFound):
        character_card_export(user=UserFactory(), character_id=mia.pk)
    with pytest.raises(NotFound):
        character_card_png(user=UserFactory(), character_id=mia.pk)


def test_the_png_card_is_the_selected_portrait_with_the_card_before_iend(mia):
    portrait = PortraitFactory(character=mia, is_selected=True, image__width=64, image__height=48)
    mia.selected_portrait = portrait
    mia.save()

    data = character_card_png(user=mia.owner, character_id=mia.pk)

    chunks = png_chunks(data)
    assert chunks[-1][0] == b"IEND"
    (chara,) = [payload for kind, payload in chunks if kind == b"tEXt" and payload.startswith(b"chara\0")]
    card = json.loads(base64.b64decode(chara.split(b"\0", 1)[1]))
    assert card == character_card_export(user=mia.owner, character_id=mia.pk)
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (64, 48)
        with Image.open(portrait.image.path) as original:
            assert image.convert("RGB").getpixel((5, 5)) == original.convert("RGB").getpixel((5, 5))


def test_a_character_without_a_portrait_gets_one_drawn_for_its_png_card(mia):
    data = character_card_png(user=mia.owner, character_id=mia.pk)

    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG" and image.size == (512, 512)
        card = json.loads(base64.b64decode(image.text["chara"]))
    assert card["data"]["name"] == "Mia"
    assert not Portrait.objects.filter(character=mia).exists()  # drawn for the card, not saved


# Round trips ----------------------------------------------------------------------


def test_a_json_card_comes_back_as_the_same_character(mia):
    card = character_card_export(user=mia.owner, character_id=mia.pk)

    copy = character_card_import(user=mia.owner, upload=json_upload(card))

    assert copy.pk != mia.pk and copy.owner == mia.owner
    assert as_dict(copy) == as_dict(mia)
    assert {(a, b, kind, note) for a, b, kind, note in relationships_of(copy)} == {
        ("Mia", "Leo", "sibling", "big sister"),
        ("Grandma Rose", "Mia", "grandparent", ""),
    }
    assert character_card_export(user=mia.owner, character_id=copy.pk) == card


def test_a_png_card_comes_back_as_the_same_character_with_its_picture_as_portrait(mia):
    portrait = PortraitFactory(character=mia, is_selected=True, image__width=64, image__height=48)
    mia.selected_portrait = portrait
    mia.save()
    data = character_card_png(user=mia.owner, character_id=mia.pk)

    copy = character_card_import(user=mia.owner, upload=png_upload(data))

    assert as_dict(copy) == as_dict(mia)
    assert copy.selected_portrait.source == Portrait.Source.UPLOADED
    assert (copy.selected_portrait.width, copy.selected_portrait.height) == (64, 48)
    assert len(relationships_of(copy)) == 2


def test_a_card_imported_by_another_grown_up_keeps_everything_but_relationships_to_strangers(mia):
    card = character_card_export(user=mia.owner, character_id=mia.pk)
    someone = UserFactory()
    CharacterFactory(owner=someone, name="Leo")

    copy = character_card_import(user=someone, upload=json_upload(card))

    assert copy.owner == someone
    assert as_dict(copy) == as_dict(mia)
    assert relationships_of(copy) == {("Mia", "Leo", "sibling", "big sister")}  # no Grandma Rose here
    assert Character.objects.filter(owner=mia.owner).count() == 3  # nothing added to Mia's grown-up


# Cards from other tools -----------------------------------------------------------


def test_a_card_from_another_tool_is_mapped_as_well_as_it_fits():
    user = UserFactory()

    cat = character_card_import(user=user, upload=json_upload(foreign_card()))

    assert cat.name == "Captain Whiskers" and cat.kind == "animal"
    assert (
        cat.backstory
        == "Captain Whiskers is a ship's cat who has sailed every sea. Captain Whiskers tells you stories."
    )
    assert cat.traits == ["brave", "loyal", "funny"]
    assert cat.custom_traits == ["grumpy before breakfast", "sailor"]  # the long phrase does not fit
    assert cat.status == Character.Status.READY
    assert cat.card_extensions == {"talkativeness": "0.6", "fav": True, "world": "Seven Seas"}


def test_other_tools_extensions_are_written_back_on_export():
    user = UserFactory()
    cat = character_card_import(user=user, upload=json_upload(foreign_card()))

    extensions = character_card_export(user=user, character_id=cat.pk)["data"]["extensions"]

    assert extensions["talkativeness"] == "0.6" and extensions["fav"] is True and extensions["world"] == "Seven Seas"
    assert extensions["storyforge"]["traits"] == ["brave", "loyal", "funny"]


def test_a_card_whose_traits_do_not_make_a_valid_set_becomes_a_draft():
    user = UserFactory()

    quiet = character_card_import(user=user, upload=json_upload(foreign_card(personality="", tags=[])))

    assert quiet.status == Character.Status.DRAFT and quiet.name == "Captain Whiskers"
    assert quiet.traits == [] and quiet.custom_traits == []


def test_missing_fields_take_their_defaults():
    user = UserFactory()

    minimal = character_card_import(
        user=user, upload=json_upload({"spec": "chara_card_v2", "data": {"name": "  Bob  ", "tags": ["kind"]}})
    )

    assert minimal.name == "Bob" and minimal.kind == "child" and minimal.pronouns == "they/them"
    assert minimal.traits == ["kind"] and minimal.backstory == "" and minimal.card_extensions == {}


def test_values_storyforge_cannot_hold_are_dropped_from_its_own_extension(mia):
    card = character_card_export(user=mia.owner, character_id=mia.pk)
    own = card["data"]["extensions"]["storyforge"]
    own.update(kind="wizard", age=-3, pronouns="xe/xem", traits=["brave", "nonsense"])
    own["appearance"].update(hair_colour="plaid", clothing="x" * 500)

    copy = character_card_import(user=mia.owner, upload=json_upload(card))

    assert (copy.kind, copy.age, copy.pronouns) == ("child", None, "they/them")
    assert copy.traits == ["brave"] and copy.hair_colour == "" and len(copy.clothing) == 200
    assert copy.status == Character.Status.READY


def test_a_png_card_prefers_the_v3_chunk_when_both_are_there():
    v2 = foreign_card(name="Old Name")
    v3 = {**foreign_card(name="New Name"), "spec": "chara_card_v3", "spec_version": "3.0"}

    imported = character_card_import(user=UserFactory(), upload=png_upload(png_with({"chara": v2, "ccv3": v3})))

    assert imported.name == "New Name"
    assert imported.selected_portrait.width == 40


def test_a_card_chunk_after_the_picture_data_is_found():
    """Some tools insert the chunk just before IEND, after the image data."""
    plain = png_with({})
    text = b"chara\0" + base64.b64encode(json.dumps(foreign_card()).encode())
    chunk = struct.pack(">I", len(text)) + b"tEXt" + text + struct.pack(">I", zlib.crc32(b"tEXt" + text))
    data = plain[:-12] + chunk + plain[-12:]

    assert character_card_import(user=UserFactory(), upload=png_upload(data)).name == "Captain Whiskers"


def test_a_card_picture_over_the_portrait_upload_limit_is_shrunk_to_a_portrait():
    noise = Image.frombytes("RGB", (1400, 1400), os.urandom(1400 * 1400 * 3))
    info = PngInfo()
    info.add_text("chara", base64.b64encode(json.dumps(foreign_card()).encode()).decode())
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG", pnginfo=info, compress_level=0)
    assert 5 * 1024 * 1024 < len(buffer.getvalue()) <= CARD_MAX_BYTES

    cat = character_card_import(user=UserFactory(), upload=png_upload(buffer.getvalue()))

    assert (cat.selected_portrait.width, cat.selected_portrait.height) == (1024, 1024)


# Refusals -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not a character card"),
        (b"\xff\xfe\x00garbage", "not a character card"),
        (b"[1, 2, 3]", "has no spec"),
        (json.dumps({"spec": "chara_card_v1", "data": {"name": "X"}}).encode(), "not a Character Card V2"),
        (json.dumps({"name": "V1 card", "description": "no spec"}).encode(), "has no spec"),
        (json.dumps({"spec": "chara_card_v2", "data": "nothing"}).encode(), "has no data"),
        (json.dumps({"spec": "chara_card_v2", "data": {"name": "   "}}).encode(), "has no name"),
        (json.dumps({"spec": "chara_card_v2", "data": {"description": "nameless"}}).encode(), "has no name"),
    ],
)
def test_a_file_that_is_not_a_usable_card_is_refused_and_nothing_is_created(content, message):
    user = UserFactory()

    with pytest.raises(InvalidInput, match=message) as error:
        character_card_import(user=user, upload=json_upload(content))

    assert list(error.value.details["fields"]) == ["file"]
    assert not Character.objects.filter(owner=user).exists()


def test_a_picture_without_a_card_is_refused():
    with pytest.raises(InvalidInput) as error:
        character_card_import(user=UserFactory(), upload=png_upload(png_with({})))

    assert error.value.details["fields"] == {"file": ["This picture has no character card in it."]}
    assert not Character.objects.exists()


def test_a_damaged_card_in_a_picture_is_refused():
    info = PngInfo()
    info.add_text("chara", "this is not base64 json!")
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="PNG", pnginfo=info)

    with pytest.raises(InvalidInput, match="damaged"):
        character_card_import(user=UserFactory(), upload=png_upload(buffer.getvalue()))


class HugeUpload:
    """An upload that says it is over the limit and must never be read."""

    size = CARD_MAX_BYTES + 1
    name = "huge.png"

    def read(self, *args):
        raise AssertionError("the upload was read")

    def chunks(self, *args):
        raise AssertionError("the upload was read")

    def __iter__(self):
        raise AssertionError("the upload was read")


def test_an_oversized_upload_is_refused_before_it_is_read():
    with pytest.raises(InvalidInput, match="larger than 8 MB") as error:
        character_card_import(user=UserFactory(), upload=HugeUpload())

    assert list(error.value.details["fields"]) == ["file"]


def test_an_upload_larger_than_it_said_is_still_refused():
    upload = json_upload(b" " * (CARD_MAX_BYTES + 10))
    upload.size = 10

    with pytest.raises(InvalidInput, match="larger than 8 MB"):
        character_card_import(user=UserFactory(), upload=upload)
