"""The article form posted twice: the second post is a form error, never a 500."""

import pytest
from django.test import Client
from django_tenants.utils import schema_context
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from component_sites.editorial.roles import EDITOR
from tests.component_sites.editorial.helpers import user
from tests.component_sites.factories import make_category

pytestmark = pytest.mark.django_db


def _form(title, slug):
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "lead": "Sapo của bài.",
            "body": streamfield([("paragraph", rich_text("<p>Nội dung.</p>"))]),
            "gallery_images": inline_formset([]),
            "related_links": inline_formset([]),
            "comments": inline_formset([]),
            "publication_date": "22/11/2026 08:00",
            "work_kind": "news_item",
        }
    )


def _editor_client(sites):
    with schema_context(sites.commune.schema_name):
        category = make_category("Tin gửi hai lần")
        editor = user("btv", EDITOR)
        client = Client(HTTP_HOST=sites.commune.primary_domain)
        client.force_login(editor)
    return client, category


def test_posting_the_new_article_twice_is_a_form_error(sites):
    from component_sites.news.models import ArticlePage

    client, category = _editor_client(sites)
    url = f"/admin/pages/add/news/articlepage/{category.pk}/"
    data = _form("Lễ hội xuống đồng", "le-hoi-xuong-dong")
    assert client.post(url, data).status_code == 302
    second = client.post(url, data)
    # The same address twice: refused in Vietnamese on the slug field, nothing saved.
    assert second.status_code == 200
    errors = second.context["form"].errors
    assert "đã được dùng" in " ".join(errors["slug"])
    with schema_context(sites.commune.schema_name):
        assert ArticlePage.objects.child_of(category).count() == 1


def test_a_slug_taken_between_validation_and_saving_is_a_form_error(sites, monkeypatch):
    """Two posts racing (a double click): the slug is free when the form checks it."""
    from wagtail.admin.forms.pages import WagtailAdminPageForm

    from component_sites.news.models import ArticlePage

    client, category = _editor_client(sites)
    url = f"/admin/pages/add/news/articlepage/{category.pk}/"
    data = _form("Lễ hội xuống đồng", "le-hoi-xuong-dong")
    assert client.post(url, data).status_code == 302
    # The form's own check passes, as it does for the second of two simultaneous posts.
    original_clean = WagtailAdminPageForm.clean

    def clean_without_slug_check(form):
        slug = form.cleaned_data.pop("slug", None)
        cleaned = original_clean(form)
        cleaned["slug"] = slug
        return cleaned

    monkeypatch.setattr(WagtailAdminPageForm, "clean", clean_without_slug_check)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "đã được dùng" in " ".join(response.context["form"].errors["slug"])
    with schema_context(sites.commune.schema_name):
        assert ArticlePage.objects.child_of(category).count() == 1
