"""Forms of the catalogue console; the import validates each row with the same form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.models import Tenant

from .models import Level, Method, Procedure


class DetailListField(forms.JSONField):
    """A JSON list of the procedure's detail (steps, ways, dossier, legal documents).

    Empty means an empty list, never null; the shape is checked by the model's validators.
    """

    default_error_messages = {"invalid": _("Không phải JSON hợp lệ (cần một danh sách).")}

    def to_python(self, value):
        value = super().to_python(value)
        return [] if value in (None, "", {}) else value

    def prepare_value(self, value):
        return super().prepare_value([] if value in (None, "") else value)


DETAIL_LIST_FIELDS = ("step_list", "submission_ways", "dossier_items", "legal_documents")

# Levels that a site of each level (as owner of a local procedure) may send down to.
LEVELS_UNDER = {
    Tenant.Level.DISTRICT: {Level.DISTRICT, Level.COMMUNE},
}


class ProcedureEditForm(forms.ModelForm):
    """Create or edit a master record (the code cannot change once created)."""

    levels = forms.MultipleChoiceField(
        label=_("Cấp thực hiện"),
        choices=Level.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Chọn ít nhất một cấp thực hiện."),
            "invalid_choice": _("Cấp thực hiện “%(value)s” không hợp lệ."),
        },
    )
    methods = forms.MultipleChoiceField(
        label=_("Cách thức thực hiện"),
        choices=Method.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Cách thức “%(value)s” không hợp lệ.")},
    )
    online_url = forms.URLField(
        label=_("Địa chỉ dịch vụ công trực tuyến"),
        max_length=500,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Địa chỉ dịch vụ công trực tuyến không phải URL hợp lệ.")},
    )
    national_url = forms.URLField(
        label=_("Trang thủ tục trên Cổng Dịch vụ công quốc gia"),
        max_length=500,
        required=False,
        assume_scheme="https",
        error_messages={
            "invalid": _("Địa chỉ trang thủ tục trên Cổng DVC quốc gia không phải URL hợp lệ.")
        },
    )
    owner = forms.ModelChoiceField(
        label=_("Thủ tục riêng của đơn vị"),
        queryset=Tenant.objects.filter(level=Tenant.Level.DISTRICT).order_by("code"),
        required=False,
        to_field_name="code",
        empty_label=_("— Danh mục của tỉnh —"),
        help_text=Procedure._meta.get_field("owner").help_text,
        error_messages={"invalid_choice": _("Không có trang cấp huyện mang mã này.")},
    )

    class Meta:
        model = Procedure
        fields = [
            "code",
            "name",
            "field",
            "levels",
            "owner",
            "procedure_type",
            "steps",
            "methods",
            "dossier",
            "processing_time",
            "fees",
            "agency",
            "result",
            "conditions",
            "legal_basis",
            "online_service_level",
            "online_url",
            "announcing_decision",
            "subjects",
            "competent_body",
            "national_url",
            *DETAIL_LIST_FIELDS,
            "source",
        ]
        field_classes = {name: DetailListField for name in DETAIL_LIST_FIELDS}
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in (
                "steps",
                "dossier",
                "processing_time",
                "fees",
                "result",
                "conditions",
                "legal_basis",
                "subjects",
                *DETAIL_LIST_FIELDS,
            )
        }
        error_messages = {
            "code": {"required": _("Thiếu mã thủ tục.")},
            "name": {"required": _("Thiếu tên thủ tục.")},
            "field": {"required": _("Thiếu lĩnh vực.")},
            "online_service_level": {
                "invalid_choice": _("Mức độ dịch vụ công trực tuyến “%(value)s” không hợp lệ.")
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in DETAIL_LIST_FIELDS:
            self.fields[name].required = False
        if self.instance.pk:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("Mã thủ tục không đổi được sau khi tạo.")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        owner = data.get("owner")
        levels = set(data.get("levels") or [])
        if owner is not None and levels:
            allowed = LEVELS_UNDER.get(owner.level, set())
            wrong = levels - {str(v) for v in allowed}
            if wrong:
                self.add_error(
                    "levels",
                    _("Thủ tục riêng của %(owner)s chỉ áp dụng cho cấp huyện hoặc cấp xã.")
                    % {"owner": owner.name},
                )
        online_address = data.get("online_url") or data.get("national_url")
        if "online" in (data.get("methods") or []) and not online_address:
            self.add_error(
                "online_url",
                _("Thủ tục có cách thức trực tuyến cần địa chỉ dịch vụ công trực tuyến."),
            )
        return data


class FormUploadForm(forms.Form):
    """Attach a form file (biểu mẫu) to a procedure."""

    ALLOWED = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".odt", ".ods", ".rtf")
    MAX_BYTES = 20 * 1024 * 1024

    title = forms.CharField(
        label=_("Tên biểu mẫu"),
        max_length=500,
        error_messages={"required": _("Nhập tên biểu mẫu.")},
    )
    file = forms.FileField(
        label=_("Tệp (PDF, DOC, DOCX, XLS, XLSX, ODT, ODS, RTF; tối đa 20 MB)"),
        error_messages={
            "required": _("Chọn tệp biểu mẫu."),
            "empty": _("Tệp biểu mẫu rỗng."),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith(self.ALLOWED):
            raise forms.ValidationError(
                _("Chỉ nhận tệp PDF, DOC, DOCX, XLS, XLSX, ODT, ODS hoặc RTF.")
            )
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("Tệp lớn hơn 20 MB."))
        return upload


class ImportForm(forms.Form):
    """Upload a catalogue file (JSON, CSV, XLSX)."""

    file = forms.FileField(
        label=_("Tệp danh mục (JSON, CSV hoặc XLSX)"),
        error_messages={"required": _("Chọn tệp để nhập."), "empty": _("Tệp rỗng.")},
    )
    valid_only = forms.BooleanField(
        label=_("Nếu có dòng lỗi, vẫn nhập các dòng hợp lệ"),
        required=False,
    )
