"""Use cases of a job seeker's record after registration: assisted registration by an officer,
identity, the profile the wizard fills in, and documents.

The same services serve the person on the portal, officers in the workspace and the API, so the
rules are in one place: who may change a record (the person themself, or an officer with
JOB_SEEKERS_MANAGE who sees them), every change in one transaction with its audit event, and a
line in the personal-data access log when staff change someone's record.

Repeated items (education, work, occupations sought, languages, certificates) are saved as a
whole list, the way a form shows them: the list given replaces the list kept, and the audit
event records the list before and after in codes, not in free text."""

import datetime
from collections.abc import Collection, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gza.core.audit import access_record, audit_record, audit_record_change, snapshot
from gza.core.enums import AccessAction, AuditVerb
from gza.core.errors import DomainError
from gza.core.models import User
from gza.core.roles import Right, has_right
from gza.core.uploads import DOCUMENTS, IMAGES, kept_unless_failed, stage_document
from gza.registry.enums import ConsentPurpose, ProfileStep, RecordStatus, RegistrationChannel
from gza.registry.models import (
    Certificate,
    Consent,
    ConsentText,
    Education,
    JobSeeker,
    JobSeekerDocument,
    LanguageSkill,
    SoughtOccupation,
    WorkExperience,
)
from gza.registry.tasks import check_for_duplicates_after_commit
from gza.taxonomy.models import Country, EscoSkill

# What the identity step edits.
IDENTITY_FIELDS = [
    "personal_number",
    "first_name",
    "last_name",
    "first_name_latin",
    "last_name_latin",
    "sex",
    "birth_date",
    "citizenship",
    "municipality",
    "phone",
    "email",
    "passport_number",
    "passport_expiry",
]
# Once registered, a person cannot change these on their own: an officer checks the ID card.
OFFICER_ONLY_FIELDS = ["personal_number"]
PREFERENCE_FIELDS = ["availability_date", "work_pattern", "last_schengen_stay_end"]
DOCUMENT_TYPES = DOCUMENTS | IMAGES
STEPS = list(ProfileStep)
MAX_ITEMS = 20


class Refusal:
    """Messages of this module, as constants so tests can assert them."""

    CONSENT_TEXT_MISSING = _(
        "There is no text yet for the consent “%(purpose)s”: an administrator must publish "
        "one before consents for it can be recorded."
    )
    REGISTRATION_CONSENT_REQUIRED = _(
        "The person must consent to registration and matching to be registered."
    )
    OFFICER_ONLY = _("Only an officer changes this once the person is registered.")
    MERGED = _("This record was merged into another one and can no longer be changed.")
    TOO_MANY = _("At most %(limit)s entries.")
    REPEATED = _("%(item)s appears twice.")
    NOT_A_UNIT = _("Choose a four-digit ISCO-08 unit group, not a broader group.")


# Access ---------------------------------------------------------------------------------------


def job_seeker_editable_by(actor: User, person: JobSeeker) -> bool:
    """The person themself, or an officer with JOB_SEEKERS_MANAGE whose remit covers them."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    if person.user_id is not None and person.user_id == actor.pk:
        return True
    return (
        has_right(actor, Right.JOB_SEEKERS_MANAGE)
        and JobSeeker.objects.visible_to(actor).filter(pk=person.pk).exists()
    )


def _is_officer(actor: User, person: JobSeeker) -> bool:
    return person.user_id != actor.pk


def _lock(actor: User, person: JobSeeker) -> JobSeeker:
    """The person's row, locked for the rest of the transaction: two edits of one record (the
    person on the portal, an officer at a desk) are applied one after the other, so neither
    overwrites the other's step or audit snapshot unseen."""
    current = JobSeeker.objects.select_for_update().get(pk=person.pk)
    if not job_seeker_editable_by(actor, current):
        raise DomainError(DomainError.NOT_PERMITTED)
    if current.status != RecordStatus.ACTIVE:
        raise DomainError(Refusal.MERGED)
    return current


