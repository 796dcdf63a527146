"""Login forms that say when an account is locked out; the second step's code form."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy
from django_otp.forms import OTPAuthenticationFormMixin
from wagtail.admin.forms.auth import LoginForm
from wagtail.admin.forms.auth import PasswordResetForm as WagtailPasswordResetForm

from . import lockout


class LockoutMessageMixin:
    """Shows the lockout message instead of "wrong username or password".

    The lockout backend refuses a locked-out username before looking at the password, which
    Django reports as a wrong password; the account holder is told the real reason instead
    (also right after the failure that locked the account).
    """

    locked = False

    def _refuse_if_locked(self, username):
        lock = lockout.lock_for(getattr(self, "request", None), username) if username else None
        if lock is not None:
            self.locked = True
            raise ValidationError(lock.message, code="locked")

    def clean(self):
        username = self.cleaned_data.get("username")
        self._refuse_if_locked(username)
        try:
            return super().clean()
        except ValidationError:
            self._refuse_if_locked(username)
            raise


class LockoutAwareLoginForm(LockoutMessageMixin, LoginForm):
    """The site admin's login form (``WAGTAILADMIN_USER_LOGIN_FORM``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Wagtail's password field has no label of its own: Django would show "Password".
        self.fields["password"].label = gettext_lazy("Password")


class ConsoleLoginForm(LockoutMessageMixin, AuthenticationForm):
    """The platform console's login form."""


def normalise_code(value: str) -> str:
    """Codes are read without spaces or dashes; backup codes in any case."""
    return "".join(ch for ch in (value or "") if ch not in " -\t").lower()


class OTPCodeForm(OTPAuthenticationFormMixin, forms.Form):
    """One field: the 6-digit code of the authenticator app, or a backup code.

    Verification, throttling and the failure signal are django-otp's
    (``OTPAuthenticationFormMixin.clean_otp``); this form only picks the device the code
    is meant for (six digits: the app; anything else: the backup codes) and speaks
    Vietnamese.  ``device`` fixes the device (enrolment: the new, unconfirmed app).
    """

    otp_token = forms.CharField(
        label="Mã xác thực",
        required=False,
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )

    otp_error_messages = {
        **OTPAuthenticationFormMixin.otp_error_messages,
        "token_required": "Vui lòng nhập mã xác thực.",
        "invalid_token": (
            "Mã xác thực không đúng hoặc đã được dùng. Hãy nhập mã đang hiển thị trong ứng "
            "dụng xác thực (mỗi mã chỉ dùng được một lần), hoặc một mã dự phòng chưa dùng."
        ),
        "n_failed_attempts": (
            "Đã nhập sai mã %(failure_count)d lần liên tiếp nên tạm thời chưa kiểm tra mã "
            "mới. Vui lòng đợi một lát rồi thử lại."
        ),
        "verification_not_allowed": "Tạm thời chưa thể kiểm tra mã. Vui lòng thử lại sau.",
        "device_required": "Tài khoản chưa có thiết bị xác thực.",
    }

    # Failures of the login's second step count toward the account lockout; mistakes
    # while enrolling a new app do not (nothing is protected by that device yet).
    counts_failures = True

    def __init__(self, user, *args, device=None, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = device
        self.request = request

    def get_user(self):
        return self.user

    def _device_for(self, token: str):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from .two_factor import backup_device

        app = TOTPDevice.objects.filter(user=self.user, confirmed=True).first()
        if len(token) == 6 and token.isdigit():
            return app
        return backup_device(self.user) or app

    def clean(self):
        cleaned = super().clean()
        token = normalise_code(cleaned.get("otp_token", ""))
        cleaned["otp_token"] = token
        device = self.device or self._device_for(token)
        cleaned["otp_device"] = device.persistent_id if device is not None else ""
        try:
            self.clean_otp(self.user)
        except ValidationError as exc:
            if self.counts_failures and getattr(exc, "code", None) == "invalid_token":
                self._count_failure()
            raise
        return cleaned

    def _count_failure(self) -> None:
        """A wrong code at login counts toward the lockout (this address) and is audited."""
        from .two_factor import audit

        lockout.record_failure(self.request, self.user.get_username())
        audit(self.user, "editorial.two_factor_failure")


class EnrolmentCodeForm(OTPCodeForm):
    counts_failures = False

    otp_error_messages = {
        **OTPCodeForm.otp_error_messages,
        "invalid_token": (
            "Mã xác thực không đúng. Hãy kiểm tra giờ trên điện thoại (tự động theo mạng) "
            "và nhập mã 6 chữ số đang hiển thị cho tài khoản này."
        ),
    }


class SitePasswordResetForm(WagtailPasswordResetForm):
    """The admin's "forgot password" form (``WAGTAILADMIN_USER_PASSWORD_RESET_FORM``).

    Nothing is mailed from the web process: the worker builds the link on the site's primary
    domain (the configured scheme and port, never the request's spelling of the host) and
    sends a Vietnamese mail, with Celery's retries (task ``tasks.accounts.send_password_reset``).
    """

    email = forms.EmailField(
        label="Địa chỉ thư điện tử của tài khoản", max_length=254, required=True
    )

    def save(self, *args, **kwargs):
        from functools import partial

        from django.db import connection, transaction

        schema = connection.schema_name
        for user in self.get_users(self.cleaned_data["email"]):
            transaction.on_commit(partial(_enqueue_password_reset, schema, user.pk))


RESET_MAIL_TASK = "tasks.accounts.send_password_reset"


def _enqueue_password_reset(schema: str, user_id: int) -> None:
    """Queued by task name (domain code does not import ``tasks``)."""
    from portal.celery_app import app

    app.signature(RESET_MAIL_TASK, args=(schema, user_id)).delay()
