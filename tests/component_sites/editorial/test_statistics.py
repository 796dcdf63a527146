"""Statistics per author, unit and category for a period; CSV/XLSX exports; royalties."""

import csv
import io

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from component_sites.core import counters
from component_sites.editorial.models import ContributingUnit, RoyaltyRates
from component_sites.editorial.statistics import PeriodError, compute, period, royalties
from tests.component_sites.factories import make_category, make_image

from .helpers import act, board, draft_article, submit

pytestmark = pytest.mark.django_db


def _this_month():
    today = timezone.localdate()
    return period("month", today.year, today.month)


def _published_and_rejected(collaborator, editor, head):
    """One article published (with a picture, 7 views), one rejected, in two categories."""
    unit = ContributingUnit.objects.create(name="Hội Nông dân xã", kind="agency")
    farming, security = make_category("Nông nghiệp"), make_category("An ninh")
    good = draft_article(
        farming,
        collaborator,
        title="Mùa lúa",
        contributing_unit=unit,
        work_kind="article",
        featured_image=make_image("Ruộng lúa"),
    )
    submit(good, collaborator)
    act(good, editor, "approve")
    act(good, head, "approve")
    bad = draft_article(security, collaborator, title="Tin chưa đạt")
    submit(bad, collaborator)
    act(bad, editor, "reject", comment="Chưa kiểm chứng")
    for _ in range(7):
        counters.increment("article-view", good.pk)
    return good, bad


def test_period_bounds_in_local_time():
    q4 = period("quarter", 2026, 4)
    assert (q4.start.month, q4.end.year, q4.end.month) == (10, 2027, 1)
    assert period("nine_months", 2026).end.month == 10
    assert period("month", 2026, 11).label == "Tháng 11/2026"
    with pytest.raises(PeriodError):
        period("quarter", 2026, 5)


def test_counts_per_author_unit_and_category(sites):
    with schema_context(sites.commune.schema_name):
        collaborator, editor, head = board()
        _published_and_rejected(collaborator, editor, head)
        stats = compute(_this_month())
    author = next(r for r in stats.by_author if r.name == "ctv")
    assert author.counts == {
        "submitted": 2,
        "published": 1,
        "rejected": 1,
        "images": 1,
        "documents": 0,
        "views": 7,
    }
    unit = next(r for r in stats.by_unit if r.name == "Hội Nông dân xã")
    assert unit.counts["published"] == 1
    assert unit.counts["rejected"] == 0
    category = next(r for r in stats.by_category if r.name == "An ninh")
    assert (category.counts["rejected"], category.counts["published"]) == (1, 0)


def test_nothing_counted_outside_the_period(sites):
    with schema_context(sites.commune.schema_name):
        _published_and_rejected(*board())
        last_year = timezone.localdate().year - 1
        stats = compute(period("year", last_year))
    assert stats.by_author == []
    assert stats.total.counts["published"] == 0


def test_royalty_uses_the_site_rates(sites):
    with schema_context(sites.commune.schema_name):
        _published_and_rejected(*board())
        from wagtail.models import Site

        rates = RoyaltyRates.for_site(Site.objects.get(is_default_site=True))
        rates.article, rates.photo = 300_000, 40_000
        rates.save()
        lines = royalties(_this_month(), rates)
    assert [(line.author, line.works["article"], line.images, line.amount) for line in lines] == [
        ("ctv", 1, 1, 340_000)
    ]


def _staff_client(sites, editor):
    client = Client(HTTP_HOST=sites.commune.primary_domain)
    with schema_context(sites.commune.schema_name):
        client.force_login(editor)
    return client


def test_admin_view_and_exports(sites):
    with schema_context(sites.commune.schema_name):
        collaborator, editor, head = board()
        _published_and_rejected(collaborator, editor, head)
    client = _staff_client(sites, editor)
    today = timezone.localdate()
    query = f"?period=month&year={today.year}&number={today.month}"
    page = client.get("/admin/bien-tap/thong-ke/" + query)
    assert page.status_code == 200
    assert "Hội Nông dân xã" in page.content.decode()
    exported = client.get("/admin/bien-tap/thong-ke/" + query + "&format=csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Nhóm", "Tên", "Gửi duyệt"]
    assert ["Theo tác giả", "ctv", "2", "1", "1", "1", "0", "7"] in rows
    book = load_workbook(
        io.BytesIO(client.get("/admin/bien-tap/nhuan-but/" + query + "&format=xlsx").content)
    )
    sheet = book.active
    assert sheet.cell(row=2, column=1).value == "ctv"


def test_bad_period_gets_a_message(sites):
    with schema_context(sites.commune.schema_name):
        _collaborator, editor, _head = board()
    client = _staff_client(sites, editor)
    response = client.get("/admin/bien-tap/thong-ke/?period=quarter&year=2026&number=9")
    assert response.status_code == 200
    assert "Quý không hợp lệ" in response.content.decode()


def test_collaborators_cannot_see_statistics(sites):
    with schema_context(sites.commune.schema_name):
        collaborator, _editor, _head = board()
    client = _staff_client(sites, collaborator)
    refused = client.get("/admin/bien-tap/thong-ke/")
    # Wagtail answers a refused admin view with a redirect to the dashboard.
    assert (refused.status_code, refused.url) == (302, "/admin/")
