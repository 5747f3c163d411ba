"""The webui draws one picture at a time: IMAGE_MAX_CONCURRENCY slots, held across
workers in the shared cache, keep the others waiting here instead of piling up there."""

import threading

import pytest

from tests.generation.automatic1111.sheets import MIA, scene

THREADS = 4
WAIT = 10.0


def draw_at_once(provider, fake, *, in_flight_expected: int, patience: float) -> bool:
    """Start THREADS drawings together while the server holds them at its queue lock;
    whether `in_flight_expected` of them got in within `patience` seconds of the first."""
    started = threading.Barrier(THREADS + 1)
    errors, pages = [], []

    def draw():
        started.wait(WAIT)
        try:
            pages.append(provider.page_illustrate(scene(MIA)))
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)

    fake.hold()
    threads = [threading.Thread(target=draw) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    started.wait(WAIT)
    assert fake.wait_in_flight(1, WAIT)
    got_in = fake.wait_in_flight(in_flight_expected, patience)
    fake.release()
    for thread in threads:
        thread.join(WAIT * 2)
    assert errors == []
    assert len(pages) == THREADS
    return got_in


@pytest.mark.parametrize("cache", ["local", pytest.param("redis", marks=pytest.mark.services)])
def test_one_slot_lets_one_drawing_in_at_a_time(provider, fake_a1111, settings, cache, request):
    if cache == "redis":
        request.getfixturevalue("redis_cache")
    settings.IMAGE_MAX_CONCURRENCY = 1

    second_got_in = draw_at_once(provider, fake_a1111, in_flight_expected=2, patience=1.0)

    assert not second_got_in
    assert fake_a1111.max_in_flight == 1
    assert len(fake_a1111.requests_for("txt2img")) == THREADS


def test_no_limit_lets_them_all_in(provider, fake_a1111, settings):
    settings.IMAGE_MAX_CONCURRENCY = 0

    all_got_in = draw_at_once(provider, fake_a1111, in_flight_expected=THREADS, patience=WAIT)

    assert all_got_in
    assert fake_a1111.max_in_flight == THREADS


def test_unset_limit_means_one_at_a_time_for_a_webui(provider, fake_a1111, settings):
    settings.IMAGE_MAX_CONCURRENCY = None  # the default, with STORYFORGE_IMAGE_PROVIDER = automatic1111

    second_got_in = draw_at_once(provider, fake_a1111, in_flight_expected=2, patience=1.0)

    assert not second_got_in
    assert fake_a1111.max_in_flight == 1
