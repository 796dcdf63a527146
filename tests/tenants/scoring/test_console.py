"""The scoring pages of the console: admins manage, council members score, bad input refused."""

import pytest
from django.test import Client

from tenants.scoring import council, criteria_sets
from tenants.scoring.models import CouncilScore, CriteriaSet, Metric, MetricValue, Period
from tests.two_factor import console_login

from . import builders

pytestmark = pytest.mark.django_db

HOST = "localhost"


def client_for(user) -> Client:
    client = Client(HTTP_HOST=HOST)
    console_login(client, user)
    return client


@pytest.fixture
def admin(django_user_model):
    return client_for(
        django_user_model.objects.create_user("tinh.admin", password="x" * 12, is_staff=True)
    )


def criteria_post(rows, note="") -> dict:
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "40",
        "note": note,
    }
    for i, spec in enumerate(rows):
        for name in ("code", "name", "kind", "metric", "weight", "max_score", "description"):
            data[f"form-{i}-{name}"] = str(getattr(spec, name))
        data[f"form-{i}-target"] = "" if spec.target is None else str(spec.target)
    return data


def test_admin_saves_the_suggested_criteria_as_version_one(sites, admin):
    page = admin.get(f"/console/danh-gia/tieu-chi/{sites.province.code}/")
    assert page.status_code == 200
    assert "bộ tiêu chí gợi ý" in page.content.decode()
    response = admin.post(
        f"/console/danh-gia/tieu-chi/{sites.province.code}/",
        criteria_post(criteria_sets.DEFAULT_CRITERIA, note="Bộ đầu tiên"),
    )
    assert response.status_code == 302
    saved = CriteriaSet.objects.get(province=sites.province)
    assert (saved.version, saved.criteria.count(), saved.note) == (1, 11, "Bộ đầu tiên")


def test_weights_not_adding_up_are_refused_in_the_console(sites, admin):
    rows = list(criteria_sets.DEFAULT_CRITERIA)[:-1]  # drop a 5% criterion: 95
    response = admin.post(f"/console/danh-gia/tieu-chi/{sites.province.code}/", criteria_post(rows))
    assert response.status_code == 400
    assert "phải bằng 100 (hiện là 95)" in response.content.decode()
    assert not CriteriaSet.objects.exists()


def test_admin_opens_a_period_and_bad_input_is_explained(sites, admin):
    builders.criteria(sites.province)
    response = admin.post(
        "/console/danh-gia/ky/moi/",
        {"province": sites.province.pk, "kind": "quarter", "year": 2026, "number": 3},
    )
    period = Period.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/ky/{period.pk}/")
    again = admin.post(
        "/console/danh-gia/ky/moi/",
        {"province": sites.province.pk, "kind": "quarter", "year": 2026, "number": 3},
    )
    assert again.status_code == 400 and "đã được lập" in again.content.decode()
    bad = admin.post(
        "/console/danh-gia/ky/moi/",
        {"province": sites.province.pk, "kind": "quarter", "year": "hai nghìn", "number": 3},
    )
    assert bad.status_code == 400 and "Nhập một số" in bad.content.decode()
    assert Period.objects.count() == 1


def test_council_members_only_reach_scoring(sites):
    member = builders.member("hd.an", "Nguyễn Văn An")
    client = client_for(member)
    assert client.get("/console/")["Location"].endswith("/console/danh-gia/")
    home = client.get("/console/danh-gia/")
    assert home.status_code == 200
    assert "Mở kỳ đánh giá" not in home.content.decode()  # admins only
    assert client.post(f"/console/trang/{sites.commune.code}/suspend/").status_code == 403
    assert client.get("/console/danh-gia/hoi-dong/").status_code == 403
    period = builders.period(sites.province)
    assert client.post(f"/console/danh-gia/ky/{period.pk}/khoa/").status_code == 403


def test_a_council_member_scores_a_site_and_a_wrong_score_changes_nothing(sites):
    period = builders.period(sites.province)
    member = builders.member("hd.an", "Nguyễn Văn An")
    client = client_for(member)
    url = f"/console/danh-gia/ky/{period.pk}/trang/{sites.commune.code}/"
    page = client.get(url)
    assert page.status_code == 200 and "Lưu điểm" in page.content.decode()
    judged = list(period.criteria_set.criteria.filter(kind="judged"))
    data = {}
    for criterion in judged:
        data[f"score-{criterion.pk}"] = "7,5"
        data[f"comment-{criterion.pk}"] = "Tin bài kịp thời, hình ảnh rõ."
    data[f"score-{judged[0].pk}"] = "12"
    refused = client.post(url, data)
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "phải từ 0 đến 10" in body
    assert 'value="12"' in body  # what was typed is kept for correction
    assert not CouncilScore.objects.exists()
    data[f"score-{judged[0].pk}"] = "8"
    assert client.post(url, data).status_code == 302
    scores = {s.criterion_id: s.score for s in CouncilScore.objects.filter(member=member)}
    assert scores[judged[0].pk] == 8 and scores[judged[1].pk] == 7.5
    period_page = client.get(f"/console/danh-gia/ky/{period.pk}/").content.decode()
    assert "đã chấm" in period_page


