"""The pinned wheels of the PyPI package ``vietnam-provinces``: found, downloaded, verified, read.

The official names and codes come from the General Statistics Office of Viet Nam
(danhmuchanhchinh.gso.gov.vn); the package ``vietnam-provinces`` republishes them as JSON.
Two pinned versions are used, one per model, since they cannot be installed side by side:

* ``2025.10.1`` (data of 2025-10-18): the two-level model in force since 1 July 2025;
* ``0.6.0`` (data of 2025-01-04): the three-level model in force before that.

Each wheel is read as a zip file; nothing is installed or imported from it.  Only
``download_wheel`` uses the network.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from email.parser import HeaderParser
from pathlib import Path
from typing import Any

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
