"""Roles cannot grow themselves (issue 13, item 4): real form posts to a site's admin.

Only a superuser of the site grants superuser rights or the site-admin role, edits,
deactivates or deletes a superuser; support accounts (``hotro.…``) never get a password.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_tenants.utils import schema_context

from component_sites.accounts.users import (
    PRIVILEGED_GROUP_ONLY,
    SUPERUSER_ONLY,
    SUPERUSER_TARGET,
    SUPPORT_LINK_ONLY,
    SUPPORT_NAME_RESERVED,
)
from component_sites.editorial.roles import EDITOR, HEAD, SITE_ADMIN

from .helpers import account, admin_client

pytestmark = pytest.mark.django_db

User = get_user_model()


def _form(user, **changes):
    """The edit form's fields as the browser posts them, for ``user`` as it is."""
    data = {
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name or "Tên",
        "last_name": user.last_name or "Họ",
        "is_active": "on" if user.is_active else "",
        "groups": [str(pk) for pk in user.groups.values_list("pk", flat=True)],
        "password1": "",
        "password2": "",
    }
    if user.is_superuser:
        data["is_superuser"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v not in ("", None) or k.startswith("password")}


def _group(name):
    return str(Group.objects.get(name=name).pk)


@pytest.fixture
def commune(sites):
    with schema_context(sites.commune.schema_name):
        yield sites.commune


@pytest.fixture
def site_admin(commune):
    """A site admin who is not a superuser (group "Quản trị trang")."""
    user = account("qt.thuong", SITE_ADMIN)
    return user, admin_client(commune, user)


@pytest.fixture
def superuser(commune):
    user = User.objects.get(username="quantri")
    return user, admin_client(commune, user)


def _refused(response) -> bool:
    """Wagtail answers a refused admin view with a redirect to the dashboard (or 403)."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == "/admin/"
    )


def _body(response):
    return response.content.decode()


def test_site_admin_cannot_tick_superuser_on_an_account(site_admin):
    _admin, client = site_admin
    editor = account("btv.a", EDITOR)
    page = client.get(f"/admin/users/edit/{editor.pk}/")
    assert page.status_code == 200
    assert 'name="is_superuser"' not in _body(page)  # not offered
    response = client.post(f"/admin/users/edit/{editor.pk}/", _form(editor, is_superuser="on"))
    assert response.status_code == 200
    assert SUPERUSER_ONLY in _body(response)
    editor.refresh_from_db()
    assert not editor.is_superuser


def test_site_admin_cannot_create_a_superuser(site_admin):
    _admin, client = site_admin
    data = {
        "username": "moi.superuser",
        "email": "moi@test.vn",
        "first_name": "Mới",
        "last_name": "Tài khoản",
        "password1": "Mat-khau-moi-2026-xyz",
        "password2": "Mat-khau-moi-2026-xyz",
        "is_superuser": "on",
    }
    response = client.post("/admin/users/new/", data)
    assert response.status_code == 200
    assert SUPERUSER_ONLY in _body(response)
    assert not User.objects.filter(username="moi.superuser").exists()


def test_site_admin_cannot_grant_or_remove_the_site_admin_role(site_admin):
    _admin, client = site_admin
    editor = account("btv.b", EDITOR)
    other_admin = account("qt.khac", SITE_ADMIN)
    grant = client.post(
        f"/admin/users/edit/{editor.pk}/",
        _form(editor, groups=[_group(EDITOR), _group(SITE_ADMIN)]),
    )
    assert grant.status_code == 200
    assert PRIVILEGED_GROUP_ONLY.format(names=SITE_ADMIN) in _body(grant)
    assert not editor.groups.filter(name=SITE_ADMIN).exists()
    remove = client.post(f"/admin/users/edit/{other_admin.pk}/", _form(other_admin, groups=[]))
    assert remove.status_code == 200
    assert PRIVILEGED_GROUP_ONLY.format(names=SITE_ADMIN) in _body(remove)
    assert other_admin.groups.filter(name=SITE_ADMIN).exists()
    created = client.post(
        "/admin/users/new/",
        {
            "username": "qt.moi",
            "email": "qtmoi@test.vn",
            "first_name": "Mới",
            "last_name": "Quản trị",
            "password1": "Mat-khau-moi-2026-xyz",
            "password2": "Mat-khau-moi-2026-xyz",
            "groups": [_group(SITE_ADMIN)],
        },
    )
    assert created.status_code == 200
    assert not User.objects.filter(username="qt.moi").exists()


def test_site_admin_still_manages_ordinary_staff(site_admin):
    """The rules refuse escalation only: giving an editor the head's role works."""
    _admin, client = site_admin
    editor = account("btv.c", EDITOR)
    response = client.post(
        f"/admin/users/edit/{editor.pk}/",
        _form(editor, first_name="Lan", groups=[_group(EDITOR), _group(HEAD)]),
    )
    assert response.status_code == 302, _body(response)[:3000]
    editor.refresh_from_db()
    assert editor.first_name == "Lan"
    assert set(editor.groups.values_list("name", flat=True)) == {EDITOR, HEAD}


