"""What a new site's creation leaves to the worker (``tenants.site_setup``).

``finish_site_setup`` is queued when the creation commits; it is idempotent (each step is
recorded once done), acknowledged late and retried with backoff; after its last retry the
setup is marked failed for the console.  ``sweep_site_setups`` (beat) queues again the
setups whose message the broker lost.
"""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError, InterfaceError

RETRY_ON = (DatabaseError, InterfaceError, ConnectionError, TimeoutError, LookupError)


@shared_task(
    bind=True,
    name="tasks.provisioning.finish_site_setup",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=5,
    ignore_result=True,
)
def finish_site_setup(self, tenant_id: int) -> list[str]:
    """Do what is left of a new site's setup (search entry, procedures, figures, e-mail)."""
    from tenants import site_setup

    try:
        return site_setup.finish(tenant_id)
    except (*RETRY_ON, site_setup.StepNotDone) as exc:
        if self.request.retries >= self.max_retries:
            site_setup.mark_failed(tenant_id, f"{type(exc).__name__}: {exc}")
            raise
        raise self.retry(exc=exc, countdown=min(120, 2 ** (self.request.retries + 1))) from exc


@shared_task(name="tasks.provisioning.sweep_site_setups", ignore_result=True)
def sweep_site_setups() -> int:
    """Queue again every setup left pending (a message lost by the broker); how many."""
    from tenants import site_setup

    return site_setup.requeue_stale()
