"""The public results page of the province portal (/ket-qua-danh-gia/) and its downloads."""

import io
import re

import pytest
from django.test import Client, override_settings
from openpyxl import load_workbook

from tenants.models import Tenant
from tenants.scoring import criteria_sets, judging, periods
from tenants.scoring.models import Period, SelfAssessment

from .results_helpers import expected_total, scored_period

pytestmark = pytest.mark.django_db

BASE = "/ket-qua-danh-gia/"


def client_for(tenant) -> Client:
    return Client(HTTP_HOST=tenant.primary_domain)


def rows_of(html: str, heading_id: str) -> list[str]:
    """The row headers (site names) of the table in the section ``heading_id``, in order."""
    section = html.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<th scope="row">(?:<a href="[^"]*">)?([^<]+)', section)


def test_ranking_per_level_on_the_province_portal(sites):
    period = scored_period(sites.province, judged={("04921", "chat-luong"): "9"})
    response = client_for(sites.province).get(BASE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Quý I/2026" in html
    assert "01/01/2026" in html and "31/03/2026" in html
    assert rows_of(html, "cap-district") == ["Huyện Lương Sơn"]
    assert rows_of(html, "cap-commune") == ["Xã Nhuận Trạch", "Xã Độc Lập"]
    assert '<td class="rank">1/2</td>' in html and '<td class="rank">2/2</td>' in html
    # Totals with the decimal comma; Độc Lập: 52,5 + 4 for its better "chất lượng" score.
    assert expected_total("0.8") == 81
    assert '<td class="num total">81</td>' in html
    assert '<td class="num total">56,5</td>' in html
    # Site names link to their primary domains.
    assert 'href="http://nhuantrach.hoabinh.test.localhost/"' in html
    # The province portal's own result is shown apart, not ranked with the others.
    own = html.split('id="cap-tinh"', 1)[1].split("</section>", 1)[0]
    assert "Tỉnh Hoà Bình" in own and "90,5" in own
    assert "Tỉnh Hoà Bình" not in rows_of(html, "cap-commune")
    # Downloads and the list of published periods.
    assert f"{BASE}{period.pk}/ket-qua.xlsx" in html
    assert f"{BASE}{period.pk}/ket-qua.pdf" in html
    # Internal material never reaches the public page.
    assert "Nhận xét nội bộ" not in html
    # The province's footer links to the page.
    assert f'<a href="{BASE}">Kết quả đánh giá cổng thông tin điện tử</a>' in html


def test_ranking_per_criterion_with_a_bar_chart(sites):
    period = scored_period(sites.province, judged={("04921", "chat-luong"): "9"})
    html = (
        client_for(sites.province).get(f"{BASE}{period.pk}/?tieu-chi=chat-luong").content.decode()
    )
    assert "Xếp hạng theo tiêu chí TC9: Chất lượng nội dung" in html
    section = html.split('id="xep-hang-tieu-chi"', 1)[1]
    # Độc Lập is second on the total but first on this criterion.
    assert section.index("Xã Độc Lập") < section.index("Xã Nhuận Trạch")
    chart = re.search(
        r'<svg class="chart chart--cot".*?</svg>', section.split("Cấp xã", 1)[1], re.S
    )
    assert chart is not None
    assert 'role="img"' in chart.group(0)
    assert "1. Xã Độc Lập" in chart.group(0) and "9 điểm" in chart.group(0)
    assert "2. Xã Nhuận Trạch" in chart.group(0) and "8 điểm" in chart.group(0)


def test_unknown_criterion_falls_back_with_a_message(sites):
    period = scored_period(sites.province)
    response = client_for(sites.province).get(f"{BASE}{period.pk}/?tieu-chi=khong-co")
    assert response.status_code == 200
    assert "Không có tiêu chí “khong-co”" in response.content.decode()


def test_periods_not_published_are_not_found(sites):
    locked = scored_period(sites.province, status=Period.Status.LOCKED)
    opened = scored_period(sites.province, number=2, status=Period.Status.OPEN)
    client = client_for(sites.province)
    for period in (locked, opened):
        for suffix in ("", "ket-qua.xlsx", "ket-qua.pdf"):
            assert client.get(f"{BASE}{period.pk}/{suffix}").status_code == 404
    index = client.get(BASE)
    assert index.status_code == 200
    assert "Chưa có kỳ đánh giá nào được công bố" in index.content.decode()


def test_only_the_province_portal_serves_results(sites):
    period = scored_period(sites.province)
    for tenant in (sites.district, sites.commune, sites.direct_commune):
        client = client_for(tenant)
        assert client.get(BASE).status_code == 404
        assert client.get(f"{BASE}{period.pk}/").status_code == 404
        assert client.get(f"{BASE}{period.pk}/ket-qua.xlsx").status_code == 404
        footer = client.get("/").content.decode()
        assert BASE not in footer


def test_period_of_another_province_is_not_found(sites):
    other = Tenant.objects.create(
        name="Tỉnh Sơn La", level="province", code="14", schema_name="s_son_la_test"
    )
    criteria = criteria_sets.save_criteria_set(other, list(criteria_sets.DEFAULT_CRITERIA))
    period = periods.create_period(other, "quarter", 2026, 1, criteria)
    Period.objects.filter(pk=period.pk).update(status=Period.Status.PUBLISHED)
    assert client_for(sites.province).get(f"{BASE}{period.pk}/").status_code == 404


def test_trend_across_two_published_periods(sites):
    first = scored_period(sites.province, number=1)
    second = scored_period(sites.province, number=2, factors={"04954": "0.4", "04921": "0.9"})
    client = client_for(sites.province)
    html = client.get(BASE).content.decode()
    # The index shows the latest period; both are listed, newest first.
    assert "Quý II/2026 <span" in html
    listed = html.split('id="cac-ky"', 1)[1]
    assert listed.index("Quý II/2026") < listed.index("Quý I/2026")
    assert f'href="{BASE}{first.pk}/"' in listed
    trend = html.split('id="dien-bien"', 1)[1].split("</section>", 1)[0]
    chart = re.search(r"Cấp xã: 2 trang dẫn đầu.*?(<svg .*?</svg>)", trend, re.S).group(1)
    assert "Quý I/2026" in chart and "Quý II/2026" in chart
    # Each commune has one line through both periods.
    assert len(re.findall(r"<polyline points=\"[\d.]+,[\d.]+ [\d.]+,[\d.]+\"", chart)) == 2
    assert "Xã Độc Lập: Quý I/2026: 52,5, Quý II/2026: 90,5" in chart
    # One site chosen: its totals and ranks across the periods.
    one = client.get(f"{BASE}{second.pk}/?trang=04921").content.decode()
    trend = one.split('id="dien-bien"', 1)[1].split("</section>", 1)[0]
    assert "Tổng điểm của Xã Độc Lập qua các kỳ" in trend
    assert "Quý I/2026: hạng 2/2" in trend and "Quý II/2026: hạng 1/2" in trend
    assert "Xã Nhuận Trạch" not in trend


def test_downloads_of_a_published_period(sites):
    period = scored_period(sites.province)
    client = client_for(sites.province)
    xlsx = client.get(f"{BASE}{period.pk}/ket-qua.xlsx")
    assert xlsx.status_code == 200
    assert xlsx["Content-Disposition"] == 'attachment; filename="ket-qua-danh-gia-quy-i-2026.xlsx"'
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book["Cấp xã"]["B5"].value == "Xã Nhuận Trạch"
    pdf = client.get(f"{BASE}{period.pk}/ket-qua.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_pdf_without_a_vietnamese_font_is_a_message_not_an_error(sites, tmp_path):
    period = scored_period(sites.province)
    with override_settings(PDF_FONT_DIRS=[str(tmp_path)]):
        response = client_for(sites.province).get(f"{BASE}{period.pk}/ket-qua.pdf")
    assert response.status_code == 503
    html = response.content.decode()
    assert "phông chữ tiếng Việt" in html
    assert "fonts-dejavu-core" in html


def test_self_assessments_stay_internal(sites):
    period = scored_period(sites.province, status=Period.Status.OPEN)
    judging.save_self_assessment(
        period,
        sites.direct_commune,
        "Báo cáo nội bộ của ban biên tập",
        {
            c.pk: ("8", "Giải trình nội bộ")
            for c in period.criteria_set.criteria.all()
            if not c.is_automatic
        },
        by="truongban",
    )
    periods.lock(period)
    periods.publish(period)
    assert SelfAssessment.objects.filter(period=period).exists()
    html = client_for(sites.province).get(f"{BASE}{period.pk}/").content.decode()
    assert "Báo cáo nội bộ" not in html and "Giải trình nội bộ" not in html
