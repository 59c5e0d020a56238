"""Merging two records of one person, dismissing a likely duplicate, and undoing a merge.

A merge keeps both records: the merged one is marked MERGED and points to the survivor, and
everything attached to it moves to the survivor. `MergeRecord.moved` notes exactly what moved
(row ids per model, values overwritten, rows dropped on a clash, fields filled in), so that
`merge_undo()` puts every row and value back where it was.

Rules:
- Occupations sought and languages are once per person: on a clash the survivor keeps one row
  with the better value (more years of experience; the higher CEFR level with its certificate),
  and the merged record's row is dropped — its data kept in the merge record for undo.
- Consents: a consent the survivor also holds *standing* for the same purpose stays with the
  merged record (the survivor's own consent is the one in force; the other remains as history
  where it was given); every other consent moves.
- The survivor's empty fields are filled from the merged record (`FILLED_FIELDS`).
- Accounts: the survivor keeps its own account; if it has none, the merged record's account
  moves to it, so the person signs in to the surviving record. If both have one, the merged
  record keeps its account (sign-in then shows a merged record; the ministry closes it).
- Personal numbers differ for every duplicate the registry can hold (they are unique), and by
  law two personal numbers are two people unless one is a typo: the officer must confirm "I
  checked the ID" and the confirmation is recorded.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gza.core.audit import audit_record
from gza.core.enums import AuditVerb
from gza.core.errors import DomainError
from gza.core.models import User
from gza.registry.duplicate_models import DuplicateCandidate, MergeRecord
from gza.registry.enums import DuplicateStatus, RecordStatus
from gza.registry.models import (
    Certificate,
    Consent,
    Education,
    JobSeeker,
    JobSeekerDocument,
    LanguageSkill,
    SoughtOccupation,
    WorkExperience,
)


class MergeRefusal:
    NOT_OPEN = _("This pair has already been reviewed.")
    NOT_ACTIVE = _("One of the records has already been merged into another.")
    NOT_IN_PAIR = _("Keep one of the two records of the pair.")
    NUMBERS_DIFFER = _(
        "The personal numbers differ. Check the ID document and confirm that one of them is a "
        "typing error before merging."
    )
    ALREADY_UNDONE = _("This merge has already been undone.")
    SURVIVOR_MERGED_SINCE = _(
        "The kept record has since been merged into another record: undo that merge first."
    )


# Fields copied onto the survivor when it has none.
FILLED_FIELDS = [
    "first_name_latin",
    "last_name_latin",
    "phone",
    "email",
    "passport_number",
    "passport_expiry",
    "availability_date",
    "driving_licences",
    "last_schengen_stay_end",
    "external_ref",
]
# Rows moved as they are (no uniqueness per person).
MOVED_MODELS = [Education, WorkExperience, Certificate, JobSeekerDocument]
M2M_FIELDS = ["skills", "desired_countries"]
# Relations of JobSeeker that a merge handles (tests check no new one goes unnoticed): the
# models above, the ones with a clash rule, and those that stay with their record.
HANDLED_RELATIONS = {
    "registry.education",
    "registry.workexperience",
    "registry.certificate",
    "registry.jobseekerdocument",
    "registry.soughtoccupation",
    "registry.languageskill",
    "registry.consent",
}
STAYING_RELATIONS = {
    # A deletion request is about one record; it stays with it.
    "registry.deletionrequest",
    # Notifications were sent to the record as it was.
    "registry.notification",
    # The merge's own bookkeeping, and the self-relation of merged records.
    "registry.duplicatecandidate",
    "registry.mergerecord",
    "registry.jobseeker",
    # Match runs are records of what was computed then, about the record as it was; a new
    # run after the merge sees the merged profile.
    "matching.matchrun",
    "matching.matchrunentry",
    # The journey abroad (issue 6) is the record's own history: applications, placements,
    # grievances and reintegration cases stay with the record they were made on, as the
    # stage logs, check-ins and audit trail that point to them do.
    "recruitment.application",
    "mobility.placement",
    "mobility.grievance",
    "reintegration.reintegrationcase",
}


def _label(model: type) -> str:
    return model._meta.label_lower


def _value(instance: Any, name: str) -> Any:
    value = getattr(instance, name)
    return value.isoformat() if hasattr(value, "isoformat") else value


def _lock_pair(a_id: int, b_id: int) -> dict[int, JobSeeker]:
    # Both rows locked in id order, so two officers merging overlapping pairs wait for each
    # other instead of moving the same rows twice (or deadlocking).
    people = JobSeeker.objects.select_for_update().filter(pk__in=[a_id, b_id]).order_by("pk")
    return {person.pk: person for person in people}


def _move_unique_rows(
    moved: dict, survivor: JobSeeker, merged: JobSeeker, model: type, key: str, better
) -> None:
    """Move rows unique per (person, key); on a clash keep the better value on the
    survivor's row and drop the merged record's row, noting both for undo."""
    label = _label(model)
    kept = {getattr(row, key): row for row in model.objects.filter(job_seeker=survivor)}
    for row in model.objects.filter(job_seeker=merged).order_by("pk"):
        clash = kept.get(getattr(row, key))
        if clash is None:
            moved["rows"].setdefault(label, []).append(row.pk)
            continue
        changes = better(clash, row)
        if changes:
            old = {"id": clash.pk, **{name: _value(clash, name) for name in changes}}
            moved["updated"].setdefault(label, []).append(old)
            for name, value in changes.items():
                setattr(clash, name, value)
            clash.save(update_fields=list(changes))
        data = {
            field.attname: _value(row, field.attname)
            for field in model._meta.concrete_fields
            if field.attname != "job_seeker_id"
        }
        moved["dropped"].setdefault(label, []).append(data)
        row.delete()
    ids = moved["rows"].get(label)
    if ids:
        model.objects.filter(pk__in=ids).update(job_seeker=survivor)


def _more_years(kept: SoughtOccupation, other: SoughtOccupation) -> dict[str, Any]:
    if other.years_experience > kept.years_experience:
        return {"years_experience": other.years_experience}
    return {}


def _higher_level(kept: LanguageSkill, other: LanguageSkill) -> dict[str, Any]:
    if other.level.rank > kept.level.rank:
        return {"level_id": other.level_id, "certificate": other.certificate}
    if other.level_id == kept.level_id and other.certificate and not kept.certificate:
        return {"certificate": other.certificate}
    return {}


def _validate_merge(
    candidate: DuplicateCandidate,
    survivor_id: int,
    people: dict[int, JobSeeker],
    personal_numbers_checked: bool,
) -> tuple[JobSeeker, JobSeeker]:
    if candidate.status != DuplicateStatus.OPEN:
        raise DomainError(MergeRefusal.NOT_OPEN)
    if survivor_id not in (candidate.person_a_id, candidate.person_b_id):
        raise DomainError(MergeRefusal.NOT_IN_PAIR)
    if any(person.status != RecordStatus.ACTIVE for person in people.values()):
        raise DomainError(MergeRefusal.NOT_ACTIVE)
    merged_id = (
        candidate.person_b_id if survivor_id == candidate.person_a_id else candidate.person_a_id
    )
    survivor, merged = people[survivor_id], people[merged_id]
    if survivor.personal_number != merged.personal_number and not personal_numbers_checked:
        raise ValidationError(
            {"personal_numbers_checked": [MergeRefusal.NUMBERS_DIFFER]}, code="numbers_differ"
        )
    return survivor, merged


def duplicate_merge(
    *,
    candidate: DuplicateCandidate,
    survivor: JobSeeker,
    actor: User | None,
    personal_numbers_checked: bool = False,
    automatic: bool = False,
) -> MergeRecord:
    """Merge the other record of `candidate` into `survivor` (see the module's docstring)."""
    with transaction.atomic():
        # The candidate is locked too: two reviewers deciding the same pair at once get one
        # merge and one "already reviewed".
        candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
        people = _lock_pair(candidate.person_a_id, candidate.person_b_id)
        survivor, merged = _validate_merge(candidate, survivor.pk, people, personal_numbers_checked)
        moved: dict[str, Any] = {"rows": {}, "updated": {}, "dropped": {}, "m2m": {}}
        for model in MOVED_MODELS:
            ids = list(
                model.objects.filter(job_seeker=merged).order_by("pk").values_list("pk", flat=True)
            )
            if ids:
                moved["rows"][_label(model)] = ids
                model.objects.filter(pk__in=ids).update(job_seeker=survivor)
        _move_unique_rows(moved, survivor, merged, SoughtOccupation, "occupation_id", _more_years)
        _move_unique_rows(moved, survivor, merged, LanguageSkill, "language_id", _higher_level)
        standing = set(
            Consent.objects.filter(job_seeker=survivor, withdrawn_at__isnull=True).values_list(
                "purpose", flat=True
            )
        )
        consent_ids = [
            consent.pk
            for consent in Consent.objects.filter(job_seeker=merged).order_by("pk")
            if consent.withdrawn_at is not None or consent.purpose not in standing
        ]
        if consent_ids:
            moved["rows"][_label(Consent)] = consent_ids
            Consent.objects.filter(pk__in=consent_ids).update(job_seeker=survivor)
        for name in M2M_FIELDS:
            theirs = set(getattr(merged, name).values_list("pk", flat=True))
            ours = set(getattr(survivor, name).values_list("pk", flat=True))
            added = sorted(theirs - ours)
            moved["m2m"][name] = {"added": added, "removed": sorted(theirs)}
            getattr(survivor, name).add(*added)
            getattr(merged, name).clear()
        fields = {}
        for name in FILLED_FIELDS:
            if not getattr(survivor, name) and getattr(merged, name):
                fields[name] = [_value(survivor, name), _value(merged, name)]
                setattr(survivor, name, getattr(merged, name))
        moved["fields"] = fields
        moved["user"] = None
        if survivor.user_id is None and merged.user_id is not None:
            moved["user"] = merged.user_id
            survivor.user_id, merged.user_id = merged.user_id, None
        merged.status = RecordStatus.MERGED
        merged.merged_into = survivor
        # The account leaves the merged record before the survivor takes it (one-to-one).
        merged.save(update_fields=["status", "merged_into", "user", "updated_at"])
        survivor.save(update_fields=[*fields, "user", "updated_at"])
        now = timezone.now()
        candidate.status = DuplicateStatus.MERGED
        candidate.reviewed_by = actor
        candidate.reviewed_at = now
        candidate.save(update_fields=["status", "reviewed_by", "reviewed_at"])
        record = MergeRecord.objects.create(
            survivor=survivor,
            merged=merged,
            candidate=candidate,
            moved=moved,
            personal_numbers_checked=personal_numbers_checked,
            automatic=automatic,
            performed_by=actor,
        )
        _audit(actor, record, "duplicate_merged")
    return record


def _audit(actor: User | None, record: MergeRecord, event: str) -> None:
    # Registration numbers, not names: the targets identify the records.
    for target, role in ((record.survivor, "kept"), (record.merged, "merged")):
        audit_record(
            actor=actor,
            verb=AuditVerb.UPDATED,
            target=target,
            payload={
                "event": event,
                "role": role,
                "merge": record.pk,
                "kept": record.survivor.registration_number,
                "merged": record.merged.registration_number,
                "personal_numbers_checked": record.personal_numbers_checked,
                "automatic": record.automatic,
            },
        )


def merge_undo(*, record: MergeRecord, actor: User) -> MergeRecord:
    """Put back everything the merge moved; the pair returns to the review queue."""
    with transaction.atomic():
        record = MergeRecord.objects.select_for_update().get(pk=record.pk)
        if record.undone_at is not None:
            raise DomainError(MergeRefusal.ALREADY_UNDONE)
        people = _lock_pair(record.survivor_id, record.merged_id)
        survivor, merged = people[record.survivor_id], people[record.merged_id]
        if survivor.status != RecordStatus.ACTIVE:
            raise DomainError(MergeRefusal.SURVIVOR_MERGED_SINCE)
        moved = record.moved
        models = {
            _label(model): model
            for model in [*MOVED_MODELS, SoughtOccupation, LanguageSkill, Consent]
        }
        for label, ids in moved.get("rows", {}).items():
            models[label].objects.filter(pk__in=ids).update(job_seeker=merged)
        for label, rows in moved.get("updated", {}).items():
            for old in rows:
                values = {name: value for name, value in old.items() if name != "id"}
                models[label].objects.filter(pk=old["id"]).update(**values)
        for label, rows in moved.get("dropped", {}).items():
            for data in rows:
                models[label].objects.create(job_seeker=merged, **data)
        for name, change in moved.get("m2m", {}).items():
            getattr(survivor, name).remove(*change["added"])
            getattr(merged, name).add(*change["removed"])
        fields = moved.get("fields", {})
        for name, (old, _copied) in fields.items():
            field = JobSeeker._meta.get_field(name)
            setattr(survivor, name, field.to_python(old))
        if moved.get("user"):
            survivor.user_id = None
            survivor.save(update_fields=[*fields, "user", "updated_at"])
            merged.user_id = moved["user"]
        else:
            survivor.save(update_fields=[*fields, "updated_at"])
        merged.status = RecordStatus.ACTIVE
        merged.merged_into = None
        merged.save(update_fields=["status", "merged_into", "user", "updated_at"])
        if record.candidate_id:
            DuplicateCandidate.objects.filter(pk=record.candidate_id).update(
                status=DuplicateStatus.OPEN, reviewed_by=None, reviewed_at=None
            )
        record.undone_at = timezone.now()
        record.undone_by = actor
        record.save(update_fields=["undone_at", "undone_by"])
        _audit(actor, record, "duplicate_merge_undone")
    return record


def duplicate_dismiss(*, candidate: DuplicateCandidate, actor: User) -> DuplicateCandidate:
    """ "Not the same person": the pair leaves the queue and no later scan brings it back."""
    with transaction.atomic():
        candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
        if candidate.status != DuplicateStatus.OPEN:
            raise DomainError(MergeRefusal.NOT_OPEN)
        candidate.status = DuplicateStatus.DISMISSED
        candidate.reviewed_by = actor
        candidate.reviewed_at = timezone.now()
        candidate.save(update_fields=["status", "reviewed_by", "reviewed_at"])
        for target in (candidate.person_a, candidate.person_b):
            audit_record(
                actor=actor,
                verb=AuditVerb.UPDATED,
                target=target,
                payload={"event": "duplicate_dismissed", "candidate": candidate.pk},
            )
    return candidate
