"""The head of a commune's editorial board files its self-assessment in the site's admin."""

import pytest
from django_tenants.utils import schema_context

from tests.committed import committed

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PASSWORD = "Mat-khau-bien-tap-2026"


@pytest.fixture
def open_period(sites, django_db_blocker):
    """An open period of the province and the head of the commune's board, committed."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from wagtail.models import ModelLogEntry

    from component_sites.editorial.roles import HEAD
    from tenants.scoring import criteria_sets, periods
    from tenants.scoring.models import CriteriaSet, Period

    schema = sites.direct_commune.schema_name

    def create():
        criteria = criteria_sets.save_criteria_set(
            sites.province, list(criteria_sets.DEFAULT_CRITERIA)
        )
        period = periods.create_period(sites.province, "quarter", 2026, 4, criteria)
        with schema_context(schema):
            head = get_user_model().objects.create_user("truongban", password=PASSWORD)
            head.groups.add(Group.objects.get(name=HEAD))
        return period.pk

    def clean_up():
        Period.objects.filter(province=sites.province).delete()  # self-assessments cascade
        CriteriaSet.objects.filter(province=sites.province).delete()
        ModelLogEntry.objects.filter(action__startswith="scoring.").delete()
        with schema_context(schema):
            get_user_model().objects.filter(username="truongban").delete()

    with django_db_blocker.unblock():
        committed(clean_up)
        try:
            yield committed(create)
        finally:
            committed(clean_up)


def test_head_of_board_files_the_self_assessment(
    live_server_port, page, screenshot, open_period, sites
):
    from tenants.scoring.models import SelfAssessment

    host = f"http://{sites.direct_commune.primary_domain}:{live_server_port}"
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{host}/admin/login/")
    page.fill("#id_username", "truongban")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{host}/admin/")
    page.get_by_role("link", name="Tự đánh giá").click()
    page.get_by_role("link", name="Quý IV/2026").click()
    page.get_by_label("Báo cáo tự đánh giá").fill(
        "Trong quý, trang đăng 52 tin, bài; trả lời đúng hạn 12/12 câu hỏi của người dân."
    )
    page.get_by_label("Điểm đề xuất (0 – 10)").nth(0).fill("8,5")
    page.get_by_label("Điểm đề xuất (0 – 10)").nth(1).fill("12")
    page.get_by_label("Điểm đề xuất (0 – 10)").nth(2).fill("7")
    page.get_by_label("Giải trình").nth(0).fill("Tin, bài có nguồn, ảnh tự chụp.")
    page.get_by_role("button", name="Gửi tự đánh giá").click()
    page.get_by_text("Điểm tiêu chí “Tính kịp thời” phải từ 0 đến 10.").wait_for()
    screenshot("self-assessment-refused")
    assert committed(lambda: SelfAssessment.objects.count()) == 0
    page.get_by_label("Điểm đề xuất (0 – 10)").nth(1).fill("9")
    page.get_by_role("button", name="Gửi tự đánh giá").click()
    page.get_by_text("Đã lưu bản tự đánh giá kỳ Quý IV/2026.").wait_for()
    screenshot("self-assessment-saved")
    assert committed(
        lambda: sorted(
            str(s.score) for s in SelfAssessment.objects.get(period_id=open_period).scores.all()
        )
    ) == ["7.00", "8.50", "9.00"]
