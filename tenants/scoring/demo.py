"""The demo province's scoring: criteria version 1, two council members, the current quarter
open with its figures computed from the demo content, and sample scores by one member."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from tenants.models import Tenant

from . import compute, council, criteria_sets, judging, periods
from .models import COUNCIL_GROUP, CouncilScore, Criterion, Period

DEMO_MEMBERS = [("hd.an", "Nguyễn Văn An"), ("hd.binh", "Trần Thị Bình")]
SAMPLE_COMMENT = "Điểm mẫu của dữ liệu thử nghiệm."


def seed_scoring_demo(province: Tenant, password: str) -> list[str]:
    """Idempotent: what exists already is left as it is.  Returns what was done."""
    done: list[str] = []
    if criteria_sets.latest_criteria_set(province) is None:
        criteria_sets.save_criteria_set(
            province, list(criteria_sets.DEFAULT_CRITERIA), note="Bộ tiêu chí gợi ý của nền tảng"
        )
        done.append("bộ tiêu chí phiên bản 1")
    users = get_user_model().objects
    members = []
    for username, full_name in DEMO_MEMBERS:
        member = users.filter(username=username).first()
        if member is None:
            member = council.create_council_member(username, full_name, password)
            done.append(f"thành viên hội đồng {username}")
        else:
            member.groups.add(Group.objects.get_or_create(name=COUNCIL_GROUP)[0])
        members.append(member)

    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    period = Period.objects.filter(
        province=province, kind=Period.Kind.QUARTER, year=today.year, number=quarter
    ).first()
    if period is None:
        period = periods.create_period(province, Period.Kind.QUARTER, today.year, quarter)
        done.append(f"kỳ {period.name}")
    if period.is_open:
        from .metrics import compute_and_store

        sites = compute.member_sites(province)
        for site in sites:
            compute_and_store(period.pk, site.pk)
        done.append(f"số liệu tự động của {len(sites)} trang")
        first = members[0]
        if not CouncilScore.objects.filter(period=period, member=first).exists():
            judged = period.criteria_set.criteria.filter(kind=Criterion.Kind.JUDGED)
            for index, site in enumerate(sites):
                # Varied sample scores so that the provisional ranking has an order.
                score = str(6 + (index * 7) % 4)
                entries = {c.pk: (score, SAMPLE_COMMENT) for c in judged}
                judging.save_council_scores(period, site, first, entries)
            done.append(f"điểm mẫu của {first.username}")
    return done
