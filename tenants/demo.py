"""The demo province: real units of Hòa Bình (data/demo_province.json), domains under a suffix.

No Django imports, so the launcher can list the demo sites before Django starts.
"""

import json
from pathlib import Path

from .specs import SiteSpec

DATA_FILE = Path(__file__).resolve().parent / "data" / "demo_province.json"
DEMO_PASSWORD = "demo12345"  # noqa: S105 - development demo only, printed to the console


TYPE_PREFIXES = {"Phường": "phuong", "Thị trấn": "tt", "Xã": "xa", "Thành phố": "tp", "Huyện": "h"}


def _type_prefix(name: str) -> str:
    for word, prefix in TYPE_PREFIXES.items():
        if name.startswith(word + " "):
            return prefix
    return "dv"


def demo_specs(suffix: str = "localhost") -> list[SiteSpec]:
    """Province → districts → communes, with domains on the national scheme under ``suffix``.

    A unit's host is ``<slug>.<province>.<suffix>``; when two units share a slug the
    later one gets its type as a prefix (``ttluongson`` for Thị trấn Lương Sơn).
    """
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))["province"]
    province_host = f"{data['slug']}.{suffix}"
    used = {data["slug"]}

    def host_for(unit: dict) -> str:
        label = unit["slug"]
        if label in used:
            label = _type_prefix(unit["name"]) + label
        used.add(label)
        return f"{label}.{province_host}"

    specs = [
        SiteSpec(
            name=data["name"],
            level="province",
            code=data["code"],
            domain=province_host,
            aliases=[f"www.{province_host}"],
            unit_model="three-level",
        )
    ]
    for district in data["districts"]:
        specs.append(
            SiteSpec(
                name=district["name"],
                level="district",
                unit_model="three-level",
                code=district["code"],
                parent_code=data["code"],
                domain=host_for(district),
            )
        )
    for district in data["districts"]:
        for commune in district["communes"]:
            specs.append(
                SiteSpec(
                    name=commune["name"],
                    level="commune",
                    unit_model="three-level",
                    code=commune["code"],
                    parent_code=district["code"],
                    domain=host_for(commune),
                )
            )
    return specs
