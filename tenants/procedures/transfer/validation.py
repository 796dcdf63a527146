"""Checking every row of an import with the console's form; every problem by line and field."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from tenants.procedures.forms import ProcedureEditForm
from tenants.procedures.models import OnlineLevel, Procedure
from tenants.procedures.syndication import snapshot

from .columns import (
    COLUMNS,
    EXPORT_ONLY,
    JSON_COLUMNS,
    LIST_COLUMNS,
    ImportReport,
    RowError,
)


def _code_of(raw: dict[str, Any]) -> str:
    value = raw.get("code")
    return value.strip() if isinstance(value, str) else str(value or "").strip()


def _as_list(value: Any, choices, field_name: str) -> tuple[list[str], str | None]:
    """``"commune; Cấp huyện"`` or ``["commune"]`` → ``["commune", "district"]``."""
    if value in (None, ""):
        return [], None
    parts = value if isinstance(value, list) else str(value).replace(",", ";").split(";")
    by_label = {str(label).lower(): key for key, label in choices.choices}
    out = []
    for part in parts:
        text = str(part).strip()
        if not text:
            continue
        key = text if text in choices.values else by_label.get(text.lower())
        if key is None:
            return [], _("Giá trị “%(v)s” không hợp lệ; dùng một trong: %(ok)s.") % {
                "v": text,
                "ok": ", ".join(choices.values),
            }
        out.append(key)
    return out, None


def _json_type_problem(key: str, value: Any) -> str | None:
    """Why a JSON value of the wrong type cannot stand for ``key`` (None when it can).

    A JSON file says what type each value is: text fields take a string (or null when
    the field is optional), list fields a string or a list of strings.  Anything else is
    refused by line and field instead of being stored as its Python spelling.
    """
    kinds = {bool: _("đúng/sai"), int: _("số"), float: _("số"), dict: _("đối tượng")}
    if value is None or isinstance(value, str):
        return None
    if key in JSON_COLUMNS:
        if isinstance(value, list):
            return None
        kind = kinds.get(type(value), type(value))
        return _("Giá trị kiểu %(kind)s không hợp lệ; cần một danh sách.") % {"kind": kind}
    if key in LIST_COLUMNS and isinstance(value, list):
        for item in value:
            if not isinstance(item, str):
                return _(
                    "Danh sách chỉ được chứa văn bản; có một giá trị kiểu %(kind)s (%(v)s)."
                ) % {"kind": kinds.get(type(item), _("danh sách")), "v": json.dumps(item)[:60]}
        return None
    kind = _("danh sách") if isinstance(value, list) else kinds.get(type(value), type(value))
    expected = _("văn bản hoặc danh sách văn bản") if key in LIST_COLUMNS else _("văn bản")
    return _("Giá trị kiểu %(kind)s (%(v)s) không hợp lệ; cần %(expected)s.") % {
        "kind": kind,
        "v": json.dumps(value, ensure_ascii=False)[:60],
        "expected": expected,
    }


def _form_data(
    raw: dict[str, Any], existing: Procedure | None, *, typed: bool = False
) -> tuple[dict, list[RowError]]:
    """Form data of one row; ``typed`` (JSON) refuses values of the wrong JSON type."""
    errors: list[RowError] = []
    data: dict[str, Any] = {}
    if existing is not None:
        current = snapshot(existing)
        data.update({k: v for k, v in current.items() if k in COLUMNS})
        data["owner"] = existing.owner.code if existing.owner_id else ""
        data["source"] = existing.source
    for key, value in raw.items():
        if key in EXPORT_ONLY or key not in COLUMNS:
            continue
        problem = _json_type_problem(key, value) if typed else None
        if problem:
            errors.append(RowError(0, key, problem))
            data[key] = ""
        elif key in LIST_COLUMNS:
            parsed, problem = _as_list(value, LIST_COLUMNS[key], key)
            if problem:
                errors.append(RowError(0, key, problem))
            data[key] = parsed
        elif key in JSON_COLUMNS:
            data[key] = value if isinstance(value, list) else ("" if value is None else str(value))
        else:
            data[key] = "" if value is None else str(value).strip()
    for key in JSON_COLUMNS:
        # The form field reads JSON text (a bound form re-reads its data as text).
        if isinstance(data.get(key), list):
            data[key] = json.dumps(data[key], ensure_ascii=False)
    level = data.get("online_service_level", "")
    if level and level not in OnlineLevel.values:
        by_label = {str(lbl).lower(): k for k, lbl in OnlineLevel.choices}
        data["online_service_level"] = by_label.get(str(level).lower(), level)
    return data, errors


def _status_of(raw: dict[str, Any]) -> tuple[str | None, str | None]:
    value = str(raw.get("status") or "").strip()
    if not value:
        return None, None
    by_label = {str(lbl).lower(): k for k, lbl in Procedure.Status.choices}
    key = value if value in Procedure.Status.values else by_label.get(value.lower())
    if key is None:
        return None, _("Tình trạng “%(v)s” không hợp lệ; dùng active hoặc withdrawn.") % {
            "v": value
        }
    return key, None


def validate(
    rows: list[tuple[int, dict[str, Any]]],
    *,
    typed: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[ImportReport, list]:
    """Check every row; returns the report and the (line, form, status) of valid rows.

    ``typed``: the rows come from JSON, whose values must have the type of their field.
    ``progress(done, total)`` is called every 500 rows.
    """
    report = ImportReport(rows=len(rows))
    codes = [_code_of(raw) for _line, raw in rows]
    existing = {p.code: p for p in Procedure.objects.filter(code__in=codes).select_related("owner")}
    seen: dict[str, int] = {}
    valid = []
    for number, (line, raw) in enumerate(rows, start=1):
        if progress and number % 500 == 0:
            progress(number, len(rows))
        code = _code_of(raw)
        row_errors: list[RowError] = []
        if code and code in seen:
            row_errors.append(
                RowError(
                    line,
                    "code",
                    _("Mã thủ tục %(code)s trùng với dòng %(other)d.")
                    % {"code": code, "other": seen[code]},
                )
            )
        elif code:
            seen[code] = line
        instance = existing.get(code)
        data, problems = _form_data(raw, instance, typed=typed)
        row_errors += [RowError(line, e.field, e.message) for e in problems]
        status, problem = _status_of(raw)
        if problem and "status" not in {e.field for e in problems}:  # not twice
            row_errors.append(RowError(line, "status", problem))
        form = ProcedureEditForm(data=data, instance=instance or Procedure())
        if not form.is_valid():
            for name, messages in form.errors.items():
                if name in {e.field for e in problems}:
                    continue
                for message in messages:
                    row_errors.append(RowError(line, name if name != "__all__" else "", message))
        if row_errors:
            report.errors.extend(row_errors)
        else:
            valid.append((line, form, status))
    return report, valid
