"""A person's rights over their record: who accessed it, a copy of their data, deletion.

- `access_history()`: which organisations viewed, exported or changed the record (and the
  person's documents), from the append-only access log.
- `personal_data_export()`: everything Gza holds on the person, as JSON-ready data; the export
  itself is logged and audited.
- Deletion: the person asks (`deletion_request_open`, one open request at a time); a ministry
  officer decides (`deletion_carry_out` or `deletion_refuse`, with a reason).

What "carried out" erases (`deletion_carry_out`)
-------------------------------------------------
The record is anonymised in place rather than deleted, so that placements, applications and
statistics that point at it keep working, and what remains says nothing about who the person is:

- identity and contacts: names in both scripts (and their search keys), personal number
  (replaced by "E" + the registration number, to keep the column unique), phone, e-mail,
  passport number and expiry, external reference; the date of birth is cut to 1 January of the
  birth year; the record's status becomes ERASED (so it leaves `JobSeeker.objects.active()`,
  every search, every shortlist);
- the sign-in account: unlinked, deactivated, password unusable, name and contacts replaced;
- documents: rows deleted and files removed from private storage (after the commit);
- certificates (free text about the person): deleted;
- free text in the profile: employers' names, tasks, the occupation as typed, fields of study,
  institutions, language certificates; the Schengen stay and availability dates;
- consents: every standing consent is withdrawn (the rows stay, as proof of what was agreed);
- records merged into this one (the same person): erased the same way.

Kept, as non-personal statistics: sex, birth year, citizenship, municipality, registration
date and channel, occupations sought and years of experience, ISCO codes, countries and dates
of past jobs, ISCED levels and years, languages and CEFR levels, ESCO skills, desired countries,
work pattern. The registration number is kept on the record and on the decided request: it is
the ministry's proof of what it erased and when.

Not touched: the audit trail and the personal-data access log. They are append-only by design
(the law requires keeping who did what); their rows point at the record by id.
"""

import datetime
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gza.core.audit import access_record, audit_record
from gza.core.enums import AccessAction, AuditVerb
from gza.core.errors import DomainError
from gza.core.models import AccessLogEntry, User
from gza.registry.enums import DeletionRequestStatus, RecordStatus
from gza.registry.models import DeletionRequest, JobSeeker, JobSeekerDocument


class PrivacyError:
    ALREADY_OPEN = _(
        "You have already asked for your record to be deleted; the ministry will decide on "
        "that request first."
    )
    ALREADY_ERASED = _("This record has already been erased.")
    ALREADY_DECIDED = _("This request has already been decided.")
    REASON_NEEDED = _("Give the reason for refusing the request.")


# Access history ------------------------------------------------------------------------------


def access_history(person: JobSeeker) -> models.QuerySet[AccessLogEntry]:
    """Views, exports and changes of the person's record and documents, newest first.

    The person's own views are left out (every visit to their own page writes one); their own
    exports and changes stay, shown as "you"."""
    documents = (
        JobSeekerDocument.objects.filter(job_seeker=person)
        .annotate(key=Cast("pk", models.CharField()))
        .values("key")
    )
    subject = models.Q(
        subject_type=ContentType.objects.get_for_model(JobSeeker), subject_id=str(person.pk)
    ) | models.Q(
        subject_type=ContentType.objects.get_for_model(JobSeekerDocument),
        subject_id__in=documents,
    )
    entries = AccessLogEntry.objects.filter(subject).select_related("actor__organisation")
    if person.user_id:
        entries = entries.exclude(actor_id=person.user_id, action=AccessAction.VIEW)
    return entries.order_by("-created_at", "-id")


# Download my data ------------------------------------------------------------------------------


