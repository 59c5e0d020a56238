"""Use cases of mobility before and after the job abroad: the pre-departure checklist,
orientation sessions with attendance and certificates, the placement created at departure with
its promised terms and status moves, and the return home.

Check-ins and grievances live in gza/mobility/protection.py. Every write is one transaction,
checks the actor's right and scope (gza/mobility/scoping.py, Placement.objects.visible_to), and
writes the audit trail; moves lock their row first."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from gza.core.audit import audit_record
from gza.core.enums import AuditVerb, Role
from gza.core.errors import DomainError
from gza.core.models import Organisation, User
from gza.core.roles import Right, has_right
from gza.core.workflow import Transition, Workflow
from gza.mobility.certificates import new_certificate_code
from gza.mobility.enums import ChecklistItem, PayPeriod, PlacementStatus, ReturnKind
from gza.mobility.models import (
    Attendance,
    ChecklistMark,
    OrientationSession,
    Placement,
    PlacementEvent,
    Return,
)
from gza.mobility.scoping import PRE_DEPARTURE_STAGES, applications_visible_to
from gza.partners.models import Agreement, AgreementQuota
from gza.recruitment.enums import ActorKind, Stage
from gza.recruitment.models import Application
from gza.registry.models import WorkExperience
from gza.registry.notifications import NotificationKind, notify
from gza.taxonomy.models import CefrLevel, Language

# Labels joined when the message is shown, in the language of that moment.
_labels = lazy(lambda *labels: "; ".join(str(label) for label in labels), str)
# A contract the worker reads: Georgian, or a language they speak at this CEFR level or above.
CONTRACT_MIN_LEVEL = "B1"
GEORGIAN = "ka"
# The agreement page and the placement form warn from nine places in ten used.
QUOTA_WARNING_SHARE = Decimal("0.9")


class Refusal:
    """The refusals of this module, as constants so tests and callers can name them."""

    NOT_PREPARING = _(
        "The application is at the stage “%(stage)s”: pre-departure preparation runs from the "
        "accepted offer to departure."
    )
    FUTURE_DATE = _("The date %(date)s is in the future: record what has been done.")
    CONTRACT_LANGUAGE_MISSING = _("Say in which language the contract is written.")
    CONTRACT_LANGUAGE_NOT_UNDERSTOOD = _(
        "The contract is in %(language)s, which the worker does not speak at B1 or above: it "
        "must be in Georgian or in a language the worker understands."
    )
    SESSION_FULL = _("The session has %(capacity)s places and %(taken)s are taken.")
    NOT_HELD_YET = _("Attendance is marked once the session has begun (%(starts)s).")
    CERTIFICATE_ISSUED = _(
        "A certificate has been issued for this attendance: it cannot be marked absent."
    )
    SESSION_OTHER_ORGANISATION = _("Only the organisation running the session may change it.")
    PLACEMENT_STAGE = _(
        "The application is at the stage “%(stage)s”: a placement is created once the visa or "
        "work permit is granted."
    )
    ALREADY_PLACED = _("This application already has a placement.")
    CHECKLIST_INCOMPLETE = _("The pre-departure checklist is not complete: %(missing)s.")
    START_BEFORE_DEPARTURE = _(
        "The contract cannot start (%(start)s) before the departure (%(departure)s)."
    )
    END_BEFORE_START = _("The contract must end (%(end)s) after it starts (%(start)s).")
    HOUSING_COST_WITHOUT_HOUSING = _("A housing cost is given only when housing is provided.")
    OVER_QUOTA = _(
        "The %(year)s quota for %(scope)s is used up: %(used)s of %(places)s places. The "
        "placement is not created."
    )
    NEAR_QUOTA = _(
        "The %(year)s quota for %(scope)s is nearly used: %(used)s of %(places)s places."
    )
    PLACEMENT_MOVE = _(
        "The placement is %(status)s: the change “%(move)s” is not possible from here."
    )
    REASON_REQUIRED = _("Say why: this change needs a reason.")
    DATE_BEFORE_DEPARTURE = _("The date %(date)s is before the departure (%(departure)s).")
    ALREADY_RETURNED = _("The return from this placement is already recorded.")
    RETURN_STATUS = _("The placement is %(status)s: a return is not recorded from here.")
    EARLY_REASON_REQUIRED = _("Say why the worker came back early.")
    PLANNED_WITH_REASON = _("A planned return has no reason for returning early.")


P = PlacementStatus
PLACEMENT_LIFECYCLE = Workflow(
    [
        Transition("complete", frozenset({P.ACTIVE, P.TRANSFERRED}), P.COMPLETED, _("completed")),
        Transition(
            "end_early",
            frozenset({P.ACTIVE, P.TRANSFERRED}),
            P.ENDED_EARLY,
            _("ended early"),
            needs_reason=True,
        ),
        Transition(
            "transfer",
            frozenset({P.ACTIVE}),
            P.TRANSFERRED,
            _("transferred to another employer"),
            needs_reason=True,
        ),
        Transition(
            "overstay",
            frozenset({P.ACTIVE, P.TRANSFERRED}),
            P.OVERSTAYED,
            _("overstayed"),
            needs_reason=True,
        ),
    ]
)
# A return can be recorded while the worker is abroad, or after the placement has been closed
# (the return is often reported later than the end of the job).
RETURNABLE = frozenset({P.ACTIVE, P.TRANSFERRED, P.COMPLETED, P.ENDED_EARLY, P.OVERSTAYED})


# Access -----------------------------------------------------------------------------------------


def _manager(actor: User) -> None:
    if not has_right(actor, Right.MOBILITY_MANAGE):
        raise DomainError(DomainError.NOT_PERMITTED)


def _application_in_scope(actor: User, application: Application) -> None:
    _manager(actor)
    if not applications_visible_to(actor).filter(pk=application.pk).exists():
        raise DomainError(DomainError.NOT_PERMITTED)


def _placement_in_scope(actor: User, placement: Placement) -> None:
    _manager(actor)
    if not Placement.objects.visible_to(actor).filter(pk=placement.pk).exists():
        raise DomainError(DomainError.NOT_PERMITTED)


def _not_in_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError(
            {field: ValidationError(Refusal.FUTURE_DATE, code="future", params={"date": day})}
        )


def _preparing(application: Application) -> None:
    if application.stage not in PRE_DEPARTURE_STAGES:
        raise ValidationError(
            Refusal.NOT_PREPARING,
            code="not_preparing",
            params={"stage": Stage(application.stage).label},
        )


# The checklist ----------------------------------------------------------------------------------


def contract_languages(job_seeker) -> set[str]:
    """The languages a contract may be written in for this person: Georgian, and those they
    speak at B1 or above."""
    minimum = CefrLevel.objects.get(code=CONTRACT_MIN_LEVEL).rank
    spoken = job_seeker.language_skills.filter(level__rank__gte=minimum).values_list(
        "language_id", flat=True
    )
    return {GEORGIAN, *spoken}


def checklist_mark(
    *,
    actor: User,
    application: Application,
    item: str,
    done_on: datetime.date,
    language: Language | None = None,
    note: str = "",
) -> ChecklistMark:
    """Mark a pre-departure item done (again: the new date replaces the old one)."""
    _application_in_scope(actor, application)
    item = ChecklistItem(item)
    with transaction.atomic():
        # Row lock: the stage cannot change (to departed, say) while the item is recorded.
        application = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
        _preparing(application)
        _not_in_future(done_on, "done_on")
        if item == ChecklistItem.CONTRACT:
            if language is None:
                raise ValidationError(
                    {"language": ValidationError(Refusal.CONTRACT_LANGUAGE_MISSING, "required")}
                )
            if language.pk not in contract_languages(application.job_seeker):
                raise ValidationError(
                    {
                        "language": ValidationError(
                            Refusal.CONTRACT_LANGUAGE_NOT_UNDERSTOOD,
                            code="language_not_understood",
                            params={"language": language},
                        )
                    }
                )
        else:
            language = None
        mark, created = ChecklistMark.objects.update_or_create(
            application=application,
            item=item,
            defaults={
                "done_on": done_on,
                "language": language,
                "note": note.strip(),
                "recorded_by": actor,
            },
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.CREATED if created else AuditVerb.UPDATED,
            target=mark,
            payload={
                "application": str(application.public_id),
                "item": item.value,
                "done_on": done_on.isoformat(),
                "language": language.pk if language else "",
            },
        )
    return mark


def checklist_missing(application: Application) -> list[str]:
    """The items not done yet, in the checklist's order."""
    done = set(application.checklist.values_list("item", flat=True))
    return [item for item in ChecklistItem.values if item not in done]


