"""Celery queues: every task has a declared queue, long jobs land on ``long``, apart from mail.

The route of each task is checked through Celery's own router (the configured
``CELERY_TASK_ROUTES``), and one message is sent to the real broker to see which Redis
list it lands in.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import redis
from celery import Celery
from celery.exceptions import QueueNotFound
from django.conf import settings

from portal.celery_app import app
from portal.launcher import process_commands
from portal.redis_urls import BROKER_DB, with_db
from portal.settings.queues import QUEUES, ROUTES
from tests.architecture.imports import project_modules

LONG_JOBS = {
    "tasks.merges.run_site_merge",
    "tasks.jobs.run_procedure_import",
    "tasks.schema_pool.refill_schema_pool",
    "tasks.schema_migrations.migrate_behind_schemas",
}


def registered_tasks(celery_app: Celery) -> set[str]:
    """The project's tasks the worker knows (CELERY_IMPORTS loaded), Celery's own left out."""
    celery_app.loader.import_default_modules()
    return {name for name in celery_app.tasks if not name.startswith("celery.")}


def unrouted(celery_app: Celery) -> list[str]:
    """Tasks whose queue is not one of the declared queues (or that have no route at all)."""
    declared = {queue.name for queue in celery_app.conf.task_queues}
    routes = celery_app.conf.task_routes or {}
    found = []
    for name in sorted(registered_tasks(celery_app)):
        queue = (routes.get(name) or {}).get("queue")
        if queue is None:
            found.append(f"{name}: no route (add it to portal/settings/queues.py)")
        elif queue not in declared:
            found.append(f"{name}: routed to {queue!r}, not a declared queue")
    return found


def tasks_named_in_source() -> set[str]:
    """Every ``name="tasks.…"`` given to a task decorator in the project's code."""
    names = set()
    for path in project_modules().values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if (
                        keyword.arg == "name"
                        and isinstance(keyword.value, ast.Constant)
                        and str(keyword.value.value).startswith("tasks.")
                    ):
                        names.add(keyword.value.value)
    return names


def test_every_registered_task_is_routed_to_a_declared_queue():
    assert len(registered_tasks(app)) >= 25  # the task modules were loaded
    found = unrouted(app)
    assert not found, "\n".join(found)


def test_every_task_in_the_source_is_registered_and_every_route_names_a_task():
    registered = registered_tasks(app)
    assert tasks_named_in_source() <= registered, "a task module is missing from CELERY_IMPORTS"
    assert set(ROUTES) - registered == set(), "a route names a task that does not exist"


def test_the_router_sends_each_task_to_its_queue():
    router = app.amqp.router
    for name, queue in ROUTES.items():
        assert router.route({}, name)["queue"].name == queue, name
    assert {router.route({}, name)["queue"].name for name in LONG_JOBS} == {"long"}
    assert router.route({}, "tasks.accounts.send_password_reset")["queue"].name == "mail"
    assert router.route({}, "tasks.syndication.apply_procedure_batch")["queue"].name == (
        "syndication"
    )
    assert router.route({}, "tasks.scoring.probe_site")["queue"].name == "probes"


def _rebuild_archive():
    """A task someone adds without a route."""


def _typo():
    """A task routed to a queue nobody declared."""


def test_a_new_task_without_a_route_fails_and_an_unknown_queue_is_refused():
    probe = Celery("probe", set_as_current=False)
    probe.conf.task_queues = settings.CELERY_TASK_QUEUES
    probe.conf.task_create_missing_queues = settings.CELERY_TASK_CREATE_MISSING_QUEUES
    probe.conf.task_routes = {**settings.CELERY_TASK_ROUTES, "tasks.news.typo": {"queue": "lon"}}
    # The project's own tasks (shared tasks) come with every app; two new ones are added.
    probe.task(name="tasks.news.rebuild_archive", shared=False)(_rebuild_archive)
    probe.task(name="tasks.news.typo", shared=False)(_typo)
    assert unrouted(probe) == [
        "tasks.news.rebuild_archive: no route (add it to portal/settings/queues.py)",
        "tasks.news.typo: routed to 'lon', not a declared queue",
    ]
    with pytest.raises(QueueNotFound):
        probe.amqp.router.route({}, "tasks.news.typo")


def test_a_merge_sent_to_the_broker_lands_on_the_long_queue():
    broker = redis.Redis.from_url(with_db(settings.REDIS_URL, BROKER_DB))
    for queue in QUEUES:
        broker.delete(queue)
    try:
        app.send_task("tasks.merges.run_site_merge", args=[0])
        app.send_task("tasks.accounts.send_password_reset", args=["public", 0])
        assert broker.llen("long") == 1
        assert broker.llen("mail") == 1
        assert broker.llen("default") == 0
    finally:
        for queue in QUEUES:
            broker.delete(queue)


def test_make_run_s_worker_consumes_every_queue():
    worker = process_commands("8000")["worker"]
    queues = worker[worker.index("--queues") + 1].split(",")
    assert sorted(queues) == sorted(QUEUES)


def test_compose_runs_a_worker_for_every_queue_and_long_jobs_apart():
    text = (Path(settings.BASE_DIR) / "compose.yaml").read_text(encoding="utf-8")
    groups = {}
    for line in text.splitlines():
        if '"--queues"' in line:
            value = line.split('"--queues",', 1)[1].split('"')[1]
            groups[value] = set(value.split(","))
    consumed = set().union(*groups.values())
    assert consumed == set(QUEUES), "a queue no worker in compose.yaml consumes"
    long_workers = [queues for queues in groups.values() if "long" in queues]
    assert long_workers == [{"long"}], "long jobs share their worker with other queues"
    assert all("mail" not in q or "syndication" not in q for q in groups.values())


def test_a_refill_waiting_behind_a_long_job_expires_before_the_next_is_due():
    entry = settings.CELERY_BEAT_SCHEDULE["schema-pool-refill"]
    assert ROUTES[entry["task"]] == "long"
    assert 0 < entry["options"]["expires"] < entry["schedule"]
