"""Two council members score the member sites; the admin locks and publishes; the province
portal shows the ranking."""

import pytest

from tests.committed import committed
from tests.two_factor import browser_console_first_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PASSWORD = "Mat-khau-hoi-dong-2026"


@pytest.fixture
def scoring_setup(sites, django_db_blocker):
    """A quarter with its automatic figures in, two council members and an admin (committed)."""
    from django.contrib.auth import get_user_model
    from wagtail.models import ModelLogEntry

    from tenants.scoring import compute
    from tenants.scoring.models import CriteriaSet, Period
    from tests.tenants.scoring import builders

    def create():
        period = builders.period(sites.province, year=2026, number=3)
        for site in compute.member_sites(sites.province):
            builders.figures(period, site)
        get_user_model().objects.create_user("tinh.quantri", password=PASSWORD, is_staff=True)
        builders.member("hd.an", "Nguyễn Văn An")
        builders.member("hd.binh", "Trần Thị Bình")
        return period.pk

    def clean_up():
        Period.objects.filter(province=sites.province).delete()
        CriteriaSet.objects.filter(province=sites.province).delete()
        ModelLogEntry.objects.filter(action__startswith="scoring.").delete()
        get_user_model().objects.filter(
            username__in=["tinh.quantri", "hd.an", "hd.binh", "hd.chi"]
        ).delete()

    with django_db_blocker.unblock():
        period_id = committed(create)
    yield period_id
    with django_db_blocker.unblock():
        committed(clean_up)


def log_in(page, base, username):
    """Each account logs in once here: its first login enrols the second factor."""
    page.context.clear_cookies()
    browser_console_first_login(page, base, username, PASSWORD)


def score_all(page, base, period_id, scores: dict[str, str]):
    """Score every site of the period: ``scores`` maps a site name to the score typed."""
    page.goto(f"{base}/console/danh-gia/ky/{period_id}/")
    for name, score in scores.items():
        page.locator("tr", has_text=name).get_by_role("link", name="chấm điểm").click()
        for field in page.locator("input[name^=score-]").all():
            field.fill(score)
        for comment in page.locator("textarea[name^=comment-]").all():
            comment.fill("Thông tin đầy đủ, cập nhật đều.")
        page.get_by_role("button", name="Lưu điểm").click()
        assert f"Đã lưu điểm của bạn cho {name}." in page.content()


def test_council_scores_admin_publishes_portal_shows_ranking(
    live_server_port, page, screenshot, scoring_setup, sites
):
    base = f"http://localhost:{live_server_port}"
    period_id = scoring_setup
    log_in(page, base, "hd.an")
    page.wait_for_url(f"{base}/console/danh-gia/")
    page.get_by_role("link", name="Quý III/2026").click()
    score_all(
        page,
        base,
        period_id,
        {
            sites.province.name: "8",
            sites.district.name: "7",
            sites.commune.name: "9",
            sites.direct_commune.name: "6",
        },
    )
    # A score out of range is refused with the reason and nothing changes.
    page.goto(f"{base}/console/danh-gia/ky/{period_id}/trang/{sites.commune.code}/")
    page.locator("input[name^=score-]").first.fill("15")
    page.get_by_role("button", name="Lưu điểm").click()
    assert "phải từ 0 đến 10" in page.locator(".alert--error").inner_text()
    screenshot("scoring-council-refused")

    log_in(page, base, "hd.binh")
    score_all(
        page,
        base,
        period_id,
        {
            sites.province.name: "9",
            sites.district.name: "8",
            sites.commune.name: "8",
            sites.direct_commune.name: "7",
        },
    )
    screenshot("scoring-period-council")

    log_in(page, base, "tinh.quantri")
    page.goto(f"{base}/console/danh-gia/ky/{period_id}/")
    # Locking and publishing ask first, naming what will happen.
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.click("#lock-period")
    page.get_by_text("Đã khoá kỳ Quý III/2026: chốt kết quả 4 trang.").wait_for()
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.click("#publish-period")
    page.get_by_text("Đã công bố kết quả kỳ Quý III/2026").wait_for()
    assert asked[0].startswith("Khoá kỳ Quý III/2026, chốt kết quả?")
    assert asked[1].startswith("Công bố kết quả kỳ Quý III/2026?")
    assert "Đã công bố kết quả kỳ Quý III/2026" in page.content()
    screenshot("scoring-period-published")

    portal = f"http://hoabinh.test.localhost:{live_server_port}"
    page.goto(f"{portal}/ket-qua-danh-gia/")
    communes = page.locator("section[aria-labelledby=cap-commune]")
    rows = communes.locator("tbody tr")
    assert sites.commune.name in rows.nth(0).inner_text()  # mean 8,5 against 6,5
    assert "1/2" in rows.nth(0).inner_text()
    assert sites.direct_commune.name in rows.nth(1).inner_text()
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("scoring-portal-phone")


def test_admin_excludes_a_site_created_mid_period_and_locks(
    live_server_port, page, screenshot, scoring_setup, sites, django_db_blocker
):
    """Every site but one is scored; the admin leaves it out with a reason and locks."""
    from tenants.scoring import compute, judging
    from tenants.scoring.models import Period, PeriodExclusion
    from tests.tenants.scoring import builders

    period_id = scoring_setup

    def score_all_but_the_commune():
        period = Period.objects.get(pk=period_id)
        an = builders.member("hd.chi")
        for site in compute.member_sites(sites.province):
            if site != sites.commune:
                judging.save_council_scores(period, site, an, builders.judged_entries(period))

    with django_db_blocker.unblock():
        committed(score_all_but_the_commune)

    base = f"http://localhost:{live_server_port}"
    log_in(page, base, "tinh.quantri")
    page.goto(f"{base}/console/danh-gia/ky/{period_id}/")
    page.select_option("#id_exclude_site", sites.commune.code)
    page.locator("#id_exclude_reason").fill(
        "Thành lập ngày 01/08/2026 sau sắp xếp đơn vị hành chính."
    )
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.click("#exclude-site")
    page.get_by_text(f"Đã loại {sites.commune.name} khỏi kỳ Quý III/2026.").wait_for()
    assert asked[0].startswith(f"Loại {sites.commune.name} khỏi kỳ Quý III/2026?")
    listed = page.locator(".exclusion-list").inner_text()
    assert sites.commune.name in listed and "Thành lập ngày 01/08/2026" in listed
    rankings = page.locator("section.ranking").all_inner_texts()
    assert not any(sites.commune.name in text for text in rankings)
    screenshot("scoring-site-excluded")

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#lock-period")
    page.get_by_text("Đã khoá kỳ Quý III/2026: chốt kết quả 3 trang.").wait_for()
    with django_db_blocker.unblock():
        assert committed(lambda: PeriodExclusion.objects.filter(period_id=period_id).count()) == 1
