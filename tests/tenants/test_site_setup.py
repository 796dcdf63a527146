"""What provisioning leaves to the worker: recorded, queued on commit, idempotent, retried."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import DatabaseError, connection
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import Page

from tasks.provisioning import finish_site_setup
from tenants import site_setup
from tenants.models import SiteSetup, Tenant
from tenants.procedures.models import SyndicationReceipt
from tenants.procedures.syndication import COPY_TABLE
from tenants.provisioning import provision_site
from tenants.specs import SiteSpec
from tests.procedure_helpers import make_procedure
from tests.two_factor import console_login

pytestmark = pytest.mark.django_db


def spec(**overrides):
    values = dict(
        name="Xã Tân Vinh",
        level="commune",
        code="04957",
        parent_code="152",
        domain="tanvinh.hoabinh.test.localhost",
        admin_password="",
        admin_email="canbo@tanvinh.gov.vn",
    )
    values.update(overrides)
    return SiteSpec(**values)


def copies(schema: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT code FROM "{schema}".{COPY_TABLE}')  # noqa: S608 - test schema
        return {row[0] for row in cursor.fetchall()}


def home_found(schema: str, text: str) -> bool:
    with schema_context(schema):
        return Page.objects.filter(depth=2).search(text).count() == 1


def test_the_site_answers_at_once_and_its_setup_is_queued_when_the_creation_commits(
    sites, eager, django_capture_on_commit_callbacks
):
    procedure = make_procedure("9.900101")  # newer than the template: the worker copies it
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        tenant = provision_site(spec()).tenant
    setup = SiteSetup.objects.get(tenant=tenant)
    assert (setup.state, setup.steps, setup.invite_username) == ("pending", [], "quantri")
    # Usable before the worker ran: its own name on its domain, its admin's login page.
    client = Client()
    home = client.get("/", HTTP_HOST="tanvinh.hoabinh.test.localhost")
    assert home.status_code == 200 and "Xã Tân Vinh" in home.content.decode()
    login = client.get("/admin/login/", HTTP_HOST="tanvinh.hoabinh.test.localhost")
    assert login.status_code == 200
    assert procedure.code not in copies(tenant.schema_name)
    assert mail.outbox == []

    for callback in callbacks:  # the commit: the task runs (eagerly here)
        callback()

    setup.refresh_from_db()
    assert setup.state == "done" and setup.finished_at is not None
    assert setup.steps == [name for name, _step in site_setup.STEPS]
    assert procedure.code in copies(tenant.schema_name)
    assert SyndicationReceipt.objects.filter(
        tenant=tenant, procedure=procedure, version=procedure.version, status="done"
    ).exists()
    assert home_found(tenant.schema_name, "Tân Vinh")
    (message,) = mail.outbox
    assert message.to == ["canbo@tanvinh.gov.vn"]
    assert tenant.stats.pages_total > 0


def test_finishing_twice_or_after_a_partial_run_repeats_no_step(sites, eager):
    tenant = provision_site(spec()).tenant
    SiteSetup.objects.filter(tenant=tenant).update(steps=["invitation"])
    assert site_setup.finish(tenant.pk) == ["pool", "search", "procedures", "stats"]
    assert site_setup.finish(tenant.pk) == []
    assert finish_site_setup.delay(tenant.pk).get() == []
    assert mail.outbox == []  # recorded as queued before: never a second invitation
    assert SiteSetup.objects.get(tenant=tenant).attempts == 1


def test_a_failing_step_keeps_the_steps_before_it_and_is_retried_then_marked_failed(
    sites, eager, monkeypatch
):
    tenant = provision_site(spec()).tenant

    def broken(tenant, setup):
        raise DatabaseError("copies table locked")

    monkeypatch.setattr(
        site_setup,
        "STEPS",
        [(n, broken if n == "procedures" else s) for n, s in site_setup.STEPS],
    )
    with pytest.raises(DatabaseError):
        site_setup.finish(tenant.pk)
    setup = SiteSetup.objects.get(tenant=tenant)
    assert (setup.state, setup.steps) == ("pending", ["invitation", "pool", "search"])
    assert len(mail.outbox) == 1

    monkeypatch.setattr(finish_site_setup, "max_retries", 0)
    result = finish_site_setup.apply(args=[tenant.pk])
    assert isinstance(result.result, DatabaseError)
    setup.refresh_from_db()
    assert setup.state == "failed" and "copies table locked" in setup.error
    assert len(mail.outbox) == 1

    monkeypatch.undo()
    assert site_setup.retry(tenant.pk)  # the console's button; runs eagerly here
    setup.refresh_from_db()
    assert (setup.state, setup.error) == ("done", "")
    assert setup.steps[-2:] == ["procedures", "stats"]
    assert len(mail.outbox) == 1
    assert not site_setup.retry(tenant.pk)  # only a failed setup is run again


def test_the_sweep_queues_only_setups_left_pending(sites, monkeypatch):
    old = provision_site(spec()).tenant
    recent = provision_site(
        spec(name="Xã Hòa Sơn", code="04945", domain="hoason.hoabinh.test.localhost")
    ).tenant
    done = provision_site(
        spec(name="Xã Thử Ba", code="04946", domain="thuba.hoabinh.test.localhost")
    ).tenant
    an_hour_ago = timezone.now() - timedelta(hours=1)
    SiteSetup.objects.filter(tenant__in=[old, done]).update(created_at=an_hour_ago)
    SiteSetup.objects.filter(tenant=done).update(state="done")
    queued = []
    monkeypatch.setattr(site_setup, "queue_finish", lambda pk: queued.append(pk) or True)
    # Sites of earlier tests (the session's fixtures) may be stale by now too: count ours only.
    assert site_setup.requeue_stale() == len(queued) >= 1
    assert old.pk in queued and recent.pk not in queued and done.pk not in queued


def test_the_console_shows_the_setup_state_and_runs_a_failed_one_again(
    sites, eager, django_user_model
):
    tenant = provision_site(spec()).tenant
    console = Client(HTTP_HOST="localhost")
    console_login(console, django_user_model.objects.create_user("tinh.admin", is_staff=True))
    url = f"/console/trang/{tenant.code}/"
    page = console.get(url)
    assert page.status_code == 200
    assert 'id="site-setup" data-state="pending"' in page.content.decode()
    SiteSetup.objects.filter(tenant=tenant).update(state="failed", error="Lỗi thử nghiệm")
    page = console.get(url).content.decode()
    assert "Lỗi thử nghiệm" in page and "retry-setup" in page

    page = console.post(f"{url}retry-setup/", follow=True).content.decode()
    assert 'data-state="done"' in page
    refused = console.post(f"{url}retry-setup/", follow=True).content.decode()
    assert "không ở trạng thái lỗi" in refused and "Không có gì thay đổi" in refused


def test_with_the_broker_down_the_site_is_made_and_its_setup_waits_for_the_sweep(
    sites, monkeypatch, django_capture_on_commit_callbacks
):
    from celery import current_app
    from kombu.exceptions import OperationalError

    def refused(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis: Connection refused.")

    monkeypatch.setattr(current_app, "send_task", refused)
    with django_capture_on_commit_callbacks(execute=True):
        tenant = provision_site(spec()).tenant
    home = Client().get("/", HTTP_HOST="tanvinh.hoabinh.test.localhost")
    assert home.status_code == 200
    setup = SiteSetup.objects.get(tenant=tenant)
    assert (setup.state, setup.steps, setup.attempts) == ("pending", [], 0)
    SiteSetup.objects.filter(pk=setup.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert site_setup.requeue_stale() == 0  # still down: nothing queued, nothing lost
    assert SiteSetup.objects.get(pk=setup.pk).state == "pending"


def test_a_site_archived_before_its_setup_ran_gets_no_procedures_written(sites, eager):
    procedure = make_procedure("9.900102")
    tenant = provision_site(spec()).tenant
    Tenant.objects.filter(pk=tenant.pk).update(status=Tenant.Status.ARCHIVED)
    site_setup.finish(tenant.pk)
    assert SiteSetup.objects.get(tenant=tenant).state == "done"
    assert procedure.code not in copies(tenant.schema_name)


def test_the_request_queues_its_setup_by_name_without_loading_the_task_modules(
    sites, monkeypatch, django_capture_on_commit_callbacks
):
    from celery import current_app

    sent = []
    monkeypatch.setattr(current_app, "send_task", lambda name, args: sent.append((name, args)))
    with django_capture_on_commit_callbacks(execute=True):
        tenant = provision_site(spec()).tenant
    assert sent == [("tasks.provisioning.finish_site_setup", [tenant.pk])]