def checklist_complete(application: Application) -> bool:
    """ "Pre-departure complete": every item of the checklist is marked done."""
    return not checklist_missing(application)


# Orientation sessions ---------------------------------------------------------------------------


def _session_editable(actor: User, session: OrientationSession) -> None:
    _manager(actor)
    if actor.role == Role.MINISTRY_OFFICER:
        return
    if session.organisation_id != actor.organisation_id:
        raise DomainError(Refusal.SESSION_OTHER_ORGANISATION)


def session_save(*, actor: User, session: OrientationSession) -> OrientationSession:
    """Create or edit a session. The ministry may record any organisation's session; others
    run their own organisation's."""
    _manager(actor)
    creating = session.pk is None
    if creating:
        session.created_by = actor
        if actor.role != Role.MINISTRY_OFFICER or session.organisation_id is None:
            session.organisation_id = actor.organisation_id
    with transaction.atomic():
        if not creating:
            # Row lock: two editors of one session do not overwrite each other unseen.
            stored = OrientationSession.objects.select_for_update(of=("self",)).get(pk=session.pk)
            _session_editable(actor, stored)
        _session_editable(actor, session)
        session.full_clean()
        session.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.CREATED if creating else AuditVerb.UPDATED,
            target=session,
            payload={
                "starts_at": session.starts_at.isoformat(),
                "organisation": session.organisation_id,
            },
        )
    return session


