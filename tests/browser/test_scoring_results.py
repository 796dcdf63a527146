"""The public results page of the province portal on a phone and a desktop screen."""

import pytest

from tests.committed import committed

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

HOST = "hoabinh.test.localhost"


@pytest.fixture
def published(sites, django_db_blocker):
    """Two published quarters the live server can see; everything removed afterwards."""
    from tests.tenants.scoring.results_helpers import scored_period

    def create():
        first = scored_period(sites.province, number=1, judged={("04921", "chat-luong"): "9"})
        second = scored_period(sites.province, number=2, factors={"04954": "0.4", "04921": "0.9"})
        return first.pk, second.pk

    def clean_up():
        from django.contrib.auth import get_user_model
        from wagtail.models import ModelLogEntry

        from tenants.scoring.models import CriteriaSet, Period

        periods = Period.objects.filter(province=sites.province)
        for period in periods:
            period.results.all().delete()
            period.council_scores.all().delete()
        periods.delete()
        CriteriaSet.objects.filter(province=sites.province).delete()
        ModelLogEntry.objects.filter(action__startswith="scoring.").delete()
        get_user_model().objects.filter(username="hoidong1").delete()

    with django_db_blocker.unblock():
        committed(clean_up)
        try:
            yield committed(create)
        finally:
            committed(clean_up)


@pytest.mark.parametrize(
    ("name", "viewport"),
    [("phone", {"width": 390, "height": 844}), ("desktop", {"width": 1366, "height": 900})],
)
def test_results_page_fits_the_screen(live_server_port, browser, published, name, viewport):
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=viewport, locale="vi-VN")
    page = context.new_page()
    try:
        page.goto(f"http://{HOST}:{live_server_port}/ket-qua-danh-gia/")
        assert page.get_by_role("heading", level=1).inner_text() == (
            "Kết quả đánh giá, xếp hạng cổng thông tin điện tử"
        )
        assert page.get_by_role("heading", name="Cấp xã (2 trang)").is_visible()
        # Nothing wider than the screen: wide tables scroll inside their own box.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.screenshot(path=str(SCREENSHOTS / f"scoring-results-{name}.png"), full_page=True)

        page.get_by_label("Xếp hạng theo").select_option("chat-luong")
        page.get_by_label("Diễn biến qua các kỳ của").select_option("04921")
        page.get_by_role("button", name="Xem").click()
        page.wait_for_url("**/ket-qua-danh-gia/?tieu-chi=chat-luong&trang=04921")
        chart = page.get_by_role("img", name="Chất lượng nội dung – Cấp xã – Quý II/2026")
        assert chart.is_visible()
        box = chart.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
        assert page.get_by_role("img", name="Tổng điểm của Xã Độc Lập qua các kỳ").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.screenshot(
            path=str(SCREENSHOTS / f"scoring-results-criterion-{name}.png"), full_page=True
        )
        page.get_by_role("button", name="Tương phản cao").click()
        page.screenshot(
            path=str(SCREENSHOTS / f"scoring-results-contrast-{name}.png"), full_page=True
        )
    finally:
        context.close()
