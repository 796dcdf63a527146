# ruff: noqa: E501 (the table below is one line per endpoint family, one column per role)
"""The standing isolation matrix (issue 13): every role × two sites × every endpoint family.

One table (``EXPECTED``) declares, for each endpoint family and each role, what the role
gets on its own site and on another site; each (endpoint, role, site) is its own test id,
e.g. ``test_cell[admin_users-site_admin-own]``.  ``tests/security/conftest.py`` prints how
many cells ran and how many hold.

- Site roles (collaborator, editor, head, site admin, superuser) are accounts of the
  commune site ("own"); on another site (the directly governed commune, "other") their
  session means nothing: every admin URL asks them to log in.
- Console roles (council member, provincial admin) are accounts of the control plane;
  console URLs that name a site are asked for each of the two sites, and on either site's
  own domain those sessions mean nothing either.
- The citizen submitted a question and holds its tracking code (no account).
- Files and API records: the own site's file or record asked through the own site's
  domain ("own") and through the other site's domain ("other").
- Sessions whose second factor is not what is tested are verified the way django-otp's
  ``login`` leaves them (``helpers.verify_session``).

Outcomes: ``200``; ``login`` (302 to the admin's or the console's login page); ``deny``
(403, or Wagtail's refusal: 302 to the dashboard); ``403``; ``404``; ``scoring`` (302 to the
council's part of the console); ``support`` (302 to a signed support link of the site);
``admin`` (302 into the site's admin); ``found`` / ``absent`` (the lookup page, 200, shows
or does not show the citizen's question).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.test import Client
from django_tenants.utils import schema_context

from component_sites.editorial.roles import COLLABORATOR, EDITOR, HEAD, SITE_ADMIN

from .helpers import PASSWORD, account, verify_session

pytestmark = pytest.mark.django_db

CONSOLE_HOST = "localhost"

ROLES = [
    "anonymous",
    "citizen",
    "collaborator",
    "editor",
    "head",
    "site_admin",
    "superuser",
    "council",
    "province_admin",
]
SITES = ["own", "other"]

# Columns: the roles above, in that order.  Each cell: "<own site>/<other site>".
# fmt: off
EXPECTED = {
    #                         anonymous     citizen       collaborator  editor        head          site_admin    superuser     council       province_admin
    "admin_dashboard":       ["login/login", "login/login", "200/login",  "200/login",  "200/login",  "200/login",  "200/login",  "login/login", "login/login"],
    "admin_page_edit":       ["login/login", "login/login", "deny/login", "200/login",  "200/login",  "200/login",  "200/login",  "login/login", "login/login"],
    "admin_page_add":        ["login/login", "login/login", "deny/login", "200/login",  "200/login",  "200/login",  "200/login",  "login/login", "login/login"],
    "admin_users":           ["login/login", "login/login", "deny/login", "deny/login", "deny/login", "200/login",  "200/login",  "login/login", "login/login"],
    "admin_edit_superuser":  ["login/login", "login/login", "deny/login", "deny/login", "deny/login", "deny/login", "200/login",  "login/login", "login/login"],
    "admin_groups":          ["login/login", "login/login", "deny/login", "deny/login", "deny/login", "deny/login", "200/login",  "login/login", "login/login"],
    "admin_settings":        ["login/login", "login/login", "deny/login", "deny/login", "200/login",  "200/login",  "200/login",  "login/login", "login/login"],
    "admin_documents":       ["login/login", "login/login", "200/login",  "200/login",  "200/login",  "200/login",  "200/login",  "login/login", "login/login"],
    "admin_images":          ["login/login", "login/login", "200/login",  "200/login",  "200/login",  "200/login",  "200/login",  "login/login", "login/login"],
    "admin_snippets":        ["login/login", "login/login", "deny/login", "deny/login", "200/login",  "200/login",  "200/login",  "login/login", "login/login"],
    "admin_participation":   ["login/login", "login/login", "deny/login", "200/login",  "200/login",  "200/login",  "200/login",  "login/login", "login/login"],
    "admin_statistics":      ["login/login", "login/login", "deny/login", "200/login",  "200/login",  "200/login",  "200/login",  "login/login", "login/login"],
    "admin_statistics_xlsx": ["login/login", "login/login", "deny/login", "200/login",  "200/login",  "200/login",  "200/login",  "login/login", "login/login"],
    "admin_royalties_csv":   ["login/login", "login/login", "deny/login", "200/login",  "200/login",  "200/login",  "200/login",  "login/login", "login/login"],
    "admin_attachment":      ["login/login", "login/login", "deny/login", "200/login",  "200/login",  "200/login",  "200/login",  "login/login", "login/login"],
    "support_login":         ["403/403",     "403/403",     "403/403",    "403/403",    "403/403",    "403/403",    "403/403",    "403/403",     "admin/403"],
    "media_image":           ["200/404",     "200/404",     "200/404",    "200/404",    "200/404",    "200/404",    "200/404",    "200/404",     "200/404"],
    "media_private":         ["404/404",     "404/404",     "404/404",    "404/404",    "404/404",    "404/404",    "404/404",    "404/404",     "404/404"],
    "document_serve":        ["200/404",     "200/404",     "200/404",    "200/404",    "200/404",    "200/404",    "200/404",    "200/404",     "200/404"],
    "api_documents":         ["200/200",     "200/200",     "200/200",    "200/200",    "200/200",    "200/200",    "200/200",    "200/200",     "200/200"],
    "api_document_detail":   ["200/404",     "200/404",     "200/404",    "200/404",    "200/404",    "200/404",    "200/404",    "200/404",     "200/404"],
    "citizen_lookup":        ["found/absent", "found/absent", "found/absent", "found/absent", "found/absent", "found/absent", "found/absent", "found/absent", "found/absent"],
    "console_home":          ["login/login", "login/login", "login/login", "login/login", "login/login", "login/login", "login/login", "scoring/scoring", "200/200"],
    "console_site":          ["login/login", "login/login", "login/login", "login/login", "login/login", "login/login", "login/login", "scoring/scoring", "200/200"],
    "console_merge":         ["login/login", "login/login", "login/login", "login/login", "login/login", "login/login", "login/login", "scoring/scoring", "200/200"],
    "console_procedures":    ["login/login", "login/login", "login/login", "login/login", "login/login", "login/login", "login/login", "scoring/scoring", "200/200"],
    "console_procedure_site":["login/login", "login/login", "login/login", "login/login", "login/login", "login/login", "login/login", "scoring/scoring", "200/200"],
    "console_scoring":       ["login/login", "login/login", "login/login", "login/login", "login/login", "login/login", "login/login", "200/200",     "200/200"],
    "console_scoring_site":  ["login/login", "login/login", "login/login", "login/login", "login/login", "login/login", "login/login", "200/200",     "200/200"],
    "console_scoring_xlsx":  ["login/login", "login/login", "login/login", "login/login", "login/login", "login/login", "login/login", "200/200",     "200/200"],
    "console_procedures_export": ["login/login", "login/login", "login/login", "login/login", "login/login", "login/login", "login/login", "scoring/scoring", "200/200"],
    "console_audit":         ["login/login", "login/login", "login/login", "login/login", "login/login", "login/login", "login/login", "scoring/scoring", "200/200"],
    "console_support_start": ["login/login", "login/login", "login/login", "login/login", "login/login", "login/login", "login/login", "403/403",     "support/support"],
}
# fmt: on

CELLS = [
    (endpoint, role, site, row[ROLES.index(role)].split("/")[SITES.index(site)])
    for endpoint, row in EXPECTED.items()
    for role in ROLES
    for site in SITES
]


class World:
    """What one cell needs, made on demand inside the test's transaction."""

    def __init__(self, sites):
        self.own_tenant = sites.commune
        self.other_tenant = sites.direct_commune
        self.province = sites.province
        self._cache = {}

    def once(self, key, make):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def tenant(self, site):
        return self.own_tenant if site == "own" else self.other_tenant

    # Objects of the own site (made in its schema).

    def own(self, func):
        with schema_context(self.own_tenant.schema_name):
            return func()

    def news_index_pk(self):
        from tests.component_sites.factories import news_index

        return self.once("news", lambda: self.own(lambda: news_index().pk))

    def site_pk(self):
        from wagtail.models import Site

        return self.once("site", lambda: self.own(lambda: Site.objects.get().pk))

    def superuser_pk(self):
        return self.once(
            "quantri", lambda: self.own(lambda: get_user_model().objects.get(username="quantri").pk)
        )

    def image_url(self):
        def make():
            from tests.component_sites.factories import make_image

            return make_image("Ảnh ma trận").file.url

        return self.once("image", lambda: self.own(make))

    def document(self):
        def make():
            from tests.component_sites.factories import make_site_document

            document = make_site_document("Tệp ma trận")
            return document.pk, document.url

        return self.once("document", lambda: self.own(make))

    def question(self):
        def make():
            from component_sites.participation.models import Question

            question = Question(
                kind="question",
                asker_name="Nguyễn Văn Dân",
                asker_email="dan@test.vn",
                field=Question._meta.get_field("field").choices[0][0],
                title="Hỏi về cấp đổi căn cước ma trận",
                text="Tôi cần giấy tờ gì?",
                fingerprint="matrix-question",
            )
            question.attachment.save(
                "giay-to.pdf", ContentFile(b"%PDF-1.4 giay to", name="giay-to.pdf"), save=False
            )
            question.save()
            return question.pk, question.tracking_code, question.attachment.url, question.title

        return self.once("question", lambda: self.own(make))

    def api_document_key(self):
        """A legal document of the own site, as the open-data API names it (its page id)."""

        def make():
            from tests.component_sites import factories

            kinds = factories.classifications()
            page = factories.make_legal_document(
                factories.documents_index(),
                number="7/2026/QĐ-UBND",
                document_type=kinds["quyet-dinh"],
                issuing_body=kinds["ubnd"],
            )
            return str(page.pk)

        return self.once("api_doc", lambda: self.own(make))

    def period_pk(self):
        from tests.tenants.scoring.builders import period

        return self.once("period", lambda: period(self.province).pk)


