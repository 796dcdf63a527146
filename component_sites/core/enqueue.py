"""Queue a Celery task from a request without failing the request when the broker is down.

``enqueue(task, *args)`` is ``task.delay(*args)`` that logs and returns False when the
broker (Redis) cannot be reached, instead of raising ``kombu.exceptions.OperationalError``
after the work it follows was committed.  Used for notifications queued after commit
(a new question, a published answer, workflow e-mails): the record is saved, the e-mail is
what is lost (logged with its arguments, so an operator can send it again).
"""

from __future__ import annotations

import logging

import redis
from kombu.exceptions import OperationalError

logger = logging.getLogger("portal.outages")

BROKER_DOWN = (OperationalError, redis.exceptions.ConnectionError, OSError)


def enqueue(task, *args, **kwargs) -> bool:
    """Queue ``task``; false (logged) when the broker cannot be reached."""
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
