"""The content apps tell core about themselves through its registry (core imports none of them)."""

from datetime import timedelta

from django.apps import apps
from django.utils import timezone

from component_sites.core import registry
from component_sites.core.models import HomePage, SectionPage


def test_home_page_children_are_every_concrete_section_type():
    sections = {
        model
        for model in apps.get_models()
        if issubclass(model, SectionPage) and not model._meta.abstract
    }
    assert set(HomePage.clean_subpage_models()) == sections
    assert set(HomePage.allowed_subpage_models()) == sections
    assert apps.get_model("organization", "EnglishSectionPage") in sections


def test_every_standard_section_with_a_type_is_registered_by_its_app():
    assert registry.SECTION_PAGE_TYPES["news"] == "news.NewsIndexPage"
    assert registry.SECTION_PAGE_TYPES["notices"] == "notices.NoticeIndexPage"
    assert {"news", "notices", "documents", "media", "themes"} <= registry.PAGE_CONTENT_APPS


def test_the_home_page_context_comes_from_the_apps():
    modules = {provider.__module__ for provider in registry.HOME_CONTEXT}
    assert modules == {
        "component_sites.news.queries",
        "component_sites.notices.queries",
        "component_sites.documents.queries",
        "component_sites.media.queries",
    }


def test_next_expiry_is_the_soonest_registered_moment(monkeypatch):
    now = timezone.now()
    monkeypatch.setattr(
        registry,
        "CACHE_EXPIRIES",
        [lambda: None, lambda: now + timedelta(hours=2), lambda: now + timedelta(minutes=5)],
    )
    assert registry.next_expiry() == now + timedelta(minutes=5)
    monkeypatch.setattr(registry, "CACHE_EXPIRIES", [lambda: None])
    assert registry.next_expiry() is None
