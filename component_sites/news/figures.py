"""What the news gives the province's scoring: the articles published in the period."""

from __future__ import annotations

from decimal import Decimal

from component_sites.core.figures import (
    NO_HOME,
    Figure,
    Scope,
    count_figure,
    dmy,
    item,
    page_url,
    pages_below,
    published_pages,
    register,
    register_section_content,
    site_home,
)
from component_sites.core.models import SectionPage

from .models import ArticlePage


def articles(scope: Scope) -> Figure:
    """News articles (``news.ArticlePage``) live and public, first published in the period."""
    home = site_home()
    if home is None:
        return Figure(Decimal(0), note=NO_HOME)
    pages = published_pages(ArticlePage, scope, home).only(
        "title", "url_path", "first_published_at", "publication_date"
    )
    return count_figure(
        [
            item(
                page.title,
                page_url(scope, home, page.url_path),
                page.first_published_at,
                detail=f"ngày đăng ghi trên bài {dmy(page.publication_date)}"
                if dmy(page.publication_date) != dmy(page.first_published_at)
                else "",
            )
            for page in pages
        ]
    )


register("articles", "Tin, bài đăng trong kỳ", articles)
register_section_content(SectionPage.Key.NEWS, pages_below("news.ArticlePage"))
