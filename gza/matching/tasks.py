"""Background work of matching: re-matching after vacancies, profiles or weights change.

A change asks, once per transaction whatever the number of rows changed, for one re-match
after commit: the engine's index is then marked stale (one cache write, shared by every
process) and one task is enqueued, which re-runs the waiting shortlists
(gza.matching.runs.rematch_waiting). Nothing happens before the commit, so a change that is
rolled back costs nothing and a save adds no query to the request. A task that finds a run newer
than its request skips that vacancy, so a backlog of requests costs one re-match, not one per
request."""

from collections.abc import Iterable

from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.dateparse import parse_datetime


@task()
def rematch_task(vacancy_ids: list[int] | None = None, requested_at: str | None = None) -> dict:
    """Re-run the shortlists of published vacancies with no run or one waiting for review:
    all of them (`vacancy_ids` None, after a profile or the national weights changed) or
    those named (after these vacancies changed)."""
    from gza.matching import engine
    from gza.matching.runs import rematch_waiting

    engine.invalidate()
    return rematch_waiting(
        vacancy_ids=vacancy_ids,
        requested_at=parse_datetime(requested_at) if requested_at else None,
    )


class PendingRematch:
    """The one re-match a transaction asks for, registered with on_commit: later changes in
    the same transaction add their vacancies to it (None: every vacancy)."""

    def __init__(self) -> None:
        self.vacancy_ids: set[int] | None = set()

    def add(self, vacancy_ids: Iterable[int] | None) -> None:
        if vacancy_ids is None:
            self.vacancy_ids = None
        elif self.vacancy_ids is not None:
            self.vacancy_ids.update(vacancy_ids)

    def __call__(self) -> None:
        from gza.matching import engine

        engine.invalidate()
        ids = None if self.vacancy_ids is None else sorted(self.vacancy_ids)
        if ids == []:
            return
        rematch_task.enqueue(vacancy_ids=ids, requested_at=timezone.now().isoformat())


def _pending(connection) -> PendingRematch | None:
    """The transaction's pending re-match, if one is registered. Joining it is safe wherever
    it was registered: a savepoint it depends on is either released (it can no longer roll
    back) or encloses the current change (rolling it back undoes this change too)."""
    if not connection.in_atomic_block:
        return None
    for _savepoints, func, _robust in connection.run_on_commit:
        if isinstance(func, PendingRematch):
            return func
    return None


def schedule_rematch(*, vacancy_ids: Iterable[int] | None) -> None:
    """Mark the engine's index stale and re-match once the transaction commits (at once
    outside a transaction). `vacancy_ids` None means a change that may move any shortlist (a
    person's profile)."""
    connection = transaction.get_connection()
    pending = _pending(connection)
    if pending is None:
        pending = PendingRematch()
        pending.add(vacancy_ids)
        transaction.on_commit(pending)
    else:
        pending.add(vacancy_ids)
