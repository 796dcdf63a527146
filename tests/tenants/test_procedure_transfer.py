"""Import/export of the catalogue (JSON, CSV, XLSX): every bad row reported, nothing half-done."""

import gzip
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from tenants.procedures.models import Procedure
from tenants.procedures.transfer import ImportFileError, export_bytes, import_file
from tests.procedure_helpers import BASE, make_procedure
from tests.two_factor import console_login

pytestmark = pytest.mark.django_db

GOOD = {**{k: v for k, v in BASE.items() if k != "owner"}, "code": "9.930001"}


def as_json(rows):
    return json.dumps(rows, ensure_ascii=False).encode()


def test_a_clean_json_file_is_imported(sites, eager):
    report = import_file("a.json", as_json([GOOD, {**GOOD, "code": "9.930002"}]))
    assert report.applied and report.created == ["9.930001", "9.930002"]
    assert Procedure.objects.get(code="9.930002").version == 1


def test_every_bad_row_is_reported_and_nothing_changes(sites, eager):
    make_procedure("9.930009", fees="Cũ")
    rows = [
        {**GOOD, "code": "9.930009", "fees": "Mới"},
        {**GOOD, "code": "9.930003", "levels": "tinh"},
        {**GOOD, "code": "9.930004", "name": ""},
        {**GOOD, "code": "9.930003"},
        {**GOOD, "code": "9.930005", "status": "dang-xem"},
    ]
    report = import_file("a.json", as_json(rows))
    assert not report.applied
    found = {(e.line, e.field) for e in report.errors}
    assert found == {(2, "levels"), (3, "name"), (4, "code"), (5, "status")}
    messages = " ".join(e.message for e in report.errors)
    assert "trùng với dòng 2" in messages and "Thiếu tên thủ tục." in messages
    assert Procedure.objects.get(code="9.930009").fees == "Cũ"
    assert not Procedure.objects.filter(code__in=["9.930003", "9.930004", "9.930005"]).exists()


def test_a_gzip_compressed_file_is_imported_like_the_plain_one(sites, eager):
    report = import_file("a.json.gz", gzip.compress(as_json([GOOD])))
    assert report.applied and report.created == ["9.930001"]


def test_valid_rows_only_when_asked(sites, eager):
    rows = [GOOD, {**GOOD, "code": "9.930006", "name": ""}]
    report = import_file("a.json", as_json(rows), valid_only=True)
    assert report.applied and report.created == ["9.930001"]
    assert report.bad_lines == {2}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.txt", b"x", "chỉ nhận .json, .csv hoặc .xlsx"),
        ("a.json", b"{khong phai json", "Tệp JSON không hợp lệ ở dòng 1"),
        ("a.json", b'{"x": 1}', "danh sách thủ tục"),
        ("a.csv", "tên\nx".encode(), "thiếu cột “code”"),
        ("a.csv", "code,name\n1.0,Tên".encode("utf-16"), "không phải văn bản UTF-8"),
        ("a.xlsx", b"not a zip", "Tệp XLSX không đọc được"),
        ("a.json", b"   ", "Tệp rỗng."),
        ("a.json.gz", b"khong phai gzip", "Tệp .gz bị hỏng hoặc không phải tệp nén gzip."),
        ("a.json.gz", gzip.compress(as_json([GOOD]))[:-12], "Tệp .gz bị hỏng"),
        ("a.json.gz", gzip.compress(b" " * (21 * 1024 * 1024)), "Tệp lớn hơn 20 MB."),
        ("a.txt.gz", gzip.compress(b"x"), "chỉ nhận .json, .csv hoặc .xlsx"),
    ],
)
def test_unreadable_files_are_refused(sites, name, content, message):
    with pytest.raises(ImportFileError, match=message):
        import_file(name, content)


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_export_then_import_changes_nothing(sites, eager, fmt):
    make_procedure("9.930007", levels=["commune", "district"])
    make_procedure("9.930008", owner=sites.district.code)
    data = export_bytes(fmt)
    report = import_file(f"x.{fmt}", data)
    assert report.errors == []
    assert sorted(report.unchanged) == ["9.930007", "9.930008"]