def _staff_change_logged(actor: User, person: JobSeeker, purpose: str) -> None:
    if _is_officer(actor, person):
        access_record(actor=actor, subject=person, action=AccessAction.CHANGE, purpose=purpose)


def _advance(person: JobSeeker, step: ProfileStep) -> None:
    """Move the wizard's bookmark past `step` (never back), and mark the profile complete when
    its last step is saved."""
    index = STEPS.index(ProfileStep(step))
    current = STEPS.index(ProfileStep(person.profile_step))
    if index + 1 < len(STEPS):
        if index + 1 > current:
            person.profile_step = STEPS[index + 1]
    else:
        person.profile_step = STEPS[-1]
        if person.profile_completed_at is None:
            person.profile_completed_at = timezone.now()
    person.save(update_fields=["profile_step", "profile_completed_at", "updated_at"])


def next_step(step: str) -> ProfileStep | None:
    index = STEPS.index(ProfileStep(step))
    return STEPS[index + 1] if index + 1 < len(STEPS) else None


def previous_step(step: str) -> ProfileStep | None:
    index = STEPS.index(ProfileStep(step))
    return STEPS[index - 1] if index > 0 else None


# Identity and assisted registration -----------------------------------------------------------


def _current_consent_text(purpose: str) -> ConsentText:
    text = (
        ConsentText.objects.filter(purpose=purpose, effective_from__lte=timezone.localdate())
        .order_by("-version")
        .first()
    )
    if text is None:
        raise DomainError(Refusal.CONSENT_TEXT_MISSING, purpose=ConsentPurpose(purpose).label)
    return text


def _save_unique(person: JobSeeker) -> None:
    """Save; a personal number registered meanwhile by someone else (the check in full_clean
    passed, the insert did not) is the same clear message, not a server error."""
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as error:
        if (
            JobSeeker.objects.filter(personal_number=person.personal_number)
            .exclude(pk=person.pk)
            .exists()
        ):
            message = JobSeeker._meta.get_field("personal_number").error_messages["unique"]
            raise ValidationError({"personal_number": [message]}) from error
        raise


def job_seeker_register_assisted(
    *, actor: User, person: JobSeeker, consents: Collection[str]
) -> JobSeeker:
    """Register a person at a service centre: the officer enters the identity from the ID card
    and records the consents the person gave on paper, each to the text in force today. The
    record belongs to the officer's organisation, which keeps it in the officer's remit."""
    if not has_right(actor, Right.JOB_SEEKERS_MANAGE):
        raise DomainError(DomainError.NOT_PERMITTED)
    purposes = [ConsentPurpose(purpose) for purpose in dict.fromkeys(consents)]
    if ConsentPurpose.REGISTRATION not in purposes:
        raise ValidationError(
            {"consents": [Refusal.REGISTRATION_CONSENT_REQUIRED]}, code="registration_consent"
        )
    texts = {purpose: _current_consent_text(purpose) for purpose in purposes}
    person.registered_via = RegistrationChannel.ASSISTED
    person.registered_by_organisation = actor.organisation
    person.user = None
    person.suggest_latin_names()
    person.full_clean()
    now = timezone.now()
    with transaction.atomic():
        _save_unique(person)
        Consent.objects.bulk_create(
            Consent(
                job_seeker=person,
                purpose=purpose,
                text=texts[purpose],
                given_at=now,
                recorded_by=actor,
            )
            for purpose in purposes
        )
        # No name or number in the trail's payload: the target identifies the record.
        audit_record(
            actor=actor,
            verb=AuditVerb.CREATED,
            target=person,
            payload={
                "registered_via": person.registered_via,
                "organisation": actor.organisation_id,
                "consents": {purpose.value: texts[purpose].version for purpose in purposes},
            },
        )
        access_record(
            actor=actor, subject=person, action=AccessAction.CHANGE, purpose="registration"
        )
        check_for_duplicates_after_commit([person.pk])
    return person


