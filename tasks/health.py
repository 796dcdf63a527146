"""Liveness signals for ``/healthz``: a worker heartbeat and a beat heartbeat."""

from __future__ import annotations

import logging
import time

from celery import bootsteps, shared_task
from django.conf import settings

from portal.health import BEAT_KEY, WORKER_KEY_PREFIX, health_redis_client

logger = logging.getLogger(__name__)


class WorkerHeartbeat(bootsteps.StartStopStep):
    """Refreshes ``health:worker:<hostname>`` (with a TTL) while the worker runs."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs):
        super().__init__(worker, **kwargs)
        self.tref = None

    def _key(self, worker) -> str:
        return f"{WORKER_KEY_PREFIX}{worker.hostname}"

    def beat(self, worker) -> None:
        try:
            health_redis_client().set(
                self._key(worker), str(time.time()), ex=settings.WORKER_HEARTBEAT_TTL
            )
        except Exception:  # a missed beat only shows as "worker down" in /healthz
            logger.warning("worker heartbeat could not be written", exc_info=True)

    def start(self, worker) -> None:
        self.beat(worker)
        self.tref = worker.timer.call_repeatedly(
            settings.WORKER_HEARTBEAT_INTERVAL, self.beat, (worker,), priority=10
        )

    def stop(self, worker) -> None:
        if self.tref is not None:
            self.tref.cancel()
            self.tref = None
        try:
            health_redis_client().delete(self._key(worker))
        except Exception:
            logger.warning("worker heartbeat could not be removed", exc_info=True)


@shared_task(name="tasks.health.beat_heartbeat", ignore_result=True)
def beat_heartbeat() -> None:
    """Scheduled by beat every 30 s: records that beat and a worker both ran it."""
    health_redis_client().set(BEAT_KEY, str(time.time()), ex=180)
