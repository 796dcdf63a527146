"""What a new site's creation leaves to the worker, done after the creation commits.

``provision_site`` returns as soon as the site answers on its domain with its own name,
home page, branding and admin account.  What the requester need not wait for is recorded
as a ``SiteSetup`` row in the creation's own transaction and done here by
``tasks.provisioning.finish_site_setup``, queued when that transaction commits:

- ``invitation``: queue the e-mail with the admin's one-time link (mail queue);
- ``pool``: ask the worker to top the schema pool up again;
- ``search``: the home page's search entry carries the site's name, not the template's;
- ``procedures``: the procedures the template lacks (the parent's own, versions newer than
  the template's) and a receipt for every current one (``syndication.sync_site``);
- ``stats``: queue the console's content figures for the site.

Each step is recorded in ``SiteSetup.steps`` once done, so a retried, duplicated or swept
task skips it (one invitation, never two).  The console shows the state; the sweep
(``requeue_stale``, run by beat) queues again a setup whose message the broker lost.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from component_sites.core.enqueue import enqueue

from .models import SiteSetup, Tenant

logger = logging.getLogger(__name__)

FINISH_TASK = "tasks.provisioning.finish_site_setup"
# A setup still pending this long after its last attempt (or creation) is queued again.
STALE_AFTER = timedelta(minutes=5)
MAX_ATTEMPTS = 5


def record(tenant: Tenant, invite_username: str = "") -> SiteSetup:
    """In the creation's transaction: the row, and its task queued once the site commits."""
    setup = SiteSetup.objects.create(tenant=tenant, invite_username=invite_username)
    tenant_id = tenant.pk
    transaction.on_commit(lambda: queue_finish(tenant_id))
    return setup


def queue_finish(tenant_id: int) -> bool:
    """Queue the setup task by name; False (logged) with the broker down (the sweep retries).

    ``send_task``, not the task object: looking a task up loads every task module, and
    Celery's Django fix-up runs Django's system checks with it (0.6 s on the first call of a
    web process, BENCHMARKS.md).  Eager mode (tests) runs the task object, inline.
    """
    from celery import current_app

    from component_sites.core.enqueue import BROKER_DOWN

    if current_app.conf.task_always_eager:
        return enqueue(FINISH_TASK, tenant_id)
    try:
        current_app.send_task(FINISH_TASK, args=[tenant_id])
    except BROKER_DOWN as error:
        logger.error("site setup of %s not queued, broker unreachable (%s)", tenant_id, error)
        return False
    return True


class StepNotDone(RuntimeError):
    """A step could not be done now (the broker is unreachable): the task tries again."""


def _queue(name: str, *args) -> None:
    if not enqueue(name, *args):
        raise StepNotDone(f"{name} not queued: broker unreachable")


def _queue_invitation(tenant: Tenant, setup: SiteSetup) -> None:
    if setup.invite_username:
        _queue("tasks.notifications.send_admin_invitation", tenant.pk, setup.invite_username)


def _request_pool_refill(tenant: Tenant, setup: SiteSetup) -> None:
    from .schema_pool import request_refill

    request_refill()  # with the broker down, beat refills within a minute anyway


def _index_home(tenant: Tenant, setup: SiteSetup) -> None:
    from modelsearch.index import insert_or_update_object
    from wagtail.models import Site

    with schema_context(tenant.schema_name):
        site = Site.objects.select_related("root_page").get(is_default_site=True)
        insert_or_update_object(site.root_page.specific)


def _sync_procedures(tenant: Tenant, setup: SiteSetup) -> None:
    from .procedures.syndication import sync_site

    if tenant.status == Tenant.Status.ARCHIVED:
        # Archived (merged) before its setup ran: its schema is read-only now, as
        # ``apply_batch`` treats it.
        return
    sync_site(tenant)


def _queue_stats(tenant: Tenant, setup: SiteSetup) -> None:
    _queue("tasks.metrics.refresh_site_stats", tenant.pk)


# In this order: the e-mail first, so that a failing later step never holds it up.
STEPS: list[tuple[str, Callable[[Tenant, SiteSetup], None]]] = [
    ("invitation", _queue_invitation),
    ("pool", _request_pool_refill),
    ("search", _index_home),
    ("procedures", _sync_procedures),
    ("stats", _queue_stats),
]


def _locked(tenant_id: int) -> SiteSetup | None:
    return (
        SiteSetup.objects.select_for_update(of=("self",))
        .select_related("tenant")
        .filter(tenant_id=tenant_id)
        .first()
    )


def finish(tenant_id: int) -> list[str]:
    """Do the steps of ``tenant_id``'s setup not done yet; returns the steps done now.

    Idempotent: a setup already done does nothing, a step recorded is never repeated.  Each
    step runs and is recorded in one transaction holding the setup's row, so a duplicate
    delivery running at the same time waits and then skips it.  An exception leaves the
    steps before it recorded and propagates (the task retries).
    """
    connection.set_schema_to_public()
    with transaction.atomic():
        setup = _locked(tenant_id)
        if setup is None or setup.state == SiteSetup.State.DONE:
            return []
        setup.attempts += 1
        setup.save(update_fields=["attempts"])
    done_now: list[str] = []
    for name, step in STEPS:
        with transaction.atomic():
            setup = _locked(tenant_id)
            if setup is None or name in setup.steps:
                continue
            try:
                step(setup.tenant, setup)
            finally:
                connection.set_schema_to_public()
            setup.steps = [*setup.steps, name]
            setup.save(update_fields=["steps"])
        done_now.append(name)
    SiteSetup.objects.filter(tenant_id=tenant_id).update(
        state=SiteSetup.State.DONE, error="", finished_at=timezone.now()
    )
    return done_now


def mark_failed(tenant_id: int, error: str) -> None:
    """After the task's last retry: the console shows the setup failed, and why."""
    with schema_context(get_public_schema_name()):
        SiteSetup.objects.filter(tenant_id=tenant_id).exclude(state=SiteSetup.State.DONE).update(
            state=SiteSetup.State.FAILED, error=error[:2000]
        )


def requeue_stale(now=None) -> int:
    """Queue again the setups the broker lost (pending for ``STALE_AFTER``); how many."""
    now = now or timezone.now()
    with schema_context(get_public_schema_name()):
        stale = list(
            SiteSetup.objects.filter(
                state=SiteSetup.State.PENDING,
                created_at__lt=now - STALE_AFTER,
                attempts__lt=MAX_ATTEMPTS,
            ).values_list("tenant_id", flat=True)
        )
    return sum(1 for tenant_id in stale if queue_finish(tenant_id))


def retry(tenant_id: int) -> bool:
    """A failed setup, pending again and queued (the console's button); False if not failed.

    With the broker down it stays pending and the sweep queues it later.
    """
    with schema_context(get_public_schema_name()):
        changed = SiteSetup.objects.filter(
            tenant_id=tenant_id, state=SiteSetup.State.FAILED
        ).update(state=SiteSetup.State.PENDING, error="", attempts=0)
    if changed:
        queue_finish(tenant_id)
    return bool(changed)
