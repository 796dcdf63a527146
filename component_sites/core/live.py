"""Live parts of (possibly cached) pages: visit figures, counters and star averages.

A page names its live parts with placeholders (``<!--portal:count:KIND:ID-->``,
``<!--portal:average:KIND:ID-->``, ``<!--portal:visit-counters-->``) inside elements
carrying ``data-live="count:KIND:ID"`` (or ``average:…``, ``visits:today``…).  Two ways
fill them, both costing **one Redis round trip and no SQL** (``read``: the view is
counted, and every value read, in one pipeline; the stored values come from the counters'
Redis mirror, see ``core.counters``):

- behind Django's page cache only (``LIVE_PARTS_BY_BEACON`` off, the default without an
  edge cache): the page-cache middleware counts the view and fills the placeholders of
  every response, cached or fresh;
- behind an edge cache (``EDGE_CACHE_URL`` set, so ``LIVE_PARTS_BY_BEACON`` on): the edge
  serves the HTML without reaching Django, so the page loads ``core/live.js``, which asks
  ``/_live/`` once per view (``?visit=1&count=KIND:ID&show=…``): that request counts the
  view and answers the current values as JSON; the script puts them into the
  ``data-live`` elements.  The HTML itself still carries the values of when it was made.

Only the kinds in ``BEACON_KINDS`` (filled by the apps: article views) can be counted
through ``/_live/``; anything else asked is refused with a Vietnamese message.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db import connection
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from . import counters, visits

VISITS_PLACEHOLDER = b"<!--portal:visit-counters-->"
# A live average of 1–5 star counters (KIND-1 … KIND-5): <!--portal:average:KIND:ID-->.
AVERAGE_PLACEHOLDER = re.compile(rb"<!--portal:average:([a-z0-9][a-z0-9_.-]{0,60}):(\d{1,18})-->")
# A live counter inside a (possibly cached) page: <!--portal:count:KIND:ID-->.
COUNT_PLACEHOLDER = re.compile(rb"<!--portal:count:([a-z0-9][a-z0-9_.:-]{0,63}):(\d{1,18})-->")
# What /_live/ may be asked to show: count:KIND:ID, average:KIND:ID, visits:FIGURE.
SHOWN_ITEM = re.compile(
    r"^(?:(count):([a-z0-9][a-z0-9_.:-]{0,63})|(average):([a-z0-9][a-z0-9_.-]{0,60})):(\d{1,18})$"
)
VISIT_FIGURES = ("online", "today", "month", "total")
MAX_SHOWN = 40
# Counter kinds a page view may add one to through /_live/ (apps add theirs in ready()).
BEACON_KINDS: set[str] = set()


def by_beacon() -> bool:
    """True when the live parts are filled by the page's script (an edge cache in front)."""
    configured = getattr(settings, "LIVE_PARTS_BY_BEACON", None)
    return bool(getattr(settings, "EDGE_CACHE_URL", "")) if configured is None else configured


@dataclass
class LiveParts:
    """The live values a page shows."""

    counts: set[tuple[str, int]] = field(default_factory=set)
    averages: set[tuple[str, int]] = field(default_factory=set)
    visits: bool = False

    def __bool__(self) -> bool:
        return bool(self.counts or self.averages or self.visits)


def parts_in(content: bytes) -> LiveParts:
    """The live parts named by the placeholders of a page."""
    parts = LiveParts(visits=VISITS_PLACEHOLDER in content)
    if b"<!--portal:count:" in content:
        parts.counts = {(k.decode(), int(i)) for k, i in COUNT_PLACEHOLDER.findall(content)}
    if b"<!--portal:average:" in content:
        parts.averages = {(k.decode(), int(i)) for k, i in AVERAGE_PLACEHOLDER.findall(content)}
    return parts


@dataclass
class LiveValues:
    """What ``read`` found: raw counts, star averages (text) and visit figures."""

    counts: dict[tuple[str, int], int]
    averages: dict[tuple[str, int], str]
    visits: dict[str, int] | None

    def shown(self) -> dict[str, str]:
        """Every value as displayed, by its ``data-live`` name."""
        values = {f"count:{k}:{i}": intcomma(v) for (k, i), v in self.counts.items()}
        values.update({f"average:{k}:{i}": text for (k, i), text in self.averages.items()})
        for name, value in (self.visits or {}).items():
            values[f"visits:{name}"] = intcomma(value)
        return values


def _average(per_star: dict[int, int]) -> str:
    votes = sum(per_star.values())
    total = sum(stars * n for stars, n in per_star.items())
    return f"{total / votes:.1f}".replace(".", ",") if votes else "–"


