"""Long jobs run by the worker (merges, catalogue imports): lease, cleanup, sweep, retry, cancel.

A job's database work is one transaction: a worker killed mid-job leaves nothing half
written there.  What a transaction cannot undo is the files the job wrote and the job's
own row, which would stay "running".  So, while a job runs, its worker keeps a *lease* on
a connection of its own (each statement commits at once, visible while the job's
transaction is still open):

- ``heartbeat_at`` is refreshed every ``JOB_HEARTBEAT_SECONDS``;
- every file written is appended to ``written_files`` right after it is written;
- ``cancel_requested`` (set by the console) is read back, and the job rolls back.

The job also holds an advisory lock (``pg_advisory_xact_lock(kind, id)``) for as long as
its transaction is open; PostgreSQL releases it the moment the worker's connection dies.
``sweep_stale_jobs`` (beat, every minute) takes a running job whose heartbeat is older than
``JOB_LEASE_SECONDS`` *and* whose advisory lock is free: its worker is gone.  It deletes the
files listed, then queues the job again (at most ``JOB_MAX_ATTEMPTS`` attempts in all) or
marks it failed, to be retried from the console.  A job still pending
``JOB_REQUEUE_PENDING_SECONDS`` after it was queued (the broker lost the message) is queued
again; a duplicate delivery is harmless (it waits for the lock, then finds the job done).

- ``queue``: job kinds and their task names, ``enqueue``, deleting a job's files;
- ``lease``: ``Lease``, the running job's side;
- ``run``: ``run_job``;
- ``sweep``: ``sweep_stale_jobs``;
- ``actions``: ``cancel`` and ``reset_for_retry`` from the console.
"""

from .actions import JobActionError, cancel, reset_for_retry
from .lease import JobCancelled, Lease
from .queue import IMPORT, KINDS, MERGE, JobKind, delete_files, enqueue, enqueue_on_commit, kind_of
from .run import run_job
from .sweep import SweepResult, sweep_stale_jobs

__all__ = [
    "IMPORT",
    "KINDS",
    "MERGE",
    "JobActionError",
    "JobCancelled",
    "JobKind",
    "Lease",
    "SweepResult",
    "cancel",
    "delete_files",
    "enqueue",
    "enqueue_on_commit",
    "kind_of",
    "reset_for_retry",
    "run_job",
    "sweep_stale_jobs",
]
