"""Changing the master catalogue: every change validated, versioned, audited, syndicated.

Each operation runs on the public schema in one transaction; a refusal raises
``CatalogueError`` and changes nothing.  The audit trail is Wagtail's log (as for the
console's site actions), on the procedure, with the version before and after.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.utils.translation import gettext as _
from wagtail.log_actions import log

from tenants.lifecycle import on_public_schema

from .models import Procedure, ProcedureForm
from .syndication import record_version, snapshot


class CatalogueError(Exception):
    """A catalogue operation refused; the message says why, for the admin."""


def audit_procedure(
    procedure: Procedure, action: str, user, before: dict | None, **extra: Any
) -> None:
    """Log ``action`` on ``procedure`` with the state before and after (console audit)."""
    procedure.refresh_from_db()
    log(
        procedure,
        action,
        user=user if getattr(user, "is_authenticated", False) else None,
        data={
            "before": before,
            "after": snapshot(procedure),
            "version": procedure.version,
            **extra,
        },
        title=str(procedure)[:255],
    )


@on_public_schema
def save_procedure(form, user=None) -> tuple[Procedure, bool]:
    """Save a valid ``ProcedureEditForm``; returns (procedure, whether a new version was made)."""
    creating = form.instance.pk is None
    before = None if creating else snapshot(Procedure.objects.get(pk=form.instance.pk))
    procedure = form.save()
    version = record_version(procedure, user)
    if creating or version is not None:
        action = "procedures.create" if creating else "procedures.update"
        audit_procedure(procedure, action, user, before)
    return procedure, version is not None


@on_public_schema
def withdraw(procedure: Procedure, user=None) -> Procedure:
    """Withdraw a procedure: a new version with status withdrawn, which withdraws copies."""
    if procedure.status == Procedure.Status.WITHDRAWN:
        raise CatalogueError(_("Thủ tục %(code)s đã bị thu hồi.") % {"code": procedure.code})
    before = snapshot(procedure)
    procedure.status = Procedure.Status.WITHDRAWN
    procedure.save(update_fields=["status", "updated_at"])
    record_version(procedure, user)
    audit_procedure(procedure, "procedures.withdraw", user, before)
    return procedure


@on_public_schema
def restore(procedure: Procedure, user=None) -> Procedure:
    """Put a withdrawn procedure back in force (a new version)."""
    if procedure.status != Procedure.Status.WITHDRAWN:
        raise CatalogueError(_("Thủ tục %(code)s đang áp dụng.") % {"code": procedure.code})
    before = snapshot(procedure)
    procedure.status = Procedure.Status.ACTIVE
    procedure.save(update_fields=["status", "updated_at"])
    record_version(procedure, user)
    audit_procedure(procedure, "procedures.restore", user, before)
    return procedure


@on_public_schema
def add_form(procedure: Procedure, title: str, upload, user=None) -> ProcedureForm:
    """Attach a form file; the sites get it with the next version."""
    before = snapshot(procedure)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    form = ProcedureForm(procedure=procedure, title=title.strip(), sha256=digest.hexdigest())
    form.size = upload.size
    form.file.save(upload.name, upload, save=False)
    form.save()
    record_version(procedure, user)
    audit_procedure(procedure, "procedures.form_add", user, before, form=form.title)
    return form


@on_public_schema
def remove_form(procedure: Procedure, form_id: int, user=None) -> None:
    """Detach a form; the file stays for the versions that listed it."""
    form = procedure.forms.filter(pk=form_id).first()
    if form is None:
        raise CatalogueError(_("Thủ tục không có biểu mẫu này."))
    before = snapshot(procedure)
    title = form.title
    form.delete()
    record_version(procedure, user)
    audit_procedure(procedure, "procedures.form_remove", user, before, form=title)
