"""Citizen forms: the question form, the lookup form and the draft comment form.

Each form carries the offline captcha (a signed arithmetic question) and a honeypot field
that people never see and bots fill in.  Text is kept as plain text: tags are stripped
here and the templates escape whatever remains.
"""

from __future__ import annotations

import re

from django import forms
from django.utils.html import strip_tags

from . import guards
from .models import QuestionField, ServiceRating

PHONE = re.compile(r"^(\+84|0)[0-9]{8,10}$")
HONEYPOT_MESSAGE = "Không gửi được: biểu mẫu có dấu hiệu được điền tự động. Vui lòng thử lại."


def plain(text: str) -> str:
    """Tags removed (``<b>x</b>`` → ``x``), surrounding spaces trimmed."""
    return strip_tags(text or "").strip()


FILE_AGAIN = "Tệp “{name}” chưa được gửi: vui lòng chọn lại tệp trước khi gửi."


def mark_errors(form) -> None:
    """Flag each field in error for assistive technology; ask again for chosen files.

    A browser never keeps a chosen file after the page reloads, so a form that comes back
    with an error says so next to the file field (``field.notice``), naming the file.
    """
    errors = form.errors if form.is_bound else {}
    for name, field in form.fields.items():
        if name in errors and not field.widget.is_hidden:  # no aria-* on hidden inputs
            field.widget.attrs["aria-invalid"] = "true"
        else:
            field.widget.attrs.pop("aria-invalid", None)
        upload = form.files.get(name) if isinstance(field, forms.FileField) else None
        if upload is not None and getattr(upload, "name", ""):
            field.notice = FILE_AGAIN.format(name=upload.name)


class HoneypotForm(forms.Form):
    """Only the honeypot: for one-click forms (ratings) that carry no free text."""

    website = forms.CharField(required=False, label="Trang web (để trống)")

    def clean(self):
        cleaned = super().clean()
        if self.data.get("website"):
            raise forms.ValidationError(HONEYPOT_MESSAGE, code="honeypot")
        return cleaned


