"""The broker's transport options, as settings.py builds them from the environment."""

from pathlib import Path

from storyforge import config


def test_the_folder_queue_keeps_its_folders_under_the_var_folder(tmp_path):
    options = config.broker_transport_options("filesystem://", folder=tmp_path, visibility_timeout=3600)
    assert options["data_folder_in"] == options["data_folder_out"] == str(tmp_path / "queue")
    assert Path(options["processed_folder"]).parent == tmp_path


def test_the_folder_queue_is_looked_at_often_enough_to_start_a_task_within_100_ms(tmp_path):
    options = config.broker_transport_options("filesystem://", folder=tmp_path, visibility_timeout=3600)
    assert 0 < options["polling_interval"] <= 0.1


def test_a_worker_killed_while_it_looks_for_abandoned_tasks_blocks_the_others_no_longer_than_the_visibility():
    # kombu holds a Redis lock while it looks; its own expiry (5 minutes) would leave a
    # killed worker's tasks waiting long after the visibility timeout.
    for visibility in (3, 60, 3600, 7200):
        options = config.broker_transport_options(
            "redis://127.0.0.1:6379/0", folder=Path("."), visibility_timeout=visibility
        )
        assert options["visibility_timeout"] == visibility
        assert 5 <= options["unacked_mutex_expire"] <= max(5, min(300, visibility))
        assert options["unacked_restore_interval"] * options["unacked_restore_throttle"] <= max(1, visibility)
