"""New admins receive their one-time link by e-mail, sent by the worker."""

import pytest
from django.core import mail
from django.test import Client

from tasks.notifications import send_admin_invitation
from tenants.provisioning import provision_site
from tenants.specs import SiteSpec

pytestmark = pytest.mark.django_db


def new_site(email):
    return provision_site(
        SiteSpec(
            name="Xã Tân Vinh",
            level="commune",
            code="04957",
            parent_code="152",
            domain="tanvinh.hoabinh.test.localhost",
            admin_email=email,
            admin_password="",
        ),
        send_invitation=False,
    ).tenant


def test_invitation_mail_carries_a_working_one_time_link(sites):
    tenant = new_site("canbo@tanvinh.gov.vn")
    assert send_admin_invitation(tenant.pk, "quantri") == "sent"
    (message,) = mail.outbox
    assert message.to == ["canbo@tanvinh.gov.vn"]
    assert message.subject == "[Xã Tân Vinh] Tài khoản quản trị trang thông tin điện tử"
    assert "Liên kết hết hạn sau 3 ngày" in message.body
    (html, mimetype) = message.alternatives[0]
    assert mimetype == "text/html" and "Kính gửi quản trị viên Xã Tân Vinh" in html
    link = next(line for line in message.body.splitlines() if "/password_reset/confirm/" in line)
    path = link.split("tanvinh.hoabinh.test.localhost", 1)[1]
    response = Client().get(path, HTTP_HOST="tanvinh.hoabinh.test.localhost", follow=True)
    assert 'name="new_password1"' in response.content.decode()


def test_no_mail_without_an_address(sites):
    tenant = new_site("")
    assert send_admin_invitation(tenant.pk, "quantri") == "no-email"
    assert mail.outbox == []
