"""Reading archived detail pages of the national public service portal (dichvucong.gov.vn).

The archive (github.com/chatbot-tthc/chatbot_tthc, ``scripts/crawler/data/raw/<bộ>/<mã>.json``)
keeps each page's sections as text, with the cells of its tables run together
("Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến5 Ngày làm việcMiễn phí…").  The
functions here split those sections back into the structure the page showed: steps, ways
of submitting (time and fee each), dossier items (form templates, quantities), legal
documents (title, number) and results.  They only cut the source text; nothing is
invented, and what cannot be cut cleanly is kept whole in the nearest field.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from .detail import text_summaries

NO_INFO = "Không có thông tin"

# --- small helpers -------------------------------------------------------------------


def clean(text: str | None) -> str:
    """NFC, no-break and zero-width spaces removed, runs of spaces collapsed per line."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", str(text))
    text = text.replace("\xa0", " ").replace("\u200e", "").replace("\u200b", "")
    text = text.replace("\t", " ").replace("\r\n", "\n").replace("\r", "\n")
    lines = [re.sub(r" {2,}", " ", line).strip() for line in text.split("\n")]
    out = "\n".join(line for line in lines if line)
    return "" if out == NO_INFO else out


# --- steps (trình tự thực hiện) ------------------------------------------------------

BUOC_START = re.compile(r"^(?:[a-zđ]\)\s*)?Bước\s*\d+\s*[:.\-–)]?\s*", re.IGNORECASE)
DASH_START = re.compile(r"^(?:-|–|•)\s*")
NUMBER_START = re.compile(r"^\d+[.)]\s+")


def parse_steps(text: str) -> list[str]:
    """Top-level steps; lines that do not open a step continue the one before.

    A step opens with "Bước n" when the page numbers its steps, else with "-" (or "1."),
    else every line is a step.
    """
    text = clean(text)
    lines = text.split("\n") if text else []
    for start in (BUOC_START, DASH_START, NUMBER_START):
        if any(start.match(line) for line in lines):
            break
    else:
        steps = [re.sub(r"^\+\s*", "", line) for line in lines]
        return [step for step in steps if step]
    steps: list[str] = []
    for line in lines:
        if start.match(line):
            body = start.sub("", line, count=1).strip()
            if body:
                steps.append(body)
        elif steps:
            steps[-1] += "\n" + line
        else:
            steps.append(line)
    return steps


# --- ways of submitting (cách thức thực hiện) ----------------------------------------

WAYS_HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
WAY_METHODS = {"Trực tuyến": "online", "Trực tiếp": "in_person", "Dịch vụ bưu chính": "postal"}
TIME_UNITS = r"(?:Ngày làm việc|Ngày|Tháng|Giờ làm việc|Giờ|Năm)"
WAY_ROW = re.compile(
    r"(Trực tuyến|Trực tiếp|Dịch vụ bưu chính)"
    rf"(?=\d|{NO_INFO})"
)
TIME_RE = re.compile(rf"(\d+(?:[.,]\d+)?(?: {TIME_UNITS})|{NO_INFO}|\d+(?=Miễn phí))")
FEE_RE = re.compile(
    r"(Miễn phí|\d[\d.,]*\s*(?:Việt Nam Đồng|VNĐ|Đồng|đồng|USD))",
)


def _balanced_parenthesis(text: str) -> int:
    """Length of the parenthesised group ``text`` opens with (0 if it does not open one)."""
    if not text.startswith("("):
        return 0
    depth = 0
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return index + 1
    return len(text)


