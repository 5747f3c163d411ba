"""Rates as django-ratelimit writes them (`5/m`, `30/h`, `100/10m`, or `off`).

Plain Python with no Django import, so that settings.py can read the rate-limit
variables through storyforge/config.py before Django is set up.
"""

import re

RATE_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE_PATTERN = re.compile(r"(\d+)/(\d*)([smhd])")


def rate_parse(raw: str, variable: str = "the rate") -> tuple[int, int] | None:
    """(requests, window in seconds), None for `off`, else ValueError naming `variable`."""
    text = raw.strip().lower()
    if text == "off":
        return None
    match = RATE_PATTERN.fullmatch(text)
    if not match:
        raise ValueError(f"{variable} is '{raw}', which is not a rate like 5/m, 30/h, 100/10m or off")
    count, multiplier, period = match.groups()
    window = RATE_PERIODS[period] * int(multiplier or 1)
    if window <= 0:
        raise ValueError(f"{variable} is '{raw}', a window of no time")
    return int(count), window
