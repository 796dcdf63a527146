"""The structured detail of a procedure: steps, ways of submitting, dossier, legal documents.

Each is a JSON list on the master record and on every site's copy.  The validators here
are the one place that says what a well-formed list is; the console form, the import and
the model use them, so a bad file is refused by line and field with a Vietnamese message.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WAY_METHODS = ("online", "in_person", "postal")
MAX_ITEMS = 200
MAX_TEXT = 20_000


def _text(value: Any, where: str, *, required: bool = False) -> None:
    if value is None or value == "":
        if required:
            raise ValidationError(_("%(where)s: thiếu nội dung.") % {"where": where})
        return
    if not isinstance(value, str):
        raise ValidationError(_("%(where)s phải là văn bản.") % {"where": where})
    if len(value) > MAX_TEXT:
        raise ValidationError(_("%(where)s dài quá %(n)d ký tự.") % {"where": where, "n": MAX_TEXT})


def _list(value: Any, label: str) -> list:
    if not isinstance(value, list):
        raise ValidationError(_("%(label)s phải là một danh sách.") % {"label": label})
    if len(value) > MAX_ITEMS:
        raise ValidationError(_("%(label)s có quá %(n)d mục.") % {"label": label, "n": MAX_ITEMS})
    return value


def _objects(value: Any, label: str, keys: set[str]) -> list[dict]:
    items = _list(value, label)
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise ValidationError(
                _("%(label)s, mục %(n)d: phải là một đối tượng.") % {"label": label, "n": number}
            )
        unknown = set(item) - keys
        if unknown:
            raise ValidationError(
                _("%(label)s, mục %(n)d: khóa không dùng được: %(keys)s (dùng %(ok)s).")
                % {
                    "label": label,
                    "n": number,
                    "keys": ", ".join(sorted(unknown)),
                    "ok": ", ".join(sorted(keys)),
                }
            )
    return items


def validate_step_list(value: Any) -> None:
    """A list of step texts, each non-empty."""
    label = _("Các bước thực hiện")
    for number, step in enumerate(_list(value, label), start=1):
        _text(step, _("%(label)s, bước %(n)d") % {"label": label, "n": number}, required=True)


def validate_submission_ways(value: Any) -> None:
    """[{"method": online|in_person|postal, "label", "time", "fee", "description"}]"""
    label = _("Cách thức nộp")
    keys = {"method", "label", "time", "fee", "description"}
    for number, way in enumerate(_objects(value, label, keys), start=1):
        where = _("%(label)s, mục %(n)d") % {"label": label, "n": number}
        if way.get("method") not in WAY_METHODS:
            raise ValidationError(
                _("%(where)s: cách nộp “%(v)s” không hợp lệ; dùng online, in_person hoặc postal.")
                % {"where": where, "v": str(way.get("method"))[:40]}
            )
        for key in ("label", "time", "fee", "description"):
            _text(way.get(key), f"{where} ({key})")


def validate_dossier_items(value: Any) -> None:
    """[{"group", "name", "forms": [file names], "originals": n, "copies": n}]"""
    label = _("Thành phần hồ sơ")
    keys = {"group", "name", "forms", "originals", "copies"}
    for number, item in enumerate(_objects(value, label, keys), start=1):
        where = _("%(label)s, mục %(n)d") % {"label": label, "n": number}
        _text(item.get("name"), f"{where} (name)", required=True)
        _text(item.get("group"), f"{where} (group)")
        forms = item.get("forms", [])
        if not isinstance(forms, list) or not all(isinstance(f, str) for f in forms):
            raise ValidationError(
                _("%(where)s: forms phải là danh sách tên tệp.") % {"where": where}
            )
        for key in ("originals", "copies"):
            count = item.get(key, 0)
            if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= 99:
                raise ValidationError(
                    _("%(where)s: %(key)s phải là số nguyên từ 0 đến 99.")
                    % {"where": where, "key": key}
                )


def validate_legal_documents(value: Any) -> None:
    """[{"number": "123/2015/NĐ-CP", "title": "…"}]"""
    label = _("Căn cứ pháp lý")
    for number, item in enumerate(_objects(value, label, {"number", "title"}), start=1):
        where = _("%(label)s, mục %(n)d") % {"label": label, "n": number}
        _text(item.get("number"), f"{where} (number)", required=True)
        _text(item.get("title"), f"{where} (title)")


def quantity_label(item: dict[str, Any]) -> str:
    """ "1 bản chính, 1 bản sao" (empty when the source gives no quantity)."""
    parts = []
    if item.get("originals"):
        parts.append(_("%(n)d bản chính") % {"n": item["originals"]})
    if item.get("copies"):
        parts.append(_("%(n)d bản sao") % {"n": item["copies"]})
    return ", ".join(parts)


def text_of_ways(ways: list[dict[str, str]], key: str) -> str:
    """One value when every way has the same ``key`` (time, fee), else one line per way."""
    lines = [f"{way['label']}: {way[key]}" for way in ways if way.get(key)]
    values = {way[key] for way in ways if way.get(key)}
    if len(values) == 1 and len(lines) == len(ways):
        return values.pop()
    return "\n".join(lines)


def text_summaries(
    steps: list[str], ways: list[dict[str, str]], dossier: list[dict], legal: list[dict]
) -> dict[str, str]:
    """The plain-text fields an import row carries beside its structured lists."""
    return {
        "steps": "\n".join(f"{n}. {step}" for n, step in enumerate(steps, start=1)),
        "processing_time": text_of_ways(ways, "time"),
        "fees": text_of_ways(ways, "fee"),
        "dossier": "\n".join(
            f"- {item['name']}" + (f" ({quantity_label(item)})" if quantity_label(item) else "")
            for item in dossier
        ),
        "legal_basis": "\n".join(f"{doc['title']} ({doc['number']})" for doc in legal),
    }
