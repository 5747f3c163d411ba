"""docs/errors.md documents exactly the codes a client can meet."""

import re
from pathlib import Path

from storyforge import errors
from storyforge.ai import base

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "errors.md"
ROW = re.compile(r"^\| `([A-Z][A-Z_]+)` \| ([^|]+) \|", flags=re.MULTILINE)


def codes_in_the_code() -> set[str]:
    domain = {error_class.code for error_class in errors.all_error_classes()}
    provider = {value for name, value in vars(base).items() if name.isupper() and value == name}
    assert {"AI_TIMEOUT", "CONTENT_FLAGGED"} <= provider  # the constants are still written this way
    return domain | provider | {"JOB_STUCK", "GENERATION_FAILED"}


def documented() -> dict[str, set[str]]:
    rows: dict[str, set[str]] = {}
    for code, status in ROW.findall(DOC.read_text()):
        rows.setdefault(code, set()).add(status.strip())
    return rows


def test_every_code_in_the_code_is_documented_and_the_other_way_round():
    in_code, in_doc = codes_in_the_code(), set(documented())
    assert in_code - in_doc == set(), "codes missing from docs/errors.md"
    assert in_doc - in_code == set(), "docs/errors.md lists codes the code no longer has"


def test_the_documented_status_of_each_api_code_is_its_http_status():
    rows = documented()
    for error_class in errors.all_error_classes():
        assert str(error_class.http_status) in rows[error_class.code], error_class.code


def test_the_helper_listing_every_code_agrees():
    assert errors.all_codes() == codes_in_the_code()