def parse_ways(text: str) -> list[dict[str, str]]:
    """One entry per way: method key, its label, time limit, fee, description."""
    text = clean(text)
    if not text.startswith(WAYS_HEADER):
        return []
    body = text[len(WAYS_HEADER) :]
    starts = list(WAY_ROW.finditer(body))
    ways = []
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(body)
        rest = body[match.end() : end]
        time = ""
        found = TIME_RE.match(rest)
        if found:
            time = "" if found.group(1) == NO_INFO else found.group(1)
            rest = rest[found.end() :]
        fee = ""
        found = FEE_RE.match(rest)
        if found:
            fee = found.group(1)
            rest = rest[found.end() :]
            note = _balanced_parenthesis(rest)
            if note:
                fee = f"{fee} {rest[:note]}"
                rest = rest[note:]
        ways.append(
            {
                "method": WAY_METHODS[match.group(1)],
                "label": "Dịch vụ bưu chính"
                if match.group(1) == "Dịch vụ bưu chính"
                else match.group(1),
                "time": time,
                "fee": fee.strip(),
                "description": rest.strip(),
            }
        )
    return ways


# --- dossier (thành phần hồ sơ) ------------------------------------------------------

DOSSIER_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
QUANTITY_RE = re.compile(r"(\d) bản (chính|sao)(?:\s*,\s*(\d) bản (chính|sao))?")
FORM_EXT_RE = re.compile(r"\.(docx?|xlsx?|pdf|odt|rtf)$", re.IGNORECASE)
FORM_BOUNDARY = re.compile(r"[a-zà-ỹđ.;:,)]")


def _split_forms(text: str) -> tuple[str, list[str]]:
    """Peel form-file names ("Mẫu DC02 ….doc") off the end of a dossier item's text."""
    forms: list[str] = []
    while True:
        found = FORM_EXT_RE.search(text)
        if not found:
            break
        end = found.start()
        start = 0
        for index in range(end - 1, 0, -1):
            char, before = text[index], text[index - 1]
            if (char.isupper() or char.isdigit()) and FORM_BOUNDARY.match(before):
                start = index
                break
        name = text[start:].strip()
        if not name or start == 0:
            break
        forms.insert(0, name)
        text = text[:start]
    return text.strip(), forms


def parse_dossier(text: str) -> list[dict[str, Any]]:
    """Dossier items with their group heading, form files and quantities."""
    text = clean(text).replace("\n", " ")
    if DOSSIER_HEADER not in text:
        return []
    items: list[dict[str, Any]] = []
    chunks = text.split(DOSSIER_HEADER)
    group = chunks[0]
    for chunk in chunks[1:]:
        heading = group.strip(" -*:").strip()
        position = 0
        quantities = list(QUANTITY_RE.finditer(chunk))
        for match in quantities:
            name, forms = _split_forms(chunk[position : match.start()].strip())
            position = match.end()
            counts = {"chính": 0, "sao": 0}
            counts[match.group(2)] = int(match.group(1))
            if match.group(3):
                counts[match.group(4)] = int(match.group(3))
            if name:
                items.append(
                    {
                        "group": "" if heading in ("", "-") else heading,
                        "name": name,
                        "forms": forms,
                        "originals": counts["chính"],
                        "copies": counts["sao"],
                    }
                )
        group = chunk[position:]
    return items


# --- legal basis (căn cứ pháp lý) ----------------------------------------------------

LEGAL_HEADER = "Tên văn bản pháp lýMã văn bản"
UPPER = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
# Parts of the issuer after the year in a document number (NĐ-CP, TT-BTC, QĐ-TTg, QH13…),
# longest first: the table runs the number into the next title ("…/NĐ-CPThông tư…"), so the
# number ends where a known part ends and a capitalised title (or the end) follows.
ISSUER_PARTS = sorted(
    [
        "NĐ",
        "CP",
        "TT",
        "BTC",
        "BTP",
        "BCA",
        "BXD",
        "BNNPTNT",
        "BTNMT",
        "BNNMT",
        "NQ",
        "QĐ",
        "TTg",
        "BLĐTBXH",
        "NHNN",
        "TTLT",
        "VPCP",
        "BYT",
        "BGDĐT",
        "BKHĐT",
        "BCT",
        "BQP",
        "BNV",
        "TANDTC",
        "VKSNDTC",
        "HĐTP",
        "BTTTT",
        "BGTVT",
        "KTNN",
        "BVHTTDL",
        "BKHCN",
        "BNG",
        "BHXH",
        "UBND",
        "HĐND",
        "CT",
        "BNN",
        "UBTVQH",
        "TCT",
        "NHNNVN",
        "BDTTG",
        "UBDT",
    ],
    key=len,
    reverse=True,
)
ROW_END = rf"(?=$|[a-zà-ỹđ]| ?[{UPPER}]|[ .;,]*$)"
DOC_NUMBER = re.compile(
    r"(?:(?<![\d/])(?<!QH)|(?<=QH\d\d))\d+(?:\.\d+)?/\d{4}/"
    rf"(?:(?:UBTVQH|QH)\d{{2}}(?!\d)|(?:{'|'.join(ISSUER_PARTS)})(?:-(?:{'|'.join(ISSUER_PARTS)}))*)"
    + ROW_END
)


