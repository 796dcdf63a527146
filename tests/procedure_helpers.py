"""Helpers for procedure tests: master records through the console's own code paths."""

from __future__ import annotations

import pytest

from portal.celery_app import app
from tenants.procedures.forms import ProcedureEditForm
from tenants.procedures.models import Procedure
from tenants.procedures.services import save_procedure
from tests.committed import committed

# Test data only: the codes below are in a range the national database does not use.
BASE = {
    "name": "Cấp giấy khai sinh thử nghiệm",
    "field": "Hộ tịch",
    "levels": ["commune"],
    "procedure_type": "Thủ tục hành chính",
    "steps": "Bước 1: nộp hồ sơ.\nBước 2: nhận kết quả.",
    "methods": ["in_person", "online"],
    "dossier": "Tờ khai theo mẫu.",
    "processing_time": "Ngay trong ngày làm việc.",
    "fees": "Miễn lệ phí.",
    "agency": "Ủy ban nhân dân cấp xã",
    "result": "Giấy khai sinh.",
    "conditions": "",
    "legal_basis": "Luật Hộ tịch năm 2014.",
    "online_service_level": "full",
    "online_url": "https://dichvucong.gov.vn/p/home/dvc-trang-chu.html",
    "announcing_decision": "",
    "source": "dữ liệu kiểm thử",
    "owner": "",
}


def make_procedure(code: str = "9.900001", user=None, **overrides) -> Procedure:
    data = {**BASE, "code": code, **overrides}
    form = ProcedureEditForm(data=data, instance=Procedure())
    assert form.is_valid(), form.errors
    procedure, _changed = save_procedure(form, user=user)
    return procedure


def edit_procedure(procedure: Procedure, user=None, **changes) -> Procedure:
    from tenants.procedures.transfer import export_records

    current = export_records(Procedure.objects.filter(pk=procedure.pk))[0]
    data = {**current, **changes}
    form = ProcedureEditForm(data=data, instance=Procedure.objects.get(pk=procedure.pk))
    assert form.is_valid(), form.errors
    saved, _changed = save_procedure(form, user=user)
    return saved


@pytest.fixture
def eager():
    """Run Celery tasks inline, in the test's transaction (no broker, no worker)."""
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = False
    try:
        yield
    finally:
        app.conf.task_always_eager = False


@pytest.fixture
def syndicate(eager, django_capture_on_commit_callbacks):
    """``with syndicate(): <change>``: the change's on-commit fan-out runs at the block's end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def remove_committed_procedures(prefix: str) -> None:
    """Delete master records whose code starts with ``prefix``, and their copies everywhere."""
    from django.conf import settings
    from django.db import connection
    from django_tenants.utils import schema_exists

    from tenants.models import Tenant

    def clean():
        from wagtail.models import ModelLogEntry

        doomed = Procedure.objects.filter(code__startswith=prefix)
        ModelLogEntry.objects.filter(
            content_type__app_label="procedure_catalog",
            object_id__in=[str(pk) for pk in doomed.values_list("pk", flat=True)],
        ).delete()
        doomed.delete()
        schemas = [*Tenant.objects.values_list("schema_name", flat=True)]
        schemas += list(settings.TENANT_TEMPLATE_SCHEMAS.values())
        with connection.cursor() as cursor:
            for schema in schemas:
                if schema_exists(schema):
                    cursor.execute(
                        f'DELETE FROM "{schema}".procedures_procedurecopy WHERE code LIKE %s',  # noqa: S608
                        [prefix + "%"],
                    )

    committed(clean)
