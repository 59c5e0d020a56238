"""Use cases of the demand domain: foreign employers and their vetting; licensed agencies, their
certification and annual reports; the late-report list, the scorecard and the public status
lookup. Studies and vacancies get their services with their screens."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gza.core.audit import audit_record, audit_record_change, snapshot
from gza.core.enums import AuditVerb, OrganisationKind, Role
from gza.core.errors import DomainError
from gza.core.models import User
from gza.core.roles import Right, has_right
from gza.core.uploads import DOCUMENTS, kept_unless_failed, stage_document
from gza.core.workflow import Transition
from gza.demand.enums import CertificationStatus, VettingStatus
from gza.demand.models import (
    CERTIFICATION,
    VETTING,
    Agency,
    AgencyReport,
    AgencyReportLine,
    AgencyStatusEvent,
    EmployerDocument,
    EmployerVettingEvent,
    ForeignEmployer,
    report_deadline,
)

# What an employer's record form edits; vetting goes through employer_vet().
EMPLOYER_FIELDS = [
    "name",
    "country",
    "city",
    "address",
    "nace_section",
    "registration_number",
    "website",
    "contact_person",
    "contact_email",
    "contact_phone",
    "organisation",
]
# Who the employer is: once registered, only the ministry changes these, so an employer cannot
# slip out of its embassy's vetting by moving country.
EMPLOYER_IDENTITY = ["country", "registration_number", "organisation"]
AGENCY_FIELDS = [
    "name_ka",
    "name_en",
    "registry_number",
    "organisation",
    "address",
    "contact_email",
    "contact_phone",
]


def _manager_only(actor: User) -> None:
    if not has_right(actor, Right.DEMAND_MANAGE):
        raise DomainError(DomainError.NOT_PERMITTED)


def _require_reason(move: Transition, reason: str) -> None:
    if move.needs_reason and not reason.strip():
        raise ValidationError({"reason": _("Say why: this move needs a reason.")}, code="required")


def _check_move_date(occurred_on: datetime.date, since: datetime.date) -> None:
    if occurred_on > timezone.localdate():
        raise ValidationError(
            {"occurred_on": _("The date of a move cannot be in the future.")}, code="future"
        )
    if occurred_on < since:
        raise ValidationError(
            {
                "occurred_on": _(
                    "The move cannot be dated %(date)s, before the current status began "
                    "(%(since)s)."
                )
            },
            code="before_current",
            params={"date": occurred_on, "since": since},
        )


def employer_registration_allowed(user: User, employer: ForeignEmployer | None = None) -> bool:
    """The ministry registers any employer, an embassy one in its own country, an employer's
    user the record of its own organisation (once)."""
    if not has_right(user, Right.DEMAND_VIEW):
        return False
    if user.role == Role.MINISTRY_OFFICER:
        return True
    if not user.organisation_id:
        return False
    if user.role == Role.EMBASSY_OFFICER:
        return employer is None or employer.country_id == user.organisation.country_id
    if user.role == Role.EMPLOYER:
        organisation = user.organisation
        return (
            organisation.kind == OrganisationKind.FOREIGN_EMPLOYER
            and not ForeignEmployer.objects.filter(organisation=organisation).exists()
        )
    return False


def employer_register(*, actor: User, employer: ForeignEmployer) -> ForeignEmployer:
    """Register a foreign employer; it waits for vetting by the embassy of its country."""
    if actor.role == Role.EMPLOYER:
        # An employer registers itself: the record belongs to its own organisation.
        employer.organisation = actor.organisation
    if not employer_registration_allowed(actor, employer):
        raise DomainError(DomainError.NOT_PERMITTED)
    with transaction.atomic():
        employer.vetting_status = VettingStatus.PENDING
        employer.status_since = timezone.localdate()
        employer.created_by = actor
        employer.full_clean()
        employer.save()
        EmployerVettingEvent.objects.create(
            employer=employer,
            transition="register",
            to_status=employer.vetting_status,
            occurred_on=employer.status_since,
            actor=actor,
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.CREATED,
            target=employer,
            payload={"country": employer.country_id},
        )
    return employer


def employer_update(*, actor: User, employer: ForeignEmployer) -> ForeignEmployer:
    """Save edits to an employer's particulars; its vetting status is left as it is."""
    with transaction.atomic():
        # Row lock: a vetting decision taken meanwhile is neither lost nor overwritten.
        current = ForeignEmployer.objects.select_for_update().get(pk=employer.pk)
        if not ForeignEmployer.objects.editable_by(actor).filter(pk=current.pk).exists():
            raise DomainError(DomainError.NOT_PERMITTED)
        before = snapshot(current, EMPLOYER_FIELDS)
        if actor.role != Role.MINISTRY_OFFICER:
            after = snapshot(employer, EMPLOYER_IDENTITY)
            changed = [name for name in EMPLOYER_IDENTITY if after[name] != before[name]]
            if changed:
                raise ValidationError(
                    {
                        name: _("Only the ministry changes this once the employer is registered.")
                        for name in changed
                    },
                    code="identity",
                )
        employer.vetting_status = current.vetting_status
        employer.status_since = current.status_since
        employer.created_by_id = current.created_by_id
        employer.full_clean()
        employer.save()
        audit_record_change(actor=actor, instance=employer, before=before)
    return employer