def test_csv_export_reads_in_vietnamese(sites, eager):
    from tenants.procedures.transfer import COLUMNS

    make_procedure("9.930009", levels=["commune", "district"])
    import csv
    import io

    header, row = list(csv.reader(io.StringIO(export_bytes("csv").decode("utf-8-sig"))))[:2]
    assert header == list(COLUMNS.values())
    assert header[:4] == ["Mã thủ tục", "Tên thủ tục", "Lĩnh vực", "Cấp thực hiện"]
    cells = dict(zip(COLUMNS, row, strict=True))
    assert (cells["levels"], cells["status"]) == ("Cấp xã; Cấp huyện", "Đang áp dụng")


def test_csv_accepts_vietnamese_headers_and_labels(sites, eager):
    content = (
        "Mã thủ tục,Tên thủ tục,Lĩnh vực,Cấp thực hiện,Cách thức thực hiện\n"
        "9.930010,Thủ tục thử,Hộ tịch,Cấp xã; Cấp huyện,Trực tiếp\n"
    ).encode()
    report = import_file("a.csv", content)
    assert report.applied, report.errors
    procedure = Procedure.objects.get(code="9.930010")
    assert (procedure.levels, procedure.methods) == (["commune", "district"], ["in_person"])


def test_xlsx_rows_report_spreadsheet_line_numbers(sites, eager):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["code", "name", "field", "levels"])
    sheet.append(["9.930011", "Đúng", "Hộ tịch", "commune"])
    sheet.append(["9.930012", "Sai cấp", "Hộ tịch", "quan"])
    buffer = io.BytesIO()
    book.save(buffer)
    report = import_file("a.xlsx", buffer.getvalue())
    assert [(e.line, e.field) for e in report.errors] == [(3, "levels")]
    assert not Procedure.objects.exists()


def test_console_import_page_reports_rows(
    sites, eager, django_user_model, django_capture_on_commit_callbacks
):
    user = django_user_model.objects.create_user("nhap", is_staff=True)
    client = Client(HTTP_HOST="localhost")
    console_login(client, user)
    upload = SimpleUploadedFile("a.json", as_json([{**GOOD, "levels": "xa-phuong"}]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/console/thu-tuc/nhap/", {"file": upload})
    assert response.status_code == 302 and "/console/thu-tuc/nhap/" in response["Location"]
    body = client.get(response["Location"]).content.decode()
    assert "chưa có gì thay đổi" in body and "Cấp thực hiện" in body
    upload = SimpleUploadedFile("a.pdf", b"%PDF")
    body = client.post("/console/thu-tuc/nhap/", {"file": upload}).content.decode()
    assert "chỉ nhận .json" in body
    assert not Procedure.objects.exists()
    body = client.get("/console/thu-tuc/xuat/", {"dinh-dang": "xlsx"})
    assert body["Content-Type"].startswith("application/vnd.openxmlformats")


def test_import_command_refuses_a_bad_file(sites, tmp_path):
    path = tmp_path / "x.json"
    path.write_text(json.dumps([{**GOOD, "name": ""}]), encoding="utf-8")
    with pytest.raises(CommandError, match="không có gì thay đổi"):
        call_command("import_procedures", str(path))
    assert not Procedure.objects.exists()


def test_the_demo_catalogue_imports_cleanly(sites, eager):
    from tenants.procedures.management.commands.import_procedures import DEMO_FILE

    report = import_file(DEMO_FILE.name, DEMO_FILE.read_bytes())
    data = json.loads(gzip.decompress(DEMO_FILE.read_bytes()))
    assert report.errors == [] and len(report.created) == len(data["procedures"])
    assert all(p.source for p in Procedure.objects.all())


def test_the_demo_catalogue_holds_its_verified_records():
    import re

    from tenants.procedures.management.commands.import_procedures import DEMO_FILE
    from tenants.procedures.models import CODE_RE, Level

    data = json.loads(gzip.decompress(DEMO_FILE.read_bytes()))
    about, rows = data["about"], data["procedures"]
    assert len(rows) >= about["verified_records"] >= 100
    codes = [row["code"] for row in rows]
    assert len(set(codes)) == len(codes)
    assert all(re.match(CODE_RE, code) for code in codes)
    levels = [level for row in rows for level in row["levels"]]
    assert set(levels) == set(Level.values)
    assert {level: levels.count(level) for level in Level.values} == about["levels"]
    assert all(row["name"] == " ".join(row["name"].split()) and row["source"] for row in rows)


def test_demo_builder_gives_a_site_its_procedures(sites, eager):
    from component_sites.core.demo import build_demo_content

    made = build_demo_content(sites.commune)
    assert made["procedures"] >= 1
