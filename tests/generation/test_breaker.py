"""The circuit breaker, on the cache every process shares (LocMem here, Redis in the
service-backed test), with time controlled rather than slept through."""

import pytest
import time_machine

from storyforge.core.errors import AIUnavailable
from storyforge.generation import breaker


@pytest.fixture(autouse=True)
def breaker_settings(settings):
    settings.STORYFORGE_BREAKER_FAILURES = 3
    settings.STORYFORGE_BREAKER_COOLOFF = 30


def fail_times(n):
    for _ in range(n):
        breaker.breaker_record_failure()


def test_the_breaker_stays_closed_below_the_threshold():
    fail_times(2)
    assert breaker.breaker_state().state == breaker.CLOSED
    breaker.breaker_check()
    breaker.breaker_allow()


def test_it_opens_after_the_configured_failures_and_fails_fast_with_a_retry_time():
    with time_machine.travel("2026-11-28 12:00:00", tick=False):
        fail_times(3)
        state = breaker.breaker_state()
        assert state.state == breaker.OPEN and state.retry_in == 30
        with pytest.raises(AIUnavailable) as error:
            breaker.breaker_check()
        assert error.value.code == "AI_UNAVAILABLE" and error.value.details == {"retry_after": 30}
        with pytest.raises(AIUnavailable):
            breaker.breaker_allow()


def test_a_success_resets_the_count():
    fail_times(2)
    breaker.breaker_record_success()
    fail_times(2)
    assert breaker.breaker_state().state == breaker.CLOSED


def test_after_the_cool_off_exactly_one_probe_goes_through_and_its_success_closes_it():
    with time_machine.travel("2026-11-28 12:00:00", tick=False) as clock:
        fail_times(3)
        clock.shift(31)
        assert breaker.breaker_state().state == breaker.HALF_OPEN
        breaker.breaker_check()  # web requests may queue work again
        breaker.breaker_allow()  # the probe
        with pytest.raises(AIUnavailable):
            breaker.breaker_allow()  # everyone else waits for its answer
        breaker.breaker_record_success()
        assert breaker.breaker_state().state == breaker.CLOSED
        breaker.breaker_allow()


def test_a_failed_probe_opens_it_for_another_cool_off():
    with time_machine.travel("2026-11-28 12:00:00", tick=False) as clock:
        fail_times(3)
        clock.shift(31)
        breaker.breaker_allow()
        breaker.breaker_record_failure()
        state = breaker.breaker_state()
        assert state.state == breaker.OPEN and state.retry_in == 30
        clock.shift(31)
        breaker.breaker_allow()  # a new probe after the new cool-off


@pytest.mark.services
def test_the_breaker_state_is_shared_through_redis(redis_cache):
    fail_times(3)
    assert redis_cache.get(breaker.OPENED_KEY) is not None
    assert breaker.breaker_state().state == breaker.OPEN
