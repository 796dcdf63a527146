"""Fault injection on long jobs: a real Celery worker is killed (SIGKILL) in the middle of a
merge and of a catalogue import, then the job sweep (what beat runs every minute) and a
new worker take over.

Everything here is committed (the worker is another process): the sites of the merge are
provisioned for the test and removed afterwards, the import uses test-only codes.  The
worker uses this test run's database and Redis (the queue is purged first), a 1-second
lease heartbeat, and writes media under the same MEDIA_ROOT as the tests.

Each test prints its outcome (jobs tried, items lost, orphan files, time to recover) for
docs/faults.md ("Long jobs").
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context
from PIL import Image
from wagtail.models import ModelLogEntry, Page

from portal.celery_app import app
from tenants import merging
from tenants.jobs import sweep_stale_jobs
from tenants.models import JobState, MovedPath, ProcedureImport, SiteMerge, Tenant
from tenants.procedures.imports import request_import
from tenants.procedures.models import Procedure
from tenants.provisioning import provision_site
from tenants.specs import SiteSpec
from tests.committed import committed
from tests.procedure_helpers import BASE, remove_committed_procedures
from tests.two_factor import console_login

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
IMAGES = 80
DOCUMENTS = 10
PREFIX = "8.6"  # test-only procedure codes
ROWS = 1500


def wait_for(predicate, timeout: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


@pytest.fixture
def worker_env():
    settings_dict = connection.settings_dict
    user = settings_dict["USER"] or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    url = (
        f"postgres://{user}{password}@{settings_dict['HOST']}:{settings_dict['PORT']}/"
        f"{settings_dict['NAME']}"
    )
    app.control.purge()  # nothing left over from other tests reaches this worker
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "PYTHONPATH": f"{ROOT}:{ROOT / 'platform'}",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "JOB_HEARTBEAT_SECONDS": "1",
    }


class Worker:
    def __init__(self, env):
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal.celery_app",
                "worker",
                "--pool",
                "solo",
                "--loglevel",
                "WARNING",
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def kill(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


@pytest.fixture
def workers(worker_env):
    started: list[Worker] = []

    def start() -> Worker:
        worker = Worker(worker_env)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.kill()


def png(index: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 90), (index % 255, 80, 140)).save(buffer, format="PNG")
    return buffer.getvalue()


def media_files(schema: str) -> set[str]:
    root = Path(str(settings.MEDIA_ROOT)) / schema
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def site_spec(code: str, name: str, host: str) -> SiteSpec:
    return SiteSpec(
        name=name,
        level="commune",
        code=code,
        parent_code="152",
        domain=f"{host}.hoabinh.test.localhost",
        admin_username="quantri",
        admin_password="Mat-khau-thu-nghiem-2026",
    )


def drop_site(code: str) -> None:
    tenant = Tenant.objects.filter(code=code).first()
    if tenant is None:
        return
    SiteMerge.objects.filter(survivor=tenant).delete()
    SiteMerge.objects.filter(absorbed=tenant).delete()
    MovedPath.objects.filter(source=tenant).delete()
    from tenants.models import Domain

    Domain.objects.filter(merged_from=tenant).delete()
    Tenant.objects.filter(merged_into=tenant).update(merged_into=None)
    tenant.domains.all().delete()
    schema = tenant.schema_name
    tenant.delete(force_drop=True)
    import shutil

    shutil.rmtree(Path(str(settings.MEDIA_ROOT)) / schema, ignore_errors=True)


@pytest.fixture
def merge_pair(sites):
    """Two committed communes; the absorbed one holds IMAGES images, DOCUMENTS documents and
    a few articles."""
    codes = ("04966", "04969")

    def clean():
        for code in codes:
            drop_site(code)
        get_user_model().objects.filter(username="tinh.saplap").delete()

    def create():
        from component_sites.core.models import SectionPage, SiteDocument, SiteImage

        survivor = provision_site(
            site_spec(codes[0], "Xã Thử Nghiệm Một", "thunghiem1"), send_invitation=False
        ).tenant
        absorbed = provision_site(
            site_spec(codes[1], "Xã Thử Nghiệm Hai", "thunghiem2"), send_invitation=False
        ).tenant
        with schema_context(absorbed.schema_name):
            for index in range(IMAGES):
                image = SiteImage(title=f"Ảnh {index}", alt_text=f"Ảnh số {index}")
                image.file.save(
                    f"anh-{index}.png", ImageFile(io.BytesIO(png(index)), name="a.png"), save=False
                )
                image.save()
            for index in range(DOCUMENTS):
                document = SiteDocument(title=f"Văn bản {index}")
                document.file.save(
                    f"van-ban-{index}.txt", ContentFile(f"Nội dung {index}".encode())
                )
            news = SectionPage.objects.get(section_key="news")
            for index in range(5):
                news.add_child(
                    instance=SectionPage(title=f"Tin số {index}", slug=f"tin-so-{index}")
                )
        get_user_model().objects.create_user("tinh.saplap", password="x", is_staff=True)
        return survivor, absorbed

    committed(clean)
    survivor, absorbed = committed(create)
    yield survivor, absorbed
    committed(clean)


def merge_row(pk: int) -> SiteMerge:
    return committed(lambda: SiteMerge.objects.get(pk=pk))


def content_of(schema: str) -> dict:
    def count():
        from component_sites.core.models import SiteDocument, SiteImage

        with schema_context(schema):
            return {
                "pages": Page.objects.count(),
                "images": SiteImage.objects.count(),
                "documents": SiteDocument.objects.count(),
                "files": {image.file.name for image in SiteImage.objects.all()}
                | {doc.file.name for doc in SiteDocument.objects.all()},
            }

    return committed(count)


def kill_mid_merge(workers, merge_pk: int) -> list:
    """Start a worker, let it copy a few files of the merge, SIGKILL it; the journal."""
    worker = workers()
    assert wait_for(lambda: len(merge_row(merge_pk).written_files) >= 3, 120), (
        "the merge never started copying files"
    )
    worker.kill()
    merge = merge_row(merge_pk)
    assert merge.state == JobState.RUNNING, "the merge finished before the worker was killed"
    return [tuple(item) for item in merge.written_files]


def sweep_until(predicate, stale_after: float = 2) -> float:
    """Run the sweep until ``predicate()``; returns the seconds it took."""
    started = time.monotonic()

    def attempt():
        committed(lambda: sweep_stale_jobs(stale_after=stale_after))
        return predicate()

    assert wait_for(attempt, 60, step=0.5), "the sweep never recovered the job"
    return time.monotonic() - started


def assert_no_orphans(survivor: Tenant, files_before: set[str]) -> None:
    """Every file the merge left on disk belongs to an image or document row
    (renditions, made on demand under images/, aside)."""
    content = content_of(survivor.schema_name)
    new = {
        name
        for name in media_files(survivor.schema_name) - files_before
        if not name.startswith("images/")
    }
    assert new <= content["files"], new - content["files"]
    assert len(new) == IMAGES + DOCUMENTS


def console_client() -> Client:
    client = Client(HTTP_HOST="localhost")
    user = committed(lambda: get_user_model().objects.get(username="tinh.saplap"))
    # Every console account passes the second factor; the session is committed too.
    committed(lambda: console_login(client, user))
    return client


def articles_in(schema: str) -> int:
    def count():
        with schema_context(schema):
            return Page.objects.filter(slug__startswith="tin-so-").count()

    return committed(count)


def test_a_worker_killed_mid_merge_rolls_back_and_the_merge_runs_again(merge_pair, workers):
    survivor, absorbed = merge_pair
    before = content_of(survivor.schema_name)
    files_before = media_files(survivor.schema_name)
    merge = committed(lambda: merging.request_merge(survivor, [absorbed]))
    started = time.monotonic()
    journal = kill_mid_merge(workers, merge.pk)
    # Killed: nothing of the merge is in the database, the copied files are still there.
    assert content_of(survivor.schema_name)["images"] == before["images"] == 0
    orphans = [
        name
        for schema, name in journal
        if (Path(str(settings.MEDIA_ROOT)) / schema / name).exists()
    ]
    assert orphans, "the journal lists the files the dead worker wrote"
    assert committed(lambda: Tenant.objects.get(pk=absorbed.pk).status) == Tenant.Status.ACTIVE
    # The sweep deletes them and queues the merge again (attempt 2 of 3).
    recovered_in = sweep_until(lambda: merge_row(merge.pk).state == JobState.PENDING)
    assert media_files(survivor.schema_name) == files_before
    assert all(
        not (Path(str(settings.MEDIA_ROOT)) / schema / name).exists() for schema, name in journal
    )
    workers()
    assert wait_for(lambda: merge_row(merge.pk).state == JobState.DONE, 180)
    total = time.monotonic() - started
    merge = merge_row(merge.pk)
    assert merge.attempts == 2 and merge.written_files == []
    after = content_of(survivor.schema_name)
    assert after["images"] == IMAGES and after["documents"] == DOCUMENTS
    assert after["pages"] > before["pages"] and articles_in(survivor.schema_name) == 5
    assert_no_orphans(survivor, files_before)
    assert committed(lambda: Tenant.objects.get(pk=absorbed.pk).merged_into_id) == survivor.pk
    print(
        f"\n[faults-jobs] merge killed mid-run: 1 job, {len(orphans)} orphan files at kill, "
        f"0 left after sweep; recovered (sweep) in {recovered_in:.1f}s, done "
        f"{total:.1f}s after the request; items lost 0 ({IMAGES} images, {DOCUMENTS} documents)"
    )


def test_a_merge_killed_on_its_last_attempt_fails_cleanly_and_a_console_retry_completes(
    merge_pair, workers, settings
):
    survivor, absorbed = merge_pair
    files_before = media_files(survivor.schema_name)
    merge = committed(lambda: merging.request_merge(survivor, [absorbed]))
    # Pretend this is the last allowed attempt: the sweep then fails it instead.
    settings.JOB_MAX_ATTEMPTS = 1
    kill_mid_merge(workers, merge.pk)
    sweep_until(lambda: merge_row(merge.pk).state == JobState.FAILED)
    failed = merge_row(merge.pk)
    assert "bị dừng giữa chừng" in failed.error and failed.written_files == []
    assert media_files(survivor.schema_name) == files_before
    # Meanwhile nothing blocks a new request for other sites, and the failed one can be retried.
    settings.JOB_MAX_ATTEMPTS = 3
    client = console_client()
    status = client.get(f"/console/sap-nhap/{merge.pk}/").content.decode()
    assert "Thất bại" in status and f"/console/sap-nhap/{merge.pk}/chay-lai/" in status
    confirm = client.get(f"/console/sap-nhap/{merge.pk}/chay-lai/").content.decode()
    assert "Xác nhận" in confirm
    workers()
    response = committed(lambda: client.post(f"/console/sap-nhap/{merge.pk}/chay-lai/"))
    assert response.status_code == 302
    assert wait_for(lambda: merge_row(merge.pk).state == JobState.DONE, 180)
    assert content_of(survivor.schema_name)["images"] == IMAGES
    assert_no_orphans(survivor, files_before)
    entries = committed(
        lambda: list(
            ModelLogEntry.objects.filter(action="tenants.merge_retry").values_list(
                "object_id", "user__username"
            )
        )
    )
    assert (str(survivor.pk), "tinh.saplap") in entries


def test_a_running_merge_cancelled_from_the_console_rolls_back(merge_pair, workers):
    survivor, absorbed = merge_pair
    files_before = media_files(survivor.schema_name)
    merge = committed(lambda: merging.request_merge(survivor, [absorbed]))
    workers()
    assert wait_for(lambda: len(merge_row(merge.pk).written_files) >= 2, 120)
    client = console_client()
    committed(lambda: client.post(f"/console/sap-nhap/{merge.pk}/huy/"))
    assert wait_for(lambda: merge_row(merge.pk).is_finished, 120)
    assert merge_row(merge.pk).state == JobState.CANCELLED
    assert content_of(survivor.schema_name)["images"] == 0
    assert media_files(survivor.schema_name) == files_before
    assert committed(lambda: Tenant.objects.get(pk=absorbed.pk).status) == Tenant.Status.ACTIVE
    assert committed(
        lambda: ModelLogEntry.objects.filter(
            action="tenants.merge_cancel", object_id=str(survivor.pk)
        ).exists()
    )


def test_a_merge_whose_message_the_broker_lost_is_sent_again(merge_pair, workers):
    survivor, absorbed = merge_pair
    merge = committed(lambda: merging.request_merge(survivor, [absorbed]))
    app.control.purge()  # the broker lost it
    workers()
    committed(lambda: sweep_stale_jobs(pending_after=0))
    assert wait_for(lambda: merge_row(merge.pk).state == JobState.DONE, 180)
    assert content_of(survivor.schema_name)["images"] == IMAGES


# --- imports -------------------------------------------------------------------------


@pytest.fixture
def import_user(sites):
    def clean():
        remove_committed_procedures(PREFIX)
        ProcedureImport.objects.filter(filename__startswith="thu-loi-").delete()
        get_user_model().objects.filter(username="tinh.nhap").delete()

    committed(clean)
    user = committed(
        lambda: get_user_model().objects.create_user("tinh.nhap", password="x", is_staff=True)
    )
    yield user
    committed(clean)


def catalogue_file(rows: int) -> bytes:
    records = [
        {
            **{k: v for k, v in BASE.items() if k not in ("owner",)},
            "code": f"{PREFIX}{index:05d}",
            "name": f"Thủ tục thử lỗi số {index}",
            "levels": ["province"],
        }
        for index in range(rows)
    ]
    return json.dumps(records, ensure_ascii=False).encode()


def import_row(pk: int) -> ProcedureImport:
    return committed(lambda: ProcedureImport.objects.defer("content").get(pk=pk))


def imported() -> int:
    return committed(lambda: Procedure.objects.filter(code__startswith=PREFIX).count())


def test_a_worker_killed_mid_import_writes_nothing_and_the_import_runs_again(import_user, workers):
    job = committed(
        lambda: request_import("thu-loi-1.json", catalogue_file(ROWS), user=import_user)
    )
    started = time.monotonic()
    worker = workers()
    assert wait_for(lambda: "Ghi:" in import_row(job.pk).progress, 240, step=0.1), import_row(
        job.pk
    ).progress
    worker.kill()
    assert import_row(job.pk).state == JobState.RUNNING, "the import ended before the kill"
    assert imported() == 0  # one transaction: nothing written
    recovered_in = sweep_until(lambda: import_row(job.pk).state == JobState.PENDING)
    workers()
    assert wait_for(lambda: import_row(job.pk).is_finished, 300, step=0.2)
    total = time.monotonic() - started
    job = import_row(job.pk)
    assert job.state == JobState.DONE, job.error
    assert job.attempts == 2 and job.report["applied"] and len(job.report["created"]) == ROWS
    assert imported() == ROWS
    # Each imported once: one version each.
    versions = committed(
        lambda: set(
            Procedure.objects.filter(code__startswith=PREFIX).values_list("version", flat=True)
        )
    )
    assert versions == {1}
    print(
        f"\n[faults-jobs] import of {ROWS} rows killed while writing: 1 job, 0 rows written at "
        f"kill, recovered (sweep) in {recovered_in:.1f}s, done {total:.1f}s after the upload; "
        "items lost 0, duplicated 0"
    )
