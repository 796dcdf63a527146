"""Importing: validate, then write every valid row in one transaction and fan out once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from tenants.procedures.services import audit_procedure
from tenants.procedures.syndication import queue_fan_out, record_version, snapshot

from .columns import (
    ImportReport,
)
from .reading import detect_format, gunzip, read_rows
from .validation import validate


def import_rows(
    rows: list[tuple[int, dict[str, Any]]],
    *,
    valid_only: bool = False,
    user=None,
    typed: bool = False,
    progress: Callable[[str], None] | None = None,
) -> ImportReport:
    """Validate, then (if clean, or ``valid_only``) write every valid row in one transaction.

    ``progress(message)`` hears how far validation and writing have gone (the worker's
    status page shows it).
    """
    say = progress or (lambda _message: None)
    with schema_context(get_public_schema_name()):
        report, valid = validate(
            rows,
            typed=typed,
            progress=lambda done, total: say(
                _("Kiểm tra: %(done)d/%(total)d dòng") % {"done": done, "total": total}
            ),
        )
        say(_("Kiểm tra xong: %(n)d dòng, %(e)d lỗi") % {"n": len(rows), "e": len(report.errors)})
        if report.errors and not valid_only:
            return report
        changed: list[int] = []
        with transaction.atomic():
            for number, (_line, form, status) in enumerate(valid, start=1):
                if number % 200 == 0:
                    say(
                        _("Ghi: %(done)d/%(total)d thủ tục") % {"done": number, "total": len(valid)}
                    )
                creating = form.instance.pk is None
                before = None if creating else snapshot(form.instance)
                procedure = form.save(commit=False)
                if status:
                    procedure.status = status
                procedure.save()
                version = record_version(procedure, user, queue=False)
                if version is None:
                    report.unchanged.append(procedure.code)
                    continue
                changed.append(procedure.pk)
                (report.created if creating else report.updated).append(procedure.code)
                audit_procedure(
                    procedure,
                    "procedures.create" if creating else "procedures.update",
                    user,
                    before,
                    imported=True,
                )
            if changed:
                transaction.on_commit(lambda: queue_fan_out(changed))
        report.applied = True
    return report


def import_file(
    name: str,
    content: bytes,
    *,
    valid_only: bool = False,
    user=None,
    progress: Callable[[str], None] | None = None,
) -> ImportReport:
    """Read, validate and (maybe) import one uploaded file; ImportFileError if unreadable."""
    fmt = detect_format(name)
    if name.lower().endswith(".gz"):
        content = gunzip(content)
    return import_rows(
        read_rows(content, fmt),
        valid_only=valid_only,
        user=user,
        typed=fmt == "json",
        progress=progress,
    )
