"""docs/errors.md documents exactly the codes a client can meet."""

import ast
import re
from pathlib import Path

from storyforge.core import errors
from storyforge.core.errors import ErrorCode

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "errors.md"
ROW = re.compile(r"^\| `([A-Z][A-Z_]+)` \| ([^|]+) \|", flags=re.MULTILINE)


def codes_in_the_code() -> set[str]:
    return {code.value for code in ErrorCode}


def test_every_errors_code_is_a_member_of_the_one_enum():
    for error_class in errors.all_error_classes():
        assert isinstance(error_class.code, ErrorCode), error_class


def test_no_code_is_written_as_a_loose_string_outside_the_enum():
    """A code spelled as a string literal escapes renames and the docs test: every
    place that names a code names an ErrorCode member."""
    codes = codes_in_the_code()
    loose = []
    for folder in ("storyforge", "accounts", "characters", "stories"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts or path == ROOT / "storyforge" / "core" / "errors.py":
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Constant) and node.value in codes:
                    loose.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value}")
    for path in (ROOT / "templates").rglob("*.html"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            loose += [f"{path.relative_to(ROOT)}:{number} {code}" for code in codes if f'"{code}"' in line]
    assert loose == []


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
