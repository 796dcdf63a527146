"""Submission budgets of the citizen forms: accepted sends per visitor and address, paused tries.

Counted in Redis; with Redis unreachable the forms stay usable (no budget is enforced).
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.utils import timezone

from .visitors import address_id, new_visitor, pseudonym, visitor_id

logger = logging.getLogger("portal.participation")


# What counts against a citizen is what was accepted: a wrong captcha or a missing field
# costs nothing from the budget.  Failed tries are throttled on their own, gently (a short
# pause after many in a row), so a script guessing captchas is slowed down and a person who
# mistypes is not locked out for an hour.  Budgets are per visitor (the signed visitor
# cookie the form hands out); an address holds a much larger one for everybody behind it
# (an office, a school behind one NAT address), and a client without the cookie is counted
# by its address with the visitor's small budget.


@dataclass(frozen=True)
class Budget:
    """How many accepted submissions of ``action`` a visitor makes per ``window`` seconds."""

    action: str
    limit: int
    window: int
    # Accepted submissions from one address, every visitor behind it together.
    address_limit: int = 0
    # Failed tries in a row before a pause of ``failure_window`` seconds.
    failure_limit: int = 10
    failure_window: int = 10 * 60

    @property
    def per_address(self) -> int:
        return self.address_limit or self.limit * 10


@dataclass(frozen=True)
class Refusal:
    """Why and until when a client may not send: the message says when to try again."""

    until: float  # a Unix time
    failures: bool  # true: paused after failed tries; false: budget of accepted ones used

    def minutes(self, now: float | None = None) -> int:
        return max(1, math.ceil((self.until - (now or time.time())) / 60))

    def message(self, now: float | None = None) -> str:
        minutes = self.minutes(now)
        if minutes <= 60:
            when = f"sau {minutes} phút"
        else:
            moment = datetime.fromtimestamp(self.until, tz=UTC)
            local = timezone.localtime(moment, ZoneInfo("Asia/Ho_Chi_Minh"))
            when = f"từ {local:%H:%M} ngày {local:%d/%m/%Y}"
        if self.failures:
            return (
                "Bạn đã thử gửi nhiều lần liên tiếp mà chưa thành công, nên biểu mẫu tạm dừng "
                f"nhận. Vui lòng kiểm tra lại các mục và thử lại {when}."
            )
        return f"Bạn đã gửi đủ số lần cho phép trong thời gian ngắn. Vui lòng thử lại {when}."


def _budget_keys(request, budget: Budget) -> list[tuple[str, int]]:
    """(Redis key, limit) of each budget this request draws on."""
    address = address_id(request)
    visitor = visitor_id(request)
    base = f"participation:budget:{budget.action}"
    if visitor is None:
        return [(f"{base}:address-alone:{address}", budget.limit)]
    return [
        (f"{base}:visitor:{visitor}", budget.limit),
        (f"{base}:address:{address}", budget.per_address),
    ]


def _failure_key(request, budget: Budget) -> str:
    who = visitor_id(request) or f"address:{address_id(request)}"
    return f"participation:failures:{budget.action}:{who}"


def _read_window(key: str) -> tuple[int, float | None]:
    """(count, the window's end as a Unix time) of a counter written by ``_count``."""
    values = cache.get_many([key, f"{key}:ends"])
    return int(values.get(key) or 0), values.get(f"{key}:ends")


def _count(key: str, window: int) -> None:
    # The window starts with its first event and lasts ``window`` seconds; its end is kept
    # beside the count so that the citizen can be told when to try again.
    cache.add(f"{key}:ends", time.time() + window, window)
    cache.add(key, 0, window)
    cache.incr(key)


def refusal(request, budget: Budget) -> Refusal | None:
    """A ``Refusal`` when this client may not send now, else None (Redis down: None)."""
    try:
        found = []
        count, ends = _read_window(_failure_key(request, budget))
        if count >= budget.failure_limit and ends:
            found.append(Refusal(until=ends, failures=True))
        for key, limit in _budget_keys(request, budget):
            count, ends = _read_window(key)
            if count >= limit and ends:
                found.append(Refusal(until=ends, failures=False))
    except Exception:  # noqa: BLE001 - Redis down: better unlimited than unusable
        return None
    return max(found, key=lambda item: item.until) if found else None


def record_accepted(request, budget: Budget) -> None:
    """Count one accepted submission; failed tries before it are forgotten.

    Without a cookie it counts for the address and for the id the response hands out, so
    that taking the cookie afterwards does not start a fresh budget.
    """
    try:
        keys = _budget_keys(request, budget)
        if visitor_id(request) is None:
            visitor = pseudonym("visitor", new_visitor(request))
            keys.append((f"participation:budget:{budget.action}:visitor:{visitor}", 0))
        for key, _limit in keys:
            _count(key, budget.window)
        failures = _failure_key(request, budget)
        cache.delete_many([failures, f"{failures}:ends"])
    except Exception:  # noqa: BLE001 - Redis down: the submission stands, uncounted
        logger.warning("submission budget not counted (Redis unreachable)", exc_info=True)


def record_failure(request, budget: Budget) -> None:
    """Count one refused try (wrong captcha, missing field, duplicate…)."""
    try:
        _count(_failure_key(request, budget), budget.failure_window)
    except Exception:  # noqa: BLE001 - Redis down: better unlimited than unusable
        logger.warning("failed try not counted (Redis unreachable)", exc_info=True)
