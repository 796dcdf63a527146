"""How people and machines find a site's pages: robots.txt, sitemaps, RSS."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.feedgenerator import Rss201rev2Feed
from wagtail.models import Page, Site

from component_sites.core.origin import absolute_url

FEED_LENGTH = 20
# Item pages (one per article, document, notice...) stay out of the HTML sitemap; its
# readers want the sections and categories, the XML sitemap lists everything.
ITEM_MODELS = (
    "news.ArticlePage",
    "documents.LegalDocumentPage",
    "notices.NoticePage",
    "schedule.ScheduleWeekPage",
    "media.AlbumPage",
    "media.VideoPage",
    "media.AudioPage",
    "organization.LeaderPage",
)


def robots_txt(request):
    """Crawlers may read everything public; the admin and search results are not for them."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /tim-kiem/",
        f"Sitemap: {absolute_url('/sitemap.xml', request)}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def html_sitemap(request):
    """Sơ đồ trang: the sections and categories of the site as a nested list."""
    from django.apps import apps

    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    home = site.root_page
    items = [apps.get_model(label) for label in ITEM_MODELS]
    pages = list(
        home.get_descendants()
        .live()
        .public()
        .filter(depth__lte=home.depth + 3)
        .not_type(*items)
        .only("title", "url_path", "path", "depth")
        .order_by("path")
    )
    return render(
        request,
        "search/html_sitemap.html",
        {"home": home, "pages": pages, "base_depth": home.depth},
    )


class _Rss(Rss201rev2Feed):
    content_type = "application/rss+xml; charset=utf-8"


class NewsFeed(Feed):
    """RSS 2.0 of the latest articles of the site, or of one news category or section."""

    feed_type = _Rss

    def get_object(self, request, page_id: int | None = None):
        from component_sites.news.models import NewsCategoryPage, NewsIndexPage

        self.request = request
        site = Site.find_for_request(request)
        if site is None:
            raise Http404
        if page_id is None:
            return site.root_page
        page = (
            Page.objects.live()
            .public()
            .type(NewsCategoryPage, NewsIndexPage)
            .filter(pk=page_id)
            .first()
        )
        if page is None:
            raise Http404("Không có chuyên mục tin này.")
        return page

    def title(self, obj):
        # Readers list feeds by title: each carries the site's name.
        name = getattr(getattr(self.request, "tenant", None), "name", "")
        return f"{obj.title} – {name}" if obj.depth > 2 else f"Tin mới – {name}"

    def link(self, obj):
        return absolute_url(obj.get_url(self.request) or "/", self.request)

    def feed_url(self, obj):
        return absolute_url(self.request.path, self.request)

    def description(self, obj):
        return f"Các tin mới nhất: {obj.title}"

    def items(self, obj):
        from component_sites.news.queries import articles_below

        return list(articles_below(obj).prefetch_related("tags")[:FEED_LENGTH])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_pubdate(self, item):
        return item.publication_date

    def item_author_name(self, item):
        return item.author or None

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]


news_feed = NewsFeed()
