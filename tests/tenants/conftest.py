"""Fixtures of the procedure tests, shared by this folder."""

from tests.procedure_helpers import eager, syndicate  # noqa: F401
