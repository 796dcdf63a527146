"""robots.txt, sitemap.xml, the HTML sitemap and RSS feeds of a site."""

import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from tests.component_sites.factories import make_articles, make_category, news_index

pytestmark = pytest.mark.django_db


@pytest.fixture
def host(sites):
    with schema_context(sites.commune.schema_name):
        category = make_category("Kinh tế – Xã hội")
        make_articles(category, 3, with_image=False)
        make_articles(news_index(), 1, with_image=False, title="Tin chung của xã")
        category_id = category.pk
    return sites.commune.primary_domain, category_id


def test_robots_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(host):
    body = Client().get("/robots.txt", HTTP_HOST=host[0]).content.decode()
    assert "Disallow: /admin/" in body
    assert f"Sitemap: http://{host[0]}/sitemap.xml" in body


def test_sitemap_lists_every_live_page_on_the_sites_domain(host):
    response = Client().get("/sitemap.xml", HTTP_HOST=host[0])
    assert response.status_code == 200
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = [loc.text for loc in ET.fromstring(response.content).findall("s:url/s:loc", ns)]
    assert f"http://{host[0]}/tin-tuc/kinh-te-xa-hoi/bai-viet-so-1/" in urls
    assert all(url.startswith(f"http://{host[0]}/") for url in urls)


def test_html_sitemap_shows_sections_and_categories_not_articles(host):
    html = Client().get("/so-do-trang/", HTTP_HOST=host[0]).content.decode()
    assert ">Kinh tế – Xã hội</a>" in html and ">Liên hệ</a>" in html
    assert "Bài viết số 1" not in html


def test_rss_of_a_category_holds_its_articles_only(host):
    response = Client().get(f"/rss/{host[1]}/", HTTP_HOST=host[0])
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert titles == ["Bài viết số 1", "Bài viết số 2", "Bài viết số 3"]
    site_feed = ET.fromstring(Client().get("/rss/", HTTP_HOST=host[0]).content)
    assert "Tin chung của xã" in [i.findtext("title") for i in site_feed.iter("item")]


@pytest.mark.parametrize("path", ["/rss/999999/", "/rss/abc/"])
def test_rss_of_an_unknown_category_is_a_404(host, path):
    assert Client().get(path, HTTP_HOST=host[0]).status_code == 404
