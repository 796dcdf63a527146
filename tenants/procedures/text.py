"""Text helpers shared by the master catalogue and the sites' copies."""

from __future__ import annotations

from component_sites.core.text import fold

__all__ = ["fold", "search_terms"]


def search_terms(query: str) -> list[str]:
    """The folded words of a search query (each must occur in the search column)."""
    return [word for word in fold(query).split(" ") if word]