def _client(world, role):
    """A client holding ``role``'s session (or none)."""
    client = Client()
    if role in ("anonymous", "citizen"):
        return client
    if role in ("council", "province_admin"):
        from tests.tenants.scoring.builders import member

        if role == "council":
            user = member("hd.matran", "Hội đồng Ma Trận")
        else:
            user = get_user_model().objects.create_user(
                "tinh.matran", password=PASSWORD, is_staff=True
            )
        client.force_login(user)
        verify_session(client, user)
        client.console_user = user
        return client
    roles = {
        "collaborator": (COLLABORATOR,),
        "editor": (EDITOR,),
        "head": (HEAD,),
        "site_admin": (SITE_ADMIN,),
    }

    def login():
        if role == "superuser":
            user = get_user_model().objects.get(username="quantri")
        else:
            user = account(f"mt.{role}", *roles[role])
        client.force_login(user)
        verify_session(client, user)

    world.own(login)
    return client


def _request(world, client, endpoint, role, site):
    """The request of ``endpoint`` as ``client``, on ``site``; returns the response."""
    tenant = world.tenant(site)
    host = tenant.primary_domain
    get = lambda path: client.get(path, HTTP_HOST=host)  # noqa: E731
    console = lambda path: client.get(path, HTTP_HOST=CONSOLE_HOST)  # noqa: E731
    news = world.news_index_pk
    match endpoint:
        case "admin_dashboard":
            return get("/admin/")
        case "admin_page_edit":
            return get(f"/admin/pages/{news()}/edit/")
        case "admin_page_add":
            return get(f"/admin/pages/add/news/articlepage/{news()}/")
        case "admin_users":
            return get("/admin/users/")
        case "admin_edit_superuser":
            return get(f"/admin/users/edit/{world.superuser_pk()}/")
        case "admin_groups":
            return get("/admin/groups/")
        case "admin_settings":
            return get(f"/admin/settings/editorial/royaltyrates/{world.site_pk()}/")
        case "admin_documents":
            return get("/admin/documents/")
        case "admin_images":
            return get("/admin/images/")
        case "admin_snippets":
            return get("/admin/snippets/editorial/contributingunit/")
        case "admin_participation":
            return get("/admin/snippets/participation/question/")
        case "admin_statistics":
            return get("/admin/bien-tap/thong-ke/")
        case "admin_statistics_xlsx":
            return get("/admin/bien-tap/thong-ke/?format=xlsx")
        case "admin_royalties_csv":
            return get("/admin/bien-tap/nhuan-but/?format=csv")
        case "admin_attachment":
            pk = world.question()[0]
            return get(f"/admin/participation/question/{pk}/attachment/")
        case "support_login":
            if role == "province_admin":
                from tenants.support_login import support_link

                link = support_link(world.own_tenant, client.console_user, verified=True)
                return get(urlsplit(link).path)
            return get("/admin/ho-tro/forged-token/")
        case "media_image":
            return get(world.image_url())
        case "media_private":
            return get(world.question()[2])
        case "document_serve":
            return get(world.document()[1])
        case "api_documents":
            return get("/api/v1/documents/")
        case "api_document_detail":
            key = world.api_document_key()
            return get(f"/api/v1/documents/{key}/")
        case "citizen_lookup":
            code = world.question()[1]
            return client.post("/hoi-dap/tra-cuu/", {"code": code}, HTTP_HOST=host)
        case "console_home":
            return console("/console/")
        case "console_site":
            return console(f"/console/trang/{tenant.code}/")
        case "console_merge":
            return console("/console/sap-nhap/")
        case "console_procedures":
            return console("/console/thu-tuc/")
        case "console_procedure_site":
            return console(f"/console/thu-tuc/trang/{tenant.code}/")
        case "console_scoring":
            return console("/console/danh-gia/")
        case "console_scoring_site":
            return console(f"/console/danh-gia/ky/{world.period_pk()}/trang/{tenant.code}/")
        case "console_scoring_xlsx":
            return console(f"/console/danh-gia/ky/{world.period_pk()}/ket-qua.xlsx")
        case "console_procedures_export":
            return console("/console/thu-tuc/xuat/")
        case "console_audit":
            return console("/console/nhat-ky/")
        case "console_support_start":
            return client.post(f"/console/trang/{tenant.code}/ho-tro/", HTTP_HOST=CONSOLE_HOST)
    raise AssertionError(f"no request for {endpoint}")


