"""Link banners (image links shown between dates) and groups of text links."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable

from component_sites.core.text import ascii_slug


class LinkBanner(models.Model):
    """An image banner linking elsewhere (dịch vụ công, chiến dịch...), shown between dates."""

    class Position(models.TextChoices):
        HOME_TOP = "home-top", _("Trang chủ – đầu trang")
        HOME = "home", _("Trang chủ – giữa trang")
        SIDEBAR = "sidebar", _("Cột bên")
        FOOTER = "footer", _("Chân trang")

    title = models.CharField(_("tiêu đề"), max_length=255)
    image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        verbose_name=_("ảnh banner"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    url = models.URLField(_("địa chỉ liên kết"), max_length=500)
    position = models.CharField(
        _("vị trí"), max_length=16, choices=Position.choices, default=Position.SIDEBAR
    )
    sort_order = models.PositiveIntegerField(_("thứ tự"), default=100)
    active_from = models.DateTimeField(_("hiển thị từ"), null=True, blank=True)
    active_until = models.DateTimeField(_("hiển thị đến"), null=True, blank=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("image"),
        FieldPanel("url"),
        FieldRowPanel([FieldPanel("position"), FieldPanel("sort_order")]),
        FieldRowPanel([FieldPanel("active_from"), FieldPanel("active_until")]),
    ]

    class Meta:
        verbose_name = _("banner liên kết")
        verbose_name_plural = _("banner liên kết")
        ordering = ["position", "sort_order", "pk"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.active_from and self.active_until and self.active_until <= self.active_from:
            raise ValidationError(
                {"active_until": _("Thời điểm kết thúc phải sau thời điểm bắt đầu.")}
            )


class LinkGroup(ClusterableModel):
    """A titled list of links, e.g. “Liên kết website” to the ministries and the province."""

    name = models.CharField(_("tên nhóm"), max_length=255)
    slug = models.SlugField(
        _("mã nhóm"),
        max_length=100,
        unique=True,
        blank=True,
        help_text=_("Dùng trong giao diện để chọn nhóm; để trống để tạo từ tên."),
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), InlinePanel("links", label=_("Liên kết"))]

    class Meta:
        verbose_name = _("nhóm liên kết")
        verbose_name_plural = _("nhóm liên kết")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = ascii_slug(self.name, max_length=100)
        super().save(*args, **kwargs)


class LinkGroupItem(Orderable):
    group = ParentalKey(LinkGroup, on_delete=models.CASCADE, related_name="links")
    title = models.CharField(_("tên liên kết"), max_length=255)
    url = models.URLField(_("địa chỉ"), max_length=500)

    panels = [FieldPanel("title"), FieldPanel("url")]

    class Meta(Orderable.Meta):
        verbose_name = _("liên kết")
        verbose_name_plural = _("liên kết")

    def __str__(self):
        return self.title
