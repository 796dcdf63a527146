"""Domain code queues a task by its registered name, without importing the task module."""

import pytest

from component_sites.core.enqueue import enqueue, registered_task

NAME = "tasks.diagnostics.describe_schema"


def test_a_registered_name_finds_the_task():
    assert registered_task(NAME).name == NAME


def test_an_unknown_name_is_a_key_error_not_a_silent_drop():
    with pytest.raises(KeyError):
        registered_task("tasks.nowhere.no_such_task")


def test_enqueue_by_name_queues_that_task(monkeypatch):
    calls = []
    monkeypatch.setattr(registered_task(NAME), "delay", lambda *a, **k: calls.append((a, k)))
    assert enqueue(NAME, 1, x=2) is True
    assert calls == [((1,), {"x": 2})]
