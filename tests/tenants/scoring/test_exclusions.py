"""A site can be left out of a period with a reason (audited); it no longer blocks the lock."""

import pytest
from wagtail.models import ModelLogEntry

from tenants.scoring import compute, judging, periods
from tenants.scoring.errors import ScoringError
from tenants.scoring.models import Period, PeriodExclusion, SiteResult

from . import builders
from .test_console import admin  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(sites):
    """A period with every figure in, scored by one member for every site but the commune."""
    period = builders.period(sites.province)
    an = builders.member("hd.an")
    for site in compute.member_sites(sites.province):
        builders.figures(period, site)
    entries = builders.judged_entries(period)
    for site in compute.member_sites(sites.province):
        if site != sites.commune:
            judging.save_council_scores(period, site, an, entries)
    return period


def test_an_unscored_site_blocks_the_lock_and_the_message_says_what_to_do(sites, ready):
    with pytest.raises(ScoringError) as refused:
        periods.lock(ready)
    assert sites.commune.name in str(refused.value)
    assert "loại khỏi kỳ này (ghi lý do)" in str(refused.value)


def test_an_excluded_site_is_not_ranked_and_the_lock_goes_through(sites, ready, django_user_model):
    admin_user = django_user_model.objects.create_user("tinh.admin2", is_staff=True)
    periods.exclude_site(ready, sites.commune, "Thành lập ngày 01/08/2026, giữa kỳ.", admin_user)
    assert sites.commune not in compute.period_sites(ready)
    results = periods.lock(ready)
    assert sites.commune.pk not in {r.tenant_id for r in results}
    direct = SiteResult.objects.get(period=ready, tenant=sites.direct_commune)
    assert (direct.rank, direct.of_count) == (1, 1)
    entry = ModelLogEntry.objects.get(action="scoring.exclude", object_id=str(ready.pk))
    assert entry.user_id == admin_user.pk
    assert entry.data == {
        "site": sites.commune.name,
        "reason": "Thành lập ngày 01/08/2026, giữa kỳ.",
    }


@pytest.mark.parametrize(
    "reason, expected",
    [("   ", "Ghi lý do"), ("x" * 1001, "dài quá")],
    ids=["empty", "too-long"],
)
def test_exclusion_needs_a_reason(sites, ready, reason, expected):
    with pytest.raises(ScoringError, match=expected):
        periods.exclude_site(ready, sites.commune, reason)
    assert not PeriodExclusion.objects.exists()
    assert not ModelLogEntry.objects.filter(action="scoring.exclude").exists()


def test_a_locked_period_refuses_exclusion_and_inclusion(sites):
    period = builders.period(sites.province)
    periods.exclude_site(period, sites.commune, "Sáp nhập giữa kỳ")
    Period.objects.filter(pk=period.pk).update(status=Period.Status.LOCKED)
    with pytest.raises(ScoringError, match="đã khoá"):
        periods.exclude_site(period, sites.district, "Lý do")
    with pytest.raises(ScoringError, match="đã khoá"):
        periods.include_site(period, sites.commune)
    assert PeriodExclusion.objects.count() == 1


def test_a_site_is_excluded_once_and_put_back_audited(sites):
    period = builders.period(sites.province)
    periods.exclude_site(period, sites.commune, "Sáp nhập giữa kỳ")
    with pytest.raises(ScoringError, match="đã được loại"):
        periods.exclude_site(period, sites.commune, "Lần nữa")
    periods.include_site(period, sites.commune)
    assert sites.commune in compute.period_sites(period)
    assert ModelLogEntry.objects.filter(action="scoring.include").count() == 1
    with pytest.raises(ScoringError, match="không bị loại"):
        periods.include_site(period, sites.commune)


def test_the_console_excludes_with_a_reason_and_refuses_without(sites, admin):  # noqa: F811
    period = builders.period(sites.province)
    url = f"/console/danh-gia/ky/{period.pk}/loai-trang/"
    refused = admin.post(url, {"site": sites.commune.code, "reason": ""}, follow=True)
    assert (
        "Ghi lý do loại trang khỏi kỳ đánh giá. Không có gì thay đổi." in refused.content.decode()
    )
    done = admin.post(url, {"site": sites.commune.code, "reason": "Mới thành lập"}, follow=True)
    body = done.content.decode()
    assert f"Đã loại {sites.commune.name} khỏi kỳ" in body
    assert "Mới thành lập" in body and 'id="exclude-site"' in body
    assert PeriodExclusion.objects.get(period=period).tenant == sites.commune


def test_the_exclusion_form_marks_its_required_fields(sites, admin):  # noqa: F811
    period = builders.period(sites.province)
    body = admin.get(f"/console/danh-gia/ky/{period.pk}/").content.decode()
    assert 'Lý do <span aria-hidden="true">*</span>' in body
    assert "Các mục có dấu * là bắt buộc." in body