def session_invite(
    *, actor: User, session: OrientationSession, applications: list[Application]
) -> list[Attendance]:
    """Invite people to a session (one attendance row each; an invited person is left as is).
    Returns the new invitations."""
    _manager(actor)
    for application in applications:
        _application_in_scope(actor, application)
    with transaction.atomic():
        # Row lock on the session: two invitations at once cannot both take the last place.
        session = OrientationSession.objects.select_for_update(of=("self",)).get(pk=session.pk)
        already = set(session.attendances.values_list("application_id", flat=True))
        new = [a for a in applications if a.pk not in already]
        for application in new:
            _preparing(application)
        taken = len(already)
        if session.capacity is not None and taken + len(new) > session.capacity:
            raise ValidationError(
                Refusal.SESSION_FULL,
                code="session_full",
                params={"capacity": session.capacity, "taken": taken},
            )
        invited = Attendance.objects.bulk_create(
            [Attendance(session=session, application=application) for application in new]
        )
        if invited:
            audit_record(
                actor=actor,
                verb=AuditVerb.UPDATED,
                target=session,
                payload={"invited": [str(a.public_id) for a in new]},
            )
        for application in new:
            notify(
                application.job_seeker,
                NotificationKind.ORIENTATION,
                date=timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M"),
                place=session.place or _("online"),
                organisation=session.organisation,
            )
    return invited


