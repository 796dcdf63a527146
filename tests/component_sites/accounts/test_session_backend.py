"""A session opened before the lockout backend moved to the accounts app stays logged in."""

import importlib

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client
from django_tenants.utils import schema_context

from component_sites.editorial.roles import EDITOR
from tests.component_sites.editorial.helpers import user

pytestmark = pytest.mark.django_db

migration = importlib.import_module("component_sites.accounts.migrations.0001_session_backend_path")


def _set_backend(session_key: str, path: str) -> None:
    store = SessionStore(session_key=session_key)
    data = store.load()
    data[BACKEND_SESSION_KEY] = path
    Session.objects.filter(pk=session_key).update(session_data=store.encode(data))


def _backend(session_key: str) -> str:
    return SessionStore(session_key=session_key).load().get(BACKEND_SESSION_KEY)


def test_an_old_session_is_rewritten_and_keeps_its_login(sites):
    client = Client(HTTP_HOST=sites.commune.primary_domain)
    with schema_context(sites.commune.schema_name):
        user("btv", EDITOR)
    response = client.post(
        "/admin/login/", {"username": "btv", "password": "Mat-khau-bien-tap-2026"}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    key = client.session.session_key
    with schema_context(sites.commune.schema_name):
        _set_backend(key, migration.OLD)
        other = SessionStore()
        other["note"] = "không đăng nhập"
        other.create()
        untouched = Session.objects.get(pk=other.session_key).session_data
    # The old path is no longer a backend: Django would end that session.
    assert client.get("/admin/").status_code == 302
    with schema_context(sites.commune.schema_name):
        assert migration.rename_backend(Session) == 1
        assert _backend(key) == migration.NEW
        assert Session.objects.get(pk=other.session_key).session_data == untouched
        assert migration.rename_backend(Session) == 0  # runs again harmlessly
    assert client.get("/admin/").status_code == 200
