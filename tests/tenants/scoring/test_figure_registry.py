"""The figures come from the apps that own the data; scoring checks it has them all."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from component_sites.core import figures
from tenants.scoring.checks import figures_registered
from tenants.scoring.figures import MANDATORY_SECTIONS_ARTICLE_9
from tenants.scoring.models import Metric


@pytest.fixture
def registry(monkeypatch):
    """The registry as the apps filled it, restored after the test."""
    monkeypatch.setattr(figures, "_FIGURES", dict(figures._FIGURES))
    monkeypatch.setattr(figures, "_SECTION_CHECKS", dict(figures._SECTION_CHECKS))
    return figures


def test_every_stored_figure_is_computed_by_the_app_owning_its_data():
    owners = {key: spec.compute.__module__ for key, spec in figures.registered().items()}
    assert owners == {
        Metric.ARTICLES: "component_sites.news.figures",
        Metric.DOCUMENTS: "component_sites.documents.figures",
        Metric.PROCEDURES_CURRENT: "tenants.procedures.figures",
        Metric.QUESTIONS_ON_TIME: "component_sites.participation.figures",
        Metric.DRAFTS: "component_sites.participation.figures",
        Metric.MANDATORY_SECTIONS: "tenants.scoring.figures",
        Metric.AVAILABILITY: "tenants.scoring.figures",
        Metric.RESPONSE_TIME: "tenants.scoring.figures",
    }
    for metric in Metric:
        assert figures.registered()[metric].label == metric.label
    assert figures_registered() == []


def test_every_mandatory_section_says_what_fills_it():
    unregistered = figures.section_check("a-section-nobody-registers")
    for key in MANDATORY_SECTIONS_ARTICLE_9:
        assert figures.section_check(key) is not unregistered, key


def test_the_check_names_a_missing_an_unknown_and_a_mislabelled_figure(registry):
    del registry._FIGURES[Metric.DRAFTS]
    registry.register("visitors", "Lượt truy cập", lambda scope: None)
    spec = registry._FIGURES[Metric.ARTICLES]
    registry._FIGURES[Metric.ARTICLES] = figures.FigureSpec(spec.key, "Tin bài", spec.compute)

    found = {error.id: error.msg for error in figures_registered()}

    assert set(found) == {"scoring.E001", "scoring.E002", "scoring.E003"}
    assert "Dự thảo đưa ra lấy ý kiến" in found["scoring.E001"]
    assert "“Tin bài”" in found["scoring.E002"]
    assert "visitors" in found["scoring.E003"]


def test_a_key_registered_by_two_functions_is_refused_and_nothing_changes(registry):
    original = registry.registered()[Metric.ARTICLES].compute
    registry.register(Metric.ARTICLES, "Tin, bài đăng trong kỳ", original)  # again: no change

    def other(scope):
        return figures.Figure(None)

    with pytest.raises(ImproperlyConfigured, match="registered twice") as refused:
        registry.register(Metric.ARTICLES, "Tin, bài đăng trong kỳ", other)
    assert "component_sites.news.figures.articles" in str(refused.value)
    assert registry.registered()[Metric.ARTICLES].compute is original

    check = registry.section_check("news")
    with pytest.raises(ImproperlyConfigured, match="section 'news'"):
        registry.register_section_content("news", registry.pages_below("news.NewsIndexPage"))
    assert registry.section_check("news") is check