def _outcome(response, expected, world, site) -> str:
    """What the response amounts to, in the table's words (``expected`` breaks ties)."""
    status = response.status_code
    location = response.get("Location", "")
    if status == 302:
        if "/admin/login/" in location or "/console/dang-nhap/" in location:
            return "login"
        if location == "/admin/" and expected in ("deny", "admin"):
            return expected
        if location.startswith("/console/danh-gia/"):
            return "scoring"
        if f"{world.tenant(site).primary_domain}" in location and "/admin/ho-tro/" in location:
            return "support"
        return f"302 {location}"
    if status == 403 and expected == "deny":
        return "deny"
    if expected in ("found", "absent") and status == 200:
        title = world.question()[3]
        return "found" if title in response.content.decode() else "absent"
    return str(status)


@pytest.mark.parametrize(
    ("endpoint", "role", "site", "expected"),
    CELLS,
    ids=[f"{e}-{r}-{s}" for e, r, s, _x in CELLS],
)
def test_cell(sites, endpoint, role, site, expected):
    world = World(sites)
    client = _client(world, role)
    response = _request(world, client, endpoint, role, site)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    assert _outcome(response, expected, world, site) == expected


def test_the_table_covers_every_role_and_site():
    assert all(len(row) == len(ROLES) for row in EXPECTED.values())
    assert len(CELLS) == len(EXPECTED) * len(ROLES) * len(SITES)
