"""What the news gives the province's scoring: the articles published in the period."""

from __future__ import annotations

from component_sites.core.figures import (
    Figure,
    Scope,
    dmy,
    pages_below,
    published_pages_figure,
    register,
    register_section_content,
)
from component_sites.core.models import SectionPage

from .models import ArticlePage


def _publication_note(page) -> str:
    """The date printed on the article, when it is not the day it went online."""
    printed = dmy(page.publication_date)
    return f"ngày đăng ghi trên bài {printed}" if printed != dmy(page.first_published_at) else ""


def articles(scope: Scope) -> Figure:
    """News articles (``news.ArticlePage``) live and public, first published in the period."""
    return published_pages_figure(ArticlePage, scope, ("publication_date",), _publication_note)


register("articles", "Tin, bài đăng trong kỳ", articles)
register_section_content(SectionPage.Key.NEWS, pages_below("news.ArticlePage"))
