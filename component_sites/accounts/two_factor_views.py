"""Views of two-factor authentication: the code step, enrolment, backup codes, reset.

The same views serve a site's admin and the platform console: the URL configuration
passes a ``Flavour`` (the templates' folder, the home page, the login page) as an extra
argument; a site's admin uses ``SITE``.
"""

from __future__ import annotations

from base64 import b32encode
from dataclasses import dataclass
from urllib.parse import urlencode

import django_otp
import segno
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django_otp.plugins.otp_static.models import StaticDevice

from . import lockout, two_factor
from .forms import EnrolmentCodeForm, OTPCodeForm
from .two_factor import ENROL, VERIFY, pending_step, step_url


@dataclass(frozen=True)
class Flavour:
    """Where the views live: templates' folder, the home page's and the login page's names."""

    templates: str
    home: str
    login: str

    def template(self, name: str) -> str:
        return f"{self.templates}/{name}.html"


SITE = Flavour("accounts/two_factor", "wagtailadmin_home", "wagtailadmin_login")


def _next_url(request, flavour: Flavour = SITE) -> str:
    """The page to go to afterwards: a path on this site only, else the home page."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse(flavour.home)


def _locked_out(request, lock, flavour: Flavour = SITE):
    """Too many wrong codes: the half-open session ends, the login page says why."""
    logout(request)
    messages.error(request, lock.message)
    return redirect(flavour.login)


def _verified(request, device) -> None:
    """The session now counts as verified by ``device`` (new session key: privileges grew)."""
    request.session.cycle_key()
    django_otp.login(request, device)
    lockout.forget_failures(request, request.user.get_username())


def verify(request, flavour: Flavour = SITE):
    """The login's second step: the code of the app, or a backup code."""
    user = request.user
    next_url = _next_url(request, flavour)
    step = pending_step(user)
    if step == ENROL:
        return redirect(step_url(ENROL, next_url))
    if step is None:
        return redirect(next_url)
    lock = lockout.lock_for(request, user.get_username())
    if lock is not None:
        return _locked_out(request, lock, flavour)
    form = OTPCodeForm(
        user, data=request.POST if request.method == "POST" else None, request=request
    )
    if form.is_valid():
        device = user.otp_device
        _verified(request, device)
        if isinstance(device, StaticDevice):
            remaining = two_factor.remaining_backup_codes(user)
            two_factor.audit(user, "editorial.two_factor_backup_used", left=remaining)
            messages.warning(
                request,
                f"Bạn vừa dùng một mã dự phòng; còn {remaining} mã. Nếu mất điện thoại, hãy "
                "nhờ quản trị trang đặt lại xác thực hai bước, hoặc tạo mã dự phòng mới tại "
                "Tài khoản → Xác thực hai bước.",
            )
        return redirect(next_url)
    lock = lockout.lock_for(request, user.get_username()) if form.is_bound else None
    if lock is not None:
        return _locked_out(request, lock, flavour)
    return TemplateResponse(request, flavour.template("verify"), {"form": form, "next": next_url})


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def enrol(request, flavour: Flavour = SITE):
    """Turn on two-factor authentication: scan the QR code (or type the key), confirm a code."""
    user = request.user
    next_url = _next_url(request, flavour)
    if two_factor.is_enrolled(user):
        if pending_step(user) == VERIFY:
            return redirect(step_url(VERIFY, next_url))
        messages.info(request, "Xác thực hai bước của tài khoản này đã được bật.")
        return redirect("two_factor_account")
    device = two_factor.enrolment_device(user)
    form = EnrolmentCodeForm(
        user, device=device, data=request.POST if request.method == "POST" else None
    )
    if form.is_valid():
        codes = two_factor.confirm_enrolment(user, device)
        _verified(request, device)
        request.session[two_factor.NEW_CODES_SESSION_KEY] = codes
        return redirect(f"{reverse('two_factor_backup_codes')}?{urlencode({'next': next_url})}")
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "next": next_url,
        "required": two_factor.requires_two_factor(user),
        "qr_svg": mark_safe(  # noqa: S308 - segno's own SVG markup, no user input in it
            qr.svg_inline(scale=5, border=2, title="Mã QR để thêm tài khoản vào ứng dụng")
        ),
        "secret": _grouped(b32encode(device.bin_key).decode()),
        "issuer": two_factor.totp_issuer(),
        "username": user.get_username(),
    }
    return TemplateResponse(request, flavour.template("enrol"), context)


def backup_codes(request, flavour: Flavour = SITE):
    """The new backup codes, shown once."""
    codes = request.session.pop(two_factor.NEW_CODES_SESSION_KEY, None)
    if not codes:
        return redirect("two_factor_account")
    next_url = _next_url(request, flavour)
    return TemplateResponse(
        request, flavour.template("backup_codes"), {"codes": codes, "next": next_url}
    )


def account(request, flavour: Flavour = SITE):
    """The user's own two-factor settings (account menu)."""
    user = request.user
    enrolled = two_factor.is_enrolled(user)
    required = two_factor.requires_two_factor(user)
    if request.method == "POST" and enrolled:
        action = request.POST.get("action")
        if action == "new_codes":
            request.session[two_factor.NEW_CODES_SESSION_KEY] = two_factor.new_backup_codes(user)
            two_factor.audit(user, "editorial.two_factor_new_codes")
            query = urlencode({"next": reverse("two_factor_account")})
            return redirect(f"{reverse('two_factor_backup_codes')}?{query}")
        if action == "disable" and not required:
            two_factor.disable(request)
            messages.success(request, "Đã tắt xác thực hai bước của tài khoản.")
            return redirect("two_factor_account")
        messages.error(request, "Thao tác không hợp lệ; không có gì thay đổi.")
        return redirect("two_factor_account")
    context = {
        "enrolled": enrolled,
        "required": required,
        "remaining": two_factor.remaining_backup_codes(user) if enrolled else 0,
    }
    return TemplateResponse(request, flavour.template("account"), context)


def reset(request, user_id: int):
    """A site admin removes another account's devices (lost phone); audited."""
    target = get_object_or_404(get_user_model(), pk=user_id)
    if not two_factor.can_reset(request.user, target):
        raise PermissionDenied
    edit_url = reverse("wagtailusers_users:edit", args=[target.pk])
    if request.method == "POST":
        removed = two_factor.reset_devices(
            target, by=request.user, reason=f"Đặt lại bởi {request.user.get_username()}"
        )
        if removed:
            messages.success(
                request,
                f"Đã đặt lại xác thực hai bước của {target.get_username()}. "
                + (
                    "Lần đăng nhập tới, tài khoản sẽ được yêu cầu đăng ký lại."
                    if two_factor.requires_two_factor(target)
                    else "Tài khoản có thể tự bật lại trong trang Tài khoản."
                ),
            )
        else:
            messages.info(request, f"{target.get_username()} chưa bật xác thực hai bước.")
        return redirect(edit_url)
    context = {
        "target": target,
        "enrolled": two_factor.is_enrolled(target),
        "edit_url": edit_url,
    }
    return TemplateResponse(request, "accounts/two_factor/reset.html", context)