def attendance_mark(*, actor: User, attendance: Attendance, attended: bool) -> Attendance:
    """Record whether an invited person came. Attending issues the certificate (a new code)
    and ticks the checklist's orientation item."""
    _application_in_scope(actor, attendance.application)
    with transaction.atomic():
        # Row lock: two officers marking the same person cannot issue two codes.
        attendance = (
            Attendance.objects.select_for_update(of=("self",))
            .select_related("session", "application")
            .get(pk=attendance.pk)
        )
        session = attendance.session
        if session.starts_at > timezone.now():
            raise ValidationError(
                Refusal.NOT_HELD_YET,
                code="not_held_yet",
                params={"starts": timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M")},
            )
        if not attended and attendance.certificate_code:
            raise ValidationError(Refusal.CERTIFICATE_ISSUED, code="certificate_issued")
        attendance.attended = attended
        if attended and not attendance.certificate_code:
            attendance.certificate_code = new_certificate_code()
            attendance.certificate_issued_at = timezone.now()
        attendance.save(update_fields=["attended", "certificate_code", "certificate_issued_at"])
        if attended:
            ChecklistMark.objects.get_or_create(
                application=attendance.application,
                item=ChecklistItem.ORIENTATION,
                defaults={
                    "done_on": timezone.localtime(session.starts_at).date(),
                    "note": str(session),
                    "recorded_by": actor,
                },
            )
        audit_record(
            actor=actor,
            verb=AuditVerb.UPDATED,
            target=attendance,
            payload={
                "application": str(attendance.application.public_id),
                "attended": attended,
                "certificate": bool(attendance.certificate_code),
            },
        )
    return attendance


# Placements -------------------------------------------------------------------------------------


def _quota_lines(
    agreement: Agreement | None, year: int, occupation_id: str
) -> list[tuple[AgreementQuota, int]]:
    """The agreement's quotas that a placement of this year and occupation counts against,
    each with its places used so far."""
    if agreement is None:
        return []
    quotas = agreement.quotas.filter(year=year).select_related("occupation")
    return [
        (quota, agreement.quota_used(year=year, occupation_id=quota.occupation_id))
        for quota in quotas
        if quota.occupation_id in (None, occupation_id)
    ]


def _quota_scope(quota: AgreementQuota):
    return quota.occupation or _("all occupations")


def placement_quota_warnings(placement: Placement) -> list[str]:
    """Messages for the quotas this placement brought to nine places in ten or more (a
    warning, not a refusal), for the page or response that created it."""
    warnings = []
    for quota, used in _quota_lines(
        placement.agreement, placement.contract_start.year, placement.occupation_id
    ):
        if quota.places and used >= quota.places * QUOTA_WARNING_SHARE:
            warnings.append(
                str(Refusal.NEAR_QUOTA)
                % {
                    "year": quota.year,
                    "scope": _quota_scope(quota),
                    "used": used,
                    "places": quota.places,
                }
            )
    return warnings


def _placement_dates(
    departure_date: datetime.date, contract_start: datetime.date, contract_end: datetime.date
) -> None:
    if contract_start < departure_date:
        raise ValidationError(
            {
                "contract_start": ValidationError(
                    Refusal.START_BEFORE_DEPARTURE,
                    code="start_before_departure",
                    params={"start": contract_start, "departure": departure_date},
                )
            }
        )
    if contract_end <= contract_start:
        raise ValidationError(
            {
                "contract_end": ValidationError(
                    Refusal.END_BEFORE_START,
                    code="end_before_start",
                    params={"end": contract_end, "start": contract_start},
                )
            }
        )


def placement_create(
    *,
    actor: User,
    application: Application,
    departure_date: datetime.date,
    contract_start: datetime.date,
    contract_end: datetime.date,
    pay_amount: Decimal,
    pay_currency: str,
    pay_period: str,
    hours_per_week: int,
    housing_provided: bool,
    housing_cost: Decimal | None,
    deductions: str,
    city: str = "",
) -> Placement:
    """Record a departure: the placement with its promised terms, the application moved to
    "departed", the check-ins scheduled. Only from a granted visa with the checklist complete;
    never beyond the agreement's quota (near it, `placement_quota_warnings` says so)."""
    from gza.mobility.protection import check_ins_schedule
    from gza.recruitment.services import application_move

    _application_in_scope(actor, application)
    _placement_dates(departure_date, contract_start, contract_end)
    if not housing_provided and housing_cost:
        raise ValidationError(
            {"housing_cost": ValidationError(Refusal.HOUSING_COST_WITHOUT_HOUSING, "no_housing")}
        )
    with transaction.atomic():
        # Row lock on the application: two officers recording the same departure cannot both
        # create a placement; the second sees "already has a placement" or the new stage.
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("vacancy", "job_seeker")
            .get(pk=application.pk)
        )
        if Placement.objects.filter(application=application).exists():
            raise DomainError(Refusal.ALREADY_PLACED)
        if application.stage != Stage.VISA_GRANTED:
            raise ValidationError(
                Refusal.PLACEMENT_STAGE,
                code="placement_stage",
                params={"stage": Stage(application.stage).label},
            )
        missing = checklist_missing(application)
        if missing:
            raise ValidationError(
                Refusal.CHECKLIST_INCOMPLETE,
                code="checklist_incomplete",
                params={"missing": _labels(*(ChecklistItem(m).label for m in missing))},
            )
        vacancy = application.vacancy
        agreement = vacancy.agreement
        if agreement is not None:
            # Row lock on the agreement: two departures at once cannot both take its last
            # quota place.
            agreement = Agreement.objects.select_for_update(of=("self",)).get(pk=agreement.pk)
        for quota, used in _quota_lines(agreement, contract_start.year, vacancy.occupation_id):
            if used + 1 > quota.places:
                raise ValidationError(
                    Refusal.OVER_QUOTA,
                    code="over_quota",
                    params={
                        "year": quota.year,
                        "scope": _quota_scope(quota),
                        "used": used,
                        "places": quota.places,
                    },
                )
        placement = Placement(
            application=application,
            job_seeker=application.job_seeker,
            employer=vacancy.employer,
            agreement=agreement,
            country_id=vacancy.country_id,
            city=city.strip() or vacancy.city,
            occupation_id=vacancy.occupation_id,
            departure_date=departure_date,
            contract_start=contract_start,
            contract_end=contract_end,
            pay_amount=pay_amount,
            pay_currency=pay_currency.upper(),
            pay_period=PayPeriod(pay_period),
            hours_per_week=hours_per_week,
            housing_provided=housing_provided,
            housing_cost=housing_cost if housing_provided else None,
            deductions=deductions.strip(),
            status=PlacementStatus.ACTIVE,
            status_since=departure_date,
            created_by=actor,
        )
        placement.full_clean()
        placement.save()
        PlacementEvent.objects.create(
            placement=placement,
            to_status=PlacementStatus.ACTIVE,
            occurred_on=departure_date,
            actor=actor,
        )
        application_move(
            actor=actor, application=application, transition="depart", as_=ActorKind.OFFICER
        )
        check_ins_schedule(placement)
        audit_record(
            actor=actor,
            verb=AuditVerb.CREATED,
            target=placement,
            payload={
                "application": str(application.public_id),
                "country": placement.country_id,
                "departure_date": departure_date.isoformat(),
                "contract": [contract_start.isoformat(), contract_end.isoformat()],
                "pay": [str(placement.pay_amount), placement.pay_currency, placement.pay_period],
                "hours_per_week": hours_per_week,
            },
        )
    return placement


