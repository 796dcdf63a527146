"""Build ``tenants/data/units-*.json`` from the data of a ``vietnam-provinces`` wheel.

The wheels themselves are found, verified and read by ``tenants.units_wheels``.  Nothing
here uses the network, so the conversion can be unit-tested on small dictionaries shaped
like the package's ``nested-divisions.json``; the data file is checked (counts, codes,
slugs, structure) before it is written.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from component_sites.core.text import compact_slug
from tenants.units import (
    LEVELS,
    MODELS,
    normalise_name,
    split_type_word,
)
from tenants.units_wheels import PACKAGE, UPSTREAM_LICENCES, PackageData, UnitDataError

EXPECTED_COUNTS: dict[str, dict[str, int]] = {
    "two-level": {"province": 34, "district": 0, "commune": 3321},
    "three-level": {"province": 63, "district": 696, "commune": 10051},
}


CODE_WIDTHS: dict[str, int] = {"province": 2, "district": 3, "commune": 5}


MAX_FILE_BYTES = 2 * 1024 * 1024


# The package's ``division_type`` values and the type word they stand for. Used only when a
# name lacks its type word (the 2025 package names provinces "Tuyên Quang", not
# "Tỉnh Tuyên Quang"); version 0.6.0 labels every unit of a level alike ("tỉnh", "huyện",
# "xã"), so the type word in the name always wins.
DIVISION_TYPE_WORDS: dict[str, str] = {
    "tỉnh": "Tỉnh",
    "thành phố trung ương": "Thành phố",
    "thành phố": "Thành phố",
    "quận": "Quận",
    "huyện": "Huyện",
    "thị xã": "Thị xã",
    "phường": "Phường",
    "xã": "Xã",
    "thị trấn": "Thị trấn",
    "đặc khu": "Đặc khu",
}


def official_name(raw_name: str, division_type: str | None = None) -> str:
    """The full name with its type word, NFC, single spaces, spelling kept.

    A name that lacks a type word gets the one ``division_type`` stands for.
    """
    name = normalise_name(raw_name)
    if not name:
        raise UnitDataError("Có đơn vị hành chính không có tên trong dữ liệu.")
    type_word, _rest = split_type_word(name)
    if type_word:
        return name
    word = DIVISION_TYPE_WORDS.get(normalise_name(division_type or "").lower())
    if word is None:
        raise UnitDataError(
            f"Không xác định được loại đơn vị của “{name}” (division_type {division_type!r})."
        )
    return f"{word} {name}"


def format_code(code: int | str, level: str) -> str:
    """A code zero-padded to its level's width (province 2, district 3, commune 5)."""
    width = CODE_WIDTHS[level]
    text = str(code).strip()
    if not text.isdigit() or len(str(int(text))) > width:
        raise UnitDataError(f"Mã {code!r} không hợp lệ cho cấp {level}.")
    return str(int(text)).zfill(width)


def convert_unit(raw: dict[str, Any], level: str) -> dict[str, Any]:
    """One package entry as ``{"code", "name", "short_name", "slug"}``."""
    name = official_name(raw["name"], raw.get("division_type"))
    short_name = split_type_word(name)[1]
    return {
        "code": format_code(raw["code"], level),
        "name": name,
        "short_name": short_name,
        "slug": compact_slug(short_name),
    }


