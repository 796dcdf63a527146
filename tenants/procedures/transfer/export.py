"""The catalogue exported as JSON, CSV or XLSX; re-importing an export changes nothing."""

from __future__ import annotations

import json
from typing import Any

from component_sites.core.spreadsheet import csv_bytes, xlsx_bytes
from tenants.procedures.models import Level, Method, OnlineLevel, Procedure

from .columns import (
    COLUMNS,
    JSON_COLUMNS,
)


def export_records(queryset=None) -> list[dict[str, Any]]:
    queryset = queryset if queryset is not None else Procedure.objects.all()
    records = []
    for procedure in queryset.select_related("owner").order_by("code"):
        record = {key: getattr(procedure, key) for key in COLUMNS if key != "owner"}
        record["owner"] = procedure.owner.code if procedure.owner_id else ""
        record["levels"] = list(procedure.levels)
        record["methods"] = list(procedure.methods)
        records.append({key: record[key] for key in COLUMNS})
    return records


# Columns whose stored keys are written as their Vietnamese labels in CSV/XLSX.
LABELLED = {
    "levels": Level,
    "methods": Method,
    "status": Procedure.Status,
    "online_service_level": OnlineLevel,
}


def _in_words(key: str, value: Any) -> Any:
    """``["commune"]`` → ``["Cấp xã"]``, ``"active"`` → ``"Đang áp dụng"`` (import reads both)."""
    choices = LABELLED.get(key)
    if choices is None:
        return value
    labels = {k: str(label) for k, label in choices.choices}
    if isinstance(value, list):
        return [labels.get(v, v) for v in value]
    return labels.get(value, value)


def _flat(value: Any, key: str = "") -> Any:
    if key in JSON_COLUMNS:
        return json.dumps(value or [], ensure_ascii=False)
    return "; ".join(value) if isinstance(value, list) else value


def export_bytes(fmt: str, queryset=None) -> bytes:
    """The catalogue as ``fmt`` (json, csv, xlsx); re-importing it changes nothing."""
    records = export_records(queryset)
    if fmt == "json":
        return json.dumps({"procedures": records}, ensure_ascii=False, indent=2).encode("utf-8")
    # The shared writer neutralises formulas; the importer (.reading) takes the prefix off.
    table = [
        list(COLUMNS.values()),
        *([_flat(_in_words(key, record[key]), key) for key in COLUMNS] for record in records),
    ]
    if fmt == "csv":
        return csv_bytes(table)
    if fmt == "xlsx":
        return xlsx_bytes([("thu-tuc", table)])
    raise ValueError(fmt)
