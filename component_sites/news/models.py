"""News pages: the news section (index), categories (chuyên mục, nestable) and articles."""

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from component_sites.core.blocks import BodyStreamBlock
from component_sites.core.models import BasePage, SectionPage
from component_sites.core.page_cache import COUNT_HEADER
from component_sites.core.pagination import paginate
from component_sites.core.text import AsciiSlugMixin

from . import queries

ARTICLE_VIEWS = "article-view"


class ArticleListingMixin:
    """A page that lists the articles below it, newest first, in pages of ``per_page``."""

    per_page = 10

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = queries.articles_below(self)
        page, message = paginate(request, articles, self.per_page)
        queries.attach_categories(page.object_list)
        context.update(
            articles=page.object_list,
            paginator_page=page,
            page_message=message,
            categories=self.get_children().live().public().type(NewsCategoryPage).specific(),
        )
        return context


class NewsIndexPage(ArticleListingMixin, SectionPage):
    """The news section of a site: its categories and the latest articles of all of them."""

    content_panels = SectionPage.content_panels
    search_fields = SectionPage.search_fields

    subpage_types = ["news.NewsCategoryPage", "news.ArticlePage"]

    class Meta:
        verbose_name = _("trang tin tức")
        verbose_name_plural = _("trang tin tức")


class NewsCategoryPage(AsciiSlugMixin, ArticleListingMixin, BasePage):
    """A news category (chuyên mục); categories nest (e.g. Kinh tế › Nông nghiệp)."""

    intro = RichTextField(_("giới thiệu chuyên mục"), blank=True)

    content_panels = [*BasePage.content_panels, FieldPanel("intro")]
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]

    parent_page_types = ["news.NewsIndexPage", "news.NewsCategoryPage"]
    subpage_types = ["news.NewsCategoryPage", "news.ArticlePage"]

    class Meta:
        verbose_name = _("chuyên mục tin")
        verbose_name_plural = _("chuyên mục tin")


class WorkKind(models.TextChoices):
    """Kinds of work paid differently in the royalty (nhuận bút) report."""

    NEWS_ITEM = "news_item", _("Tin")
    ARTICLE = "article", _("Bài viết")
    REPORT = "report", _("Phóng sự, ký sự")
    INTERVIEW = "interview", _("Phỏng vấn")


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticlePage(AsciiSlugMixin, RoutablePageMixin, BasePage):
    """A news article (bài viết)."""

    lead = models.TextField(
        _("sapo"), help_text=_("Đoạn mở đầu tóm tắt bài viết, hiển thị in đậm dưới tiêu đề.")
    )
    body = StreamField(BodyStreamBlock(), verbose_name=_("nội dung"))
    featured_image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        verbose_name=_("ảnh đại diện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    featured_image_caption = models.CharField(
        _("chú thích ảnh đại diện"), max_length=500, blank=True
    )
    author = models.CharField(_("tác giả"), max_length=255, blank=True)
    source = models.CharField(
        _("nguồn tin"), max_length=255, blank=True, help_text=_("Ví dụ: Báo Hòa Bình.")
    )
    publication_date = models.DateTimeField(_("ngày đăng"), default=timezone.now, db_index=True)
    featured = models.BooleanField(
        _("tin nổi bật"), default=False, help_text=_("Hiển thị ở khối tin nổi bật trên trang chủ.")
    )
    tags = ClusterTaggableManager(through=ArticleTag, blank=True, verbose_name=_("từ khoá"))
    # The page's owner is the author account credited in statistics; ``author`` is the byline.
    contributing_unit = models.ForeignKey(
        "editorial.ContributingUnit",
        verbose_name=_("đơn vị cộng tác"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    work_kind = models.CharField(
        _("thể loại (tính nhuận bút)"),
        max_length=16,
        choices=WorkKind.choices,
        default=WorkKind.NEWS_ITEM,
    )

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("lead"),
        MultiFieldPanel(
            [FieldPanel("featured_image"), FieldPanel("featured_image_caption")],
            heading=_("Ảnh đại diện"),
        ),
        FieldPanel("body"),
        InlinePanel("gallery_images", label=_("Ảnh trong album bài viết")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("author"), FieldPanel("source")]),
                FieldRowPanel([FieldPanel("publication_date"), FieldPanel("featured")]),
                FieldRowPanel([FieldPanel("contributing_unit"), FieldPanel("work_kind")]),
                FieldPanel("tags"),
            ],
            heading=_("Thông tin bài viết"),
        ),
        InlinePanel("related_links", label=_("Bài viết liên quan")),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("lead"),
        index.SearchField("body"),
        index.SearchField("author"),
        index.FilterField("publication_date"),
        index.FilterField("featured"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]

    parent_page_types = ["news.NewsIndexPage", "news.NewsCategoryPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("bài viết")
        verbose_name_plural = _("bài viết")
        ordering = ["-publication_date"]

    # Fetched with the article when it is routed to (core.page_routing).
    ROUTE_SELECT_RELATED = ("featured_image",)

    # A republication sooner than this after the first one (a typo fixed at once) is not
    # shown as an update.
    UPDATE_SHOWN_AFTER = timedelta(minutes=30)

    @property
    def updated_at(self):
        """When the published article last changed, if well after it first went out; or None."""
        first, last = self.first_published_at, self.last_published_at
        if first and last and last - max(first, self.publication_date) > self.UPDATE_SHOWN_AFTER:
            return last
        return None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        url = self.get_full_url(request)
        if getattr(request, "is_preview", False):  # the editor's unsaved links and pictures
            around = queries.around_article(self)
        else:
            around = queries.cached_around_article(self)
        context.update(
            **around,
            share_links={
                "facebook": "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
                "zalo": "https://sp.zalo.me/share_inline?" + urlencode({"d": url}),
            },
            page_url=url,
        )
        return context

    @path("")
    def article(self, request):
        response = Page.serve(self, request)
        if not getattr(request, "is_preview", False):
            # Counted by the page-cache middleware, for cached and fresh responses alike.
            response[COUNT_HEADER] = f"{ARTICLE_VIEWS}:{self.pk}"
        return response

    @path("ban-in/", name="print")
    def print_view(self, request):
        """A plain version for printing (no menu, no sharing, no related articles)."""
        context = Page.get_context(self, request)
        context["gallery"] = queries.gallery(self)
        return render(request, "news/article_page_print.html", context)


class ArticleGalleryImage(Orderable):
    """One picture of an article's gallery."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="gallery_images")
    image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        verbose_name=_("ảnh"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    caption = models.CharField(_("chú thích"), max_length=500, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("ảnh trong album")
        verbose_name_plural = _("ảnh trong album")


class ArticleRelatedLink(Orderable):
    """An article chosen by the editor as related (shown before same-category articles)."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="related_links")
    related = models.ForeignKey(
        ArticlePage, verbose_name=_("bài viết"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("related")]

    class Meta(Orderable.Meta):
        verbose_name = _("bài viết liên quan")
        verbose_name_plural = _("bài viết liên quan")
