"""E-mail notifications sent by the worker."""

from __future__ import annotations

from celery import shared_task
from django.core.mail import send_mail
from django.db import connection

SMTP_ERRORS = (ConnectionError, TimeoutError, OSError)


@shared_task(
    name="tasks.notifications.send_admin_invitation",
    autoretry_for=SMTP_ERRORS,
    retry_backoff=True,
    max_retries=5,
)
def send_admin_invitation(tenant_id: int, username: str) -> str:
    """Mail a new site's admin the one-time link to set a password (retried on SMTP errors)."""
    from django.contrib.auth import get_user_model
    from django_tenants.utils import schema_context

    from tenants.models import Tenant
    from tenants.onboarding import admin_setup_link, site_base_url

    connection.set_schema_to_public()
    tenant = Tenant.objects.get(pk=tenant_id)
    link = admin_setup_link(tenant, username)
    with schema_context(tenant.schema_name):
        email = get_user_model().objects.get(username=username).email
    if not email:
        return "no-email"
    send_mail(
        subject=f"[{tenant.name}] Tài khoản quản trị trang thông tin điện tử",
        message=(
            f"Kính gửi quản trị viên {tenant.name},\n\n"
            f"Tài khoản quản trị “{username}” của trang {site_base_url(tenant)}/ đã được tạo.\n"
            "Vui lòng đặt mật khẩu qua liên kết dùng một lần dưới đây:\n\n"
            f"{link}\n\n"
            "Liên kết hết hạn sau 3 ngày và chỉ dùng được một lần.\n"
        ),
        from_email=None,
        recipient_list=[email],
    )
    return "sent"