def job_seeker_update_identity(*, actor: User, person: JobSeeker) -> JobSeeker:
    """Save edits to a person's identity and contacts (`person` carries them). The person may
    not change their personal number; an officer may, after checking the ID card."""
    with transaction.atomic():
        current = _lock(actor, person)
        before = snapshot(current, IDENTITY_FIELDS)
        if not has_right(actor, Right.JOB_SEEKERS_MANAGE) or not _is_officer(actor, current):
            after = snapshot(person, OFFICER_ONLY_FIELDS)
            changed = [name for name in OFFICER_ONLY_FIELDS if after[name] != before[name]]
            if changed:
                raise ValidationError({name: [Refusal.OFFICER_ONLY] for name in changed})
        for name in IDENTITY_FIELDS:
            attname = JobSeeker._meta.get_field(name).attname
            setattr(current, attname, getattr(person, attname))
        current.suggest_latin_names()
        current.full_clean()
        _save_unique(current)
        audit_record_change(actor=actor, instance=current, before=before)
        _staff_change_logged(actor, current, "identity")
        _advance(current, ProfileStep.IDENTITY)
    return current


# The profile's repeated items -----------------------------------------------------------------


def _check_rows(rows: Sequence[models.Model], key, label) -> None:
    if len(rows) > MAX_ITEMS:
        raise ValidationError(Refusal.TOO_MANY, code="too_many", params={"limit": MAX_ITEMS})
    seen = set()
    for row in rows:
        value = key(row)
        if value in seen:
            raise ValidationError(Refusal.REPEATED, code="repeated", params={"item": label(row)})
        seen.add(value)


def _replace(
    *,
    actor: User,
    person: JobSeeker,
    step: ProfileStep,
    model: type[models.Model],
    rows: Sequence[models.Model],
    summary,
) -> JobSeeker:
    """Replace one list of items on a person's profile, all or nothing, audited."""
    with transaction.atomic():
        current = _lock(actor, person)
        manager = model.objects.filter(job_seeker=current)
        before = sorted(summary(row) for row in manager)
        # The old list goes first, so the model's own checks (one language once per person...)
        # compare the new rows with each other, not with the rows they replace.
        manager.delete()
        for row in rows:
            row.job_seeker = current
            row.pk = None
            row.full_clean()
        model.objects.bulk_create(rows)
        after = sorted(summary(row) for row in rows)
        if before != after:
            audit_record(
                actor=actor,
                verb=AuditVerb.UPDATED,
                target=current,
                payload={"changes": {step.value: [before, after]}},
            )
        _staff_change_logged(actor, current, step.value)
        _advance(current, step)
    return current


def _clean_field(person: JobSeeker, name: str, value: Any) -> Any:
    """One field's own validation, its errors under its name: a later step never fails on
    an identity detail it does not show."""
    try:
        return JobSeeker._meta.get_field(name).clean(value, person)
    except ValidationError as error:
        raise ValidationError({name: error.error_list}) from None


def _unit_only(rows: Sequence[models.Model]) -> None:
    for row in rows:
        code = getattr(row, "occupation_id", None)
        if code and len(code) != 4:
            raise ValidationError({"occupation": [Refusal.NOT_A_UNIT]}, code="not_a_unit")


def job_seeker_set_education(
    *, actor: User, person: JobSeeker, rows: Sequence[Education]
) -> JobSeeker:
    _check_rows(rows, lambda r: (r.isced_level_id, r.field, r.institution), lambda r: r.field)
    return _replace(
        actor=actor,
        person=person,
        step=ProfileStep.EDUCATION,
        model=Education,
        rows=rows,
        summary=lambda r: f"{r.isced_level_id}:{r.year_completed or ''}",
    )