def test_site_admin_cannot_edit_deactivate_or_delete_a_superuser(site_admin):
    _admin, client = site_admin
    boss = User.objects.get(username="quantri")
    assert _refused(client.get(f"/admin/users/edit/{boss.pk}/"))
    posted = client.post(f"/admin/users/edit/{boss.pk}/", _form(boss, is_active="", email="x@x.vn"))
    assert _refused(posted)
    assert _refused(client.post(f"/admin/users/delete/{boss.pk}/"))
    boss.refresh_from_db()
    assert boss.is_active and boss.is_superuser and boss.email != "x@x.vn"
    # The listing's bulk actions follow the same rule.
    deactivate = client.post(
        f"/admin/bulk/{User._meta.app_label}/{User._meta.model_name}/set_active_state/?id={boss.pk}",
        {"mark_as_active": "False"},
        follow=True,
    )
    assert SUPERUSER_TARGET in _body(deactivate)
    delete = client.post(
        f"/admin/bulk/{User._meta.app_label}/{User._meta.model_name}/delete/?id={boss.pk}",
        follow=True,
    )
    assert delete.status_code in (200, 403, 404)  # 404: no such bulk action in this admin
    boss.refresh_from_db()
    assert boss.is_active
    assert User.objects.filter(pk=boss.pk).exists()


def test_bulk_assign_role_refuses_the_site_admin_role(site_admin):
    _admin, client = site_admin
    editor = account("btv.d", EDITOR)
    response = client.post(
        f"/admin/bulk/{User._meta.app_label}/{User._meta.model_name}/assign_role/?id={editor.pk}",
        {"role": _group(SITE_ADMIN)},
        follow=True,
    )
    assert PRIVILEGED_GROUP_ONLY.format(names=SITE_ADMIN) in _body(response)
    assert not editor.groups.filter(name=SITE_ADMIN).exists()
    # An ordinary role is still assigned in bulk.
    client.post(
        f"/admin/bulk/{User._meta.app_label}/{User._meta.model_name}/assign_role/?id={editor.pk}",
        {"role": _group(HEAD)},
    )
    assert editor.groups.filter(name=HEAD).exists()


def test_superuser_grants_superuser_and_site_admin(superuser):
    _boss, client = superuser
    editor = account("btv.e", EDITOR)
    response = client.post(
        f"/admin/users/edit/{editor.pk}/",
        _form(editor, is_superuser="on", groups=[_group(SITE_ADMIN)]),
    )
    assert response.status_code == 302, _body(response)[:3000]
    editor.refresh_from_db()
    assert editor.is_superuser
    assert editor.groups.filter(name=SITE_ADMIN).exists()


def test_editor_cannot_open_user_management(commune):
    editor = account("btv.f", EDITOR)
    client = admin_client(commune, editor)
    target = account("ctv.g")
    assert client.get("/admin/users/").status_code in (302, 403)
    response = client.post(f"/admin/users/edit/{target.pk}/", _form(target, is_superuser="on"))
    assert response.status_code in (302, 403)
    target.refresh_from_db()
    assert not target.is_superuser


def test_support_account_cannot_be_given_a_password_in_the_form(superuser):
    _boss, client = superuser
    support = User.objects.create_user(
        "hotro.tinh", email="hotro@test.vn", is_superuser=True, is_staff=True
    )
    assert not support.has_usable_password()
    response = client.post(
        f"/admin/users/edit/{support.pk}/",
        _form(support, password1="Mat-khau-ho-tro-2026", password2="Mat-khau-ho-tro-2026"),
    )
    assert response.status_code == 200
    assert SUPPORT_LINK_ONLY in _body(response)
    support.refresh_from_db()
    assert not support.has_usable_password()


def test_no_account_may_be_named_like_a_support_account(superuser):
    _boss, client = superuser
    response = client.post(
        "/admin/users/new/",
        {
            "username": "hotro.gia",
            "email": "gia@test.vn",
            "first_name": "Giả",
            "last_name": "Hỗ trợ",
            "password1": "Mat-khau-gia-2026-xyz",
            "password2": "Mat-khau-gia-2026-xyz",
        },
    )
    assert response.status_code == 200
    assert SUPPORT_NAME_RESERVED in _body(response)
    assert not User.objects.filter(username="hotro.gia").exists()
    editor = account("btv.h", EDITOR)
    renamed = client.post(f"/admin/users/edit/{editor.pk}/", _form(editor, username="hotro.btv"))
    assert SUPPORT_NAME_RESERVED in _body(renamed)
    editor.refresh_from_db()
    assert editor.username == "btv.h"


def test_support_account_is_saved_without_a_usable_password(commune):
    support = User.objects.create_user("hotro.mau", password="Mat-khau-ho-tro-2026")
    assert not support.has_usable_password()
    support.set_password("Lan-nua-2026")
    support.save()
    support.refresh_from_db()
    assert not support.has_usable_password()
    support.set_password("Lan-ba-2026")
    support.save(update_fields=["last_name"])
    assert not User.objects.get(pk=support.pk).has_usable_password()
    # Authenticating with any password fails.
    from django.contrib.auth import authenticate

    assert authenticate(username="hotro.mau", password="Lan-ba-2026") is None
