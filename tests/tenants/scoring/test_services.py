"""Scoring rules: criteria versions, periods, council scores, totals, ranks, lock and publish."""

from decimal import Decimal

import pytest

from tenants.scoring import compute, criteria_sets, judging, periods
from tenants.scoring.criteria_sets import CriterionSpec
from tenants.scoring.errors import ScoringError
from tenants.scoring.models import (
    CouncilScore,
    CriteriaSet,
    Criterion,
    Metric,
    MetricValue,
    Period,
    SelfAssessment,
    SiteResult,
)

from . import builders

pytestmark = pytest.mark.django_db


def specs(**changes):
    rows = list(criteria_sets.DEFAULT_CRITERIA)
    for index, change in changes.items():
        i = int(index.removeprefix("c"))
        rows[i] = CriterionSpec(**{**rows[i].__dict__, **change})
    return rows


def test_a_criteria_set_whose_weights_do_not_add_up_is_refused_and_nothing_stored(sites):
    rows = specs(c0={"weight": Decimal(20)})
    with pytest.raises(ScoringError, match=r"Tổng trọng số .* bằng 100 \(hiện là 105\)"):
        criteria_sets.save_criteria_set(sites.province, rows)
    assert not CriteriaSet.objects.filter(province=sites.province).exists()
    assert not Criterion.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"c0": {"metric": ""}}, "phải chọn số liệu"),
        ({"c0": {"target": None}}, "cần mức đạt điểm tối đa"),
        ({"c8": {"metric": Metric.ARTICLES}}, "không dùng số liệu tự động"),
        ({"c1": {"code": "tin-bai"}}, "Mã tiêu chí “tin-bai” bị trùng"),
        ({"c1": {"metric": Metric.ARTICLES}}, "được dùng cho hai tiêu chí"),
        ({"c2": {"max_score": Decimal(0)}}, "điểm tối đa phải lớn hơn 0"),
    ],
)
def test_criteria_mistakes_are_named(sites, change, message):
    with pytest.raises(ScoringError, match=message):
        criteria_sets.save_criteria_set(sites.province, specs(**change))
    assert not CriteriaSet.objects.exists()


def test_saving_criteria_makes_a_new_version_and_keeps_the_old_one(sites):
    first = builders.criteria(sites.province)
    rows = specs(c0={"weight": Decimal(10)}, c1={"weight": Decimal(15)})
    second = criteria_sets.save_criteria_set(sites.province, rows, note="Tăng văn bản")
    assert (first.version, second.version) == (1, 2)
    assert first.criteria.get(code="tin-bai").weight == 15
    assert second.criteria.get(code="tin-bai").weight == 10
    assert second.total_weight() == 100


def test_period_names_spans_and_duplicates(sites):
    builders.criteria(sites.province)
    q3 = periods.create_period(sites.province, "quarter", 2026, 3)
    assert q3.name == "Quý III/2026"
    assert (q3.starts_on.isoformat(), q3.ends_on.isoformat()) == ("2026-07-01", "2026-09-30")
    half = periods.create_period(sites.province, "half", 2026, 2)
    assert half.name == "6 tháng cuối năm 2026" and half.ends_on.isoformat() == "2026-12-31"
    nine = periods.create_period(sites.province, "nine_months", 2026, 3)
    assert nine.number == 1 and nine.ends_on.isoformat() == "2026-09-30"
    with pytest.raises(ScoringError, match="đã được lập"):
        periods.create_period(sites.province, "quarter", 2026, 3)
    with pytest.raises(ScoringError, match="Quý phải từ 1 đến 4"):
        periods.create_period(sites.province, "quarter", 2026, 5)
    with pytest.raises(ScoringError, match="chỉ lập cho cấp tỉnh"):
        periods.create_period(sites.district, "quarter", 2026, 1)
    assert Period.objects.count() == 3


def test_a_period_needs_criteria(sites):
    with pytest.raises(ScoringError, match="Chưa có bộ tiêu chí"):
        periods.create_period(sites.province, "year", 2026)