def job_seeker_set_work_experience(
    *, actor: User, person: JobSeeker, rows: Sequence[WorkExperience]
) -> JobSeeker:
    """The jobs the person held, each with the occupation as typed and its ISCO-08 code when
    found. Jobs recorded from a placement through Gza stay as they are."""
    declared = [row for row in rows if not row.from_placement]
    _check_rows(declared, lambda r: (r.occupation_text, r.start_date), lambda r: r.occupation_text)
    _unit_only(declared)
    with transaction.atomic():
        placements = list(
            WorkExperience.objects.filter(job_seeker_id=person.pk, from_placement=True)
        )
        return _replace(
            actor=actor,
            person=person,
            step=ProfileStep.WORK,
            model=WorkExperience,
            rows=[*declared, *placements],
            summary=lambda r: f"{r.occupation_id or '-'}:{r.country_id}:{r.start_date}",
        )


def job_seeker_set_sought_occupations(
    *, actor: User, person: JobSeeker, rows: Sequence[SoughtOccupation]
) -> JobSeeker:
    _unit_only(rows)
    _check_rows(rows, lambda r: r.occupation_id, lambda r: r.occupation_id)
    return _replace(
        actor=actor,
        person=person,
        step=ProfileStep.OCCUPATIONS,
        model=SoughtOccupation,
        rows=rows,
        summary=lambda r: f"{r.occupation_id}:{r.years_experience}",
    )


def job_seeker_set_languages(
    *, actor: User, person: JobSeeker, rows: Sequence[LanguageSkill]
) -> JobSeeker:
    _check_rows(rows, lambda r: r.language_id, lambda r: r.language_id)
    return _replace(
        actor=actor,
        person=person,
        step=ProfileStep.LANGUAGES,
        model=LanguageSkill,
        rows=rows,
        summary=lambda r: f"{r.language_id}:{r.level_id}",
    )


def job_seeker_set_skills(
    *,
    actor: User,
    person: JobSeeker,
    skills: Sequence[EscoSkill],
    driving_licences: str,
    certificates: Sequence[Certificate],
) -> JobSeeker:
    """ESCO skills, driving licence categories and certificates: the skills step."""
    _check_rows(certificates, lambda r: (r.name, r.issued_on), lambda r: r.name)
    for row in certificates:
        if row.issued_on and row.valid_until and row.valid_until < row.issued_on:
            raise ValidationError(
                {"valid_until": [_("A certificate cannot expire before it is issued.")]}
            )
    with transaction.atomic():
        current = _lock(actor, person)
        before = snapshot(current, ["driving_licences"])
        before_skills = sorted(current.skills.values_list("uri", flat=True))
        current.driving_licences = _clean_field(current, "driving_licences", driving_licences)
        current.save(update_fields=["driving_licences", "updated_at"])
        current.skills.set(skills)
        after_skills = sorted(skill.uri for skill in skills)
        if before_skills != after_skills:
            audit_record(
                actor=actor,
                verb=AuditVerb.UPDATED,
                target=current,
                payload={"changes": {"skills": [before_skills, after_skills]}},
            )
        audit_record_change(actor=actor, instance=current, before=before)
        # The certificates' list has its own event; the bookmark moves once, below.
        _replace(
            actor=actor,
            person=current,
            step=ProfileStep.SKILLS,
            model=Certificate,
            rows=certificates,
            summary=lambda r: f"{r.issued_on or ''}:{r.valid_until or ''}",
        )
    current.refresh_from_db()
    return current


def job_seeker_set_preferences(
    *,
    actor: User,
    person: JobSeeker,
    availability_date: datetime.date | None,
    work_pattern: str,
    last_schengen_stay_end: datetime.date | None,
    desired_countries: Sequence[Country],
) -> JobSeeker:
    """Where and when: desired countries, availability, seasonal or long-term work, and the end
    of the last stay in the Schengen area (some schemes require none in recent months)."""
    if last_schengen_stay_end and last_schengen_stay_end > timezone.localdate():
        raise ValidationError(
            {"last_schengen_stay_end": [_("This date cannot be in the future.")]},
            code="future",
        )
    with transaction.atomic():
        current = _lock(actor, person)
        before = snapshot(current, PREFERENCE_FIELDS)
        before_countries = sorted(current.desired_countries.values_list("code", flat=True))
        current.availability_date = availability_date
        current.work_pattern = _clean_field(current, "work_pattern", work_pattern)
        current.last_schengen_stay_end = last_schengen_stay_end
        current.save(update_fields=[*PREFERENCE_FIELDS, "updated_at"])
        current.desired_countries.set(desired_countries)
        after_countries = sorted(country.code for country in desired_countries)
        if before_countries != after_countries:
            audit_record(
                actor=actor,
                verb=AuditVerb.UPDATED,
                target=current,
                payload={"changes": {"desired_countries": [before_countries, after_countries]}},
            )
        audit_record_change(actor=actor, instance=current, before=before)
        _staff_change_logged(actor, current, ProfileStep.PREFERENCES.value)
        _advance(current, ProfileStep.PREFERENCES)
    return current


