"""Drafts put out for public comment (lấy ý kiến dự thảo): section, draft, files, comments."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable
from wagtail.search import index

from component_sites.core.models import BasePage, SectionPage
from component_sites.core.page_cache import purge_site
from component_sites.core.text import AsciiSlugMixin

from ..page_views import handler


class DraftIndexPage(AsciiSlugMixin, SectionPage):
    """The drafts section (lấy ý kiến dự thảo): open drafts first, then closed ones."""

    parent_page_types = ["core.HomePage"]
    subpage_types = ["participation.DraftPage"]
    max_count = 1

    class Meta:
        verbose_name = _("chuyên mục lấy ý kiến dự thảo")
        verbose_name_plural = _("chuyên mục lấy ý kiến dự thảo")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        drafts = list(DraftPage.objects.child_of(self).live().public().order_by("-opens_on"))
        today = timezone.localdate()
        context["open_drafts"] = [d for d in drafts if d.is_open(today)]
        context["other_drafts"] = [d for d in drafts if not d.is_open(today)]
        return context


class DraftPage(AsciiSlugMixin, BasePage):
    """A draft document put out for public comment between two dates (inclusive)."""

    agency = models.CharField(_("cơ quan chủ trì soạn thảo"), max_length=255)
    opens_on = models.DateField(_("bắt đầu lấy ý kiến"))
    closes_on = models.DateField(_("kết thúc lấy ý kiến"))
    body = RichTextField(_("toàn văn dự thảo"))

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("agency"),
        FieldRowPanel([FieldPanel("opens_on"), FieldPanel("closes_on")]),
        FieldPanel("body"),
        InlinePanel("attachments", label=_("tệp đính kèm")),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("body")]

    parent_page_types = ["participation.DraftIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("dự thảo lấy ý kiến")
        verbose_name_plural = _("dự thảo lấy ý kiến")

    def clean(self):
        super().clean()
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("Ngày kết thúc không được trước ngày bắt đầu.")})

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on

    def is_closed(self, today=None) -> bool:
        return (today or timezone.localdate()) > self.closes_on

    @cached_property
    def published_comments(self):
        return list(
            self.comments.filter(status=DraftComment.Status.PUBLISHED).order_by("created_at")
        )

    def serve(self, request, *args, **kwargs):
        return handler("draft_page")(self, request)


class DraftAttachment(Orderable):
    """A file of a draft (full text, explanatory report...)."""

    page = ParentalKey(DraftPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "core.SiteDocument", on_delete=models.CASCADE, related_name="+", verbose_name=_("tệp")
    )
    label = models.CharField(_("tên hiển thị"), max_length=255, blank=True)

    panels = [FieldPanel("document"), FieldPanel("label")]

    @property
    def display_label(self):
        return self.label or self.document.title


class DraftComment(models.Model):
    """A citizen's comment on a draft; shown publicly only once moderated."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ duyệt")
        PUBLISHED = "published", _("Đã đăng")
        REJECTED = "rejected", _("Không đăng")

    draft = models.ForeignKey(
        DraftPage, verbose_name=_("dự thảo"), on_delete=models.CASCADE, related_name="comments"
    )
    author_name = models.CharField(_("họ và tên / tổ chức"), max_length=160)
    author_email = models.EmailField(_("thư điện tử"), blank=True)
    article_ref = models.CharField(_("góp ý cho điều, khoản"), max_length=120, blank=True)
    text = models.TextField(_("nội dung góp ý"))
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    staff_note = models.TextField(_("ý kiến tiếp thu, giải trình"), blank=True)
    created_at = models.DateTimeField(_("ngày gửi"), default=timezone.now)
    fingerprint = models.CharField(max_length=64, db_index=True, editable=False)

    panels = [
        FieldPanel("draft", read_only=True),
        FieldRowPanel(
            [FieldPanel("author_name", read_only=True), FieldPanel("author_email", read_only=True)]
        ),
        FieldPanel("article_ref", read_only=True),
        FieldPanel("text", read_only=True),
        FieldPanel("status"),
        FieldPanel("staff_note"),
    ]

    class Meta:
        verbose_name = _("ý kiến góp ý dự thảo")
        verbose_name_plural = _("ý kiến góp ý dự thảo")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.author_name} – {self.draft.title}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Published comments appear on the (cached) draft page.
        purge_site()
