"""Notices (thông báo) of a site and its urgent notices (thông báo khẩn)."""

from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from component_sites.core.models import BasePage, SectionPage

NOTICES_PER_PAGE = 20


def paginate(request, queryset, per_page):
    """One page of ``queryset`` for ``?trang=``; a bad number gives page 1 and a message."""
    paginator = Paginator(queryset, per_page)
    raw = request.GET.get("trang", "1")
    try:
        return paginator.page(raw), None
    except PageNotAnInteger:
        message = _("Số trang “%(raw)s” không hợp lệ; đang hiển thị trang đầu.") % {"raw": raw[:20]}
    except EmptyPage:
        message = _("Không có trang %(raw)s; đang hiển thị trang đầu.") % {"raw": raw[:20]}
    return paginator.page(1), message


class NoticeIndexPage(SectionPage):
    """The notices section (chuyên mục Thông báo): newest notices first, paginated."""

    parent_page_types = ["core.HomePage"]
    subpage_types = ["notices.NoticePage"]
    max_count = 1

    class Meta:
        verbose_name = _("chuyên mục thông báo")
        verbose_name_plural = _("chuyên mục thông báo")

    def notices(self):
        return (
            NoticePage.objects.live()
            .public()
            .child_of(self)
            .only("title", "url_path", "path", "depth", "date", "expiry_date", "summary")
            .order_by("-date", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["notices"], context["page_message"] = paginate(
            request, self.notices(), NOTICES_PER_PAGE
        )
        context["today"] = timezone.localdate()
        return context


class NoticePage(BasePage):
    """One notice (thông báo): a dated text with attached files and an optional expiry."""

    date = models.DateField(_("ngày thông báo"), default=timezone.localdate)
    expiry_date = models.DateField(
        _("hết hiệu lực từ ngày"),
        null=True,
        blank=True,
        help_text=_("Để trống nếu thông báo không có thời hạn."),
    )
    body = RichTextField(_("nội dung"))

    content_panels = [
        *BasePage.content_panels,
        FieldRowPanel([FieldPanel("date"), FieldPanel("expiry_date")]),
        FieldPanel("body"),
        InlinePanel("attachments", label=_("tệp đính kèm")),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("body")]

    parent_page_types = ["notices.NoticeIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")

    def clean(self):
        super().clean()
        if self.expiry_date and self.date and self.expiry_date < self.date:
            raise ValidationError(
                {"expiry_date": _("Ngày hết hiệu lực không được trước ngày thông báo.")}
            )

    def is_expired(self, today=None):
        today = today or timezone.localdate()
        return bool(self.expiry_date and self.expiry_date < today)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["attachments"] = self.attachments.select_related("document")
        context["expired"] = self.is_expired()
        return context


class NoticeAttachment(Orderable):
    """A file attached to a notice."""

    page = ParentalKey(NoticePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "core.SiteDocument", on_delete=models.CASCADE, related_name="+", verbose_name=_("tệp")
    )
    label = models.CharField(
        _("tên hiển thị"), max_length=255, blank=True, help_text=_("Mặc định là tên tệp.")
    )

    panels = [FieldPanel("document"), FieldPanel("label")]

    class Meta(Orderable.Meta):
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    @property
    def display_label(self):
        return self.label or self.document.title


class UrgentNotice(models.Model):
    """A site-wide banner (thông báo khẩn) shown on every page between two instants.

    Times are entered and shown in Asia/Ho_Chi_Minh (the site's ``TIME_ZONE``) and stored
    in UTC; several may be active at once, the most severe first.
    """

    class Level(models.TextChoices):
        INFO = "info", _("Thông tin")
        WARNING = "warning", _("Cảnh báo")
        DANGER = "danger", _("Khẩn cấp")

    # Most severe first when several are shown.
    SEVERITY = {Level.DANGER: 0, Level.WARNING: 1, Level.INFO: 2}
    MAX_SHOWN = 3

    title = models.CharField(_("tiêu đề"), max_length=200)
    message = models.TextField(_("nội dung"), max_length=1000)
    level = models.CharField(_("mức độ"), max_length=16, choices=Level.choices, default=Level.INFO)
    starts_at = models.DateTimeField(_("hiển thị từ"), default=timezone.now)
    ends_at = models.DateTimeField(_("hiển thị đến"))
    link_page = models.ForeignKey(
        Page,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("trang xem chi tiết"),
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("message"),
        FieldPanel("level"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")])],
            heading=_("Thời gian hiển thị (giờ Việt Nam)"),
        ),
        FieldPanel("link_page"),
    ]

    class Meta:
        verbose_name = _("thông báo khẩn")
        verbose_name_plural = _("thông báo khẩn")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="urgent_notice_ends_after_start",
            )
        ]
        indexes = [models.Index(fields=["starts_at", "ends_at"])]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError(
                {"ends_at": _("Thời điểm kết thúc phải sau thời điểm bắt đầu hiển thị.")}
            )

    def is_active(self, now=None):
        now = now or timezone.now()
        return self.starts_at <= now < self.ends_at
