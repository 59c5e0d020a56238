"""Background work of the registry."""

from collections.abc import Iterable

from django.db import transaction
from django.tasks import task

from gza.registry.duplicates import record_candidates, scan


@task()
def scan_duplicates_task() -> dict:
    """The nightly duplicate scan of the whole registry (also `manage.py scan_duplicates`)."""
    result = scan()
    return {"people": result.people, "found": result.found, "queued": result.queued}


@task()
def check_new_records_task(person_ids: list[int]) -> dict:
    """Look for likely duplicates of records just registered or imported, and queue them for
    review. Runs after the registration is committed, so a surge of registrations never waits
    on it and a failure here never loses a registration."""
    from gza.registry.models import JobSeeker

    queued = 0
    for person in JobSeeker.objects.active().filter(pk__in=person_ids).iterator():
        queued += len(record_candidates(person))
    return {"people": len(person_ids), "queued": queued}


def check_for_duplicates_after_commit(person_ids: Iterable[int]) -> None:
    """Queue the duplicate check of these records once the current transaction commits."""
    ids = sorted(set(person_ids))
    if ids:
        transaction.on_commit(lambda: check_new_records_task.enqueue(ids))
