"""Build ``tenants/data/units-*.json`` from the wheels of the PyPI package ``vietnam-provinces``.

The official names and codes come from the General Statistics Office of Viet Nam
(danhmuchanhchinh.gso.gov.vn); the package ``vietnam-provinces`` republishes them as JSON.
Two pinned versions are used, one per model, since they cannot be installed side by side:

* ``2025.10.1`` (data of 2025-10-18): the two-level model in force since 1 July 2025;
* ``0.6.0`` (data of 2025-01-04): the three-level model in force before that.

Each wheel is read as a zip file; nothing is installed or imported from it. The functions
here do no network access except ``download_wheel``, so the conversion can be unit-tested
on small dictionaries shaped like the package's ``nested-divisions.json``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from email.parser import HeaderParser
from pathlib import Path
from typing import Any

from component_sites.core.text import compact_slug
from tenants.units import (
    LEVELS,
    MODELS,
    normalise_name,
    split_type_word,
)

PACKAGE = "vietnam-provinces"
PACKAGE_VERSIONS: dict[str, str] = {"two-level": "2025.10.1", "three-level": "0.6.0"}

# SHA-256 of the wheels on PyPI (release files there cannot be replaced).
WHEEL_SHA256: dict[str, str] = {
    "2025.10.1": "1693dece496b1e04e2b637a3dd79a87a22666e13c91c51cf06dc27e482987f57",
    "0.6.0": "4b5772870efdcb7c58a64fbdc0e0c9ce497e67017a0c189dff99582ddadb7815",
}

# Neither wheel's METADATA carries a License field; the upstream repository's pyproject.toml
# at the tags v2025.10.1 and v0.6.0 declares this licence (checked by hand, no LICENSE file).
UPSTREAM_LICENCES: dict[str, str] = {
    "2025.10.1": "GPL-3.0-or-later",
    "0.6.0": "GPL-3.0-or-later",
}

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

_NESTED_JSON = "vietnam_provinces/data/nested-divisions.json"
_INIT_PY = "vietnam_provinces/__init__.py"


class UnitDataError(ValueError):
    """The package data cannot be read or converted (message in Vietnamese)."""


@dataclass(frozen=True)
class PackageData:
    """What one wheel of ``vietnam-provinces`` provides."""

    version: str
    data_date: str
    divisions: list[dict[str, Any]]
    metadata_licence: str | None = None


def wheel_filename(version: str) -> str:
    """The file name pip saves the wheel of a version under."""
    return f"vietnam_provinces-{version}-py3-none-any.whl"


def find_wheel(directory: Path, version: str) -> Path | None:
    """The wheel of ``version`` in ``directory``, if it is there."""
    path = Path(directory) / wheel_filename(version)
    return path if path.is_file() else None


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_wheel(path: Path, version: str) -> None:
    """``UnitDataError`` unless the wheel is byte for byte the one published on PyPI."""
    expected = WHEEL_SHA256.get(version)
    actual = sha256_of(path)
    if expected is not None and actual != expected:
        raise UnitDataError(
            f"Tệp {Path(path).name} không khớp bản phát hành {PACKAGE} {version} "
            f"(SHA-256 {actual}, cần {expected})."
        )


def download_wheel(version: str, directory: Path) -> Path:
    """Download the wheel of ``version`` with pip (no dependencies) into ``directory``."""
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--disable-pip-version-check",
        "--quiet",
        f"{PACKAGE}=={version}",
        "-d",
        str(directory),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    path = find_wheel(directory, version)
    if result.returncode != 0 or path is None:
        detail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise UnitDataError(
            f"Không tải được {PACKAGE} {version} bằng pip (mã thoát {result.returncode}):\n"
            + "\n".join(detail)
        )
    return path


def metadata_licence(metadata: str) -> str | None:
    """The licence a wheel's METADATA declares (License-Expression, License or classifier)."""
    headers = HeaderParser().parsestr(metadata, headersonly=True)
    for field in ("License-Expression", "License"):
        value = (headers.get(field) or "").strip()
        if value and value.upper() != "UNKNOWN":
            return value
    classifiers = [
        value.split("::", 1)[1].strip()
        for value in headers.get_all("Classifier") or []
        if value.startswith("License ::")
    ]
    return "; ".join(classifiers) or None


def read_wheel(path: Path) -> PackageData:
    """Version, data date, nested divisions and declared licence from a wheel file."""
    try:
        with zipfile.ZipFile(path) as wheel:
            names = wheel.namelist()
            init_py = wheel.read(_INIT_PY).decode("utf-8")
            divisions = json.loads(wheel.read(_NESTED_JSON).decode("utf-8"))
            metadata_names = [name for name in names if name.endswith(".dist-info/METADATA")]
            metadata = wheel.read(metadata_names[0]).decode("utf-8") if metadata_names else ""
    except (OSError, KeyError, zipfile.BadZipFile, json.JSONDecodeError) as exc:
        raise UnitDataError(f"Không đọc được dữ liệu trong tệp {Path(path).name}: {exc}") from exc
    version = _module_string(init_py, "__version__")
    data_date = _module_string(init_py, "__data_version__")
    if not isinstance(divisions, list):
        raise UnitDataError(f"{_NESTED_JSON} trong {Path(path).name} không phải một danh sách.")
    return PackageData(
        version=version,
        data_date=data_date,
        divisions=divisions,
        metadata_licence=metadata_licence(metadata),
    )


def _module_string(source: str, name: str) -> str:
    match = re.search(rf"^{name}\s*=\s*['\"]([^'\"]+)['\"]", source, re.MULTILINE)
    if match is None:
        raise UnitDataError(f"Không tìm thấy {name} trong {_INIT_PY}.")
    return match.group(1)


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
