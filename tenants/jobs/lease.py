"""The running job's lease, on a connection of its own: heartbeat, files written, cancel."""

from __future__ import annotations

import json
import logging
import threading

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name

from tenants.models import JobState, LeasedJob

from .queue import setting

logger = logging.getLogger(__name__)


class JobCancelled(Exception):
    """The console asked for the running job to stop; it rolls back."""


class Lease:
    """The running job's side of the lease, on a connection of its own (autocommit)."""

    def __init__(self, job: LeasedJob):
        self.job = job
        self.table = f'"{get_public_schema_name()}"."{type(job)._meta.db_table}"'
        self.cancelled = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._conn = connections.create_connection(DEFAULT_DB_ALIAS)
        self._conn.inc_thread_sharing()
        self._inline = False
        self._thread: threading.Thread | None = None
        self.files: list[tuple[str, str]] = []

    def _execute(self, sql: str, params: list) -> tuple | None:
        with self._lock, self._conn.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone() if cursor.description else None

    def claim(self) -> tuple[int, list]:
        """Mark the job running (one more attempt); returns (attempt, files of a dead attempt)."""
        row = self._execute(
            f"UPDATE {self.table} SET state = %s, started_at = now(), heartbeat_at = now(), "  # noqa: S608 - table name from the model
            "attempts = attempts + 1, finished_at = NULL, error = '' "
            "WHERE id = %s RETURNING attempts, written_files, cancel_requested",
            [JobState.RUNNING, self.job.pk],
        )
        if row is None:
            # The job row is not committed yet (created in the caller's own open
            # transaction: the command, tests): keep the lease in that transaction.
            self._conn.dec_thread_sharing()
            self._conn.close()
            self._conn = connection
            self._inline = True
            return self.claim()
        attempts, files, cancel = row
        if cancel:
            self.cancelled.set()
        if isinstance(files, str | bytes):  # Django leaves jsonb undecoded on raw cursors
            files = json.loads(files)
        return attempts, [tuple(item) for item in files or []]

    def start(self) -> None:
        if self._inline:
            return
        self._thread = threading.Thread(target=self._beat, name=f"lease-{self.table}-{self.job.pk}")
        self._thread.daemon = True
        self._thread.start()

    def _beat(self) -> None:
        interval = setting("JOB_HEARTBEAT_SECONDS")
        while not self._stop.wait(interval):
            try:
                self.heartbeat()
            except Exception:  # a missed beat is not fatal: the next one may pass
                logger.warning("heartbeat of %s %s failed", self.table, self.job.pk, exc_info=True)

    def heartbeat(self, progress: str | None = None) -> None:
        if progress is None:
            sql = f"UPDATE {self.table} SET heartbeat_at = now() WHERE id = %s "  # noqa: S608 - table name from the model
            params: list = [self.job.pk]
        else:
            sql = f"UPDATE {self.table} SET heartbeat_at = now(), progress = %s WHERE id = %s "  # noqa: S608 - table name from the model
            params = [progress[:255], self.job.pk]
        row = self._execute(sql + "RETURNING cancel_requested", params)
        if row and row[0]:
            self.cancelled.set()

    def report(self, message: str) -> None:
        """Progress, visible at once on the status page; raises JobCancelled if asked to stop."""
        self.heartbeat(message)
        self.check()

    def check(self) -> None:
        if self.cancelled.is_set():
            raise JobCancelled(_("Đã huỷ theo yêu cầu."))

    def wrote(self, schema: str, name: str) -> None:
        """Record a file just written (deleted again if the job does not commit)."""
        self.files.append((schema, name))
        self._execute(
            f"UPDATE {self.table} SET written_files = written_files || %s::jsonb WHERE id = %s",  # noqa: S608 - table name from the model
            [f'[["{schema}", {_json_string(name)}]]', self.job.pk],
        )
        self.check()

    def forget_files(self) -> None:
        sql = f"UPDATE {self.table} SET written_files = '[]' WHERE id = %s"  # noqa: S608
        self._execute(sql, [self.job.pk])

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self._inline:
            return
        with self._lock:
            self._conn.dec_thread_sharing()
            self._conn.close()


def _json_string(text: str) -> str:
    return json.dumps(text)
