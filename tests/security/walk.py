"""The hostile-input walk: every public URL of a site (and its admin) with hostile values.

Used by ``tests/security/test_hostile_input.py`` (Django's test client) and by
``bench/hostile_input.py`` (the test client, or a running server over HTTP).  Nothing here
knows a fixed list of pages: URLs come from the site's URLconf, from its page tree (every
live page type, with the sub-URLs of routable pages) and from the forms and admin links the
pages themselves show.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

# Raw (already percent-encoded) hostile values, as an attacker types them in a URL.
HOSTILE_VALUES = [
    "%00",
    "abc%00def",
    "%C3%28",
    "%FF",
    "%E2%82",
    "x" * 10_240,
    "-1",
    "0",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    quote("' OR '1'='1' --"),
    quote('"><script>alert(1)</script>'),
    quote("%_\\"),
    quote("../../../etc/passwd"),
    quote("\u202egnp.exe"),
    "%",
]
# Values sent to each parameter on its own (the others above go to all at once).
# (NUL and broken UTF-8 are refused before any view whichever parameter holds them, so
# only values a view's own parsing could trip over are sent one parameter at a time.)
PER_PARAMETER_VALUES = ["-1", "99999999999999999999999999"]
# Query parameters the platform's pages and API read, plus common ones.
PARAMETERS = [
    "q",
    "page",
    "p",
    "trang",
    "page_size",
    "loai",
    "linh-vuc",
    "linh_vuc",
    "co_quan",
    "nam",
    "dang",
    "cap",
    "tuan",
    "diem",
    "type",
    "year",
    "status",
    "level",
    "field",
    "ordering",
    "tieu-chi",
    "don-vi",
    "period",
    "number",
    "format",
    "next",
]
# Repeated and array spellings.
ARRAY_QUERIES = [
    "q=a&q=b&page=1&page=2",
    "q[]=a&q[]=b",
    "page[]=1&trang[]=2",
    "q[a]=1&page[0]=x",
    "page=1&page=-5&page=%FF",
]
# Path segments appended to a page's URL.
HOSTILE_SEGMENTS = ["%00/", "%FF/", "%C3%28/", "x" * 2_000 + "/", "..%2F..%2F/", "-1/"]
# Values posted to every field of a citizen form.
HOSTILE_FORM_VALUES = [
    "\x00",
    "abc\x00def",
    "x" * 10_240,
    "' OR '1'='1' --",
    '"><script>alert(1)</script>',
    "-1",
    "99999999999999999999999999",
    "\u202egnp.exe",
]

VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)


@dataclass
class Outcome:
    method: str
    url: str
    status: int
    problem: str = ""


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)

    @property
    def tried(self) -> int:
        return len(self.outcomes)

    @property
    def server_errors(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status >= 500]

    @property
    def problems(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.problem]


def is_vietnamese_refusal(status: int, content_type: str, body: bytes) -> bool:
    """A 4xx body a citizen can read: Vietnamese text, or JSON with a Vietnamese message."""
    text = body.decode("utf-8", "replace")
    if content_type.startswith("application/json"):
        try:
            data = json.loads(text)
        except ValueError:
            return False
        values = data.values() if isinstance(data, dict) else [data]
        return any(isinstance(v, str) and VIETNAMESE.search(v) for v in values)
    return bool(VIETNAMESE.search(text))


def judge(method: str, url: str, status: int, content_type: str, body: bytes) -> Outcome:
    problem = ""
    if status >= 500:
        problem = f"{status} server error"
    elif (
        400 <= status < 500
        and status not in (405,)
        and not is_vietnamese_refusal(status, content_type, body)
    ):
        problem = f"{status} without a Vietnamese message"
    return Outcome(method, url[:300], status, problem)


# -- discovery ----------------------------------------------------------------------------

CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")
SAMPLES = {"int": "1", "slug": "mau-thu", "str": "mau-thu", "path": "mau/thu", "uuid": ""}


def fill_route(route: str, value: str | None = None) -> str | None:
    """A concrete path for a Django route string (``tai-ve/<int:pk>/`` → ``tai-ve/1/``)."""

    def replace(match: re.Match) -> str:
        kind = match.group("kind") or "str"
        return value if value is not None else SAMPLES.get(kind, "1")

    filled = CONVERTER.sub(replace, route)
    return filled


def urlconf_paths(patterns, prefix: str = "", skip: tuple[str, ...] = ("admin/",)) -> list[str]:
    """Concrete paths of every route of a URLconf (regex routes: their literal prefix)."""
    from django.urls import URLPattern, URLResolver
    from django.urls.resolvers import RegexPattern, RoutePattern

    found: list[str] = []
    for entry in patterns:
        pattern = entry.pattern
        if isinstance(pattern, RoutePattern):
            piece = fill_route(str(pattern._route))
        elif isinstance(pattern, RegexPattern):
            literal = re.match(r"\^?([\w/.-]*)", pattern._regex)
            piece = literal.group(1) if literal else ""
            if isinstance(entry, URLPattern) and piece.endswith("/"):
                piece += "mau-thu"
        else:  # pragma: no cover - LocalePrefixPattern is not used
            continue
        path = prefix + piece
        if path.startswith(skip):
            continue
        if isinstance(entry, URLResolver):
            found.extend(urlconf_paths(entry.url_patterns, path, skip))
        else:
            found.append("/" + path)
    return sorted(set(found))


def page_paths(per_type: int = 2) -> list[str]:
    """URLs of up to ``per_type`` live pages of every page type, with routable sub-URLs."""
    from wagtail.contrib.routable_page.models import RoutablePageMixin
    from wagtail.models import Page

    chosen: dict[int, list] = {}
    for page in Page.objects.live().public().specific().order_by("path"):
        bucket = chosen.setdefault(page.content_type_id, [])
        if len(bucket) < per_type:
            bucket.append(page)
    paths: list[str] = []
    for pages in chosen.values():
        for page in pages:
            url = page.get_url()
            if not url:
                continue
            url = urlsplit(url).path
            paths.append(url)
            if isinstance(page, RoutablePageMixin):
                for sub in page.get_resolver().url_patterns:
                    route = getattr(sub.pattern, "_route", None)
                    if route:
                        paths.append(url + fill_route(str(route)))
                        if "<int:" in str(route):
                            paths.append(url + fill_route(str(route), "999999999999"))
    return sorted(set(paths))


class _FormsAndLinks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self.links: set[str] = set()
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.add(attributes["href"])
        if tag == "form":
            self._form = {
                "method": (attributes.get("method") or "get").lower(),
                "action": attributes.get("action") or "",
                "fields": {},
                "files": [],
            }
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select"):
            name = attributes.get("name")
            if not name:
                return
            if attributes.get("type") == "file":
                self._form["files"].append(name)
            else:
                self._form["fields"][name] = attributes.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def forms_and_links(html: str) -> tuple[list[dict], set[str]]:
    parser = _FormsAndLinks()
    parser.feed(html)
    return parser.forms, parser.links


ADMIN_LINK = re.compile(r"""["'](/admin/[^"'\s<>\\]*)["']""")


def admin_links(html: str) -> set[str]:
    """Admin URLs named in a page (menu JSON included), without actions that change things."""
    found = set()
    for link in ADMIN_LINK.findall(html):
        path = urlsplit(link).path
        if any(
            word in path
            for word in ("logout", "delete", "unpublish", "publish", "copy", "move", "lock")
        ):
            continue
        found.add(path)
    return found


# -- the walk ----------------------------------------------------------------------------

Fetch = Callable[..., tuple[int, str, bytes]]


def query_variants() -> Iterable[str]:
    for value in HOSTILE_VALUES:
        yield "&".join(f"{name}={value}" for name in PARAMETERS)
    for name in PARAMETERS:
        for value in PER_PARAMETER_VALUES:
            yield f"{name}={value}"
    yield from ARRAY_QUERIES


def walk_gets(
    fetch: Fetch, paths: Iterable[str], report: Report, *, segments=True, per_path: int = 0
) -> None:
    """GET every path with hostile queries; append hostile segments to page paths.

    ``per_path=0`` sends every variant to every path (the benchmark's full walk); ``per_path=n``
    sends n variants (and one segment) to each path, rotating through the list so that every
    variant still reaches many paths: the test suite's bounded walk.
    """
    variants = list(query_variants())
    for index, path in enumerate(paths):
        if per_path:
            chosen = [variants[(index * per_path + k) % len(variants)] for k in range(per_path)]
            chosen_segments = [HOSTILE_SEGMENTS[index % len(HOSTILE_SEGMENTS)]]
        else:
            chosen, chosen_segments = variants, HOSTILE_SEGMENTS
        for query in chosen:
            url = f"{path}?{query}"
            report.add(judge("GET", url, *fetch("GET", url)))
        if segments and path.endswith("/"):
            for segment in chosen_segments:
                url = path + segment
                report.add(judge("GET", url, *fetch("GET", url)))


def walk_forms(fetch: Fetch, paths: Iterable[str], report: Report) -> int:
    """POST hostile values to every field of every POST form the pages show; forms found."""
    seen = set()
    for path in paths:
        status, content_type, body = fetch("GET", path)
        if status != 200 or not content_type.startswith("text/html"):
            continue
        forms, _links = forms_and_links(body.decode("utf-8", "replace"))
        for form in forms:
            if form["method"] != "post":
                continue
            action = form["action"] or path
            if action.startswith("http"):
                action = urlsplit(action).path
            if not action.startswith("/") or action.startswith("/admin/") or action in seen:
                continue
            seen.add(action)
            for value in HOSTILE_FORM_VALUES:
                data = {name: value for name in form["fields"] if name != "csrfmiddlewaretoken"}
                # Every field at once, then (for the NUL) one field at a time.
                report.add(judge("POST", action, *fetch("POST", action, data=data)))
            for name in form["fields"]:
                if name == "csrfmiddlewaretoken":
                    continue
                data = dict(form["fields"])
                data.pop("csrfmiddlewaretoken", None)
                data[name] = "x\x00y"
                report.add(judge("POST", f"{action} [{name}]", *fetch("POST", action, data=data)))
    return len(seen)


def admin_paths(fetch: Fetch, start: str = "/admin/", limit: int = 60) -> list[str]:
    """Admin list and search URLs reachable from the dashboard (the menu's links)."""
    status, _content_type, body = fetch("GET", start)
    if status != 200:
        return []
    # /admin/api/ is Wagtail's own JSON API for its explorer and choosers (not a page
    # people read); it answers unknown parameters with a 400 in English, never a 500.
    found = {
        link
        for link in admin_links(body.decode("utf-8", "replace"))
        if not link.startswith("/admin/api/")
    }
    found |= {
        "/admin/pages/search/",
        "/admin/documents/",
        "/admin/images/",
        "/admin/reports/site-history/",
    }
    return sorted(found)[:limit]


def client_fetch(client) -> Fetch:
    """A fetch function over Django's test client (a raw query string is sent as is)."""

    def fetch(method: str, url: str, data: dict | None = None):
        path, _sep, query = url.partition("?")
        if method == "GET":
            response = client.generic("GET", path, QUERY_STRING=query)
        else:
            response = client.post(path, data or {})
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return response.status_code, response.get("Content-Type", ""), body

    return fetch
