"""Content-Security-Policy of the platform (django-csp) and the endpoint browsers report to.

Three areas, three policies:

- **public pages** of every site: no inline script or style at all, except the one script that
  applies the reader's font size and contrast before the first paint, allowed by its hash (a
  hash, not a nonce, because public pages are served from the page cache and an edge cache:
  the same bytes go to every visitor).  A site's own colours and banner come from a stylesheet
  of their own (``/giao-dien.css``).
- **the console** (control domain): the same policy; its confirmations are data attributes
  handled by ``portal.js``.
- **a site's Wagtail admin**: Wagtail's scripts are files, except the one-line calls that
  start its widgets (``initDateChooser("id_…", {…});``, ``new ImageChooser("id_…", {…});``,
  the inline panels' ``new InlinePanel(JSON.parse("…"))``).  Each inline script of an admin
  response is matched against exactly those shapes (an element id and JSON arguments, nothing
  else) and only a matching one is allowed, by its hash: a script smuggled into a page would
  have to be one of those calls with plain data to run at all.  Event-handler attributes
  and ``javascript:`` URLs never run.  Styles are looser there and only there: Wagtail's
  widgets write ``style=""`` attributes and its editor libraries insert ``<style>`` elements
  at run time (styles cannot run code).

Violations are reported to ``/csp-report/`` (every host): logged and counted in Redis, so that
an operator sees a page that breaks, and the browser tests fail on any.
"""

from __future__ import annotations

import json
import logging
import re

from csp.constants import NONE, SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from themes.head_script import HEAD_SCRIPT_HASH, source_hash

logger = logging.getLogger("portal.csp")

REPORT_PATH = "/csp-report/"
REPORT_MAX_BYTES = 16 * 1024
COUNTER_KEY = "csp:violations"
RECENT_KEY = "csp:recent"
RECENT_KEEP = 50


def _common(frame_src: list[str]) -> dict:
    return {
        "default-src": [SELF],
        "img-src": [SELF, "data:", *settings.CSP_EXTRA_IMG_SRC],
        "media-src": [SELF, *settings.CSP_EXTRA_IMG_SRC],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": frame_src,
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
        "report-uri": [REPORT_PATH],
    }


def public_directives() -> dict:
    return {
        **_common(settings.CSP_FRAME_SRC),
        "script-src": [SELF, HEAD_SCRIPT_HASH],
        "style-src": [SELF],
    }


def admin_directives() -> dict:
    return {
        **_common([SELF, *settings.CSP_FRAME_SRC]),
        "img-src": [SELF, "data:", "blob:", *settings.CSP_EXTRA_IMG_SRC],
        # Files, plus Wagtail's widget calls found in the response (PolicyMiddleware).
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "worker-src": [SELF, "blob:"],
    }


# The inline scripts Wagtail's admin writes to start its widgets; nothing else is allowed.
_ID = r'"id_[A-Za-z0-9_-]+"'
_WIDGET_CALLS = [
    re.compile(rf"^(?:initDateChooser|initDateTimeChooser|initTimeChooser)\({_ID}, (\{{.*\}})\);$"),
    re.compile(rf"^new [A-Z][A-Za-z]*Chooser\({_ID}, (\{{.*\}})\);$"),
    re.compile(
        r"^\(function\(\) \{\s*var panel = new InlinePanel\(JSON\.parse\("
        r'"([^"\\]*(?:\\.[^"\\]*)*)"'
        r"\)\);\s*\}\)\(\);$"
    ),
]
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S | re.I)


def _plain_json(text: str, escaped: bool) -> bool:
    try:
        if escaped:
            text = json.loads(f'"{text}"')
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False


def widget_script_hashes(html: str) -> list[str]:
    """Hashes of the inline scripts of ``html`` that are Wagtail's widget start-up calls."""
    hashes = []
    for match in _INLINE_SCRIPT.finditer(html):
        attributes, body = match.group(1), match.group(2)
        if "application/json" in attributes:
            continue  # data, never run
        code = body.strip()
        for index, shape in enumerate(_WIDGET_CALLS):
            found = shape.match(code)
            if found and _plain_json(found.group(1), escaped=index == 2):
                hashes.append(source_hash(body))
                break
    return list(dict.fromkeys(hashes))


def is_admin_path(path: str) -> bool:
    return path.startswith("/admin/") or path == "/admin"


class PolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with the platform's policy per area (see the module's text)."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only or parts.config is not None:
            return parts
        if is_admin_path(request.path_info):
            parts.config = admin_directives()
            content_type = response.get("Content-Type", "")
            if content_type.startswith("text/html") and not response.streaming:
                hashes = widget_script_hashes(response.content.decode("utf-8", "replace"))
                if hashes:
                    parts.update = {**(parts.update or {}), "script-src": hashes}
        else:
            parts.config = public_directives()
        return parts


def _violations(payload) -> list[dict]:
    """The violations in a report body: CSP level 2 (report-uri) or the Reporting API."""
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        return [payload["csp-report"]]
    if isinstance(payload, list):
        return [
            item["body"]
            for item in payload
            if isinstance(item, dict)
            and item.get("type") == "csp-violation"
            and isinstance(item.get("body"), dict)
        ]
    return []


def _text(report: dict, *names: str) -> str:
    for name in names:
        value = report.get(name)
        if value:
            return str(value)[:300]
    return ""


@csrf_exempt
@require_POST
def csp_report(request):
    """Take a browser's violation report: log it and count it.  Always 204, never an error."""
    body = request.body[: REPORT_MAX_BYTES + 1]
    if len(body) > REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return HttpResponse(status=400)
    from django.core.cache import cache

    for report in _violations(payload)[:10]:
        record = {
            "document": _text(report, "document-uri", "documentURL"),
            "directive": _text(
                report, "effective-directive", "effectiveDirective", "violated-directive"
            ),
            "blocked": _text(report, "blocked-uri", "blockedURL"),
            "source": _text(report, "source-file", "sourceFile"),
            "line": _text(report, "line-number", "lineNumber"),
            "sample": _text(report, "script-sample", "sample"),
        }
        logger.warning("CSP violation: %s", json.dumps(record, ensure_ascii=False))
        try:
            if not cache.add(COUNTER_KEY, 1, None):
                cache.incr(COUNTER_KEY)
            recent = cache.get(RECENT_KEY) or []
            cache.set(RECENT_KEY, [record, *recent][:RECENT_KEEP], None)
        except Exception:  # Redis down: the log line above is the record
            logger.exception("could not count a CSP violation")
    return HttpResponse(status=204)
