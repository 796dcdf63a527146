"""The demo catalogue's second source: social protection procedures copied from cited texts."""

import copy
import gzip
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tenants.procedures import cited_catalogue as cited
from tenants.procedures.management.commands.import_procedures import DEMO_FILE

SOCIAL = ("1.001731", "2.000744", "2.000282", "2.000286", "1.014027")
DATA = cited.load()


def catalogue():
    return json.loads(gzip.decompress(DEMO_FILE.read_bytes()))


def test_every_filled_fact_of_the_source_file_is_cited():
    assert cited.problems_of(DATA) == []
    urls = {source["id"]: source["url"] for source in DATA["sources"]}
    assert all(url.startswith("https://") for url in urls.values())
    for record in DATA["procedures"]:
        ids = {c["source"] for c in record["citations"]}
        # the code is cited from a portal page that states it, never from a decree's text
        code_from = {c["source"] for c in record["citations"] if "code" in c["fields"]}
        assert code_from and not any(s.startswith("nd") for s in code_from), record["code"]
        assert ids <= set(urls), record["code"]


def test_the_social_procedures_are_in_the_commune_catalogue_with_their_detail():
    rows = {r["code"]: r for r in catalogue()["procedures"]}
    for code in SOCIAL:
        row = rows[code]
        assert row["levels"] == ["commune"] and row["field"] == "Bảo trợ xã hội", code
        assert row["step_list"] and row["dossier_items"] and row["legal_documents"], code
        assert row["steps"].startswith("1. ") and row["dossier"] and row["legal_basis"], code
        number = "176/2025/NĐ-CP" if code == "1.014027" else "20/2021/NĐ-CP"
        assert row["legal_documents"][0]["number"] == number, code
        assert row["source"].startswith(f"Trích dẫn trong {cited.SOURCE_PATH} (mã {code})")
        assert len(row["source"]) <= 500
    burial = rows["2.000744"]
    assert [w["method"] for w in burial["submission_ways"]] == ["in_person", "online", "postal"]
    assert burial["processing_time"] == "03 Ngày làm việc" and burial["fees"] == "Không"
    assert burial["dossier_items"][0]["forms"] == ["Mau so 04.docx"]
    assert burial["dossier"].startswith("- Tờ khai đề nghị hỗ trợ chi phí mai táng")
    assert burial["online_url"] == cited.PORTAL_HOME and burial["national_url"] == ""
    # no way given by the sources: the decree's time limit stays in the text field
    emergency = rows["2.000282"]
    assert emergency["submission_ways"] == [] and "10 ngày làm việc" in emergency["processing_time"]
    assert "online_url" not in emergency
    # the social pension: decided by the commune's chairman, two-level government (2025)
    pension = rows["1.014027"]
    assert pension["competent_body"] == "Chủ tịch Ủy ban nhân dân cấp xã"
    assert "Từ đủ 75 tuổi trở lên" in pension["conditions"]
    assert pension["processing_time"] == "10 ngày làm việc"
    assert pension["procedure_type"] == "TTHC được luật giao quy định chi tiết"


def test_the_catalogue_names_the_second_source():
    about = catalogue()["about"]
    entry = next(s for s in about["sources"] if s["id"] == cited.SOURCE_ID)
    assert entry["path"] == cited.SOURCE_PATH and entry["records"] == len(SOCIAL)
    assert "dichvucong.laocai.gov.vn" in " ".join(entry["cites"])
    assert "trich-dan-bao-tro-xa-hoi" in about["method"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r.update(result="Quyết định."), "trường chưa có nguồn trích dẫn: result"),
        (lambda r: r.update(step_list=[]), "thiếu step_list"),
        (lambda r: r["citations"][0].update(source="khong-co"), "nguồn không có trong sources"),
        (lambda r: r["citations"][0].update(locator=""), "thiếu vị trí (locator)"),
        (lambda r: r.update(levels=["xa"]), "cấp thực hiện không hợp lệ"),
        (lambda r: r.update(ghi_chu="x"), "khóa không dùng được: ghi_chu"),
    ],
)
def test_an_uncited_or_malformed_record_is_refused_and_nothing_is_written(
    tmp_path, change, message
):
    bad = copy.deepcopy(DATA)
    change(bad["procedures"][0])
    source = tmp_path / "nguon.json"
    source.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    target = tmp_path / "demo_catalogue.json.gz"
    target.write_bytes(DEMO_FILE.read_bytes())
    with pytest.raises(CommandError, match="Nguồn trích dẫn không dùng được") as caught:
        call_command(
            "build_procedure_details", archive=str(tmp_path), data=str(target), cited=str(source)
        )
    assert message in str(caught.value) and "Bản ghi 1 (1.001731)" in str(caught.value)
    assert target.read_bytes() == DEMO_FILE.read_bytes()


def test_an_unreadable_source_file_is_refused(tmp_path):
    source = tmp_path / "nguon.json"
    source.write_text("{không phải JSON", encoding="utf-8")
    with pytest.raises(cited.CitedSourceError, match="Không đọc được tệp nguồn trích dẫn"):
        cited.catalogue_rows(source)
    source.write_text("[]", encoding="utf-8")
    with pytest.raises(cited.CitedSourceError, match="cần các khóa"):
        cited.catalogue_rows(source)


def test_a_duplicated_code_is_refused():
    bad = copy.deepcopy(DATA)
    bad["procedures"].append(copy.deepcopy(bad["procedures"][0]))
    assert any("mã thủ tục bị trùng" in p for p in cited.problems_of(bad))