def test_automatic_scores_follow_the_figures():
    count = Criterion(kind="automatic", metric=Metric.ARTICLES, max_score=10, target=8)
    share = Criterion(kind="automatic", metric=Metric.AVAILABILITY, max_score=5, target=None)
    speed = Criterion(kind="automatic", metric=Metric.RESPONSE_TIME, max_score=10, target=1000)

    def figure(metric, value):
        return MetricValue(metric=metric, value=None if value is None else Decimal(value))

    # 12 articles in a quarter against 8 a month (24): half marks; more never exceeds the max.
    assert compute.automatic_score(count, figure(Metric.ARTICLES, 12), 3) == Decimal("5.00")
    assert compute.automatic_score(count, figure(Metric.ARTICLES, 99), 3) == 10
    assert compute.automatic_score(share, figure(Metric.AVAILABILITY, "99.5"), 3) == Decimal("4.98")
    assert compute.automatic_score(speed, figure(Metric.RESPONSE_TIME, 800), 3) == 10
    assert compute.automatic_score(speed, figure(Metric.RESPONSE_TIME, 2500), 3) == Decimal("5.00")
    assert compute.automatic_score(speed, figure(Metric.RESPONSE_TIME, 4000), 3) == 0
    assert compute.automatic_score(speed, figure(Metric.RESPONSE_TIME, None), 3) == 0
    assert compute.automatic_score(count, None, 3) == 0


def test_council_scores_out_of_range_store_nothing(sites):
    period = builders.period(sites.province)
    member = builders.member("hd.an", "Nguyễn Văn An")
    entries = builders.judged_entries(period)
    first = next(iter(entries))
    for bad, message in [
        ("11", "phải từ 0 đến 10"),
        ("-1", "phải từ 0 đến 10"),
        ("tám", "phải là một số"),
        ("", "Chưa nhập điểm"),
        ("7.555", "tối đa hai chữ số thập phân"),
        ("NaN", "phải từ 0 đến 10"),
    ]:
        with pytest.raises(ScoringError, match=message):
            judging.save_council_scores(
                period, sites.district, member, {**entries, first: (bad, "ghi chú")}
            )
    with pytest.raises(ScoringError, match="Cần nhận xét"):
        judging.save_council_scores(period, sites.district, member, {**entries, first: ("7", " ")})
    missing = dict(list(entries.items())[1:])
    with pytest.raises(ScoringError, match="Chưa chấm đủ"):
        judging.save_council_scores(period, sites.district, member, missing)
    assert not CouncilScore.objects.exists()


def test_only_council_members_score(sites, django_user_model):
    period = builders.period(sites.province)
    outsider = django_user_model.objects.create_user("canbo.tinh", password="x" * 12)
    with pytest.raises(ScoringError, match="Chỉ thành viên Hội đồng"):
        judging.save_council_scores(
            period, sites.district, outsider, builders.judged_entries(period)
        )
    assert not CouncilScore.objects.exists()


def test_scores_are_combined_by_mean_and_weighted_into_a_total(sites):
    period = builders.period(sites.province)
    an, binh = builders.member("hd.an"), builders.member("hd.binh")
    builders.figures(period, sites.commune)
    builders.figures(
        period,
        sites.direct_commune,
        articles=Decimal(12),  # half of 24 → 5/10 on a 15% criterion: −7.5
        availability=Decimal(90),  # 4.5/5 on a 5% criterion: −0.5
    )
    judging.save_council_scores(period, sites.commune, an, builders.judged_entries(period, "8"))
    judging.save_council_scores(period, sites.commune, binh, builders.judged_entries(period, "9"))
    judging.save_council_scores(
        period, sites.direct_commune, an, builders.judged_entries(period, "10")
    )
    rows = {r.tenant.code: r for r in compute.site_scores(period)}
    commune, direct = rows[sites.commune.code], rows[sites.direct_commune.code]
    assert commune.scores["chat-luong"] == Decimal("8.50")
    assert commune.judges["chat-luong"] == 2
    # 75 automatic points + 25 judged points × 8.5/10
    assert commune.total == Decimal("96.25")
    # 75 − 7.5 − 0.5 automatic + 25 judged
    assert direct.total == Decimal("92.00")
    assert (commune.rank, commune.of_count, direct.rank) == (1, 2, 2)
    assert direct.criterion_ranks["chat-luong"] == 1
    assert rows[sites.district.code].missing == ["chat-luong", "kip-thoi", "trinh-bay"]
    # The district is ranked among districts only.
    assert rows[sites.district.code].of_count == 1