def _sorted(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(entries, key=lambda entry: entry["code"])


def convert_divisions(model: str, divisions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The package's nested divisions as the provinces list of a data file.

    Three-level: province → ``districts`` → ``communes`` (the package's ``wards``).
    Two-level: province → ``communes``. Every list is ordered by code.
    """
    if model not in MODELS:
        raise UnitDataError(f"Mô hình “{model}” không hợp lệ.")
    provinces: list[dict[str, Any]] = []
    for raw_province in divisions:
        province = convert_unit(raw_province, "province")
        if model == "three-level":
            if "districts" not in raw_province:
                raise UnitDataError(
                    f"{province['name']} không có danh sách quận/huyện: dữ liệu không phải "
                    "mô hình ba cấp."
                )
            districts = []
            for raw_district in raw_province["districts"]:
                district = convert_unit(raw_district, "district")
                district["communes"] = _sorted(
                    [convert_unit(raw, "commune") for raw in raw_district.get("wards", [])]
                )
                districts.append(district)
            province["districts"] = _sorted(districts)
        else:
            if "districts" in raw_province or "wards" not in raw_province:
                raise UnitDataError(
                    f"{province['name']} không có danh sách xã/phường trực thuộc: dữ liệu không "
                    "phải mô hình hai cấp."
                )
            province["communes"] = _sorted(
                [convert_unit(raw, "commune") for raw in raw_province["wards"]]
            )
        provinces.append(province)
    return _sorted(provinces)


def source_text(model: str, package: PackageData) -> str:
    """The ``source`` field: where the data comes from and under which declared licence."""
    period = (
        "two-level model, in force since 1 July 2025"
        if model == "two-level"
        else "three-level model, in force before 1 July 2025"
    )
    declared = (
        f"the wheel METADATA declares {package.metadata_licence}"
        if package.metadata_licence
        else "the wheel METADATA declares no licence"
    )
    upstream = UPSTREAM_LICENCES.get(package.version)
    if upstream:
        declared += f"; the upstream pyproject.toml at tag v{package.version} declares {upstream}"
    added = (
        " The type word 'Tỉnh' was added to province names that lack it, from the package's"
        " division_type."
        if model == "two-level"
        else ""
    )
    return (
        "General Statistics Office of Viet Nam, danhmuchanhchinh.gso.gov.vn: official names"
        f" and codes of administrative units ({period}), taken from the PyPI package {PACKAGE}"
        f" {package.version} (vietnam_provinces/data/nested-divisions.json, data retrieved"
        f" {package.data_date}). Package licence: {declared}. Names normalised to NFC with"
        f" single spaces, spelling kept.{added}"
    )


def build_document(model: str, package: PackageData) -> dict[str, Any]:
    """The whole data file of a model, from one wheel's data."""
    return {
        "model": model,
        "source": source_text(model, package),
        "version": package.version,
        "data_date": package.data_date,
        "provinces": convert_divisions(model, package.divisions),
    }


def count_units(document: dict[str, Any]) -> dict[str, int]:
    """How many provinces, districts and communes a data file holds."""
    counts = dict.fromkeys(LEVELS, 0)
    for province in document["provinces"]:
        counts["province"] += 1
        for district in province.get("districts", []):
            counts["district"] += 1
            counts["commune"] += len(district.get("communes", []))
        counts["commune"] += len(province.get("communes", []))
    return counts


def _walk(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    for province in document["provinces"]:
        found.append(("province", province))
        for district in province.get("districts", []):
            found.append(("district", district))
            found.extend(("commune", commune) for commune in district.get("communes", []))
        found.extend(("commune", commune) for commune in province.get("communes", []))
    return found


def check_document(document: dict[str, Any], expected: dict[str, int] | None = None) -> list[str]:
    """Problems of a data file, in Vietnamese; an empty list means it looks right.

    ``expected`` defaults to ``EXPECTED_COUNTS`` of the document's model.
    """
    model = document.get("model")
    problems: list[str] = []
    if model not in MODELS:
        return [f"Mô hình “{model}” không hợp lệ."]
    expected = expected if expected is not None else EXPECTED_COUNTS[model]
    labels = {"province": "tỉnh/thành phố", "district": "quận/huyện", "commune": "xã/phường"}
    counts = count_units(document)
    for level, want in expected.items():
        if counts[level] != want:
            problems.append(
                f"Số {labels[level]} là {counts[level]:,}, cần đúng {want:,} ({model})."
            )
    seen: set[str] = set()
    for level, entry in _walk(document):
        code = entry.get("code", "")
        if len(code) != CODE_WIDTHS[level] or not code.isdigit():
            problems.append(f"Mã “{code}” ({entry.get('name')}) không đúng độ dài cấp {level}.")
        if code in seen:
            problems.append(f"Mã “{code}” bị trùng.")
        seen.add(code)
        slug = entry.get("slug", "")
        if not slug or not re.fullmatch(r"[a-z0-9]+", slug):
            problems.append(f"Slug “{slug}” của {entry.get('name')} không hợp lệ.")
        if not entry.get("short_name") or entry.get("short_name") == entry.get("name"):
            problems.append(f"Không tách được loại đơn vị khỏi tên “{entry.get('name')}”.")
    for province in document["provinces"]:
        has_districts = "districts" in province
        has_communes = "communes" in province
        if (model == "three-level") != has_districts or (model == "two-level") != has_communes:
            problems.append(f"{province['name']} không đúng cấu trúc {model}.")
    return problems


def dump_document(document: dict[str, Any]) -> str:
    """Compact UTF-8 JSON (no ASCII escapes), with a final newline."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def write_document(document: dict[str, Any], path: Path) -> int:
    """Write a data file atomically; return its size in bytes."""
    data = dump_document(document).encode("utf-8")
    if len(data) >= MAX_FILE_BYTES:
        raise UnitDataError(
            f"Tệp {Path(path).name} quá lớn ({len(data):,} byte, tối đa {MAX_FILE_BYTES:,})."
        )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return len(data)