def _day(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def personal_data_export(*, person: JobSeeker, actor: User) -> dict[str, Any]:
    """Everything Gza holds on the person, as JSON-ready data, for the person to download.

    Logged as an EXPORT in the access log and audited, like any other export."""
    identity = {
        "registration_number": person.registration_number,
        "personal_number": person.personal_number,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "first_name_latin": person.first_name_latin,
        "last_name_latin": person.last_name_latin,
        "sex": person.sex,
        "birth_date": _day(person.birth_date),
        "citizenship": person.citizenship_id,
        "municipality": person.municipality_id,
        "phone": person.phone,
        "email": person.email,
        "passport_number": person.passport_number,
        "passport_expiry": _day(person.passport_expiry),
        "registered_at": person.created_at.isoformat(),
        "registered_via": person.registered_via,
        "registered_by": person.registered_by_organisation.name
        if person.registered_by_organisation_id
        else None,
    }
    profile = {
        "availability_date": _day(person.availability_date),
        "work_pattern": person.work_pattern,
        "driving_licences": [c for c in person.driving_licences.split(",") if c],
        "last_schengen_stay_end": _day(person.last_schengen_stay_end),
        "desired_countries": sorted(c.pk for c in person.desired_countries.all()),
        "skills": sorted(s.uri for s in person.skills.all()),
        "occupations_sought": [
            {"occupation": row.occupation_id, "years_experience": row.years_experience}
            for row in person.sought_occupations.all()
        ],
        "languages": [
            {"language": row.language_id, "level": row.level_id, "certificate": row.certificate}
            for row in person.language_skills.all()
        ],
        "education": [
            {
                "isced_level": row.isced_level_id,
                "field": row.field,
                "institution": row.institution,
                "year_completed": row.year_completed,
            }
            for row in person.education.all()
        ],
        "work_experience": [
            {
                "employer": row.employer,
                "country": row.country_id,
                "occupation_text": row.occupation_text,
                "occupation": row.occupation_id,
                "start_date": _day(row.start_date),
                "end_date": _day(row.end_date),
                "tasks": row.tasks,
            }
            for row in person.work_experience.all()
        ],
        "certificates": [
            {
                "name": row.name,
                "issuer": row.issuer,
                "issued_on": _day(row.issued_on),
                "valid_until": _day(row.valid_until),
            }
            for row in person.certificates.all()
        ],
    }
    consents = [
        {
            "purpose": row.purpose,
            "version": row.text.version,
            "given_at": row.given_at.isoformat(),
            "withdrawn_at": row.withdrawn_at.isoformat() if row.withdrawn_at else None,
        }
        for row in person.consents.select_related("text").order_by("given_at", "id")
    ]
    documents = [
        {
            "kind": row.kind,
            "title": row.title,
            "file_name": row.original_name,
            "content_type": row.content_type,
            "size": row.size,
            "sha256": row.sha256,
            "uploaded_at": row.uploaded_at.isoformat(),
        }
        for row in person.documents.order_by("uploaded_at", "id")
    ]
    history = [
        {
            "time": entry.created_at.isoformat(),
            "action": entry.action,
            "organisation": _organisation_name(entry, person),
        }
        for entry in access_history(person)
    ]
    deletion_requests = [
        {
            "requested_at": row.requested_at.isoformat(),
            "status": row.status,
            "decided_at": row.decided_at.isoformat() if row.decided_at else None,
            "decision": row.decision_note,
        }
        for row in person.deletion_requests.order_by("requested_at", "id")
    ]
    with transaction.atomic():
        access_record(
            actor=actor, subject=person, action=AccessAction.EXPORT, purpose="personal data"
        )
        audit_record(
            actor=actor, verb=AuditVerb.EXPORTED, target=person, payload={"export": "own data"}
        )
    return {
        "format": "gza-personal-data/1",
        "exported_at": timezone.now().isoformat(),
        "identity": identity,
        "profile": profile,
        "consents": consents,
        "documents": documents,
        "access_history": history,
        "deletion_requests": deletion_requests,
    }


def _organisation_name(entry: AccessLogEntry, person: JobSeeker) -> str:
    """Who accessed, as the person may be told: an organisation, never a staff member."""
    if person.user_id and entry.actor_id == person.user_id:
        return str(_("you"))
    if entry.actor.organisation_id:
        return entry.actor.organisation.name
    return str(_("Gza's administration"))


# Deletion --------------------------------------------------------------------------------------


def deletion_request_open(*, person: JobSeeker, actor: User, reason: str = "") -> DeletionRequest:
    """The person asks for their record to be deleted; one open request at a time."""
    with transaction.atomic():
        # Two submissions at once would both find no open request; the lock serialises them
        # (the partial unique constraint is the last guard).
        person = JobSeeker.objects.select_for_update().get(pk=person.pk)
        if person.status == RecordStatus.ERASED:
            raise DomainError(PrivacyError.ALREADY_ERASED)
        if person.deletion_requests.filter(status=DeletionRequestStatus.OPEN).exists():
            raise DomainError(PrivacyError.ALREADY_OPEN)
        request = DeletionRequest(
            job_seeker=person,
            registration_number=person.registration_number,
            reason=reason.strip(),
        )
        request.full_clean()
        request.save()
        audit_record(
            actor=actor, verb=AuditVerb.CREATED, target=request, payload={"deletion": "requested"}
        )
    return request


def _decide(*, request: DeletionRequest, actor: User) -> DeletionRequest:
    # Two officers deciding the same request at once: the second must see the first decision.
    locked = DeletionRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != DeletionRequestStatus.OPEN:
        raise DomainError(PrivacyError.ALREADY_DECIDED)
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    return locked


def deletion_refuse(*, request: DeletionRequest, actor: User, note: str) -> DeletionRequest:
    """Refuse with a reason (for example, the law requires keeping a placement's record)."""
    if not note.strip():
        raise DomainError(PrivacyError.REASON_NEEDED)
    with transaction.atomic():
        request = _decide(request=request, actor=actor)
        request.status = DeletionRequestStatus.REFUSED
        request.decision_note = note.strip()
        request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit_record(
            actor=actor, verb=AuditVerb.UPDATED, target=request, payload={"deletion": "refused"}
        )
    return request


def deletion_carry_out(*, request: DeletionRequest, actor: User, note: str = "") -> DeletionRequest:
    """Carry out the request: erase the person's personal data as the module's docstring says,
    keeping the non-personal statistics, in one transaction."""
    with transaction.atomic():
        request = _decide(request=request, actor=actor)
        person = JobSeeker.objects.select_for_update().get(pk=request.job_seeker_id)
        erased = [person, *JobSeeker.objects.filter(merged_into=person)]
        for record in erased:
            _erase(record, actor=actor)
        request.status = DeletionRequestStatus.DONE
        request.decision_note = note.strip()
        request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit_record(
            actor=actor,
            verb=AuditVerb.UPDATED,
            target=request,
            payload={"deletion": "carried out", "records": [record.pk for record in erased]},
        )
    return request


def _erase(person: JobSeeker, *, actor: User) -> None:
    now = timezone.now()
    person.consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=now)
    files = [(doc.file.storage, doc.file.name) for doc in person.documents.all() if doc.file]
    person.documents.all().delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
    person.certificates.all().delete()
    person.work_experience.update(employer="", tasks="", occupation_text="")
    person.education.update(field="", institution="")
    person.language_skills.update(certificate="")
    if person.user_id:
        User.objects.filter(pk=person.user_id).update(
            email=f"erased-{person.user_id}@erased.invalid",
            phone=None,
            full_name="",
            is_active=False,
            password=make_password(None),  # an unusable password
        )
    person.personal_number = f"E{person.registration_number}"
    person.first_name = person.last_name = ""
    person.first_name_latin = person.last_name_latin = ""
    person.phone = person.email = person.passport_number = person.external_ref = ""
    person.passport_expiry = person.last_schengen_stay_end = person.availability_date = None
    person.birth_date = datetime.date(person.birth_date.year, 1, 1)
    person.user = None
    person.status = RecordStatus.ERASED
    person.save()
    access_record(actor=actor, subject=person, action=AccessAction.CHANGE, purpose="erased")
