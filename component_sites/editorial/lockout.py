"""Brute-force protection of every login (site admins and the console): lockout after failures.

Failures are counted per site (the cache keys carry the schema) and per username in
Redis; after ``LOGIN_FAILURE_LIMIT`` failures within ``LOGIN_LOCKOUT_SECONDS`` the
account cannot log in, even with the right password, until the period has passed.  A
successful login clears the count; for an account with two-factor authentication, only a
successful second step does (wrong codes count as failures too, see ``two_factor``).
"""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

LIMIT = getattr(settings, "LOGIN_FAILURE_LIMIT", 5)
SECONDS = getattr(settings, "LOGIN_LOCKOUT_SECONDS", 15 * 60)
LOCKED_MESSAGE = (
    "Tài khoản tạm khoá do đăng nhập sai nhiều lần. Vui lòng thử lại sau 15 phút "
    "hoặc liên hệ quản trị trang."
)


def _key(username: str) -> str:
    return f"login-failures:{(username or '').strip().lower()}"


def is_locked(username: str) -> bool:
    return int(cache.get(_key(username), 0)) >= LIMIT


def record_failure(sender, credentials, request=None, **kwargs):
    key = _key(credentials.get("username", ""))
    cache.add(key, 0, timeout=SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=SECONDS)


def forget_failures(username: str) -> None:
    cache.delete(_key(username))


def clear_failures(sender, request, user, **kwargs):
    from .two_factor import is_enrolled

    if is_enrolled(user) and not getattr(user, "otp_device", None):
        return  # the password was right; the code is still to come
    forget_failures(user.get_username())


class LockoutModelBackend(ModelBackend):
    """Django's model backend that refuses a locked-out username before checking passwords."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None and is_locked(username):
            # PermissionDenied stops authentication at once (no other backend is asked).
            raise PermissionDenied(LOCKED_MESSAGE)
        return super().authenticate(request, username=username, password=password, **kwargs)


def register() -> None:
    user_login_failed.connect(record_failure, dispatch_uid="editorial_login_failed")
    user_logged_in.connect(clear_failures, dispatch_uid="editorial_logged_in")