def job_seeker_profile_finish(*, actor: User, person: JobSeeker) -> JobSeeker:
    """Save the last step (documents are added one by one): the profile is complete."""
    with transaction.atomic():
        current = _lock(actor, person)
        first_time = current.profile_completed_at is None
        _advance(current, ProfileStep.DOCUMENTS)
        if first_time:
            audit_record(
                actor=actor,
                verb=AuditVerb.UPDATED,
                target=current,
                payload={"changes": {"profile_completed": [False, True]}},
            )
    return current


# Documents ------------------------------------------------------------------------------------


def job_seeker_document_add(
    *, actor: User, person: JobSeeker, upload: File, kind: str, title: str = ""
) -> JobSeekerDocument:
    """Attach a document (CV, diploma, certificate, passport copy...). Its type is read from
    its content; it is stored under a random name outside the web root, and removed again if
    the record cannot be saved, so nothing is half-stored."""
    if not job_seeker_editable_by(actor, person):
        raise DomainError(DomainError.NOT_PERMITTED)
    document = JobSeekerDocument(
        job_seeker=person,
        kind=kind,
        title=title.strip(),
        uploaded_by=actor,
    )
    stage_document(document, upload, allowed=DOCUMENT_TYPES)
    with kept_unless_failed(document), transaction.atomic():
        current = _lock(actor, person)
        document.job_seeker = current
        document.save()
        # No title or file name: either may name the person.
        audit_record(
            actor=actor,
            verb=AuditVerb.CREATED,
            target=document,
            payload={
                "job_seeker": current.pk,
                "kind": document.kind,
                "content_type": document.content_type,
                "size": document.size,
                "sha256": document.sha256,
            },
        )
        _staff_change_logged(actor, current, "document")
    return document


def job_seeker_document_remove(*, actor: User, document: JobSeekerDocument) -> None:
    """Remove a document; its file is deleted once the removal is committed, so a rollback
    leaves the record and its file as they were."""
    with transaction.atomic():
        current = _lock(actor, document.job_seeker)
        # Row lock: two removals of one document cannot both pass the existence check.
        document = JobSeekerDocument.objects.select_for_update().get(pk=document.pk)
        storage, name = document.file.storage, document.file.name
        audit_record(
            actor=actor,
            verb=AuditVerb.UPDATED,
            target=current,
            payload={
                "document_removed": {
                    "id": document.pk,
                    "kind": document.kind,
                    "sha256": document.sha256,
                }
            },
        )
        _staff_change_logged(actor, current, "document")
        document.delete()
        transaction.on_commit(lambda: storage.delete(name))


def documents_visible_to(user: User) -> models.QuerySet[JobSeekerDocument]:
    """Documents of the people a user sees (the person themself, officers in scope)."""
    return JobSeekerDocument.objects.filter(job_seeker__in=JobSeeker.objects.visible_to(user))


def profile_progress(person: JobSeeker) -> dict[str, Any]:
    """How far the wizard is: the step to resume at, steps done and the percentage."""
    if person.profile_completed_at:
        done = len(STEPS)
    else:
        done = STEPS.index(ProfileStep(person.profile_step))
    return {
        "step": ProfileStep(person.profile_step),
        "done": done,
        "total": len(STEPS),
        "percent": round(100 * done / len(STEPS)),
        "completed": person.profile_completed_at is not None,
    }
