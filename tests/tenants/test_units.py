"""The shipped administrative unit data, its loader and its builder; no database needed."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from component_sites.core.text import compact_slug
from tenants.units import (
    MODELS,
    Unit,
    UnitOutsideProvinceError,
    UnknownUnitError,
    load_units,
    national_domains,
    short_name_of,
)
from tenants.units_build import (
    build_document,
    check_document,
    convert_divisions,
    count_units,
    dump_document,
    format_code,
    official_name,
)
from tenants.units_wheels import PackageData, UnitDataError, metadata_licence, read_wheel

HOST_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


# --- shipped data ------------------------------------------------------------------------


def test_two_level_counts() -> None:
    units = load_units("two-level")
    assert len(units.provinces()) == 34
    assert units.count("province") == 34
    assert units.count("district") == 0
    assert units.count("commune") == 3321
    assert len(units) == 34 + 3321
    assert units.version == "2025.10.1"
    assert units.data_date == "2025-10-18"


def test_three_level_counts() -> None:
    units = load_units("three-level")
    assert len(units.provinces()) == 63
    assert units.count("district") == 696
    assert units.count("commune") == 10051
    assert len(units) == 63 + 696 + 10051
    assert units.version == "0.6.0"
    assert units.data_date == "2025-01-04"


def test_load_units_is_cached_and_checks_model() -> None:
    assert load_units("two-level") is load_units("two-level")
    with pytest.raises(ValueError, match="không hợp lệ"):
        load_units("four-level")


@pytest.mark.parametrize("model", MODELS)
def test_data_file_shape(model: str) -> None:
    path = Path(__file__).resolve().parents[2] / "tenants" / "data" / f"units-{model}.json"
    raw = path.read_bytes()
    assert len(raw) < 2 * 1024 * 1024
    document = json.loads(raw.decode("utf-8"))
    assert document["model"] == model
    assert "General Statistics Office of Viet Nam" in document["source"]
    assert "GPL-3.0-or-later" in document["source"]
    for province in document["provinces"]:
        if model == "two-level":
            assert "communes" in province and "districts" not in province
        else:
            assert "districts" in province and "communes" not in province
    assert check_document(document) == []


def test_known_three_level_unit() -> None:
    units = load_units("three-level")
    commune = units.require("04921")
    assert commune == Unit(
        code="04921",
        name="Xã Độc Lập",
        short_name="Độc Lập",
        slug="doclap",
        level="commune",
        parent_code="148",
        province_code="17",
    )
    district = units.require("148")
    assert district.name == "Thành phố Hòa Bình"
    assert district.level == "district"
    assert district.parent_code == "17"
    province = units.province_of("04921")
    assert province is not None
    assert province.code == "17"
    assert province.name == "Tỉnh Hoà Bình"  # the spelling the data gives
    assert province.slug == "hoabinh"
    assert province.parent_code is None
    assert commune in units.children("148")
    assert district in units.children("17")


def test_known_two_level_units() -> None:
    units = load_units("two-level")
    ward = units.require("04795")
    assert ward.name == "Phường Hòa Bình"
    assert ward.short_name == "Hòa Bình"
    assert ward.parent_code == "25"
    assert ward.province_code == "25"
    assert units.require("25").name == "Tỉnh Phú Thọ"
    special = units.require("31078")
    assert special.name == "Đặc khu Phú Quốc"
    assert special.short_name == "Phú Quốc"
    assert special.slug == "phuquoc"
    assert special.type_abbreviation == "dk"
    assert units.require("79").name == "Thành phố Hồ Chí Minh"


@pytest.mark.parametrize("model", MODELS)
def test_slugs_ascii_and_names_clean(model: str) -> None:
    for unit in load_units(model):
        assert re.fullmatch(r"[a-z0-9]+", unit.slug), unit
        assert unit.name == " ".join(unit.name.split())
        assert unit.name.endswith(unit.short_name)
        assert unit.type_word, unit


def test_get_children_descendants() -> None:
    units = load_units("three-level")
    assert units.get("99999") is None
    assert units.province_of("99999") is None
    assert "04921" in units
    descendants = units.descendants("17")
    levels = [unit.level for unit in descendants]
    first_commune = levels.index("commune")
    assert set(levels[:first_commune]) == {"district"}
    assert set(levels[first_commune:]) == {"commune"}
    districts = [unit.code for unit in descendants[:first_commune]]
    communes = [unit.code for unit in descendants[first_commune:]]
    assert districts == sorted(districts)
    assert communes == sorted(communes)
    assert {unit.province_code for unit in descendants} == {"17"}
    assert len(descendants) == len(units.children("17")) + sum(
        len(units.children(code)) for code in districts
    )
    assert [unit.code for unit in units.children("148")] == sorted(
        unit.code for unit in units.children("148")
    )
    with pytest.raises(UnknownUnitError):
        units.children("999")


def test_require_errors() -> None:
    units = load_units("three-level")
    with pytest.raises(UnknownUnitError, match="Không có đơn vị hành chính nào mang mã “12345”"):
        units.require("12345")
    assert units.require_in_province("04921", "17").code == "04921"
    assert units.require_in_province("17", "17").code == "17"
    with pytest.raises(UnitOutsideProvinceError) as excinfo:
        units.require_in_province("00001", "17")  # Phường Phúc Xá, Hà Nội
    message = str(excinfo.value)
    assert "Thành phố Hà Nội" in message
    assert "Tỉnh Hoà Bình" in message
    assert isinstance(excinfo.value, ValueError)
    with pytest.raises(UnknownUnitError):
        units.require_in_province("99999", "17")
    with pytest.raises(UnknownUnitError, match="không phải mã tỉnh"):
        units.require_in_province("04921", "148")


# --- national domains ----------------------------------------------------------------------


def test_national_domains_hoa_binh() -> None:
    hosts = national_domains("17", "three-level")
    units = load_units("three-level")
    assert hosts["17"] == "hoabinh.gov.vn"
    # "hoabinh" belongs to the province, so Thành phố Hòa Bình gets its type prefix.
    assert hosts["148"] == "tphoabinh.hoabinh.gov.vn"
    assert hosts["04921"] == "doclap.hoabinh.gov.vn"
    assert hosts["152"] == "luongson.hoabinh.gov.vn"
    assert hosts["04924"] == "ttluongson.hoabinh.gov.vn"  # Thị trấn Lương Sơn
    assert len(hosts) == 1 + len(units.descendants("17"))
    assert len(set(hosts.values())) == len(hosts)
    for host in hosts.values():
        assert host.endswith(".gov.vn")
        assert len(host) <= 253
        assert all(HOST_LABEL.match(label) for label in host.split("."))
    assert national_domains("17", "three-level") == hosts
    assert list(national_domains("17", "three-level")) == list(hosts)


def test_national_domains_code_fallback_and_suffix() -> None:
    hosts = national_domains("79", "three-level", suffix="test.localhost")
    assert hosts["79"] == "hochiminh.test.localhost"
    assert hosts["760"] == "1.hochiminh.test.localhost"  # Quận 1
    assert hosts["26890"] == "p1.hochiminh.test.localhost"  # the first Phường 1
    assert hosts["26944"] == "p1-26944.hochiminh.test.localhost"
    assert len(set(hosts.values())) == len(hosts)
    two = national_domains("79", "two-level")
    assert two["25807"] == "thanhan.hochiminh.gov.vn"  # Xã Thanh An
    assert two["27676"] == "xathanhan.hochiminh.gov.vn"  # Xã Thạnh An


def test_national_domains_errors() -> None:
    with pytest.raises(UnknownUnitError):
        national_domains("00", "two-level")
    with pytest.raises(UnknownUnitError):
        national_domains("148", "three-level")
    with pytest.raises(UnknownUnitError):
        national_domains("17", "two-level")  # Hòa Bình merged into Phú Thọ
    with pytest.raises(ValueError):
        national_domains("25", "two-level", suffix="gov..vn")


# --- builder -------------------------------------------------------------------------------


def _three_level_raw() -> list[dict[str, Any]]:
    return [
        {
            "name": "Tỉnh  Hoà Bình",
            "code": 17,
            "division_type": "tỉnh",
            "districts": [
                {
                    "name": "Huyện Lương Sơn",
                    "code": 152,
                    "division_type": "huyện",
                    "wards": [
                        {"name": "Xã Nhuận Trạch", "code": 4954, "division_type": "xã"},
                        {"name": "Thị trấn Lương Sơn", "code": 4924, "division_type": "xã"},
                    ],
                },
                {
                    "name": "Thành Phố Hòa Bình",
                    "code": 148,
                    "division_type": "huyện",
                    "wards": [
                        {"name": "Xa\u0303 \u0110ô\u0323c Lâ\u0323p", "code": 4921},
                    ],
                },
                {"name": "Huyện Đảo", "code": 149, "division_type": "huyện", "wards": []},
            ],
        }
    ]


def _two_level_raw() -> list[dict[str, Any]]:
    return [
        {
            "name": "Phú Thọ",
            "code": 25,
            "division_type": "tỉnh",
            "wards": [
                {"name": "Phường  Hòa Bình", "code": 4795, "division_type": "phường"},
                {"name": "Xã Đà Bắc", "code": 4831, "division_type": "xã"},
            ],
        },
        {"name": "Thành phố Hà Nội", "code": 1, "division_type": "tỉnh", "wards": []},
    ]


def test_convert_three_level() -> None:
    provinces = convert_divisions("three-level", _three_level_raw())
    assert provinces == [
        {
            "code": "17",
            "name": "Tỉnh Hoà Bình",
            "short_name": "Hoà Bình",
            "slug": "hoabinh",
            "districts": [
                {
                    "code": "148",
                    "name": "Thành Phố Hòa Bình",
                    "short_name": "Hòa Bình",
                    "slug": "hoabinh",
                    "communes": [
                        {
                            "code": "04921",
                            "name": "Xã Độc Lập",
                            "short_name": "Độc Lập",
                            "slug": "doclap",
                        }
                    ],
                },
                {
                    "code": "149",
                    "name": "Huyện Đảo",
                    "short_name": "Đảo",
                    "slug": "dao",
                    "communes": [],
                },
                {
                    "code": "152",
                    "name": "Huyện Lương Sơn",
                    "short_name": "Lương Sơn",
                    "slug": "luongson",
                    "communes": [
                        {
                            "code": "04924",
                            "name": "Thị trấn Lương Sơn",
                            "short_name": "Lương Sơn",
                            "slug": "luongson",
                        },
                        {
                            "code": "04954",
                            "name": "Xã Nhuận Trạch",
                            "short_name": "Nhuận Trạch",
                            "slug": "nhuantrach",
                        },
                    ],
                },
            ],
        }
    ]
    # Names come out NFC whatever the input form.
    assert provinces[0]["districts"][0]["communes"][0]["name"] == "Xã Độc Lập"
    with pytest.raises(UnitDataError, match="mô hình hai cấp"):
        convert_divisions("two-level", _three_level_raw())


def test_convert_two_level_and_document() -> None:
    package = PackageData(version="2025.10.1", data_date="2025-10-18", divisions=_two_level_raw())
    document = build_document("two-level", package)
    assert document["model"] == "two-level"
    assert document["version"] == "2025.10.1"
    assert document["data_date"] == "2025-10-18"
    assert "danhmuchanhchinh.gso.gov.vn" in document["source"]
    assert "vietnam-provinces 2025.10.1" in document["source"]
    assert "declares no licence" in document["source"]
    hanoi, phu_tho = document["provinces"]
    assert hanoi == {
        "code": "01",
        "name": "Thành phố Hà Nội",
        "short_name": "Hà Nội",
        "slug": "hanoi",
        "communes": [],
    }
    assert phu_tho["name"] == "Tỉnh Phú Thọ"  # type word added from division_type
    assert phu_tho["short_name"] == "Phú Thọ"
    assert [c["code"] for c in phu_tho["communes"]] == ["04795", "04831"]
    assert phu_tho["communes"][0]["name"] == "Phường Hòa Bình"
    assert "districts" not in phu_tho
    assert count_units(document) == {"province": 2, "district": 0, "commune": 2}
    assert check_document(document, {"province": 2, "district": 0, "commune": 2}) == []
    problems = check_document(document)
    assert any("34" in problem for problem in problems)
    assert any("3,321" in problem for problem in problems)
    text = dump_document(document)
    assert "Phường Hòa Bình" in text and ", " not in text.split('"source"')[0]
    with pytest.raises(UnitDataError, match="mô hình ba cấp"):
        convert_divisions("three-level", _two_level_raw())


def test_read_wheel(tmp_path: Path) -> None:
    wheel = tmp_path / "vietnam_provinces-9.9.9-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr(
            "vietnam_provinces/__init__.py",
            "__version__ = '9.9.9'\n__data_version__ = '2030-01-02'\n",
        )
        archive.writestr(
            "vietnam_provinces/data/nested-divisions.json",
            json.dumps(_two_level_raw(), ensure_ascii=False),
        )
        archive.writestr(
            "vietnam_provinces-9.9.9.dist-info/METADATA",
            "Metadata-Version: 2.4\nName: vietnam-provinces\nVersion: 9.9.9\n"
            "License-Expression: GPL-3.0-or-later\n\nLong description.\n",
        )
    package = read_wheel(wheel)
    assert package.version == "9.9.9"
    assert package.data_date == "2030-01-02"
    assert package.metadata_licence == "GPL-3.0-or-later"
    assert package.divisions == _two_level_raw()
    broken = tmp_path / "broken.whl"
    broken.write_bytes(b"not a zip")
    with pytest.raises(UnitDataError):
        read_wheel(broken)


def test_name_helpers() -> None:
    assert official_name("  Thị xã   Sơn Tây ") == "Thị xã Sơn Tây"
    assert official_name("Cao Bằng", "tỉnh") == "Tỉnh Cao Bằng"
    with pytest.raises(UnitDataError):
        official_name("Cao Bằng", None)
    assert short_name_of("Thành Phố Bắc Kạn") == "Bắc Kạn"
    assert short_name_of("Thị trấn Phố Lu") == "Phố Lu"
    assert short_name_of("Đặc khu Côn Đảo") == "Côn Đảo"
    assert compact_slug("Ea H’leo") == "eahleo"
    assert compact_slug("Phan Rang-Tháp Chàm") == "phanrangthapcham"
    assert compact_slug("Đắk R'Lấp") == "dakrlap"
    assert format_code(4, "province") == "04"
    assert format_code("4921", "commune") == "04921"
    with pytest.raises(UnitDataError):
        format_code(1234, "district")
    assert metadata_licence("Name: x\nClassifier: License :: OSI Approved :: MIT License\n") == (
        "OSI Approved :: MIT License"
    )
    assert metadata_licence("Name: x\n") is None


def test_command_rejects_missing_wheel_dir(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="không tồn tại"):
        call_command("build_unit_data", wheel_dir=tmp_path / "missing")
