"""Long jobs run by the worker (merges, catalogue imports): see ``lease``."""

from .lease import (
    IMPORT,
    KINDS,
    MERGE,
    JobActionError,
    JobCancelled,
    JobKind,
    Lease,
    SweepResult,
    cancel,
    delete_files,
    enqueue,
    enqueue_on_commit,
    kind_of,
    reset_for_retry,
    run_job,
    sweep_stale_jobs,
)

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
