"""Duplicate submissions: a fingerprint of the folded text, stored with each submission."""

from __future__ import annotations

import hashlib

from component_sites.core.text import fold


def fingerprint(*parts: str) -> str:
    """A hash of the folded text, so re-sending the same question (even re-typed) is caught."""
    return hashlib.sha256("\x1f".join(fold(part) for part in parts).encode()).hexdigest()
