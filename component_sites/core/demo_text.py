"""How demo content names a unit: “UBND xã Nhuận Trạch”, “các thôn, xóm”..."""

from dataclasses import dataclass

SUBUNITS = {
    "province": "các huyện, thành phố",
    "district": "các xã, thị trấn",
    "commune": "các thôn, xóm",
}


@dataclass
class UnitWords:
    name: str  # Xã Nhuận Trạch
    lower: str  # xã Nhuận Trạch
    ubnd: str  # UBND xã Nhuận Trạch
    hdnd: str  # HĐND xã Nhuận Trạch
    party: str  # Đảng ủy xã Nhuận Trạch
    subunits: str  # các thôn, xóm
    parent: str  # Huyện Lương Sơn (or the province)
    level: str


def unit_words(tenant) -> UnitWords:
    name = str(getattr(tenant, "name", "") or "Xã mẫu")
    lower = name[:1].lower() + name[1:]
    level = str(getattr(tenant, "level", "commune") or "commune")
    parent = getattr(tenant, "parent", None)
    party = ("Tỉnh ủy " if level == "province" else "Đảng ủy ") + (
        name.split(" ", 1)[1] if level == "province" and " " in name else lower
    )
    return UnitWords(
        name=name,
        lower=lower,
        ubnd=f"UBND {lower}",
        hdnd=f"HĐND {lower}",
        party=party,
        subunits=SUBUNITS.get(level, SUBUNITS["commune"]),
        parent=parent.name if parent is not None else "Chính phủ",
        level=level,
    )
