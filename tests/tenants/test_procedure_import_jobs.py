"""Catalogue imports: JSON values of the wrong type are refused by line and field; the import
runs as a job with a status page, and can be cancelled or retried from the console."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from wagtail.models import ModelLogEntry

from tenants.models import JobState, ProcedureImport
from tenants.procedures.imports import perform_import, request_import
from tenants.procedures.models import Procedure
from tenants.procedures.transfer import import_file
from tests.procedure_helpers import BASE
from tests.two_factor import console_login

pytestmark = pytest.mark.django_db

GOOD = {**{k: v for k, v in BASE.items() if k != "owner"}, "code": "9.950001"}


def as_json(rows) -> bytes:
    return json.dumps(rows, ensure_ascii=False).encode()


@pytest.mark.parametrize(
    "field, value, fragment",
    [
        ("name", ["a", "b"], "kiểu danh sách"),
        ("name", {"vi": "Tên"}, "kiểu đối tượng"),
        ("fees", 15000, "kiểu số"),
        ("processing_time", 2.5, "kiểu số"),
        ("agency", True, "kiểu đúng/sai"),
        ("code", ["9.950001"], "kiểu danh sách"),
        ("levels", [1, 2], "Danh sách chỉ được chứa văn bản"),
        ("levels", {"commune": True}, "kiểu đối tượng"),
        ("methods", 3, "kiểu số"),
        ("status", False, "kiểu đúng/sai"),
    ],
)
def test_a_json_value_of_the_wrong_type_is_refused_by_line_and_field(
    sites, eager, field, value, fragment
):
    rows = [GOOD, {**GOOD, "code": "9.950002", field: value}]
    report = import_file("a.json", as_json(rows))
    assert not report.applied
    problems = [(e.line, e.field) for e in report.errors]
    assert problems == [(2, field)], report.errors
    assert fragment in report.errors[0].message
    assert not Procedure.objects.filter(code__startswith="9.95").exists()


@pytest.mark.parametrize("field", ["code", "name", "field"])
def test_null_in_a_required_field_is_refused(sites, eager, field):
    report = import_file("a.json", as_json([{**GOOD, field: None}]))
    assert [(e.line, e.field) for e in report.errors] == [(1, field)]
    assert not Procedure.objects.filter(code__startswith="9.95").exists()


def test_null_in_an_optional_field_and_lists_of_text_are_accepted(sites, eager):
    row = {**GOOD, "conditions": None, "levels": ["commune", "Cấp huyện"], "methods": "online"}
    report = import_file("a.json", as_json([row]))
    assert report.applied and report.created == ["9.950001"], report.errors
    procedure = Procedure.objects.get(code="9.950001")
    assert procedure.conditions == "" and procedure.levels == ["commune", "district"]


def test_the_wrong_type_is_not_stored_with_valid_only(sites, eager):
    rows = [GOOD, {**GOOD, "code": "9.950002", "name": ["a", "b"]}]
    report = import_file("a.json", as_json(rows), valid_only=True)
    assert report.applied and report.created == ["9.950001"]
    assert not Procedure.objects.filter(name__contains="['a'").exists()


@pytest.fixture
def console(django_user_model):
    user = django_user_model.objects.create_user("tinh.nhap", password="x", is_staff=True)
    client = Client(HTTP_HOST="localhost")
    console_login(client, user)
    return client


def test_an_upload_becomes_a_job_whose_status_page_lists_errors_by_line(
    sites, eager, console, django_capture_on_commit_callbacks
):
    rows = [GOOD, {**GOOD, "code": "9.950002", "fees": 12}]
    upload = SimpleUploadedFile("danh-muc.json", as_json(rows))
    with django_capture_on_commit_callbacks(execute=True):
        response = console.post("/console/thu-tuc/nhap/", {"file": upload})
    job = ProcedureImport.objects.get()
    assert response["Location"] == f"/console/thu-tuc/nhap/{job.pk}/"
    assert job.state == JobState.DONE and job.report["bad_lines"] == 1
    body = console.get(response["Location"]).content.decode()
    assert "Tệp có 1 lỗi ở 1 dòng; chưa có gì thay đổi." in body
    assert "<td>2</td><td>Phí, lệ phí</td>" in body and "kiểu số" in body
    assert 'http-equiv="refresh"' not in body
    assert not Procedure.objects.filter(code__startswith="9.95").exists()


def test_a_queued_import_shows_progress_and_can_be_cancelled_then_retried(
    sites, console, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr("tenants.jobs.queue.enqueue", lambda job: None)  # no worker yet
    upload = SimpleUploadedFile("danh-muc.json", as_json([GOOD]))
    response = console.post("/console/thu-tuc/nhap/", {"file": upload})
    job = ProcedureImport.objects.get()
    waiting = console.get(response["Location"]).content.decode()
    assert "Đang chờ" in waiting and 'http-equiv="refresh"' in waiting
    assert f"/console/thu-tuc/nhap/{job.pk}/huy/" in waiting
    confirm = console.get(f"/console/thu-tuc/nhap/{job.pk}/huy/").content.decode()
    assert "Xác nhận" in confirm
    console.post(f"/console/thu-tuc/nhap/{job.pk}/huy/")
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED
    # A late delivery of the cancelled job does nothing.
    perform_import(job.pk)
    assert not Procedure.objects.filter(code="9.950001").exists()
    queued = []
    monkeypatch.setattr("tenants.jobs.queue.enqueue", lambda job: queued.append(job.pk))
    with django_capture_on_commit_callbacks(execute=True):
        console.post(f"/console/thu-tuc/nhap/{job.pk}/chay-lai/")
    assert queued == [job.pk]
    job.refresh_from_db()
    assert job.state == JobState.PENDING and job.attempts == 0
    perform_import(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.DONE and Procedure.objects.filter(code="9.950001").exists()
    actions = set(
        ModelLogEntry.objects.filter(object_id=str(job.pk)).values_list("action", flat=True)
    )
    assert {"procedures.import_cancel", "procedures.import_retry"} <= actions
    # Finished: neither retried nor cancelled again.
    console.post(f"/console/thu-tuc/nhap/{job.pk}/huy/")
    job.refresh_from_db()
    assert job.state == JobState.DONE


def test_an_unreadable_format_is_refused_before_anything_is_stored(sites, console):
    upload = SimpleUploadedFile("a.pdf", b"%PDF")
    body = console.post("/console/thu-tuc/nhap/", {"file": upload}).content.decode()
    assert "chỉ nhận .json" in body and not ProcedureImport.objects.exists()


def test_request_import_refuses_an_empty_file(sites):
    from tenants.procedures.transfer import ImportFileError

    with pytest.raises(ImportFileError, match="Tệp rỗng"):
        request_import("a.json", b"  ")
    assert not ProcedureImport.objects.exists()
