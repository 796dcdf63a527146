"""Writes the live server and worker processes can see: committed on a connection of their own.

A test runs inside a transaction that other threads and processes cannot see; this runs
``func`` in a thread with its own connection (on the public schema, or in ``schema``), so that
its writes commit at once.  An exception in ``func`` is raised again in the caller.
"""

from __future__ import annotations

import threading


def committed(func, schema: str | None = None):
    from django.db import connection
    from django_tenants.utils import schema_context

    result = {}

    def target():
        try:
            connection.set_schema_to_public()
            if schema is None:
                result["value"] = func()
            else:
                with schema_context(schema):
                    result["value"] = func()
        except BaseException as exc:  # re-raised in the caller's thread
            result["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result.get("value")
