"""A site's self-assessment in its own admin: who may file it, saving, bad input, locked periods."""

from decimal import Decimal

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from component_sites.editorial.roles import EDITOR, HEAD, SITE_ADMIN
from tenants.scoring import criteria_sets, periods
from tenants.scoring.models import Criterion, Period, SelfAssessment
from tests.component_sites.editorial.helpers import user
from tests.two_factor import verified_login

pytestmark = pytest.mark.django_db

LIST = "/admin/tu-danh-gia/"


@pytest.fixture
def period(sites):
    criteria = criteria_sets.save_criteria_set(sites.province, list(criteria_sets.DEFAULT_CRITERIA))
    return periods.create_period(sites.province, "quarter", 2026, 3, criteria)


def judged(period):
    return [c for c in period.criteria_set.criteria.all() if c.kind == Criterion.Kind.JUDGED]


def staff(tenant, username, *roles) -> Client:
    """A logged-in client; site admins pass the second factor with a real code."""
    client = Client(HTTP_HOST=tenant.primary_domain)
    with schema_context(tenant.schema_name):
        member = user(username, *roles)
        if SITE_ADMIN in roles:
            verified_login(client, member)
        else:
            client.force_login(member)
    return client


def form(period, summary="Trang đăng 40 tin, bài và trả lời đúng hạn mọi câu hỏi.", **scores):
    data = {"summary": summary}
    for criterion in judged(period):
        data[f"diem-{criterion.pk}"] = scores.get(criterion.code.replace("-", "_"), "7,5")
        data[f"giai-trinh-{criterion.pk}"] = f"Giải trình {criterion.name}"
    return data


def test_head_and_site_admin_see_the_menu_and_the_open_periods(sites, period):
    for username, role in (("truongban", HEAD), ("quantritrang", SITE_ADMIN)):
        client = staff(sites.commune, username, role)
        dashboard = client.get("/admin/").content.decode()
        assert LIST in dashboard
        page = client.get(LIST)
        assert page.status_code == 200
        html = page.content.decode()
        assert "Quý III/2026" in html and "01/07/2026 – 30/09/2026" in html
        assert f"{LIST}{period.pk}/" in html


def test_other_roles_are_refused_on_the_view_not_only_the_menu(sites, period):
    client = staff(sites.commune, "btv", EDITOR)
    assert LIST not in client.get("/admin/").content.decode()
    for response in (
        client.get(LIST),
        client.get(f"{LIST}{period.pk}/"),
        client.post(f"{LIST}{period.pk}/", form(period)),
    ):
        # Wagtail answers a refused admin view with a redirect to the dashboard.
        assert (response.status_code, response.url) == (302, "/admin/")
    assert not SelfAssessment.objects.exists()
    anonymous = Client(HTTP_HOST=sites.commune.primary_domain).get(LIST)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous.url


def test_save_and_edit_the_self_assessment(sites, period):
    client = staff(sites.district, "truongban", HEAD)
    page = client.get(f"{LIST}{period.pk}/").content.decode()
    assert "Chất lượng nội dung" in page and 'name="summary"' in page
    response = client.post(f"{LIST}{period.pk}/", form(period, chat_luong="8,5"))
    assert (response.status_code, response.url) == (302, f"{LIST}{period.pk}/")
    assessment = SelfAssessment.objects.get(period=period, tenant=sites.district)
    assert assessment.submitted_by == "truongban"
    scores = {s.criterion.code: s.score for s in assessment.scores.select_related("criterion")}
    assert scores == {
        "chat-luong": Decimal("8.5"),
        "kip-thoi": Decimal("7.5"),
        "trinh-bay": Decimal("7.5"),
    }
    shown = client.get(f"{LIST}{period.pk}/").content.decode()
    assert "Đã lưu bản tự đánh giá kỳ Quý III/2026." in shown
    assert 'value="8,5"' in shown
    assert "Giải trình Chất lượng nội dung" in shown
    # Saving again replaces the scores.
    client.post(f"{LIST}{period.pk}/", form(period, summary="Bản sửa.", chat_luong="6"))
    assessment.refresh_from_db()
    assert assessment.summary == "Bản sửa."
    assert assessment.scores.get(criterion__code="chat-luong").score == 6
    listing = client.get(LIST).content.decode()
    assert "Đã gửi lúc" in listing


def test_bad_input_shows_the_message_and_stores_nothing(sites, period):
    client = staff(sites.commune, "truongban", HEAD)
    response = client.post(f"{LIST}{period.pk}/", form(period, chat_luong="11"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Điểm tiêu chí “Chất lượng nội dung” phải từ 0 đến 10." in html
    assert 'value="11"' in html  # what was typed is kept for correction
    assert not SelfAssessment.objects.exists()
    response = client.post(f"{LIST}{period.pk}/", form(period, summary="  ", kip_thoi="abc"))
    assert "Cần nhập báo cáo tự đánh giá." in response.content.decode()
    assert not SelfAssessment.objects.exists()
    # A correct one filed, a wrong edit changes nothing.
    client.post(f"{LIST}{period.pk}/", form(period))
    client.post(f"{LIST}{period.pk}/", form(period, summary="Sửa sai", trinh_bay="-1"))
    assessment = SelfAssessment.objects.get()
    assert assessment.summary.startswith("Trang đăng 40 tin")
    assert {s.score for s in assessment.scores.all()} == {Decimal("7.5")}


def test_locked_period_shows_the_assessment_read_only(sites, period):
    client = staff(sites.commune, "truongban", HEAD)
    client.post(f"{LIST}{period.pk}/", form(period))
    Period.objects.filter(pk=period.pk).update(status=Period.Status.LOCKED)
    page = client.get(f"{LIST}{period.pk}/").content.decode()
    assert 'name="summary"' not in page
    assert "Trang đăng 40 tin, bài" in page
    assert "7,5/10" in page
    response = client.post(f"{LIST}{period.pk}/", form(period, summary="Sửa sau khi khoá"))
    assert response.status_code == 200
    assert "Kỳ Quý III/2026 đã khoá: không thể gửi tự đánh giá." in response.content.decode()
    assert SelfAssessment.objects.get().summary.startswith("Trang đăng 40 tin")
    # The locked period leaves the open list and shows among the earlier ones.
    listing = client.get(LIST).content.decode()
    assert "Hiện không có kỳ đánh giá nào đang mở." in listing
    assert "Các kỳ đã khoá" in listing


def test_period_of_another_province_is_not_found(sites, period):
    from tenants.models import Tenant

    other = Tenant.objects.create(
        name="Tỉnh Sơn La", level="province", code="14", schema_name="s_son_la_test"
    )
    criteria = criteria_sets.save_criteria_set(other, list(criteria_sets.DEFAULT_CRITERIA))
    foreign = periods.create_period(other, "quarter", 2026, 3, criteria)
    client = staff(sites.commune, "truongban", HEAD)
    assert client.get(f"{LIST}{foreign.pk}/").status_code == 404
    assert "Quý III/2026" in client.get(LIST).content.decode()  # its own province's only
