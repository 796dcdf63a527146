"""The views behind the participation pages' routes, looked up by name.

``models.py`` declares the routes (``RoutablePageMixin``) and ``views.py`` answers them;
views import the models (forms, questions), so the models do not import the views back:
``views.py`` registers each handler here under the route's name (``@answers("ask")``),
and the page's route method calls ``handler("ask")``. ``ParticipationConfig.ready`` imports
``views`` so the table is full before the first request.
"""

from __future__ import annotations

from collections.abc import Callable

_HANDLERS: dict[str, Callable] = {}


def answers(name: str) -> Callable[[Callable], Callable]:
    """Register the decorated function as the handler of route ``name``."""

    def register(view: Callable) -> Callable:
        _HANDLERS[name] = view
        return view

    return register


def handler(name: str) -> Callable:
    """The view registered for route ``name`` (a KeyError names a route nobody answers)."""
    return _HANDLERS[name]