def employer_vet(
    *, actor: User, employer: ForeignEmployer, transition: str, reason: str = ""
) -> ForeignEmployer:
    """Record a vetting decision (verify, reject, suspend, reinstate, reopen) and log it."""
    with transaction.atomic():
        # Row lock: two officers deciding on one employer cannot both start from the same
        # status; the second is checked against the first one's decision.
        employer = ForeignEmployer.objects.select_for_update().get(pk=employer.pk)
        if not ForeignEmployer.objects.vettable_by(actor).filter(pk=employer.pk).exists():
            raise DomainError(DomainError.NOT_PERMITTED)
        move = VETTING.get(transition, state=employer.vetting_status)
        _require_reason(move, reason)
        today = timezone.localdate()
        EmployerVettingEvent.objects.create(
            employer=employer,
            transition=move.name,
            from_status=employer.vetting_status,
            to_status=move.target,
            occurred_on=today,
            reason=reason.strip(),
            actor=actor,
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.UPDATED,
            target=employer,
            payload={
                "changes": {"vetting_status": [employer.vetting_status, move.target]},
                "transition": move.name,
            },
        )
        employer.vetting_status = move.target
        employer.status_since = today
        employer.save(update_fields=["vetting_status", "status_since", "updated_at"])
    return employer


def agency_register(
    *, actor: User, agency: Agency, applied_on: datetime.date | None = None
) -> Agency:
    """Record an agency's application for certification."""
    _manager_only(actor)
    applied_on = applied_on or timezone.localdate()
    if applied_on > timezone.localdate():
        raise ValidationError(
            {"applied_on": _("The application cannot be dated in the future.")}, code="future"
        )
    with transaction.atomic():
        agency.status = CertificationStatus.APPLIED
        agency.status_since = applied_on
        agency.certified_on = agency.expires_on = None
        agency.full_clean()
        agency.save()
        AgencyStatusEvent.objects.create(
            agency=agency,
            transition="apply",
            to_status=agency.status,
            occurred_on=applied_on,
            actor=actor,
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.CREATED,
            target=agency,
            payload={"registry_number": agency.registry_number},
        )
    return agency


def agency_move(
    *,
    actor: User,
    agency: Agency,
    transition: str,
    occurred_on: datetime.date,
    reason: str = "",
    expires_on: datetime.date | None = None,
) -> Agency:
    """Move an agency's certification (certify, suspend, reinstate, revoke, expire, reapply)
    and log it. Certifying records the certificate's dates."""
    _manager_only(actor)
    with transaction.atomic():
        # Row lock: two officers recording a step on one agency cannot both pass the check.
        agency = Agency.objects.select_for_update().get(pk=agency.pk)
        move = CERTIFICATION.get(transition, state=agency.status)
        _require_reason(move, reason)
        _check_move_date(occurred_on, agency.status_since)
        from_status = agency.status
        if move.name == "certify":
            agency.certified_on, agency.expires_on = occurred_on, expires_on
        elif move.name == "expire":
            agency.expires_on = occurred_on
        elif expires_on is not None:
            agency.expires_on = expires_on
        agency.status = move.target
        agency.status_since = occurred_on
        agency.full_clean()
        agency.save()
        AgencyStatusEvent.objects.create(
            agency=agency,
            transition=move.name,
            from_status=from_status,
            to_status=move.target,
            occurred_on=occurred_on,
            reason=reason.strip(),
            actor=actor,
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.UPDATED,
            target=agency,
            payload={"changes": {"status": [from_status, move.target]}, "transition": move.name},
        )
    return agency