def test_equal_totals_share_a_rank():
    assert compute.competition_ranks([Decimal(5), Decimal(9), Decimal(9), Decimal(1)]) == [
        3,
        1,
        1,
        4,
    ]


def test_lock_needs_figures_and_council_scores_then_freezes_results(sites):
    period = builders.period(sites.province)
    an = builders.member("hd.an")
    with pytest.raises(ScoringError, match="Chưa tính xong số liệu tự động"):
        periods.lock(period)
    for site in compute.member_sites(sites.province):
        builders.figures(period, site)
    with pytest.raises(ScoringError, match="Hội đồng chưa chấm đủ"):
        periods.lock(period)
    assert Period.objects.get(pk=period.pk).status == "open"
    builders.score_everything(period, [an])
    results = periods.lock(period)
    assert len(results) == 4
    period.refresh_from_db()
    assert period.status == "locked" and period.locked_at
    frozen = SiteResult.objects.get(period=period, tenant=sites.commune)
    assert (frozen.rank, frozen.of_count, frozen.level) == (1, 2, "commune")
    assert frozen.criteria["chat-luong"] == {"score": "8.00", "rank": 1}
    # A locked period refuses scores, self-assessments, new figures and a second lock.
    with pytest.raises(ScoringError, match="đã khoá"):
        judging.save_council_scores(period, sites.commune, an, builders.judged_entries(period, "2"))
    assert set(CouncilScore.objects.values_list("score", flat=True)) == {Decimal(8)}
    with pytest.raises(ScoringError, match="đã khoá"):
        judging.save_self_assessment(period, sites.commune, "Báo cáo", {}, "quantri")
    with pytest.raises(ScoringError, match="đã khoá rồi"):
        periods.lock(period)


def test_publish_needs_a_lock_and_a_published_period_stays_locked(sites):
    period = builders.period(sites.province)
    with pytest.raises(ScoringError, match="Phải khoá"):
        periods.publish(period)
    builders.score_everything(period, [builders.member("hd.an")])
    periods.lock(period)
    periods.unlock(period)
    assert not SiteResult.objects.filter(period=period).exists()
    periods.lock(period)
    periods.publish(period)
    assert Period.objects.get(pk=period.pk).status == "published"
    with pytest.raises(ScoringError, match="không thể mở khoá"):
        periods.unlock(period)
    with pytest.raises(ScoringError, match="đã được công bố"):
        periods.publish(period)


def test_a_site_files_a_self_assessment_and_bad_scores_store_nothing(sites):
    period = builders.period(sites.province)
    entries = builders.judged_entries(period, "9", "Đăng tin đều đặn.")
    first = next(iter(entries))
    with pytest.raises(ScoringError, match="phải từ 0 đến 10"):
        judging.save_self_assessment(
            period, sites.commune, "Báo cáo", {**entries, first: ("12", "")}, "quantri"
        )
    with pytest.raises(ScoringError, match="Cần nhập báo cáo"):
        judging.save_self_assessment(period, sites.commune, " ", entries, "quantri")
    assert not SelfAssessment.objects.exists()
    assessment = judging.save_self_assessment(
        period, sites.commune, "Hoàn thành kế hoạch quý.", entries, "quantri"
    )
    assert assessment.scores.count() == 3
    assert list(periods.open_periods_for(sites.commune)) == [period]
