"""Demo builders give a site realistic news, documents and links, deterministically."""

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from component_sites.core.demo import build_demo_content
from component_sites.documents.models import LegalDocumentPage
from component_sites.links.models import LinkBanner, LinkGroup
from component_sites.news.models import ArticlePage, NewsCategoryPage

pytestmark = pytest.mark.django_db


def test_demo_content_of_a_commune(sites):
    made = build_demo_content(sites.direct_commune)
    assert made["articles"] == 12
    assert made["documents"] >= 12
    assert made["banners"] == 3
    with schema_context(sites.direct_commune.schema_name):
        articles = ArticlePage.objects.live()
        assert articles.count() == 12
        assert all(a.featured_image_id for a in articles)
        assert articles.filter(featured=True).exists()
        assert ArticlePage.tags.through.objects.exists()
        assert NewsCategoryPage.objects.count() == 6
        assert any("xã Độc Lập" in a.title or "xã Độc Lập" in a.lead for a in articles)
        decree = LegalDocumentPage.objects.get(number="42/2022/NĐ-CP")
        assert decree.issue_date.isoformat() == "2022-06-24"
        assert decree.issuing_body.name == "Chính phủ"
        assert decree.attachments.get(sort_order=0).document.file.read().startswith(b"%PDF-1.4")
        assert LegalDocumentPage.objects.filter(is_party_document=True).exists()
        assert LinkBanner.objects.count() == 3 and LinkGroup.objects.get().links.count() == 5
    client = Client(HTTP_HOST=sites.direct_commune.primary_domain)
    assert "Tìm thấy" in client.get("/van-ban/", {"loai": "nghi-dinh"}).content.decode()
    assert client.get("/tin-tuc/").status_code == 200
