import random

import pytest

from storyforge.generation.retry import retry_delay


@pytest.fixture(autouse=True)
def cap(settings):
    settings.STORYFORGE_RETRY_BACKOFF_MAX = 60


def test_backoff_grows_exponentially_with_full_jitter():
    random.seed(7)
    for retries in range(8):
        ceiling = min(60, 2**retries)
        delays = [retry_delay(retries) for _ in range(200)]
        assert all(0 <= delay <= ceiling for delay in delays)
        assert max(delays) > ceiling * 0.8  # full jitter spreads over the whole range
        assert min(delays) < ceiling * 0.2


def test_retry_after_from_the_service_is_honoured_as_the_minimum_wait():
    assert all(retry_delay(0, 7.0) >= 7.0 for _ in range(50))
    assert all(retry_delay(0, 0.5) <= 1.0 for _ in range(50))
