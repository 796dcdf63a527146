"""Per-site branding, edited by the site's admins under Settings → Nhận diện trang."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from .colours import HEX_RE, contrast

# Words that start a unit's name and the body that runs its portal.
BODY_PREFIXES = (
    "Thành phố",
    "Thị trấn",
    "Thị xã",
    "Đặc khu",
    "Phường",
    "Huyện",
    "Quận",
    "Tỉnh",
    "Xã",
)


def default_body_name(unit_name: str) -> str:
    """``Xã Nhuận Trạch`` → ``Ủy ban nhân dân xã Nhuận Trạch`` (the body behind the portal)."""
    for prefix in BODY_PREFIXES:
        if unit_name.startswith(prefix + " "):
            return f"Ủy ban nhân dân {prefix.lower()}{unit_name[len(prefix) :]}"
    return f"Ủy ban nhân dân {unit_name}"


def validate_hex(value: str) -> None:
    if value and not HEX_RE.match(value):
        raise ValidationError(
            _("Mã màu phải có dạng #RRGGBB, ví dụ #a3111a; “%(v)s” không hợp lệ.") % {"v": value}
        )


# The site's own pages on the two networks people here use (a Facebook fanpage, a Zalo
# Official Account): only their https addresses, so a footer link never leads elsewhere.
SOCIAL_HOSTS = {
    "facebook_url": (("facebook.com", "www.facebook.com", "m.facebook.com", "fb.com"), "Facebook"),
    "zalo_url": (("zalo.me", "oa.zalo.me"), "Zalo"),
}


def validate_social(field: str, value: str) -> None:
    from urllib.parse import urlsplit

    hosts, network = SOCIAL_HOSTS[field]
    if not value:
        return
    parts = urlsplit(value)
    if parts.scheme != "https" or (parts.hostname or "").lower() not in hosts:
        raise ValidationError(
            {
                field: _(
                    "Địa chỉ %(n)s phải bắt đầu bằng https:// và thuộc %(h)s, ví dụ "
                    "https://%(e)s/…; “%(v)s” không hợp lệ."
                )
                % {"n": network, "h": ", ".join(hosts), "e": hosts[0], "v": value}
            }
        )
    if parts.path.strip("/") == "":
        raise ValidationError(
            {
                field: _("Địa chỉ %(n)s cần có tên trang, ví dụ https://%(e)s/ten-trang.")
                % {"n": network, "e": hosts[0]}
            }
        )


@register_setting(icon="palette")
class SiteBranding(BaseSiteSetting):
    """How the site presents itself: the body's name, logo, colours, banner and footer."""

    body_name = models.CharField(
        _("tên cơ quan"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Ủy ban nhân dân xã Nhuận Trạch. Để trống để dùng tên đơn vị."),
    )
    logo = models.ForeignKey(
        "core.SiteImage",
        verbose_name=_("biểu trưng (logo)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Để trống để dùng Quốc huy."),
    )
    banner_image = models.ForeignKey(
        "core.SiteImage",
        verbose_name=_("ảnh nền đầu trang"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    primary_colour = models.CharField(
        _("màu chủ đạo"),
        max_length=7,
        blank=True,
        validators=[validate_hex],
        help_text=_("Màu nền đầu trang, chữ trắng trên nền này phải đủ tương phản (4,5:1)."),
    )
    accent_colour = models.CharField(
        _("màu nhấn"), max_length=7, blank=True, validators=[validate_hex]
    )
    responsible_person = models.CharField(
        _("người chịu trách nhiệm nội dung"), max_length=255, blank=True
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=64, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    licence = models.CharField(
        _("giấy phép / quyết định thành lập cổng"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Quyết định số 123/QĐ-UBND ngày 01/3/2024 của UBND xã."),
    )
    facebook_url = models.URLField(
        _("trang Facebook (fanpage)"),
        blank=True,
        help_text=_("Ví dụ: https://www.facebook.com/ubndxa. Hiện ở chân trang."),
    )
    zalo_url = models.URLField(
        _("Zalo OA (tài khoản chính thức)"),
        blank=True,
        help_text=_("Ví dụ: https://zalo.me/1234567890123456789. Hiện ở chân trang."),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("body_name"), FieldPanel("logo"), FieldPanel("banner_image")],
            heading=_("Nhận diện"),
        ),
        MultiFieldPanel(
            [FieldPanel("primary_colour"), FieldPanel("accent_colour")],
            heading=_("Màu sắc (để trống để dùng màu của giao diện)"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("responsible_person"),
                FieldPanel("address"),
                FieldPanel("phone"),
                FieldPanel("email"),
                FieldPanel("licence"),
            ],
            heading=_("Chân trang"),
        ),
        MultiFieldPanel(
            [FieldPanel("facebook_url"), FieldPanel("zalo_url")],
            heading=_("Mạng xã hội"),
        ),
    ]

    class Meta:
        verbose_name = _("nhận diện trang")
        verbose_name_plural = _("nhận diện trang")

    def clean(self):
        super().clean()
        errors = {}
        for field in SOCIAL_HOSTS:
            try:
                validate_social(field, getattr(self, field))
            except ValidationError as error:
                errors.update(error.message_dict)
        if errors:
            raise ValidationError(errors)
        if self.primary_colour and HEX_RE.match(self.primary_colour):
            ratio = contrast(self.primary_colour, "#ffffff")
            if ratio < 4.5:
                raise ValidationError(
                    {
                        "primary_colour": _(
                            "Màu %(c)s quá sáng: chữ trắng trên nền này chỉ đạt độ tương phản "
                            "%(r).1f:1, cần tối thiểu 4,5:1 (WCAG 2.2 AA). Hãy chọn màu đậm hơn."
                        )
                        % {"c": self.primary_colour, "r": ratio}
                    }
                )
