"""Bounded queries over articles, for listings, the article page and the lead's home page.

Each function issues a fixed number of SQL queries whatever the number of articles it
returns: images come with their renditions, parents (categories) in one query.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Prefetch, Q
from wagtail.images import get_image_model
from wagtail.models import Page

from component_sites.core import site_cache
from component_sites.core.models import HERO_RENDITIONS
from component_sites.core.site_cache import public

# Rendition specs used by the templates; fetched along with the images.
CARD_RENDITION = "fill-480x270-c100"
LEAD_RENDITION = "width-960"
GALLERY_RENDITIONS = ("fill-320x240-c100", "width-1200")


def _images(*specs):
    return get_image_model().objects.prefetch_renditions(*specs)


def _article_model():
    # By label: the page models (``models``) import these queries.
    return apps.get_model("news", "ArticlePage")


def _listed(queryset, spec=CARD_RENDITION):
    specs = spec if isinstance(spec, tuple | list) else (spec,)
    return (
        public(queryset.live())
        .prefetch_related(Prefetch("featured_image", queryset=_images(*specs)))
        .order_by("-publication_date", "-pk")
    )


def articles_below(page):
    """Live articles anywhere under ``page`` (a news index or category), newest first."""
    return _listed(_article_model().objects.descendant_of(page))


def attach_categories(articles) -> None:
    """Set ``article.category`` (its parent page) on each article, in one query."""
    articles = list(articles)
    if not articles:
        return
    steplen = Page.steplen
    parent_paths = {article.path[:-steplen] for article in articles}
    parents = {
        parent.path: parent
        for parent in Page.objects.filter(path__in=parent_paths).only(
            "title", "url_path", "path", "depth", "slug", "content_type_id"
        )
    }
    for article in articles:
        article.category = parents.get(article.path[:-steplen])


def _home_articles(home):
    return _listed(_article_model().objects.descendant_of(home))


def featured_articles(home, n=5, spec=CARD_RENDITION):
    """The ``n`` newest featured articles of the site under ``home`` (for the home page)."""
    articles = _listed(_article_model().objects.descendant_of(home), spec)
    return list(articles.filter(featured=True)[:n])


def latest_articles(home, n=10):
    """The ``n`` newest articles of the site under ``home`` (for the home page)."""
    articles = list(_home_articles(home)[:n])
    attach_categories(articles)
    return articles


def gallery(article):
    """The article's gallery items with their images and renditions (two queries)."""
    return list(
        article.gallery_images.all().prefetch_related(
            Prefetch("image", queryset=_images(*GALLERY_RENDITIONS))
        )
    )


def related_articles(article, n=4):
    """Articles the editor chose, completed with the newest of the same category."""
    model = _article_model()
    # Through .all(): works on previews too, where the links live in memory.
    links = sorted(article.related_links.all(), key=lambda link: link.sort_order or 0)
    chosen_ids = [link.related_id for link in links if link.related_id][:n]
    chosen = {a.pk: a for a in _listed(model.objects.filter(pk__in=chosen_ids))}
    related = [chosen[pk] for pk in chosen_ids if pk in chosen]
    if len(related) < n:
        siblings = (
            _listed(model.objects.sibling_of(article, inclusive=False))
            .exclude(pk__in=chosen_ids)
            .order_by("-publication_date", "-pk")
        )
        related.extend(siblings[: n - len(related)])
    return related


def _neighbours(article):
    return public(_article_model().objects.sibling_of(article, inclusive=False).live()).only(
        "title", "url_path", "path", "depth", "publication_date"
    )


def _before(article):
    date, pk = article.publication_date, article.pk
    return (
        _neighbours(article)
        .filter(Q(publication_date__lt=date) | Q(publication_date=date, pk__lt=pk))
        .order_by("-publication_date", "-pk")
    )


def _after(article):
    date, pk = article.publication_date, article.pk
    return (
        _neighbours(article)
        .filter(Q(publication_date__gt=date) | Q(publication_date=date, pk__gt=pk))
        .order_by("publication_date", "pk")
    )


def previous_article(article):
    """The article published just before this one in the same category."""
    return _before(article).first()


def next_article(article):
    """The article published just after this one in the same category."""
    return _after(article).first()


def neighbours(article):
    """``(previous_article, next_article)`` in one query (a union of the two)."""
    found = list(_before(article)[:1].union(_after(article)[:1], all=True))
    key = (article.publication_date, article.pk)
    before = [row for row in found if (row.publication_date, row.pk) < key]
    after = [row for row in found if (row.publication_date, row.pk) > key]
    return (before[0] if before else None, after[0] if after else None)


def around_article(article) -> dict:
    """What an article page shows around the article: gallery, related, neighbours, tags."""
    previous, following = neighbours(article)
    return {
        "gallery": gallery(article),
        "related_articles": related_articles(article),
        "previous_article": previous,
        "next_article": following,
        "tags": list(article.tags.all()),
    }


def cached_around_article(article) -> dict:
    """``around_article`` of the published article, from the site cache.

    It changes when the article or another page is published, moved or deleted (the page
    cache's generation), a page is saved or pictures change: the site cache's stamps.
    """
    published = article.last_published_at.timestamp() if article.last_published_at else 0
    return site_cache.get(f"article:{article.pk}:{published}", lambda: around_article(article))


def home_articles(home, featured=4, latest=10, specs=HERO_RENDITIONS):
    """The ``featured`` newest featured articles and the ``latest`` newest ones, fetched
    together: one query for both lists (each a subquery), one for the images, one for
    their renditions (``specs``), one for the categories of the latest."""
    articles = _article_model().objects.descendant_of(home)
    newest = public(articles.live()).order_by("-publication_date", "-pk")
    chosen = newest.filter(featured=True)[:featured].values("pk")
    recent = newest[:latest].values("pk")
    rows = list(_listed(articles.filter(Q(pk__in=chosen) | Q(pk__in=recent)), tuple(specs)))
    newest_latest = rows[:latest]
    attach_categories(newest_latest)
    return [row for row in rows if row.featured][:featured], newest_latest


def home_context(home) -> dict:
    """The home page's news: up to four featured articles (hero crops), then six others."""
    featured, latest = home_articles(home, 4, 10)
    shown = {article.pk for article in featured}
    return {"featured": featured, "latest": [a for a in latest if a.pk not in shown][:6]}
