"""The official detail of procedures: archive parsing, the demo data file, its import."""

import gzip
import json
import subprocess

import pytest
from django.core.management import call_command

from tenants.procedures import national_portal as portal
from tenants.procedures.cited_catalogue import SOURCE_PATH
from tenants.procedures.management.commands.build_procedure_details import (
    ARCHIVE_COMMIT,
    ARCHIVE_REPOSITORY,
)
from tenants.procedures.management.commands.import_procedures import DEMO_FILE
from tenants.procedures.models import Procedure
from tenants.procedures.transfer import import_file

CATALOGUE = json.loads(gzip.decompress(DEMO_FILE.read_bytes()))
RECORDS = CATALOGUE["procedures"]
# The records of the second, cited source (social protection); the rest come from the archive.
CITED = [r for r in RECORDS if r["source"].startswith(f"Trích dẫn trong {SOURCE_PATH} ")]
ARCHIVED = [r for r in RECORDS if r not in CITED]


def at_level(level):
    return [r for r in RECORDS if level in r["levels"]]


# --- cutting the archived page text back into its tables --------------------------------


def test_ways_are_cut_into_method_time_fee_and_description():
    text = (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến5 Ngày làm việc25 USD(Cấp thị thực "
        "(một lần))Dịch vụ bưu chínhKhông có thông tin30,000 Việt Nam Đồng(/giao dịch)Trực tiếp"
        "7Miễn phíNộp tại Bộ phận một cửa."
    )
    assert portal.parse_ways(text) == [
        {
            "method": "online",
            "label": "Trực tuyến",
            "time": "5 Ngày làm việc",
            "fee": "25 USD (Cấp thị thực (một lần))",
            "description": "",
        },
        {
            "method": "postal",
            "label": "Dịch vụ bưu chính",
            "time": "",
            "fee": "30,000 Việt Nam Đồng (/giao dịch)",
            "description": "",
        },
        {
            "method": "in_person",
            "label": "Trực tiếp",
            "time": "7",
            "fee": "Miễn phí",
            "description": "Nộp tại Bộ phận một cửa.",
        },
    ]


def test_dossier_items_keep_group_forms_and_quantities():
    text = (
        "* Giấy tờ phải nộp:Tên giấy tờMẫu đơn, tờ khaiSố lượngTờ khai theo mẫu của Bộ Công an."
        "NA5 (1).doc1 bản chínhGiấy tờ chứng minh trụ sở.0 bản chính,1 bản sao"
        "Giấy đề nghị theo mẫuMẫu TP-LS-02-sđ.docx1 bản chính"
    )
    assert portal.parse_dossier(text) == [
        {
            "group": "Giấy tờ phải nộp",
            "name": "Tờ khai theo mẫu của Bộ Công an.",
            "forms": ["NA5 (1).doc"],
            "originals": 1,
            "copies": 0,
        },
        {
            "group": "Giấy tờ phải nộp",
            "name": "Giấy tờ chứng minh trụ sở.",
            "forms": [],
            "originals": 0,
            "copies": 1,
        },
        {
            "group": "Giấy tờ phải nộp",
            "name": "Giấy đề nghị theo mẫu",
            "forms": ["Mẫu TP-LS-02-sđ.docx"],
            "originals": 1,
            "copies": 0,
        },
    ]


def test_legal_documents_are_split_at_their_numbers():
    text = (
        "Tên văn bản pháp lýMã văn bảnNghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ"
        "123/2015/NĐ-CPThông tư quy định mức thu64/2025/TT-BTCLuật 60/2014/QH1360/2014/QH13"
        "Quyết định về chuẩn nghèo24/2021/QĐ-TTgNghị quyết 66.7/2025/NQ-CP66.7/2025/NQ-CP"
        "Nghị định 123/2015/NĐ-CP123/2015/NĐ-CP"
    )
    assert [(d["number"], d["title"]) for d in portal.parse_legal(text)] == [
        ("123/2015/NĐ-CP", "Nghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ"),
        ("64/2025/TT-BTC", "Thông tư quy định mức thu"),
        ("60/2014/QH13", "Luật 60/2014/QH13"),
        ("24/2021/QĐ-TTg", "Quyết định về chuẩn nghèo"),
        ("66.7/2025/NQ-CP", "Nghị quyết 66.7/2025/NQ-CP"),
    ]


def test_results_lose_the_portals_boilerplate():
    text = (
        "Giấy khai sinhMã: KQ.G15.000001Trích lục khai sinhMã: KQ.G15.000002Từ khóaKhông có "
        "thông tinMô tảChọn cơ quan thực hiện"
    )
    assert portal.parse_results(text) == [
        {"name": "Giấy khai sinh", "code": "KQ.G15.000001"},
        {"name": "Trích lục khai sinh", "code": "KQ.G15.000002"},
    ]


def test_steps_open_at_bước_then_at_dashes():
    assert portal.parse_steps("Bước 1: Nộp hồ sơ\n- tại xã\nBước 2. Nhận kết quả") == [
        "Nộp hồ sơ\n- tại xã",
        "Nhận kết quả",
    ]
    assert portal.parse_steps("- Nộp hồ sơ.\n+ Trực tiếp\n- Nhận kết quả.") == [
        "Nộp hồ sơ.\n+ Trực tiếp",
        "Nhận kết quả.",
    ]
    assert portal.parse_steps("Không có thông tin") == []
    assert portal.parse_steps("+ Xuất trình giấy tờ.\n+\n+ Nhận kết quả.") == [
        "Xuất trình giấy tờ.",
        "Nhận kết quả.",
    ]


def test_a_body_spilled_over_by_the_crawl_is_left_empty():
    assert portal.body_name("Ủy ban Nhân dân\xa0xã,\xa0phường") == "Ủy ban Nhân dân xã, phường"
    assert portal.body_name("chứng thực tiến hành chụp…\n\n* Ghi đầy đủ lời chứng") == ""


# --- the shipped demo data file -----------------------------------------------------------


def test_the_data_file_cites_the_archive_it_was_built_from():
    detail = CATALOGUE["about"]["detail"]
    assert detail["repository"] == ARCHIVE_REPOSITORY
    assert detail["commit"] == ARCHIVE_COMMIT
    assert len(ARCHIVED) == 144 and len(CITED) == 5
    for record in ARCHIVED:
        assert f"chatbot_tthc@{ARCHIVE_COMMIT[:12]}/scripts/crawler/data/raw/" in record["source"]
        assert record["source"].endswith(f"/{record['code']}.json")


def test_both_levels_have_at_least_sixty_procedures():
    assert len(at_level("commune")) >= 60
    assert len(at_level("province")) >= 60
    assert CATALOGUE["about"]["levels"] == {
        level: len(at_level(level)) for level in ("province", "district", "commune")
    }


def test_every_demo_procedure_has_its_detail():
    for record in RECORDS:
        code = record["code"]
        assert record["step_list"], code
        assert record["legal_documents"], code
        assert all(doc["number"] for doc in record["legal_documents"]), code
    for record in ARCHIVED:
        assert record["submission_ways"], record["code"]
        assert record["national_url"].startswith("https://dichvucong.gov.vn/"), record["code"]
    for record in CITED:
        # The cited pages are not the national portal's: no address is made up for them.
        assert record["dossier_items"] and record["national_url"] == "", record["code"]
    with_dossier = [r for r in RECORDS if r["dossier_items"]]
    assert len(with_dossier) >= len(RECORDS) - 5
    assert sum(1 for r in RECORDS if any(i["forms"] for i in r["dossier_items"])) >= 40


def test_the_commune_catalogue_covers_what_a_commune_handles():
    fields = {r["field"] for r in at_level("commune")}
    assert {"Hộ tịch", "Chứng thực", "Đăng ký, quản lý cư trú", "Đất đai", "Giảm nghèo"} <= fields
    assert "Bảo trợ xã hội" in fields
    names = {r["code"]: r["name"] for r in at_level("commune")}
    assert names["1.001193"] == "Thủ tục đăng ký khai sinh"
    assert names["1.000894"] == "Thủ tục đăng ký kết hôn"
    assert names["1.000656"] == "Thủ tục đăng ký khai tử"


ARCHIVE = "/work/.mirror/chatbot-tthc+chatbot_tthc/repo"


def test_the_command_rebuilds_the_same_file_from_the_archive(tmp_path):
    """Reproducible: rebuilt from the archive at the pinned commit, the file is unchanged."""
    try:
        subprocess.run(["git", "-C", ARCHIVE, "cat-file", "-e", ARCHIVE_COMMIT], check=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("no local copy of github.com/chatbot-tthc/chatbot_tthc")
    copy = tmp_path / "demo_catalogue.json.gz"
    copy.write_bytes(DEMO_FILE.read_bytes())
    call_command("build_procedure_details", archive=ARCHIVE, data=str(copy))
    assert copy.read_bytes() == DEMO_FILE.read_bytes()


def test_the_command_refuses_a_folder_that_is_not_the_archive(tmp_path):
    from django.core.management.base import CommandError

    copy = tmp_path / "demo_catalogue.json.gz"
    copy.write_bytes(DEMO_FILE.read_bytes())
    with pytest.raises(CommandError, match="không phải bản sao git"):
        call_command("build_procedure_details", archive=str(tmp_path), data=str(copy))
    assert copy.read_bytes() == DEMO_FILE.read_bytes()


# --- importing it -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_file_imports_with_every_structured_field(sites):
    report = import_file(DEMO_FILE.name, DEMO_FILE.read_bytes())
    assert report.errors == []
    codes = [r["code"] for r in RECORDS]
    imported = Procedure.objects.filter(code__in=codes)
    assert imported.count() == len(RECORDS)
    assert imported.filter(levels__contains=["commune"]).count() == len(at_level("commune"))
    assert imported.filter(levels__contains=["province"]).count() == len(at_level("province"))
    assert not imported.filter(step_list=[]).exists()
    birth = imported.get(code="1.001193")
    assert birth.submission_ways[0]["method"] in {"online", "in_person", "postal"}
    assert birth.version == 1
    assert birth.versions.get().data["legal_documents"] == birth.legal_documents


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"method": "online"}, "cần một danh sách"),
        ([{"method": "fax", "time": "1 ngày"}], "cách nộp “fax” không hợp lệ"),
        ([{"method": "online", "price": "1"}], "khóa không dùng được: price"),
        ([{"method": "online", "fee": 30000}], "phải là văn bản"),
    ],
)
def test_malformed_ways_are_refused_in_vietnamese_and_nothing_is_written(sites, value, message):
    row = {k: RECORDS[0][k] for k in ("code", "name", "field", "levels")}
    row["code"] = "9.970001"
    row["submission_ways"] = value
    report = import_file("bad.json", json.dumps([row], ensure_ascii=False).encode())
    assert not report.applied
    assert any(message in e.message and e.field == "submission_ways" for e in report.errors), [
        (e.field, e.message) for e in report.errors
    ]
    assert not Procedure.objects.filter(code="9.970001").exists()


@pytest.mark.django_db
def test_malformed_dossier_quantity_is_refused(sites):
    row = {k: RECORDS[0][k] for k in ("code", "name", "field", "levels")}
    row.update(code="9.970002", dossier_items=[{"name": "Tờ khai", "originals": -1}])
    report = import_file("bad.json", json.dumps([row], ensure_ascii=False).encode())
    assert [e.field for e in report.errors] == ["dossier_items"]
    assert "số nguyên từ 0 đến 99" in report.errors[0].message
    assert not Procedure.objects.filter(code="9.970002").exists()


@pytest.mark.django_db
def test_a_csv_export_with_the_structure_reimports_unchanged(sites):
    from tenants.procedures.transfer import export_bytes

    import_file(DEMO_FILE.name, DEMO_FILE.read_bytes())
    queryset = Procedure.objects.filter(code__in=["1.001193", "1.000894"])
    for fmt in ("csv", "xlsx", "json"):
        report = import_file(f"lai.{fmt}", export_bytes(fmt, queryset))
        assert report.errors == [] and sorted(report.unchanged) == ["1.000894", "1.001193"], fmt
