"""The demo catalogue's second source: procedures the archive lacks, copied from cited texts.

The archive of national portal pages (github.com/chatbot-tthc/chatbot_tthc) has no folder for
the social protection field (bảo trợ xã hội), which every commune handles.  Those records live
in ``data/social_protection.json``: each one's facts were copied from public pages of the
public service portals and from the decree's text, and its ``citations`` say which field came
from which source (``sources``: address, publisher, what the page shows).  This module checks
that every filled fact is cited and turns the records into catalogue rows (the same columns
as :func:`tenants.procedures.national_portal.detail_record`, text summaries included).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .detail import text_summaries

SOURCE_FILE = Path(__file__).resolve().parent / "data" / "social_protection.json"
SOURCE_PATH = "tenants/procedures/data/social_protection.json"
SOURCE_ID = "trich-dan-bao-tro-xa-hoi"

REQUIRED = ("code", "name", "field", "levels", "step_list", "dossier_items", "legal_documents")
TEXT_FACTS = (
    "procedure_type",
    "subjects",
    "agency",
    "competent_body",
    "conditions",
    "processing_time",
    "result",
)
LIST_FACTS = ("step_list", "submission_ways", "dossier_items", "legal_documents")
CITED = ("code", "name", "field", *TEXT_FACTS, *LIST_FACTS)
KEYS = {*REQUIRED, *TEXT_FACTS, *LIST_FACTS, "citations"}
LEVELS = {"province", "district", "commune"}
# The cited pages give no address of the procedure's own page on the national portal; where
# they list an online way, the citizen is sent to the portal itself, whose search takes the
# code (the procedure page prints it next to the button).
PORTAL_HOME = "https://dichvucong.gov.vn/"


class CitedSourceError(ValueError):
    """The source file is unreadable or a record is not fully cited (Vietnamese messages)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def load(path: Path = SOURCE_FILE) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CitedSourceError([f"Không đọc được tệp nguồn trích dẫn {path}: {exc}"]) from exc
    if not isinstance(data, dict) or not isinstance(data.get("procedures"), list):
        raise CitedSourceError([f"Tệp {path} cần các khóa “sources” và “procedures”."])
    return data


def problems_of(data: dict[str, Any]) -> list[str]:
    """Every reason the file cannot be used; empty when each filled fact is cited."""
    sources = {s.get("id") for s in data.get("sources", []) if isinstance(s, dict)}
    problems: list[str] = []
    seen: set[str] = set()
    for number, record in enumerate(data["procedures"], start=1):
        if not isinstance(record, dict):
            problems.append(f"Bản ghi {number}: không phải một đối tượng JSON.")
            continue
        label = f"Bản ghi {number} ({record.get('code', '?')})"
        unknown = sorted(set(record) - KEYS)
        if unknown:
            problems.append(f"{label}: khóa không dùng được: {', '.join(unknown)}.")
        missing = [key for key in REQUIRED if not record.get(key)]
        if missing:
            problems.append(f"{label}: thiếu {', '.join(missing)}.")
        if record.get("code") in seen:
            problems.append(f"{label}: mã thủ tục bị trùng.")
        seen.add(record.get("code"))
        if not set(record.get("levels") or []) <= LEVELS:
            problems.append(f"{label}: cấp thực hiện không hợp lệ.")
        covered: set[str] = set()
        for citation in record.get("citations") or []:
            if citation.get("source") not in sources:
                problems.append(
                    f"{label}: trích dẫn nguồn không có trong sources: {citation.get('source')}."
                )
            elif not citation.get("locator"):
                problems.append(f"{label}: trích dẫn {citation['source']} thiếu vị trí (locator).")
            else:
                covered.update(citation.get("fields") or [])
        uncited = [key for key in CITED if record.get(key) and key not in covered]
        if uncited:
            problems.append(f"{label}: trường chưa có nguồn trích dẫn: {', '.join(uncited)}.")
    return problems


def catalogue_row(record: dict[str, Any], titles: dict[str, str]) -> dict[str, Any]:
    """One import row: the record's facts, their text summaries, the source named."""
    ways = record.get("submission_ways") or []
    dossier = record["dossier_items"]
    legal = record["legal_documents"]
    texts = text_summaries(record["step_list"], ways, dossier, legal)
    methods: list[str] = []
    for way in ways:
        if way["method"] not in methods:
            methods.append(way["method"])
    cited = ", ".join(titles[c["source"]] for c in record["citations"])
    row = {key: record[key] for key in ("code", "name", "field", "levels")}
    row.update(
        {
            "announcing_decision": "",
            **{key: record.get(key, "") for key in TEXT_FACTS},
            "steps": texts["steps"],
            "step_list": record["step_list"],
            "methods": methods,
            "submission_ways": ways,
            "processing_time": texts["processing_time"] or record.get("processing_time", ""),
            "fees": texts["fees"],
            "dossier_items": dossier,
            "dossier": texts["dossier"],
            "legal_documents": legal,
            "legal_basis": texts["legal_basis"],
            "national_url": "",
        }
    )
    if "online" in methods:
        row["online_url"] = PORTAL_HOME
    source = f"Trích dẫn trong {SOURCE_PATH} (mã {record['code']}): {cited}"
    row["source"] = source if len(source) <= 500 else source[:499] + "…"
    return row


def catalogue_rows(path: Path = SOURCE_FILE) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The file's content and its records as catalogue rows; refuses an uncited record."""
    data = load(path)
    problems = problems_of(data)
    if problems:
        raise CitedSourceError(problems)
    titles = {s["id"]: s.get("publisher") or s["id"] for s in data["sources"]}
    titles = {key: value.split(",")[0] for key, value in titles.items()}
    return data, [catalogue_row(r, titles) for r in data["procedures"]]


def about_entry(data: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The catalogue's ``about.sources`` entry for this file."""
    about = data.get("about", {})
    return {
        "id": SOURCE_ID,
        "repository": "(tệp trong kho mã này)",
        "path": SOURCE_PATH,
        "content": about.get("title", ""),
        "cites": [source["url"] for source in data["sources"]],
        "version_note": about.get("version_note", ""),
        "records": len(rows),
    }