def parse_legal(text: str) -> list[dict[str, str]]:
    """(title, number) of each legal document, in the page's order, without repeats."""
    text = clean(text).replace("\n", " ")
    if text.startswith(LEGAL_HEADER):
        text = text[len(LEGAL_HEADER) :]
    documents: list[dict[str, str]] = []
    seen: set[str] = set()
    position = 0
    for match in DOC_NUMBER.finditer(text):
        number = match.group(0)
        title = text[position : match.start()].strip() or number
        position = match.end()
        if number in seen:
            continue
        seen.add(number)
        documents.append({"number": number, "title": title})
    return documents


# --- results (kết quả xử lý) ---------------------------------------------------------

RESULT_CODE = re.compile(r"Mã: (KQ\.[A-Z0-9.]+?)(?=[A-ZĐÀ-Ỹ][a-zà-ỹđ]|Từ khóa|$)")


def parse_results(text: str) -> list[dict[str, str]]:
    """Each result document with its code (KQ.…), the portal's boilerplate cut off."""
    text = clean(text).replace("\n", " ")
    text = text.split("Từ khóa", 1)[0]
    results = []
    position = 0
    for match in RESULT_CODE.finditer(text):
        name = text[position : match.start()].strip()
        position = match.end()
        if name:
            results.append({"name": name, "code": match.group(1)})
    if not results and text.strip():
        results.append({"name": text.strip(), "code": ""})
    return results


# --- one record ----------------------------------------------------------------------


def body_name(text: str | None) -> str:
    """A body's name (cơ quan…); a crawl that spilled a section's text into it gives ""."""
    text = clean(text)
    return "" if len(text) > 500 or "\n" in text else text


def detail_record(raw: dict[str, Any]) -> dict[str, Any]:
    """The catalogue's fields of one archived page (import columns of ``transfer``)."""
    steps = parse_steps(raw.get("trinh_tu_thuc_hien", ""))
    ways = parse_ways(raw.get("cach_thuc_thuc_hien", ""))
    dossier = parse_dossier(raw.get("thanh_phan_ho_so", ""))
    legal = parse_legal(raw.get("can_cu_phap_ly", ""))
    results = parse_results(raw.get("ket_qua_xu_ly", ""))
    methods = []
    for way in ways:
        if way["method"] not in methods:
            methods.append(way["method"])
    texts = text_summaries(steps, ways, dossier, legal)
    return {
        "procedure_type": clean(raw.get("loai_thu_tuc")),
        "announcing_decision": clean(raw.get("so_quyet_dinh")),
        "subjects": clean(raw.get("doi_tuong_thuc_hien")),
        "agency": body_name(raw.get("co_quan_thuc_hien")),
        "competent_body": body_name(raw.get("co_quan_co_tham_quyen")),
        "conditions": clean(raw.get("yeu_cau_dieu_kien")),
        "steps": texts["steps"],
        "step_list": steps,
        "methods": methods,
        "submission_ways": ways,
        "processing_time": texts["processing_time"],
        "fees": texts["fees"],
        "dossier_items": dossier,
        "dossier": texts["dossier"],
        "legal_documents": legal,
        "legal_basis": texts["legal_basis"],
        "result": "\n".join(
            f"{item['name']}" + (f" (mã {item['code']})" if item["code"] else "")
            for item in results
        ),
        "national_url": clean(raw.get("detail_url")),
    }
