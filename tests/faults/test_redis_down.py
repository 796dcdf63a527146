"""Redis stopped (a server of the test's own) while pages, logins and forms are requested.

Pages render uncached, logins work (the lockout counts in each process meanwhile), the
question form takes questions, counters are held and written once Redis is back; nothing
answers 500.
"""

from __future__ import annotations

import logging
import re
import time

import pytest
from celery import Celery
from django.contrib.auth import get_user_model
from django.test import Client
from django_tenants.utils import schema_context
from wagtail.models import Site

from component_sites.accounts.lockout import LOCKED_MESSAGE
from component_sites.core import breaker, counters, visits
from component_sites.core.enqueue import enqueue
from component_sites.participation import guards
from component_sites.participation.models import Question
from tests.component_sites.participation.conftest import solve
from tests.conftest import ADMIN_PASSWORD, admin_code
from tests.two_factor import give_totp_device, next_code

from .conftest import free_port, wait_until

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120"
WELCOME = "Welcome to your new Wagtail site"
QUESTION = {
    "asker_name": "Lê Thị Mai",
    "asker_email": "mai@example.vn",
    "asker_phone": "0987654321",
    "field": "dat-dai",
    "title": "Hỏi về thủ tục tách thửa đất khi Redis ngừng",
    "text": "Gia đình tôi muốn tách thửa đất ở để chia cho con, cần thủ tục gì?",
    "website": "",
}


def captcha():
    question, token = guards.new_captcha()
    return {"captcha_token": token, "captcha_answer": str(solve(question))}


def public_urls(tenant) -> list[str]:
    with schema_context(tenant.schema_name):
        home = Site.objects.get(is_default_site=True).root_page.specific
        return [home.url, *(page.url for page in home.get_children().live())]


def test_public_pages_render_uncached_and_counts_arrive_later(sites, own_redis, report):
    tenant = sites.commune
    client = Client(HTTP_HOST=tenant.primary_domain, HTTP_USER_AGENT=BROWSER)
    urls = public_urls(tenant)
    assert len(urls) > 3
    assert client.get(urls[0])["X-Cache"] == "MISS"  # Redis up: the page cache works

    own_redis.stop()
    statuses = []
    started = time.monotonic()
    for url in urls * 2:
        response = client.get(url)
        statuses.append(response.status_code)
        body = response.content.decode()
        assert response.status_code == 200, (url, response.status_code)
        assert WELCOME not in body and tenant.name in body
        assert response.get("X-Cache") != "HIT"  # rendered every time: nothing kept
    outage_seconds = time.monotonic() - started
    held = counters.held(tenant.schema_name, f"{visits.TOTAL}:0")
    assert held == len(statuses)

    own_redis.start()
    back = time.monotonic()
    # A HIT comes only from Redis (nothing is kept locally for the page cache).
    wait_until(lambda: client.get(urls[0]).get("X-Cache") == "HIT", timeout=20)
    recovered = time.monotonic() - back
    with schema_context(tenant.schema_name):
        # Views during the outage (held in the process) reached Redis with the later ones.
        total = counters.get_count(visits.TOTAL, 0)
    assert counters.held(tenant.schema_name, f"{visits.TOTAL}:0") == 0
    assert total >= len(statuses) + 2
    report(
        "redis-down/public-pages",
        requests=len(statuses),
        errors=sum(status != 200 for status in statuses),
        outage_requests_seconds=round(outage_seconds, 2),
        seconds_to_cache_again=round(recovered, 2),
        views_lost=0,
    )


def test_site_admin_logs_in_with_two_factor_while_redis_is_down(sites, own_redis, report):
    host = sites.commune.primary_domain
    own_redis.stop()
    client = Client()
    login = client.post(
        "/admin/login/", {"username": "quantri", "password": ADMIN_PASSWORD}, HTTP_HOST=host
    )
    assert login.status_code == 302
    second_step = client.get("/admin/", HTTP_HOST=host)
    assert second_step.url.startswith("/admin/xac-thuc/")
    verified = client.post(
        second_step.url, {"otp_token": admin_code(sites.commune)}, HTTP_HOST=host
    )
    assert (verified.status_code, verified.url) == (302, "/admin/")
    dashboard = client.get("/admin/", HTTP_HOST=host)
    assert dashboard.status_code == 200
    assert sites.commune.name in dashboard.content.decode()
    report("redis-down/site-admin-login", requests=4, errors=0)


def test_lockout_degrades_to_the_process_and_says_so_in_the_log(sites, own_redis):
    from component_sites.core import breaker

    # Read the outage log from its own logger, at its own level: an earlier test's in-process
    # Celery worker leaves the root logger at ERROR, and others may change root handlers.
    seen: list[str] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: seen.append(record.getMessage())
    outages = logging.getLogger("portal.outages")
    outages.addHandler(handler)
    was_disabled, outages.disabled = outages.disabled, False
    was_level = outages.level
    outages.setLevel(logging.WARNING)
    try:
        _lockout_while_redis_is_down(sites, own_redis)
    finally:
        outages.removeHandler(handler)
        outages.disabled = was_disabled
        outages.setLevel(was_level)
    assert breaker.redis_breaker(own_redis.url(1)).failures > 0
    assert any("unreachable" in line and "local fallback" in line for line in seen), seen


def _lockout_while_redis_is_down(sites, own_redis):
    with schema_context(sites.commune.schema_name):
        get_user_model().objects.create_user(
            "bientap", password="Mat-khau-dung-2026", is_superuser=True
        )
    own_redis.stop()
    client = Client(HTTP_HOST=sites.commune.primary_domain)

    def login(password):
        return client.post("/admin/login/", {"username": "bientap", "password": password})

    for _ in range(5):
        assert login("sai-mat-khau").status_code == 200
    refused = login("Mat-khau-dung-2026")
    assert refused.status_code == 200
    assert LOCKED_MESSAGE in refused.content.decode()