def placement_move(
    *,
    actor: User,
    placement: Placement,
    transition: str,
    occurred_on: datetime.date,
    reason: str = "",
) -> Placement:
    """Move a placement's status (complete, end early, transfer, overstay) and log it."""
    _placement_in_scope(actor, placement)
    with transaction.atomic():
        # Row lock: two officers changing the same placement at once cannot both start from
        # the same status; the second is checked against the first one's result.
        placement = Placement.objects.select_for_update(of=("self",)).get(pk=placement.pk)
        move = _placement_transition(placement, transition)
        if move.needs_reason and not reason.strip():
            raise ValidationError({"reason": ValidationError(Refusal.REASON_REQUIRED, "required")})
        _move_date(placement, occurred_on)
        _placement_status(placement, move, occurred_on, reason, actor)
    return placement


def _placement_transition(placement: Placement, transition: str) -> Transition:
    try:
        return PLACEMENT_LIFECYCLE.get(transition, state=placement.status)
    except DomainError:
        move = PLACEMENT_LIFECYCLE.transitions.get(transition)
        raise DomainError(
            Refusal.PLACEMENT_MOVE,
            status=PlacementStatus(placement.status).label,
            move=move.label if move else transition,
        ) from None


def _move_date(
    placement: Placement, occurred_on: datetime.date, field: str = "occurred_on"
) -> None:
    _not_in_future(occurred_on, field)
    if occurred_on < placement.departure_date:
        raise ValidationError(
            {
                field: ValidationError(
                    Refusal.DATE_BEFORE_DEPARTURE,
                    code="before_departure",
                    params={"date": occurred_on, "departure": placement.departure_date},
                )
            }
        )