def read(parts: LiveParts, *, visit_of=None, count: tuple[str, int] | None = None) -> LiveValues:
    """Count a view (``visit_of``: the request; ``count``: a page counter) and read ``parts``.

    One Redis pipeline, one round trip; no SQL while the counters' mirror is complete.
    Redis down: the increments are held by the process and the values come from the table.
    """
    schema = connection.schema_name
    now = time.time()
    wanted = set(parts.counts)
    for kind, object_id in parts.averages:
        wanted.update((f"{kind}-{stars}", object_id) for stars in range(1, 6))
    figure_kinds = {"today": visits.day_kind(), "month": visits.month_kind(), "total": visits.TOTAL}
    year_kinds = visits.year_kinds()
    if parts.visits:
        wanted.update((kind, 0) for kind in [*figure_kinds.values(), *year_kinds])
    writes: list[tuple[str, int]] = []
    if visit_of is not None:
        writes += [(kind, 0) for kind in figure_kinds.values()]
    if count is not None:
        writes.append(count)

    state: dict = {}

    def trip():
        pipe = counters.client().pipeline(transaction=False)
        for kind, object_id in writes:
            counters.queue_increment(pipe, schema, kind, object_id)
        if visit_of is not None:
            visits.queue_online(pipe, schema, visits.visitor_id(visit_of), now)
        state["online_at"] = len(pipe)
        if parts.visits:
            pipe.zcount(visits.online_key(schema), now - visits.ONLINE_WINDOW, "+inf")
        state["read_at"] = len(pipe)
        state["finish"] = counters.read_many(wanted, schema=schema, pipe=pipe)
        return pipe.execute()

    results = counters.redis_call(trip, None)
    if results is None:
        for kind, object_id in writes:
            counters.hold(schema, kind, object_id)
        finish = counters.read_many(wanted, schema=schema, pipe=_NullPipe())
        values = finish(None)
        online = 1
    else:
        values = state["finish"](results[state["read_at"] :])
        online = int(results[state["online_at"]]) if parts.visits else 1
    averages = {
        (kind, object_id): _average(
            {stars: values[(f"{kind}-{stars}", object_id)] for stars in range(1, 6)}
        )
        for kind, object_id in parts.averages
    }
    figures = None
    if parts.visits:
        figures = {"online": max(online, 1)}
        figures.update({name: values[(kind, 0)] for name, kind in figure_kinds.items()})
        figures["year"] = sum(values[(kind, 0)] for kind in year_kinds)
    return LiveValues(
        counts={key: values[key] for key in parts.counts}, averages=averages, visits=figures
    )


class _NullPipe:
    """Takes the queued reads of ``read_many`` when Redis is down (nothing is sent)."""

    def hmget(self, *args, **kwargs):
        return self


def fill(content: bytes, values: LiveValues) -> bytes:
    """Put the values into the page's placeholders."""
    if values.averages:
        content = AVERAGE_PLACEHOLDER.sub(
            lambda m: values.averages[(m.group(1).decode(), int(m.group(2)))].encode(), content
        )
    if values.counts:
        content = COUNT_PLACEHOLDER.sub(
            lambda m: intcomma(values.counts[(m.group(1).decode(), int(m.group(2)))]).encode(),
            content,
        )
    if values.visits is not None:
        block = render_to_string("core/includes/visit_counters.html", values.visits)
        content = content.replace(VISITS_PLACEHOLDER, block.encode())
    return content


def strip(content: bytes) -> bytes:
    """The page without its placeholders (the live values are unavailable)."""
    content = AVERAGE_PLACEHOLDER.sub(b"", COUNT_PLACEHOLDER.sub(b"", content))
    return content.replace(VISITS_PLACEHOLDER, b"")


def _refuse(message: str) -> JsonResponse:
    response = JsonResponse({"error": message}, status=400)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def live_view(request):
    """``/_live/``: count one page view and answer the live values it shows (JSON, no-store).

    ``visit=1`` counts a visit of the site, ``count=KIND:ID`` one view of a counted object
    (kinds of ``BEACON_KINDS``), ``show=ITEM,ITEM…`` (``count:KIND:ID``, ``average:KIND:ID``,
    ``visits``) the values wanted.
    """
    parts = LiveParts()
    for item in filter(None, request.GET.get("show", "").split(",")):
        if item == "visits":
            parts.visits = True
            continue
        match = SHOWN_ITEM.match(item)
        if match is None:
            return _refuse(f"Không hiểu mục cần hiển thị «{item[:80]}».")
        if match.group(1):
            parts.counts.add((match.group(2), int(match.group(5))))
        else:
            parts.averages.add((match.group(4), int(match.group(5))))
    if len(parts.counts) + len(parts.averages) > MAX_SHOWN:
        return _refuse(f"Tối đa {MAX_SHOWN} mục mỗi lần.")
    count = None
    asked = request.GET.get("count", "")
    if asked:
        kind, _sep, object_id = asked.rpartition(":")
        if kind not in BEACON_KINDS or not object_id.isdigit() or len(object_id) > 18:
            return _refuse("Bộ đếm này không được đếm qua địa chỉ này.")
        count = (kind, int(object_id))
    human = not visits.is_bot(request)
    values = read(
        parts,
        visit_of=request if human and request.GET.get("visit") == "1" else None,
        count=count if human else None,
    )
    response = JsonResponse({"values": values.shown()})
    response["Cache-Control"] = "no-store"
    return response