def test_lock_and_publish_from_the_console(sites, admin):
    period = builders.period(sites.province)
    refused = admin.post(f"/console/danh-gia/ky/{period.pk}/khoa/", follow=True)
    assert "Chưa tính xong số liệu tự động" in refused.content.decode()
    builders.score_everything(period, [builders.member("hd.an"), builders.member("hd.binh")])
    admin.post(f"/console/danh-gia/ky/{period.pk}/khoa/")
    assert Period.objects.get(pk=period.pk).status == "locked"
    locked_score = admin.post(f"/console/danh-gia/ky/{period.pk}/tinh-so-lieu/", follow=True)
    assert "Kỳ đã khoá" in locked_score.content.decode()
    done = admin.post(f"/console/danh-gia/ky/{period.pk}/cong-bo/", follow=True)
    assert "Đã công bố kết quả" in done.content.decode()
    assert Period.objects.get(pk=period.pk).status == "published"
    page = admin.get(f"/console/danh-gia/ky/{period.pk}/").content.decode()
    assert "Công bố kết quả" in page and "Thành viên hội đồng chấm điểm trang" in page


def test_ranking_per_criterion_and_drill_down(sites, admin):
    period = builders.period(sites.province)
    builders.figures(period, sites.commune)
    builders.figures(period, sites.direct_commune, articles=6)
    ranking = admin.get(f"/console/danh-gia/ky/{period.pk}/?tieu-chi=tin-bai").content.decode()
    section = ranking.split('id="xep-hang-commune"')[1]
    assert section.index(sites.commune.name) < section.index(sites.direct_commune.name)
    assert "1/2" in section and "2/2" in section
    drill = admin.get(
        f"/console/danh-gia/ky/{period.pk}/trang/{sites.commune.code}/so-lieu/articles/"
    )
    assert drill.status_code == 200 and "mục của articles" in drill.content.decode()
    assert (
        admin.get(
            f"/console/danh-gia/ky/{period.pk}/trang/{sites.commune.code}/so-lieu/khong-co/"
        ).status_code
        == 404
    )


def test_admin_adds_a_council_member_and_bad_input_is_refused(sites, admin, django_user_model):
    weak = admin.post(
        "/console/danh-gia/hoi-dong/",
        {
            "username": "hd.cuong",
            "full_name": "Lê Văn Cường",
            "email": "c@tinh.vn",
            "password": "1",
        },
    )
    assert (
        weak.status_code == 400
        and not django_user_model.objects.filter(username="hd.cuong").exists()
    )
    response = admin.post(
        "/console/danh-gia/hoi-dong/",
        {
            "username": "hd.cuong",
            "full_name": "Lê Văn Cường",
            "email": "c@tinh.vn",
            "password": "Hoi-dong-bien-tap-2026",
        },
    )
    assert response.status_code == 302
    member = django_user_model.objects.get(username="hd.cuong")
    assert member.get_full_name() == "Lê Văn Cường" and not member.is_staff
    assert council.is_council_member(member)


def test_admin_asks_for_the_figures_and_the_worker_computes_every_site(
    sites, admin, eager, django_capture_on_commit_callbacks
):
    period = builders.period(sites.province)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(f"/console/danh-gia/ky/{period.pk}/tinh-so-lieu/", follow=True)
    assert "Đã gửi yêu cầu tính số liệu" in response.content.decode()
    assert MetricValue.objects.filter(period=period).count() == 4 * len(Metric.values)
    page = admin.get(f"/console/danh-gia/ky/{period.pk}/").content.decode()
    assert "4/4 trang đã có đủ số liệu" in page
    assert 'http-equiv="refresh"' not in page
    figure = admin.get(
        f"/console/danh-gia/ky/{period.pk}/trang/{sites.commune.code}/so-lieu/mandatory_sections/"
    ).content.decode()
    assert "Giới thiệu" in figure or "introduction" in figure


def test_a_site_page_shows_its_rank_among_its_level(sites, admin):
    period = builders.period(sites.province)
    builders.figures(period, sites.commune, articles=6)
    builders.figures(period, sites.direct_commune)
    page = admin.get(f"/console/danh-gia/ky/{period.pk}/trang/{sites.commune.code}/")
    assert "hạng 2/2" in page.content.decode()


def test_console_exports_provisional_results(sites, admin):
    from io import BytesIO

    from openpyxl import load_workbook

    period = builders.period(sites.province)
    builders.figures(period, sites.commune)
    xlsx = admin.get(f"/console/danh-gia/ky/{period.pk}/ket-qua.xlsx")
    assert xlsx.status_code == 200
    assert "ket-qua-danh-gia-quy-iii-2026.xlsx" in xlsx["Content-Disposition"]
    book = load_workbook(BytesIO(xlsx.content))
    cells = [c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert sites.commune.name in cells
    pdf = admin.get(f"/console/danh-gia/ky/{period.pk}/ket-qua.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert admin.get(f"/console/danh-gia/ky/{period.pk}/ket-qua.csv").status_code == 404