class GuardedForm(forms.Form):
    """A form with the captcha and the honeypot; ``captcha_question`` is shown as the label."""

    # Hidden from people by CSS and from screen readers by aria-hidden on its wrapper.
    website = forms.CharField(required=False, label="Trang web (để trống)")
    captcha_token = forms.CharField(widget=forms.HiddenInput)
    captcha_answer = forms.CharField(
        label="Câu hỏi kiểm tra",
        max_length=20,
        error_messages={"required": "Vui lòng trả lời câu hỏi kiểm tra."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.captcha_question = ""
        if not self.is_bound:
            self.refresh_captcha()

    def refresh_captcha(self):
        """A new question each time the form is shown; views call it again after an error.

        After an error the form keeps what was typed, shows the new question as the answer's
        label, marks the wrong fields (``aria-invalid``) and asks for any file again.
        """
        self.captcha_question, token = guards.new_captcha()
        self.fields["captcha_answer"].label = self.captcha_question
        self.fields["captcha_answer"].help_text = "Trả lời bằng số, ví dụ: 7."
        if self.is_bound:
            self.data = self.data.copy()
            self.data["captcha_answer"] = ""
            self.data["captcha_token"] = token
            mark_errors(self)
        self.initial["captcha_token"] = token
        # Bound fields copy the label and help text when first built (validation builds
        # them): without this the page would show the old label, not the new question.
        self._bound_fields_cache.clear()

    def clean(self):
        cleaned = super().clean()
        if self.data.get("website"):
            raise forms.ValidationError(HONEYPOT_MESSAGE, code="honeypot")
        if "captcha_answer" in cleaned and "captcha_token" in cleaned:
            try:
                guards.check_captcha(cleaned["captcha_token"], cleaned["captcha_answer"])
            except forms.ValidationError as error:
                self.add_error("captcha_answer", error)
        return cleaned


class QuestionForm(GuardedForm):
    asker_name = forms.CharField(label="Họ và tên", max_length=120)
    asker_email = forms.EmailField(
        label="Thư điện tử",
        required=False,
        help_text="Để nhận thông báo khi có câu trả lời. Không công khai.",
    )
    asker_phone = forms.CharField(
        label="Số điện thoại", required=False, max_length=20, help_text="Không công khai."
    )
    field = forms.ChoiceField(
        label="Lĩnh vực", choices=[("", "— Chọn lĩnh vực —"), *QuestionField.choices]
    )
    title = forms.CharField(label="Tiêu đề câu hỏi", max_length=200)
    text = forms.CharField(
        label="Nội dung câu hỏi", widget=forms.Textarea(attrs={"rows": 8}), max_length=5000
    )
    attachment = forms.FileField(
        label="Tệp đính kèm (không bắt buộc)",
        required=False,
        help_text="PDF, DOCX, JPEG hoặc PNG, tối đa 5 MB.",
    )

    field_order = [
        "asker_name", "asker_email", "asker_phone", "field", "title", "text", "attachment",
        "captcha_answer", "captcha_token", "website",
    ]  # fmt: skip

    def clean_asker_name(self):
        return plain(self.cleaned_data["asker_name"])

    def clean_title(self):
        value = plain(self.cleaned_data["title"])
        if len(value) < 5:
            raise forms.ValidationError("Tiêu đề quá ngắn (ít nhất 5 ký tự).")
        return value

    def clean_text(self):
        value = plain(self.cleaned_data["text"])
        if len(value) < 20:
            raise forms.ValidationError("Nội dung câu hỏi quá ngắn (ít nhất 20 ký tự).")
        return value

    def clean_asker_phone(self):
        value = re.sub(r"[\s.\-]", "", self.cleaned_data.get("asker_phone", ""))
        if value and not PHONE.match(value):
            raise forms.ValidationError("Số điện thoại không hợp lệ (ví dụ: 0912345678).")
        return value

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            guards.check_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        no_contact = not cleaned.get("asker_email") and not cleaned.get("asker_phone")
        if no_contact and not {"asker_email", "asker_phone"} & set(self.errors):
            self.add_error(
                "asker_email", "Vui lòng cho biết thư điện tử hoặc số điện thoại để liên hệ."
            )
        return cleaned


class FeedbackForm(QuestionForm):
    """Feedback and petitions (phản ánh, kiến nghị): the question form, worded for them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].label = "Tiêu đề phản ánh, kiến nghị"
        self.fields["text"].label = "Nội dung phản ánh, kiến nghị"
        self.fields["text"].help_text = "Nêu rõ sự việc, địa điểm, thời gian và đề nghị của bạn."
        self.fields[
            "asker_email"
        ].help_text = "Để nhận thông báo khi có kết quả xử lý. Không công khai."

    def clean_text(self):
        value = plain(self.cleaned_data["text"])
        if len(value) < 20:
            raise forms.ValidationError("Nội dung phản ánh, kiến nghị quá ngắn (ít nhất 20 ký tự).")
        return value


class LookupForm(forms.Form):
    code = forms.CharField(
        label="Mã tra cứu",
        max_length=32,
        help_text=(
            "Mã nhận được khi gửi câu hỏi (ví dụ HD-7K4M-Q9XZ-RT) "
            "hoặc phản ánh, kiến nghị (ví dụ PA-7K4M-Q9XZ-RT)."
        ),
    )


class DraftCommentForm(GuardedForm):
    author_name = forms.CharField(label="Họ và tên hoặc tên tổ chức", max_length=160)
    author_email = forms.EmailField(
        label="Thư điện tử (không bắt buộc, không công khai)", required=False
    )
    article_ref = forms.CharField(
        label="Góp ý cho điều, khoản (không bắt buộc)", required=False, max_length=120
    )
    text = forms.CharField(
        label="Nội dung góp ý", widget=forms.Textarea(attrs={"rows": 6}), max_length=5000
    )

    field_order = [
        "author_name", "author_email", "article_ref", "text",
        "captcha_answer", "captcha_token", "website",
    ]  # fmt: skip

    def clean_author_name(self):
        return plain(self.cleaned_data["author_name"])

    def clean_article_ref(self):
        return plain(self.cleaned_data.get("article_ref", ""))

    def clean_text(self):
        value = plain(self.cleaned_data["text"])
        if len(value) < 10:
            raise forms.ValidationError("Nội dung góp ý quá ngắn (ít nhất 10 ký tự).")
        return value


class ArticleCommentForm(GuardedForm):
    author_name = forms.CharField(label="Họ và tên", max_length=120)
    text = forms.CharField(
        label="Nội dung bình luận",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        help_text="Bình luận được đăng sau khi được duyệt.",
    )

    field_order = ["author_name", "text", "captcha_answer", "captcha_token", "website"]

    def clean_author_name(self):
        value = plain(self.cleaned_data["author_name"])
        if len(value) < 2:
            raise forms.ValidationError("Vui lòng nhập họ và tên.")
        return value

    def clean_text(self):
        value = plain(self.cleaned_data["text"])
        if len(value) < 10:
            raise forms.ValidationError("Nội dung bình luận quá ngắn (ít nhất 10 ký tự).")
        return value


RATING_CHOICES = [(str(n), f"{n} sao") for n in range(1, 6)]


class ArticleRatingForm(HoneypotForm):
    value = forms.TypedChoiceField(
        label="Đánh giá bài viết",
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Vui lòng chọn số sao từ 1 đến 5.",
            "invalid_choice": "Số sao không hợp lệ: vui lòng chọn từ 1 đến 5.",
        },
    )

    field_order = ["value", "website"]


class ServiceRatingForm(GuardedForm):
    level = forms.ChoiceField(
        label="Bạn có hài lòng với thông tin, dịch vụ của cổng thông tin?",
        choices=ServiceRating.Level.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Vui lòng chọn mức độ hài lòng.",
            "invalid_choice": "Mức độ hài lòng không hợp lệ.",
        },
    )
    comment = forms.CharField(
        label="Góp ý thêm (không bắt buộc)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Không ghi họ tên, số điện thoại hay địa chỉ: đánh giá là ẩn danh.",
    )

    field_order = ["level", "comment", "captcha_answer", "captcha_token", "website"]

    def clean_comment(self):
        return plain(self.cleaned_data.get("comment", ""))
