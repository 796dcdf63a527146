"""Queue a Celery task from a request without failing the request when the broker is down.

``enqueue(task, *args)`` is ``task.delay(*args)`` that logs and returns False when the
broker (Redis) cannot be reached, instead of raising ``kombu.exceptions.OperationalError``
after the work it follows was committed.  Used for notifications queued after commit
(a new question, a published answer, workflow e-mails): the record is saved, the e-mail is
what is lost (logged with its arguments, so an operator can send it again).

Domain code names a task by its registered name (``"tasks.participation.notify_answer"``)
instead of importing the module that defines it: background work calls domain code, never
the reverse. ``registered_task(name)`` looks the name up in Celery's registry (loading the
configured task modules, ``CELERY_IMPORTS``, the first time), so eager mode in tests and
``apply_async`` options keep working.
"""

from __future__ import annotations

import logging

import redis
from celery import current_app
from kombu.exceptions import OperationalError

logger = logging.getLogger("portal.outages")

BROKER_DOWN = (OperationalError, redis.exceptions.ConnectionError, OSError)


def registered_task(name: str):
    """The Celery task registered under ``name`` (a ``KeyError`` names an unknown one)."""
    app = current_app
    if name not in app.tasks:
        app.loader.import_default_modules()
    return app.tasks[name]


def enqueue(task, *args, **kwargs) -> bool:
    """Queue ``task`` (a task or its registered name); false (logged) when the broker is down."""
    if isinstance(task, str):
        task = registered_task(task)
    try:
        task.delay(*args, **kwargs)
    except BROKER_DOWN as error:
        logger.error(
            "task %s%r not queued, broker unreachable (%s: %s)",
            task.name,
            args,
            type(error).__name__,
            error,
        )
        return False
    return True
