from datetime import UTC, datetime

import pytest
import time_machine

# 30 s into a minute, an hour and a day: every fixed window has time left.
MID_WINDOW = datetime(2026, 3, 14, 12, 30, 30, tzinfo=UTC)


@pytest.fixture
def rates(settings):
    """Small limits, easy to reach."""
    settings.RATE_LIMITS = {
        "login_user": "3/m",
        "login_ip": "100/m",
        "signup_ip": "2/m",
        "generation_user": "2/h",
        "api_user": "3/m",
    }
    return settings.RATE_LIMITS


@pytest.fixture
def frozen():
    with time_machine.travel(MID_WINDOW, tick=False) as traveller:
        yield traveller