def _line_errors(number: int, error: ValidationError, line: AgencyReportLine) -> list:
    errors = []
    for field, messages in error.message_dict.items():
        label = line._meta.get_field(field).verbose_name if field != "__all__" else ""
        for message in messages:
            errors.append(
                ValidationError(
                    _("Line %(line)s, %(field)s: %(message)s")
                    if label
                    else _("Line %(line)s: %(message)s"),
                    code="line",
                    params={"line": number, "field": label, "message": message},
                )
            )
    return errors


def agency_report_file(
    *,
    actor: User,
    agency: Agency,
    year: int,
    complaints_received: int,
    lines: Sequence[AgencyReportLine],
    notes: str = "",
) -> AgencyReport:
    """File an agency's annual report with its placement lines, all or nothing. A report filed
    after its deadline is accepted and shows as late."""
    if not (
        actor.is_active
        and actor.role == Role.AGENCY
        and actor.organisation_id
        and actor.organisation_id == agency.organisation_id
    ):
        raise DomainError(DomainError.NOT_PERMITTED)
    with transaction.atomic():
        # Row lock on the agency: two filings for the same year wait for each other, so the
        # second meets the first one's report instead of a database error.
        agency = Agency.objects.select_for_update().get(pk=agency.pk)
        report = AgencyReport(
            agency=agency,
            year=year,
            complaints_received=complaints_received,
            notes=notes.strip(),
            submitted_at=timezone.now(),
            submitted_by=actor,
        )
        report.full_clean()
        report.save()
        errors: list[ValidationError] = []
        first_seen: dict[tuple, int] = {}
        for number, line in enumerate(lines, start=1):
            line.report = report
            key = (line.country_id, line.occupation_id, line.sex)
            if key in first_seen:
                errors.append(
                    ValidationError(
                        _(
                            "Line %(line)s repeats line %(first)s: the same country, occupation "
                            "and sex."
                        ),
                        code="duplicate_line",
                        params={"line": number, "first": first_seen[key]},
                    )
                )
                continue
            first_seen[key] = number
            try:
                line.full_clean()
            except ValidationError as error:
                errors.extend(_line_errors(number, error, line))
        if errors:
            # Nothing is kept: the report row goes with the transaction.
            raise ValidationError({"lines": errors})
        AgencyReportLine.objects.bulk_create(lines)
        audit_record(
            actor=actor,
            verb=AuditVerb.CREATED,
            target=report,
            payload={
                "agency": agency.pk,
                "year": year,
                "late": report.is_late,
                "lines": len(lines),
                "placements": sum(line.placements for line in lines),
            },
        )
    return report


def agencies_late_with_report(
    year: int, today: datetime.date | None = None, *, among: QuerySet | None = None
) -> list[Agency]:
    """Agencies that owed a report on `year` (they held their certificate that year), whose
    deadline has passed by `today`, and that have not filed it."""
    today = today or timezone.localdate()
    if today <= report_deadline(year):
        return []
    filed = AgencyReport.objects.filter(
        agency=OuterRef("pk"), year=year, submitted_at__isnull=False
    )
    candidates = (among if among is not None else Agency.objects.all()).filter(~Exists(filed))
    return [
        agency
        for agency in candidates.prefetch_related("status_events")
        if year in agency.reports_owed(today)
    ]


@dataclass(frozen=True)
class Scorecard:
    on_time: int
    late: int
    missing_years: list[int]
    complaints: int
    placements: int
    suspensions: int

    @property
    def missing(self) -> int:
        return len(self.missing_years)


