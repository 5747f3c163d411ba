"""The documentation and the code name the same variables and check ids."""

import re
from pathlib import Path

from storyforge import variables

ROOT = Path(__file__).resolve().parents[1]


def test_the_readme_table_lists_exactly_the_variables_storyforge_reads():
    readme = (ROOT / "README.md").read_text()
    documented = set(re.findall(r"^\| `([A-Z0-9_]+)` \|", readme, flags=re.MULTILINE))
    assert documented == variables.KNOWN_NAMES


def test_the_readme_table_says_what_variables_py_says():
    """Defaults and meanings too, in the same order, so neither drifts from the other."""
    readme = (ROOT / "README.md").read_text()
    rows = [line for line in readme.splitlines() if re.match(r"^\| `[A-Z0-9_]+` \|", line)]
    assert rows == [f"| `{v.name}` | {v.default} | {v.meaning} |" for v in variables.VARIABLES]


def test_every_check_id_in_the_code_is_documented_and_the_other_way_round():
    code = "".join((ROOT / "storyforge" / name).read_text() for name in ("checks.py", "access_checks.py"))
    docs = (ROOT / "docs" / "configuration.md").read_text()
    assert set(re.findall(r"storyforge\.[EW]\d{3}", code)) == set(re.findall(r"storyforge\.[EW]\d{3}", docs))


def test_the_readme_opens_with_the_two_commands_and_the_demo_login():
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
    assert "storyforge-demo" in readme