def _placement_status(
    placement: Placement, move: Transition, occurred_on: datetime.date, reason: str, actor: User
) -> None:
    PlacementEvent.objects.create(
        placement=placement,
        from_status=placement.status,
        to_status=move.target,
        occurred_on=occurred_on,
        reason=reason.strip(),
        actor=actor,
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.UPDATED,
        target=placement,
        payload={"changes": {"status": [placement.status, move.target]}, "transition": move.name},
    )
    placement.status = move.target
    placement.status_since = occurred_on
    placement.save(update_fields=["status", "status_since"])


def placement_allowed_moves(placement: Placement) -> list[Transition]:
    return PLACEMENT_LIFECYCLE.allowed_from(placement.status)


# The return -------------------------------------------------------------------------------------


def return_record(
    *,
    actor: User,
    placement: Placement,
    kind: str,
    returned_on: datetime.date,
    reason: str = "",
    refer: bool = False,
    organisation: Organisation | None = None,
) -> Return:
    """The worker is home: the placement closes (completed, or ended early with the reason),
    the job joins their profile as experience gained abroad, they are free for the next
    season, and, if asked, a reintegration case is opened (by `organisation`, by default the
    actor's own)."""
    _placement_in_scope(actor, placement)
    kind = ReturnKind(kind)
    if kind == ReturnKind.EARLY and not reason:
        raise ValidationError(
            {"reason": ValidationError(Refusal.EARLY_REASON_REQUIRED, "required")}
        )
    if kind == ReturnKind.PLANNED and reason:
        raise ValidationError({"reason": ValidationError(Refusal.PLANNED_WITH_REASON, "invalid")})
    with transaction.atomic():
        # Row lock: two officers recording the same return cannot both succeed.
        placement = (
            Placement.objects.select_for_update(of=("self",))
            .select_related("employer", "occupation", "job_seeker")
            .get(pk=placement.pk)
        )
        if Return.objects.filter(placement=placement).exists():
            raise DomainError(Refusal.ALREADY_RETURNED)
        if placement.status not in RETURNABLE:
            raise DomainError(Refusal.RETURN_STATUS, status=PlacementStatus(placement.status).label)
        _move_date(placement, returned_on, "returned_on")
        homecoming = Return(
            placement=placement,
            kind=kind,
            reason=reason,
            returned_on=returned_on,
            referred_to_reintegration=refer,
            recorded_by=actor,
        )
        homecoming.full_clean()
        homecoming.save()
        if placement.status in {P.ACTIVE, P.TRANSFERRED}:
            move = PLACEMENT_LIFECYCLE.get(
                "complete" if kind == ReturnKind.PLANNED else "end_early", state=placement.status
            )
            # The reason is on the return itself, shown translated beside the log.
            _placement_status(placement, move, returned_on, "", actor)
        _experience_add(placement, returned_on)
        audit_record(
            actor=actor,
            verb=AuditVerb.CREATED,
            target=homecoming,
            payload={
                "placement": str(placement.public_id),
                "kind": kind.value,
                "reason": reason,
                "returned_on": returned_on.isoformat(),
                "referred": refer,
            },
        )
        from gza.reintegration.services import case_open, may_manage

        # Someone who assists returnees opens the case at once; a referral by anyone else (an
        # embassy officer) waits for an assisting organisation on the reintegration list.
        if refer and may_manage(actor):
            case_open(
                actor=actor,
                job_seeker=placement.job_seeker,
                returned_from=placement.country,
                returned_on=returned_on,
                organisation=organisation or actor.organisation,
                placement=placement,
            )
    return homecoming


def _experience_add(placement: Placement, returned_on: datetime.date) -> WorkExperience | None:
    """The job abroad on the person's profile, from the contract's start to the return (or
    the contract's end, if earlier); nothing if they came home before it started."""
    if returned_on < placement.contract_start:
        return None
    occupation = placement.occupation
    return WorkExperience.objects.create(
        job_seeker=placement.job_seeker,
        employer=placement.employer.name if placement.employer else "",
        country_id=placement.country_id,
        occupation_text=occupation.title_ka,
        occupation=occupation,
        start_date=placement.contract_start,
        end_date=min(returned_on, placement.contract_end),
        from_placement=True,
    )
