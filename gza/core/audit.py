"""The one place that writes the audit trail and the personal-data access log.

Services call `audit_record()`; views that show or export a person's record call
`access_record()`. The client address comes from the request context set by
`gza.core.middleware.audit_context_middleware`, so services never need the request.
"""

import contextvars
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from gza.core.enums import AccessAction, AuditVerb
from gza.core.models import AccessLogEntry, AuditEvent, User

current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("gza_ip", default=None)


def _actor(user: Any) -> User | None:
    return user if isinstance(user, User) and user.pk else None


def audit_record(
    *,
    actor: User | None,
    verb: AuditVerb,
    target: models.Model | None = None,
    payload: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=_actor(actor),
        verb=verb,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        payload=payload or {},
        ip_address=current_ip.get(),
    )


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of `fields`, JSON-ready, to compare before and after a change."""
    values = {}
    for name in fields:
        field = instance._meta.get_field(name)
        values[name] = field.value_to_string(instance)
    return values


def audit_record_change(
    *, actor: User | None, instance: models.Model, before: dict[str, Any]
) -> AuditEvent | None:
    """Record what changed on a domain record (field: [old, new]); nothing if nothing did."""
    after = snapshot(instance, before.keys())
    changes = {name: [before[name], after[name]] for name in before if before[name] != after[name]}
    if not changes:
        return None
    return audit_record(
        actor=actor, verb=AuditVerb.UPDATED, target=instance, payload={"changes": changes}
    )


def access_record(
    *, actor: User, subject: models.Model, action: AccessAction, purpose: str = ""
) -> AccessLogEntry:
    return AccessLogEntry.objects.create(
        actor=actor,
        action=action,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=str(subject.pk),
        purpose=purpose,
        ip_address=current_ip.get(),
    )


def access_record_many(
    *, actor: User, subjects: Iterable[models.Model], action: AccessAction, purpose: str = ""
) -> int:
    """`access_record()` for every record a page lists (a shortlist's people), in one insert,
    so the page's query count does not grow with its length."""
    subjects = list(subjects)
    if not subjects:
        return 0
    ip_address = current_ip.get()
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(
            actor=actor,
            action=action,
            subject_type=ContentType.objects.get_for_model(subject),
            subject_id=str(subject.pk),
            purpose=purpose,
            ip_address=ip_address,
        )
        for subject in subjects
    )
    return len(subjects)


def history_of(instance: models.Model) -> models.QuerySet[AuditEvent]:
    """The audit trail of one record, newest first."""
    return AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(instance), target_id=str(instance.pk)
    ).select_related("actor")