def test_console_login_while_redis_is_down(sites, own_redis, django_user_model, report):
    user = django_user_model.objects.create_user(
        "tinh.admin", password="Mat-khau-2026", is_staff=True
    )
    device = give_totp_device(user)
    own_redis.stop()
    client = Client(HTTP_HOST="localhost")
    response = client.post(
        "/console/dang-nhap/", {"username": "tinh.admin", "password": "Mat-khau-2026"}
    )
    assert response.status_code == 302
    # Every console account has a second step: the authenticator app's code.
    verified = client.post("/console/xac-thuc/", {"otp_token": next_code(device)})
    assert verified.status_code == 302
    home = client.get("/console/")
    assert home.status_code == 200
    assert sites.commune.name in home.content.decode()
    report("redis-down/console-login", requests=3, errors=0)


def test_question_form_takes_questions_while_redis_is_down(sites, own_redis, report):
    tenant = sites.commune
    client = Client(HTTP_HOST=tenant.primary_domain, HTTP_USER_AGENT=BROWSER)
    with schema_context(tenant.schema_name):
        home = Site.objects.get(is_default_site=True).root_page.specific
        from component_sites.core.models import SectionPage

        questions = SectionPage.objects.child_of(home).get(section_key="questions").specific
        form_url = questions.url + "dat-cau-hoi/"
    own_redis.stop()
    assert client.get(form_url).status_code == 200
    answer = captcha()
    sent = client.post(form_url, {**QUESTION, **answer})
    assert sent.status_code == 200
    assert re.search(r"HD-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{2}", sent.content.decode())
    # The captcha's single use still holds (in this process) while Redis is away.
    replay = client.post(form_url, {**QUESTION, "title": "Một câu hỏi khác hẳn", **answer})
    assert replay.status_code == 200
    assert "Câu hỏi kiểm tra đã được dùng" in replay.content.decode()
    with schema_context(tenant.schema_name):
        assert Question.objects.filter(title=QUESTION["title"]).count() == 1
        assert Question.objects.count() == 1
    report("redis-down/question-form", requests=3, errors=0, questions_lost=0)


def test_a_task_queued_while_the_broker_is_down_is_logged_not_raised(caplog, report):
    app = Celery("faults", broker=f"redis://127.0.0.1:{free_port()}/0", set_as_current=False)
    app.conf.broker_connection_timeout = 1

    # Not shared: it stays on this throwaway app, out of every other app's registry.
    @app.task(name="faults.notify", shared=False)
    def notify(pk):  # pragma: no cover - never runs: the broker is down
        return pk

    started = time.monotonic()
    assert enqueue(notify, 42) is False
    elapsed = time.monotonic() - started
    assert "faults.notify" in caplog.text and "not queued" in caplog.text
    report("broker-down/enqueue", requests=1, errors=0, seconds_to_give_up=round(elapsed, 2))


def test_a_hung_redis_costs_one_timeout_per_retry_interval_not_one_per_request(
    sites, own_redis, report, settings
):
    """Redis frozen (SIGSTOP): connections open but nothing answers.

    The first call waits for the socket timeout and opens the breaker; the requests that
    follow within the retry delay use the fallback at once.
    """
    import signal

    # The production delay between tries (the fixture shortens it for the other tests).
    settings.REDIS_RETRY_AFTER = 5.0
    settings.CACHES = {
        alias: {**config, "OPTIONS": {**config["OPTIONS"], "RETRY_AFTER": 5.0}}
        for alias, config in settings.CACHES.items()
    }
    breaker.reset_all()
    tenant = sites.commune
    client = Client(HTTP_HOST=tenant.primary_domain, HTTP_USER_AGENT=BROWSER)
    urls = public_urls(tenant)
    assert client.get(urls[0]).status_code == 200  # pooled connections to Redis exist
    own_redis.process.send_signal(signal.SIGSTOP)
    try:
        durations = []
        for url in urls * 3:
            started = time.monotonic()
            response = client.get(url)
            durations.append(time.monotonic() - started)
            assert response.status_code == 200
            assert tenant.name in response.content.decode()
    finally:
        own_redis.process.send_signal(signal.SIGCONT)
    report(
        "redis-hung/public-pages",
        requests=len(durations),
        errors=0,
        slowest_seconds=round(max(durations), 2),
        median_seconds=round(sorted(durations)[len(durations) // 2], 3),
        total_seconds=round(sum(durations), 2),
    )


def test_a_job_queued_while_the_broker_is_down_stays_pending_for_the_sweep(
    sites, caplog, report, monkeypatch
):
    """A merge or an import asked for while the broker is down is not a 500: the job row is
    kept pending with its queue time, and the sweep sends it again once the broker is back."""
    import celery

    from tenants import jobs
    from tenants.models import JobState, ProcedureImport

    app = Celery("faults-jobs", broker=f"redis://127.0.0.1:{free_port()}/0", set_as_current=False)
    app.conf.broker_connection_timeout = 1
    monkeypatch.setattr(celery, "current_app", app)
    job = ProcedureImport.objects.create(filename="danh-muc.json", content=b"[]")
    jobs.enqueue(job)  # does not raise
    job.refresh_from_db()
    assert job.state == JobState.PENDING and job.queued_at is not None
    assert "not queued, broker unreachable" in caplog.text
    report("broker-down/job-enqueue", requests=1, errors=0)
