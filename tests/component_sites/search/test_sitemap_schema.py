"""sitemap.xml lists procedures, published answers and the scoring results, and is valid
against the sitemaps.org schema; RSS feeds parse cleanly and carry the site's name."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
from django.test import Client
from django_tenants.utils import schema_context
from lxml import etree

from component_sites.core.demo import build_demo_content
from tests.tenants.scoring.results_helpers import scored_period

pytestmark = pytest.mark.django_db

SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "data" / "sitemap.xsd")))
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _sitemap(host: str):
    response = Client(HTTP_HOST=host).get("/sitemap.xml")
    assert response.status_code == 200
    return etree.fromstring(response.content)


@pytest.fixture
def demo_site(sites):
    build_demo_content(sites.direct_commune)
    return sites.direct_commune


def test_sitemap_holds_procedures_and_published_answers_and_is_valid(demo_site):
    from component_sites.participation.models import Question, QuestionIndexPage
    from component_sites.procedures.models import ProcedureIndexPage, active_copies

    host = demo_site.primary_domain
    with schema_context(demo_site.schema_name):
        procedures = ProcedureIndexPage.objects.live().get().full_url
        expected_procedures = {f"{procedures}{c.url_slug}/" for c in active_copies()}
        answers = QuestionIndexPage.objects.live().get().full_url
        published = Question.objects.filter(status=Question.Status.PUBLISHED)
        expected_answers = {f"{answers}{pk}/" for pk in published.values_list("pk", flat=True)}
        unpublished = Question.objects.exclude(status=Question.Status.PUBLISHED)
        hidden = {f"{answers}{pk}/" for pk in unpublished.values_list("pk", flat=True)}
    assert expected_procedures and expected_answers
    tree = _sitemap(host)
    SCHEMA.assertValid(tree)
    locs = set(tree.xpath("//s:url/s:loc/text()", namespaces=NS))
    assert expected_procedures <= locs
    assert expected_answers <= locs
    assert not hidden & locs
    assert len(locs) == len(tree.xpath("//s:url", namespaces=NS))  # no entry twice


def test_province_sitemap_holds_the_published_scoring_results(sites):
    period = scored_period(sites.province)
    tree = _sitemap(sites.province.primary_domain)
    SCHEMA.assertValid(tree)
    locs = tree.xpath("//s:url/s:loc/text()", namespaces=NS)
    base = f"http://{sites.province.primary_domain}/ket-qua-danh-gia/"
    assert base in locs and f"{base}{period.pk}/" in locs


def test_unpublished_scoring_results_stay_out_of_the_sitemap(sites):
    scored_period(sites.province, status="locked")
    locs = _sitemap(sites.province.primary_domain).xpath("//s:url/s:loc/text()", namespaces=NS)
    assert not [loc for loc in locs if "/ket-qua-danh-gia/" in loc]


def test_a_commune_sitemap_has_no_scoring_results(sites):
    scored_period(sites.province)
    locs = _sitemap(sites.commune.primary_domain).xpath("//s:url/s:loc/text()", namespaces=NS)
    assert not [loc for loc in locs if "/ket-qua-danh-gia/" in loc]


def test_schema_check_can_fail():
    broken = etree.fromstring(
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><lastmod>hom qua</lastmod></url></urlset>"
    )
    assert not SCHEMA.validate(broken)


def test_rss_feeds_are_well_formed_and_titled_with_the_site_name(demo_site):
    from component_sites.news.models import NewsCategoryPage

    host = demo_site.primary_domain
    with schema_context(demo_site.schema_name):
        category = NewsCategoryPage.objects.live().first()
    client = Client(HTTP_HOST=host)
    for path, title in [
        ("/rss/", f"Tin mới – {demo_site.name}"),
        (f"/rss/{category.pk}/", f"{category.title} – {demo_site.name}"),
    ]:
        feed = feedparser.parse(client.get(path).content)
        assert not feed.bozo, (path, feed.get("bozo_exception"))
        assert feed.version == "rss20"
        assert feed.feed.title == title
        assert feed.feed.link.startswith(f"http://{host}/")
        assert feed.entries and all(e.link.startswith(f"http://{host}/") for e in feed.entries)