def agency_scorecard(agency: Agency, today: datetime.date | None = None) -> Scorecard:
    """How an agency keeps its duties: reports on time, late and missing; complaints and
    placements from its reports; how often its certificate was suspended."""
    today = today or timezone.localdate()
    filed = [report for report in agency.reports.all() if report.submitted_at]
    late = sum(report.is_late for report in filed)
    placements = AgencyReportLine.objects.filter(
        report__agency=agency, report__submitted_at__isnull=False
    ).aggregate(total=Sum("placements"))["total"]
    return Scorecard(
        on_time=len(filed) - late,
        late=late,
        missing_years=agency.missing_reports(today),
        complaints=sum(report.complaints_received for report in filed),
        placements=placements or 0,
        suspensions=sum(
            event.to_status == CertificationStatus.SUSPENDED for event in agency.status_events.all()
        ),
    )


# What the public may know about an agency: never its contacts or its reports.
PUBLIC_AGENCY_FIELDS = (
    "name_ka",
    "name_en",
    "registry_number",
    "status",
    "certified_on",
    "expires_on",
)


@dataclass(frozen=True)
class AgencyPublicStatus:
    name_ka: str
    name_en: str
    registry_number: str
    status: str
    certified_on: datetime.date | None
    expires_on: datetime.date | None

    @property
    def status_label(self) -> str:
        return CertificationStatus(self.status).label


def agency_status_lookup(query: str, *, limit: int = 20) -> list[AgencyPublicStatus]:
    """The public check of an agency's certification: by its registry number, or by a part of
    its name in either language (case-insensitive). Returns public fields only."""
    text = " ".join(query.split())
    if len(text) < 2:
        return []
    rows = (
        Agency.objects.filter(
            Q(registry_number=text) | Q(name_ka__icontains=text) | Q(name_en__icontains=text)
        )
        .order_by("name_en")
        .values(*PUBLIC_AGENCY_FIELDS)[:limit]
    )
    return [AgencyPublicStatus(**row) for row in rows]


# Documents


def _employer_editable(employer: ForeignEmployer, actor: User) -> None:
    if not ForeignEmployer.objects.editable_by(actor).filter(pk=employer.pk).exists():
        raise DomainError(DomainError.NOT_PERMITTED)


def employer_document_add(
    *, actor: User, employer: ForeignEmployer, upload: File, kind: str, language: str, title: str
) -> EmployerDocument:
    """Attach a document to an employer (those who may edit it: the ministry, the embassy of its
    country, the employer itself). The file's type is read from its content; it is stored under
    a random name outside the web root, and removed again if the record cannot be saved."""
    _employer_editable(employer, actor)
    document = EmployerDocument(
        employer=employer,
        kind=kind,
        language=language,
        title=title.strip(),
        uploaded_by=actor,
    )
    stage_document(document, upload, allowed=DOCUMENTS)
    with kept_unless_failed(document), transaction.atomic():
        document.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.CREATED,
            target=document,
            # No title or file name: either may name a person.
            payload={
                "employer": employer.pk,
                "kind": document.kind,
                "language": document.language,
                "content_type": document.content_type,
                "size": document.size,
                "sha256": document.sha256,
            },
        )
    return document


def employer_document_remove(*, actor: User, document: EmployerDocument) -> None:
    """Remove a document; its file is deleted once the removal is committed, so a rollback
    leaves the record and its file as they were."""
    with transaction.atomic():
        # Row lock: two removals of one document cannot both pass the existence check.
        document = (
            EmployerDocument.objects.select_for_update()
            .select_related("employer")
            .get(pk=document.pk)
        )
        _employer_editable(document.employer, actor)
        storage, name = document.file.storage, document.file.name
        audit_record(
            actor=actor,
            verb=AuditVerb.UPDATED,
            target=document.employer,
            payload={
                "document_removed": {
                    "id": document.pk,
                    "kind": document.kind,
                    "language": document.language,
                    "sha256": document.sha256,
                }
            },
        )
        document.delete()
        transaction.on_commit(lambda: storage.delete(name))
