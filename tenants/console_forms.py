"""Forms of the platform console."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Tenant
from .units import Unit, load_units, national_domains


def _province_tenant() -> Tenant | None:
    return Tenant.objects.filter(level=Tenant.Level.PROVINCE).order_by("pk").first()


def creatable_units() -> tuple[str, list[Unit]]:
    """The official set in use and the units that can be created now.

    Before the province exists: the provinces of the two-level set.  After: units of
    the province whose parent already has a site and who have none yet.
    """
    province = _province_tenant()
    if province is None:
        return "two-level", load_units("two-level").provinces()
    units = load_units(province.unit_model)
    existing = set(Tenant.objects.values_list("code", flat=True))
    candidates = [
        unit
        for unit in units.descendants(province.code)
        if unit.code not in existing and unit.parent_code in existing
    ]
    return province.unit_model, candidates


def why_not_creatable(code: str, model: str) -> str:
    """The specific reason the unit ``code`` cannot be created now (for the console)."""
    from .units import UnitOutsideProvinceError, UnknownUnitError

    province = _province_tenant()
    units = load_units(province.unit_model if province else model)
    unit = units.get(code)
    if unit is None:
        return _(
            "Không có đơn vị hành chính mã “%(code)s” trong danh mục chính thức (%(set)s)."
        ) % {"code": code, "set": units.label}
    existing = Tenant.objects.filter(code=code).first()
    if existing is not None:
        return _("%(name)s (mã %(code)s) đã có trang: %(site)s (%(status)s).") % {
            "name": unit.name,
            "code": code,
            "site": existing.name,
            "status": existing.get_status_display(),
        }
    if province is None:
        return _("Hãy tạo trang của tỉnh trước; %(name)s không phải một tỉnh.") % {
            "name": unit.name
        }
    try:
        units.require_in_province(code, province.code)
    except (UnitOutsideProvinceError, UnknownUnitError) as exc:
        return str(exc)
    parent = units.get(unit.parent_code) if unit.parent_code else None
    if parent is not None:
        return _(
            "Đơn vị cấp trên %(parent)s (mã %(code)s) chưa có trang: hãy tạo trang đó trước."
        ) % {"parent": parent.name, "code": parent.code}
    return _("Đơn vị này không thể tạo lúc này.")


class CreateSiteForm(forms.Form):
    # A select whose value clean_unit() explains when it is not offered (a ChoiceField
    # would only say "invalid choice").
    unit = forms.CharField(
        label=_("Đơn vị hành chính"),
        widget=forms.Select,
        error_messages={"required": _("Hãy chọn một đơn vị.")},
    )
    domain = forms.CharField(
        label=_("Tên miền chính"),
        required=False,
        help_text=_("Để trống để dùng tên miền theo quy ước quốc gia."),
    )
    admin_email = forms.EmailField(
        label=_("Thư điện tử của quản trị viên trang"),
        required=False,
        help_text=_("Nhận liên kết dùng một lần để đặt mật khẩu."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.model, self.units = creatable_units()
        self.units_by_code = {u.code: u for u in self.units}
        labels = {"province": "Tỉnh", "district": "Cấp huyện", "commune": "Cấp xã"}
        self.fields["unit"].widget.choices = [("", "— Chọn đơn vị —")] + [
            (u.code, f"{u.name} ({u.code}) – {labels[u.level]}") for u in self.units
        ]

    def clean_unit(self) -> Unit:
        code = self.cleaned_data["unit"].strip()
        unit = self.units_by_code.get(code)
        if unit is None:
            raise forms.ValidationError(why_not_creatable(code, self.model))
        return unit

    def proposed_domain(self, unit: Unit) -> str:
        province_code = unit.province_code
        return national_domains(province_code, self.model, settings.SITE_DOMAIN_SUFFIX)[unit.code]


class RenameForm(forms.Form):
    name = forms.CharField(label=_("Tên mới"), max_length=255)


class NoticeForm(forms.Form):
    notice = forms.CharField(
        label=_("Thông báo cho người truy cập"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DomainForm(forms.Form):
    domain = forms.CharField(label=_("Tên miền"), max_length=253)


class MergeForm(forms.Form):
    """Pick the surviving site and the sites merged into it (districts or communes)."""

    survivor = forms.ChoiceField(
        label=_("Trang còn lại (nhận nội dung)"),
        error_messages={
            "required": _("Hãy chọn trang còn lại."),
            "invalid_choice": _("Trang này không thể nhận sáp nhập."),
        },
    )
    absorbed = forms.MultipleChoiceField(
        label=_("Các trang được sáp nhập (sẽ được lưu trữ)"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Chọn ít nhất một trang được sáp nhập."),
            "invalid_choice": _("Trang “%(value)s” không thể sáp nhập."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        candidates = list(
            Tenant.objects.exclude(level=Tenant.Level.PROVINCE)
            .filter(merged_into__isnull=True)
            .exclude(status=Tenant.Status.ARCHIVED)
            .order_by("level", "name")
        )
        self.sites = {site.code: site for site in candidates}
        labels = {"district": "Cấp huyện", "commune": "Cấp xã"}
        choices = [
            (site.code, f"{site.name} ({site.code}) – {labels[site.level]}") for site in candidates
        ]
        self.fields["survivor"].choices = [("", "— Chọn trang —"), *choices]
        self.fields["absorbed"].choices = choices

    def clean_survivor(self) -> Tenant:
        return self.sites[self.cleaned_data["survivor"]]

    def clean_absorbed(self) -> list[Tenant]:
        return [self.sites[code] for code in self.cleaned_data["absorbed"]]
