"""The demo province: real units from the shipped official lists, national-scheme domains.

Two-level (the default, the structure in force since 1 July 2025): Tỉnh Phú Thọ and
seven of its communes and wards, with the 2025 reform in it: the former portals of
Huyện Lương Sơn, Xã Hòa Sơn and Xã Tân Vinh (three-level units of the former Tỉnh Hoà
Bình) merged into the new Xã Lương Sơn.  Three-level (``--model three-level``): Tỉnh Hoà
Bình with three districts and six communes, as before the reform.

Which units: ``data/demo_province.json``; their names and codes: the official lists
(``tenants.units``); their hosts: ``tenants.units.national_domains``.  No Django imports,
so the launcher can list the demo sites before Django starts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .specs import SiteSpec
from .units import MODELS, load_units, national_domains

DATA_FILE = Path(__file__).resolve().parent / "data" / "demo_province.json"
DEMO_PASSWORD = "demo12345"  # noqa: S105 - development demo only, printed to the console
DEFAULT_MODEL = "two-level"


def demo_selection() -> dict:
    """The demo's choice of units, per model (``data/demo_province.json``)."""
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def _check_model(model: str) -> None:
    if model not in MODELS:
        raise ValueError(f"Mô hình “{model}” không có; chọn một trong: {', '.join(MODELS)}.")


def demo_specs(suffix: str = "localhost", model: str = DEFAULT_MODEL) -> list[SiteSpec]:
    """The active demo sites of ``model``: the province first, parents before children.

    A unit's host is the national scheme's (``<slug>.<province>.<suffix>``; a taken label
    gets the unit's type in front: ``ttluongson`` for Thị trấn Lương Sơn).
    """
    _check_model(model)
    chosen = demo_selection()[model]
    units = load_units(model)
    hosts = national_domains(chosen["province"], model, suffix)
    province = units.require_province(chosen["province"])
    specs = [
        SiteSpec(
            name=province.name,
            level="province",
            code=province.code,
            domain=hosts[province.code],
            aliases=[f"www.{hosts[province.code]}"],
            unit_model=model,
        )
    ]
    for code in chosen["units"]:
        unit = units.require_in_province(code, province.code)
        specs.append(
            SiteSpec(
                name=unit.name,
                level=unit.level,
                code=unit.code,
                parent_code=unit.parent_code or province.code,
                domain=hosts[unit.code],
                unit_model=model,
            )
        )
    return specs


@dataclass
class ReformDemo:
    """The 2025 reform in the two-level demo: former portals and the commune they merge into."""

    into: str  # code of the new commune (two-level)
    former: list[SiteSpec]  # former district first, then its former communes


def reform_demo(suffix: str = "localhost") -> ReformDemo:
    """The former (three-level) sites of the reform demo, on their old national hosts.

    The former district hangs from the new province (the former one has no portal in
    the demo); the former communes from the former district, as they did.
    """
    chosen = demo_selection()["reform"]
    province_code = demo_selection()[DEFAULT_MODEL]["province"]
    units = load_units("three-level")
    hosts = national_domains(chosen["former_province"], "three-level", suffix)
    former = []
    for code in chosen["units"]:
        unit = units.require_in_province(code, chosen["former_province"])
        parent = province_code if unit.level == "district" else unit.parent_code
        former.append(
            SiteSpec(
                name=unit.name,
                level=unit.level,
                code=unit.code,
                parent_code=parent,
                domain=hosts[unit.code],
                unit_model="three-level",
            )
        )
    return ReformDemo(into=chosen["into"], former=former)


def province_name(model: str = DEFAULT_MODEL) -> str:
    """“Tỉnh Phú Thọ”: the demo province's official name in ``model``."""
    _check_model(model)
    return load_units(model).require_province(demo_selection()[model]["province"]).name
