"""Console forms of scoring: criteria versions, periods, council members."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils import timezone

from tenants.models import Tenant

from .criteria_sets import CriterionSpec
from .models import Criterion, Metric, Period


class CriterionForm(forms.Form):
    code = forms.SlugField(label="Mã", max_length=40)
    name = forms.CharField(label="Tên tiêu chí", max_length=255)
    kind = forms.ChoiceField(label="Loại", choices=Criterion.Kind.choices)
    metric = forms.ChoiceField(
        label="Số liệu (tiêu chí tự động)",
        choices=[("", "—")] + list(Metric.choices),
        required=False,
    )
    weight = forms.DecimalField(label="Trọng số (%)", max_digits=5, decimal_places=2, min_value=0)
    max_score = forms.DecimalField(
        label="Điểm tối đa", max_digits=5, decimal_places=2, min_value=Decimal("0.01")
    )
    target = forms.DecimalField(
        label="Mức đạt điểm tối đa",
        max_digits=9,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text="Số lượng mỗi tháng (tin bài, văn bản, dự thảo) hoặc mili giây (tốc độ).",
    )
    description = forms.CharField(
        label="Hướng dẫn chấm", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def spec(self) -> CriterionSpec:
        data = self.cleaned_data
        return CriterionSpec(
            code=data["code"],
            name=data["name"].strip(),
            kind=data["kind"],
            weight=data["weight"],
            max_score=data["max_score"],
            metric=data.get("metric") or "",
            target=data.get("target"),
            description=(data.get("description") or "").strip(),
        )


CriteriaFormSet = forms.formset_factory(CriterionForm, extra=1, can_delete=True, max_num=40)


def initial_rows(specs: list[CriterionSpec]) -> list[dict]:
    return [
        {
            "code": s.code,
            "name": s.name,
            "kind": s.kind,
            "metric": s.metric,
            "weight": s.weight,
            "max_score": s.max_score,
            "target": s.target,
            "description": s.description,
        }
        for s in specs
    ]


class PeriodForm(forms.Form):
    province = forms.ModelChoiceField(
        label="Tỉnh",
        queryset=Tenant.objects.filter(level=Tenant.Level.PROVINCE).order_by("name"),
        empty_label=None,
    )
    kind = forms.ChoiceField(label="Loại kỳ", choices=Period.Kind.choices)
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    number = forms.IntegerField(
        label="Quý / nửa năm",
        min_value=1,
        max_value=4,
        initial=1,
        required=False,
        help_text="Quý: 1–4. Kỳ 6 tháng: 1 = 6 tháng đầu năm, 2 = 6 tháng cuối năm.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["number"].initial = (today.month - 1) // 3 + 1


class CouncilMemberForm(forms.Form):
    username = forms.RegexField(
        label="Tên đăng nhập",
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": "Tên đăng nhập chỉ gồm chữ, số và các ký tự . @ + - _"},
    )
    full_name = forms.CharField(label="Họ và tên", max_length=150)
    email = forms.EmailField(label="Thư điện tử")
    password = forms.CharField(label="Mật khẩu", widget=forms.PasswordInput, strip=False)

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("Tên đăng nhập này đã có.")
        return username

    def clean(self):
        data = super().clean()
        if data.get("password"):
            user = get_user_model()(username=data.get("username", ""), email=data.get("email", ""))
            try:
                password_validation.validate_password(data["password"], user)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data
