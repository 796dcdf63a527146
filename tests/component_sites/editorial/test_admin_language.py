"""The admin in Vietnamese: a walk of the clerk's screens as each role, failing on English.

Every screen a role opens (login, dashboard, sidebar, page explorer and editor, workflow,
images, documents, snippets, reports, settings, account) is read as a person reads it:
text, button and field labels, tooltips, and the menu Wagtail draws from JSON.  A label
from ``ENGLISH`` anywhere on it fails the test.  ``ADMIN_LANGUAGE_DUMP=<file>`` also
writes every remaining all-ASCII fragment to that file (to find what else needs a
translation).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.utils import translation
from django_tenants.utils import schema_context

from component_sites.editorial.roles import CLERK, COLLABORATOR, EDITOR, HEAD, SITE_ADMIN
from tests.component_sites.factories import make_category, make_image, make_site_document
from tests.security.helpers import verify_session

from .helpers import draft_article, submit, user

pytestmark = pytest.mark.django_db

# English labels clerks met (issue 15) and the other Wagtail/Django strings now translated.
ENGLISH = [
    # login
    "Sign in to Wagtail",
    "Sign in",
    "Forgotten password?",
    "Enter your username",
    "Remember me",
    # sidebar
    "Images",
    "Documents",
    "Snippets",
    "Reports",
    "Locked pages",
    "Workflows",
    "Workflow tasks",
    "Site history",
    "Aging pages",
    "Collections",
    "Redirects",
    "Help",
    "Pages",
    "Settings",
    "Users",
    "Groups",
    "Sites",
    "Search",
    "Account",
    "Log out",
    "Editor Guide",
    "What's new in Wagtail",
    "Toggle sidebar",
    "Main menu",
    # dashboard
    "Site summary",
    "Awaiting your review",
    "Your pages and snippets in a workflow",
    "Your most recent edits",
    "Dashboard",
    # editor
    "Page title",
    "Save draft",
    "Request changes",
    "Approve",
    "Approve and Publish",
    "Approve with comment",
    "Submit for moderation",
    "Submit to %(workflow)s",
    "Publish",
    "Unpublish",
    "Preview",
    "Content",
    "Promote",
    "Settings",
    "Status",
    "History",
    "Comments",
    "Draft",
    "Live",
    "In Moderation",
    "Actions",
    "More actions",
    "Add",
    "Choose an image",
    "Choose a page",
    "Choose a document",
    "Choose another image",
    "Clear choice",
    "Go live date/time",
    "Expiry date/time",
    "For site menus",
    "For search engines",
    "Show in menus",
    "Search description",
    "Meta description",
    "Title tag",
    "The name of the page as it will appear in URLs e.g http://domain.com/blog/[my-slug]/",
    "Slug",
    "Privacy",
    "Public",
    "Cancel",
    "Delete",
    "Edit",
    "Copy",
    "Move",
    "Sort menu order",
    "Add child page",
    "View live",
    "View draft",
    # listings and forms
    "Title",
    "Updated",
    "Type",
    "Sort by",
    "Filter",
    "Filters",
    "Clear all",
    "Select all",
    "Apply",
    "Upload",
    "Add an image",
    "Add a document",
    "Add images",
    "Add documents",
    "Collection",
    "Tags",
    "File",
    "Save",
    "Usage",
    "Used by",
    "Uploaded by",
    "Uploaded",
    "Created",
    "Name",
    "Field",
    "Edited by",
    "Locked at",
    "Locked by",
    "Locked",
    "Last published by",
    "Last published at",
    "Date/Time",
    "User",
    "Action",
    "Object",
    "Workflow",
    "Task",
    "Tasks",
    "Add a workflow",
    "Add a task",
    "Create a new task",
    "Active",
    "Disabled",
    "Used on",
    "Redirect to",
    "From",
    "To",
    "Add redirect",
    "Import redirects",
    "Add a collection",
    "Add a user",
    "Add a group",
    "Add a site",
    "Username",
    "Email",
    "Email address",
    "First Name",
    "Last Name",
    "First name",
    "Last name",
    "Role",
    "Last login",
    "Password",
    "Password confirmation",
    "Change password",
    "Profile",
    "Notifications",
    "Preferences",
    "Language",
    "Current time zone",
    "Admin theme",
    "Change email",
    "There are no results.",
    "No results.",
    "No pages have been created.",
    "Page explorer",
    "Download CSV",
    "Download XLSX",
    "Page status",
    "Date updated",
]

ROLES = {
    "quantri.thu": (SITE_ADMIN,),
    "truongban.thu": (HEAD,),
    "btv.thu": (EDITOR,),
    "ctv.thu": (COLLABORATOR,),
    "canbo.thu": (CLERK,),
}


class _VisibleText(HTMLParser):
    """Text as a person reads it: text nodes, labels in attributes, the JSON-drawn menu."""

    ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "data-w-tooltip-content-value")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fragments: list[str] = []
        self._skip = 0
        self._json = False
        self._div_class = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
            self._json = tag == "script" and attributes.get("type") == "application/json"
        for name in self.ATTRIBUTES:
            if attributes.get(name):
                self.fragments.append(attributes[name])
        if tag == "div":
            self._div_class = attributes.get("class") or ""
        # Known leftover: Wagtail's search headers hard-code a screen-reader-only "Search"
        # button (no gettext; translating it means copying header.html).
        if (
            tag == "input"
            and attributes.get("type") in ("submit", "button")
            and "w-sr-only" not in self._div_class
        ):
            self.fragments.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
            self._json = False

    def handle_data(self, data):
        if self._skip and self._json:
            with contextlib.suppress(ValueError):
                self.fragments.extend(_strings(json.loads(data)))
        elif not self._skip:
            self.fragments.append(data)


def _strings(value):
    if isinstance(value, str):
        # The menu's JSON carries small HTML fragments (its icons, badges).
        yield from (re.sub(r"<[^>]+>", " ", value).split("  ") if "<" in value else [value])
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in ("url", "icon_name", "name", "classname", "_type", "attrs"):
                yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def visible_fragments(html: str) -> set[str]:
    parser = _VisibleText()
    parser.feed(html)
    return {" ".join(f.split()) for f in parser.fragments if f and f.strip()}


@pytest.fixture
def screens(sites):
    """Accounts in every role, and the objects their screens show (an article in review)."""
    from component_sites.editorial.models import CategoryAssignment, ContributingUnit

    tenant = sites.commune
    with schema_context(tenant.schema_name):
        accounts = {name: user(name, *roles) for name, roles in ROLES.items()}
        category = make_category("Tin hoạt động xã")
        CategoryAssignment.objects.create(user=accounts["ctv.thu"], category=category)
        article = draft_article(category, accounts["ctv.thu"], title="Lễ hội xuống đồng")
        submit(article, accounts["ctv.thu"])
        image = make_image("Ảnh lễ hội")
        document = make_site_document("Kế hoạch lễ hội")
        unit = ContributingUnit.objects.create(name="Hội Nông dân xã", kind="agency")
        # The site's own superuser (provisioning's "quantri") opens the settings screens too.
        from django.contrib.auth import get_user_model

        accounts["quantri"] = get_user_model().objects.get(username="quantri")
        clients = {}
        for name, account in accounts.items():
            client = Client(HTTP_HOST=tenant.primary_domain)
            client.force_login(account)
            if account.is_superuser or SITE_ADMIN in ROLES.get(name, ()):
                verify_session(client, account)
            clients[name] = client
        home_id = article.get_parent().get_parent().get_parent().pk
    paths = [
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{home_id}/",
        f"/admin/pages/{category.pk}/",
        f"/admin/pages/{article.pk}/edit/",
        f"/admin/pages/{article.pk}/history/",
        f"/admin/pages/{article.pk}/usage/",
        f"/admin/pages/add/news/articlepage/{category.pk}/",
        f"/admin/pages/{category.pk}/add_subpage/",
        "/admin/pages/search/?q=le+hoi",
        "/admin/workflows/list/",
        "/admin/workflows/tasks/index/",
        "/admin/images/",
        f"/admin/images/{image.pk}/",
        f"/admin/images/usage/{image.pk}/",
        "/admin/images/multiple/add/",
        "/admin/documents/",
        f"/admin/documents/edit/{document.pk}/",
        f"/admin/documents/usage/{document.pk}/",
        "/admin/documents/multiple/add/",
        "/admin/snippets/",
        "/admin/snippets/editorial/contributingunit/",
        f"/admin/snippets/editorial/contributingunit/edit/{unit.pk}/",
        "/admin/snippets/editorial/categoryassignment/add/",
        "/admin/reports/locked/",
        "/admin/reports/site-history/",
        "/admin/reports/aging-pages/",
        "/admin/reports/workflow/",
        "/admin/reports/workflow_tasks/",
        "/admin/users/",
        "/admin/groups/",
        "/admin/sites/",
        "/admin/collections/",
        "/admin/redirects/",
        "/admin/settings/editorial/royaltyrates/",
        "/admin/account/",
    ]
    return tenant, clients, paths


def _english_on(html: str) -> list[str]:
    fragments = visible_fragments(html)
    return sorted(label for label in set(ENGLISH) if label in fragments)


def _context(html: str, label: str) -> str:
    """Where ``label`` sits in the page (to find the template or field that shows it)."""
    at = html.find(f">{label}<")
    at = html.find(label) if at < 0 else at
    return " ".join(html[max(0, at - 120) : at + len(label) + 40].split())


def _ascii_leftovers(html: str) -> set[str]:
    return {
        fragment
        for fragment in visible_fragments(html)
        if fragment.isascii() and re.search(r"[A-Za-z]{3}", fragment) and "/" not in fragment
    }


def test_the_login_page_is_vietnamese(sites):
    response = Client(HTTP_HOST=sites.commune.primary_domain).get("/admin/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert _english_on(html) == []
    assert "Quên mật khẩu?" in html
    # Wagtail's own catalogue drops the space: "Nhập tên đăng nhậpcủa bạn".
    assert 'placeholder="Nhập tên đăng nhập của bạn"' in html


def test_every_role_walks_the_admin_without_meeting_english(screens):
    tenant, clients, paths = screens
    found, seen, dump = {}, set(), {}
    for name, client in clients.items():
        for path in paths:
            response = client.get(path, follow=True)
            if response.status_code != 200 or "/admin/login/" in response.request["PATH_INFO"]:
                continue  # a screen this role is not given
            seen.add(path)
            html = response.content.decode()
            english = _english_on(html)
            if english:
                found[f"{name} {path}"] = [
                    f"{label} …{_context(html, label)}…" for label in english
                ]
            dump.setdefault(path, set()).update(_ascii_leftovers(html))
    if os.environ.get("ADMIN_LANGUAGE_DUMP"):
        with open(os.environ["ADMIN_LANGUAGE_DUMP"], "w", encoding="utf-8") as handle:
            for path, leftovers in dump.items():
                handle.write(f"## {path}\n" + "".join(f"{item}\n" for item in sorted(leftovers)))
    # The site's superuser opens every screen of the walk: none of them is a dead link.
    assert seen == set(paths), sorted(set(paths) - seen)
    assert found == {}, "\n".join(f"{where}: {labels}" for where, labels in found.items())


def test_wagtails_own_broken_string_is_corrected():
    with translation.override("vi"):
        assert translation.gettext("%(label)s and Publish") % {"label": "Duyệt"} == (
            "Duyệt và xuất bản"
        )


def test_the_admins_javascript_strings_are_vietnamese(sites):
    response = Client(HTTP_HOST=sites.commune.primary_domain).get("/admin/jsi18n/")
    assert response.status_code == 200
    script = response.content.decode()
    for vietnamese in ("Đang tự động lưu…", "Thu gọn tất cả", "Trình đơn chính"):
        assert json.dumps(vietnamese)[1:-1] in script or vietnamese in script
