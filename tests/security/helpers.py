"""Security test helpers: accounts in roles, admin clients with a verified second factor."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

PASSWORD = "Mat-khau-bao-mat-2026"


def account(username, *roles, superuser=False, email=None):
    user = get_user_model().objects.create_user(
        username=username,
        password=PASSWORD,
        email=email or f"{username}@test.vn",
        first_name="Tên",
        last_name="Họ",
        is_superuser=superuser,
        is_staff=superuser,
    )
    user.groups.add(*Group.objects.filter(name__in=roles))
    return user


def verify_session(client, user) -> None:
    """Mark the client's session as having passed the second step (django-otp's own key).

    Used where the second factor is not what is tested: the session holds the user's
    confirmed device exactly as ``django_otp.login`` leaves it after a correct code.
    """
    from django_otp import DEVICE_ID_SESSION_KEY

    from tests.two_factor import give_totp_device

    device = give_totp_device(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def admin_client(tenant, user) -> Client:
    """A client on ``tenant``'s domain, logged in as ``user`` with a verified session."""
    client = Client(HTTP_HOST=tenant.primary_domain)
    client.force_login(user)
    verify_session(client, user)
    return client
