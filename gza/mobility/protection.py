"""Protection abroad: check-ins and grievances (issue 6, items 6 and 7; docs/decisions/0023).

Check-ins are scheduled when a placement is created (two weeks after the contract starts, then
monthly on the same day until it ends) and answered by the worker on the portal, or by an
officer who records an answer given on the phone. Each answer is compared with the promised
terms of the placement; any difference (a `Breach`) opens a grievance by itself, with the
differences spelt out ("Promised 9.50 EUR per hour; the worker reports 3.00.").

Grievances are raised by the worker, an officer, an embassy or a check-in. Each has an answer
deadline set by its severity (RESPONSE_TIME); one past its deadline and still unanswered is
escalated by `grievances_escalate_overdue()` (run every 15 minutes: `manage.py
escalate_grievances` or the task) to the embassy in the placement's country and the partner
agency that placed the vacancy. Every change locks the grievance's row and writes a
GrievanceEvent and the audit trail.

Scoping, as everywhere: the ministry sees all; an embassy officer the placements and
grievances in their country; a caseworker those of the people `JobSeeker.objects.visible_to`
gives them; a worker only their own.
"""

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from gza.core.audit import audit_record
from gza.core.enums import AuditVerb, OrganisationKind, Role
from gza.core.errors import DomainError
from gza.core.models import Organisation, User
from gza.core.roles import Right, has_right
from gza.core.workflow import Transition, Workflow
from gza.mobility.enums import (
    Breach,
    GrievanceCategory,
    GrievanceSource,
    GrievanceStatus,
    PaidAsPromised,
    PlacementStatus,
    Severity,
)
from gza.mobility.models import CheckIn, Grievance, GrievanceEvent, Placement
from gza.registry.models import JobSeeker
from gza.registry.notifications import Notification, NotificationKind, notify

GS = GrievanceStatus

# The first check-in comes two weeks after the contract starts, when the first pay and the real
# hours and housing are known; then one a month.
FIRST_CHECK_IN_AFTER = datetime.timedelta(days=14)
# A worker may answer a check-in up to a week before it is due (a phone call that comes early).
ANSWER_AHEAD = datetime.timedelta(days=7)
# 16 hours a day, 7 days a week: more is a typing mistake, not an answer.
MAX_HOURS_PER_WEEK = 112
# A reported pay of 100 times the promised pay is a typing mistake (a monthly sum for an hourly
# rate), not a raise.
PAY_CEILING_FACTOR = 100
# Below 95% of the promised pay is a breach: rounding and small deductions are not.
PAY_TOLERANCE = Decimal("0.95")
# More than the promised hours plus 10%, or more than 60 hours a week whatever was promised.
HOURS_TOLERANCE = Decimal("1.10")
HOURS_ABSOLUTE_LIMIT = 60

# How soon a grievance must be answered, by severity. CRITICAL is a person in danger now (signs
# of trafficking, violence): a day. HIGH (documents withheld, abuse, an accident): three days.
# MEDIUM (pay, contract substitution, housing): a week. LOW: two weeks. Past the deadline
# and still unresolved, a grievance is escalated (grievances_escalate_overdue).
RESPONSE_TIME: dict[str, datetime.timedelta] = {
    Severity.CRITICAL: datetime.timedelta(hours=24),
    Severity.HIGH: datetime.timedelta(hours=72),
    Severity.MEDIUM: datetime.timedelta(days=7),
    Severity.LOW: datetime.timedelta(days=14),
}
# The severity a grievance raised on the portal gets from its category; the worker may say
# they are in danger now, which makes it CRITICAL.
DEFAULT_SEVERITY: dict[str, str] = {
    GrievanceCategory.TRAFFICKING: Severity.CRITICAL,
    GrievanceCategory.DOCUMENTS_WITHHELD: Severity.HIGH,
    GrievanceCategory.ABUSE: Severity.HIGH,
    GrievanceCategory.HEALTH: Severity.HIGH,
    GrievanceCategory.PAY: Severity.MEDIUM,
    GrievanceCategory.CONTRACT_SUBSTITUTION: Severity.MEDIUM,
    GrievanceCategory.HOUSING: Severity.MEDIUM,
    GrievanceCategory.OTHER: Severity.LOW,
}
# From the worst breach down: the first one found sets the grievance's category and severity.
BREACH_ORDER: list[tuple[str, str, str]] = [
    (Breach.DOCUMENTS_HELD, GrievanceCategory.DOCUMENTS_WITHHELD, Severity.HIGH),
    (Breach.NOT_SAFE, GrievanceCategory.ABUSE, Severity.HIGH),
    (Breach.PAY_BELOW_PROMISED, GrievanceCategory.PAY, Severity.MEDIUM),
    (Breach.NOT_PAID_AS_PROMISED, GrievanceCategory.PAY, Severity.MEDIUM),
    (Breach.HOUSING_NOT_AS_PROMISED, GrievanceCategory.HOUSING, Severity.LOW),
    (Breach.HOURS_ABOVE_PROMISED, GrievanceCategory.CONTRACT_SUBSTITUTION, Severity.LOW),
]
OPEN_STATUSES = frozenset({GS.OPEN, GS.IN_PROGRESS, GS.ESCALATED})
RATINGS = range(1, 6)


class Rule:
    """The refusals of this module, as constants so tests and callers can name them."""

    HOURS_OUT_OF_RANGE = _("Hours per week are between 0 and %(max)s.")
    PAY_NEGATIVE = _("The pay received cannot be negative.")
    PAY_IMPLAUSIBLE = _(
        "%(pay)s is more than 100 times the promised %(promised)s: give the pay %(period)s."
    )
    ANSWER_REQUIRED = _("Answer this question.")
    ALREADY_ANSWERED = _("This check-in was already answered on %(date)s.")
    NOT_YET_DUE = _("This check-in is due on %(due)s: it can be answered from %(opens)s.")
    PLACEMENT_OTHER_PERSON = _("The placement is not this person's.")
    CHECK_IN_OTHER_PLACEMENT = _("The check-in is not one of this placement's.")
    EMBASSY_NEEDS_PLACEMENT = _("An embassy raises a grievance about a placement in its country.")
    DESCRIPTION_REQUIRED = _("Say what happened.")
    UNKNOWN_CHOICE = _("“%(value)s” is not one of the choices.")
    MOVE_NOT_ALLOWED = _(
        "The grievance is %(status)s: the action “%(move)s” is not possible from here."
    )
    RESOLUTION_REQUIRED = _("Say how the grievance was resolved.")
    ASSIGNEE_CANNOT_HANDLE = _("%(name)s cannot handle this grievance.")
    RATING_OUT_OF_RANGE = _("A rating is a whole number from 1 to 5.")
    RATING_BEFORE_RESOLUTION = _(
        "The grievance is %(status)s: it can be rated once it is resolved."
    )
    ALREADY_RATED = _("You already rated how this grievance was handled.")


GRIEVANCE_LIFECYCLE = Workflow(
    [
        Transition("start", frozenset({GS.OPEN}), GS.IN_PROGRESS, _("start working on it")),
        Transition("escalate", frozenset({GS.OPEN, GS.IN_PROGRESS}), GS.ESCALATED, _("escalate")),
        Transition(
            "resolve",
            frozenset({GS.OPEN, GS.IN_PROGRESS, GS.ESCALATED}),
            GS.RESOLVED,
            _("resolve"),
            needs_reason=True,
        ),
        Transition("close", frozenset({GS.RESOLVED}), GS.CLOSED, _("close")),
    ]
)
ACTION_LABELS = {
    "open": _("opened"),
    "assign": _("assigned"),
    "start": _("work started"),
    "escalate": _("escalated"),
    "resolve": _("resolved"),
    "close": _("closed"),
    "rate": _("rated by the worker"),
}


# Scoping ---------------------------------------------------------------------------------------


def _signed_in(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def check_ins_visible_to(user: User) -> models.QuerySet[CheckIn]:
    return CheckIn.objects.filter(placement__in=Placement.objects.visible_to(user))


def grievances_visible_to(user: User) -> models.QuerySet[Grievance]:
    """The grievances `user` may see. An embassy sees those about placements in its country;
    a caseworker and the ministry also see grievances with no placement (raised before
    departure) of the people they see."""
    if not _signed_in(user):
        return Grievance.objects.none()
    if user.role == Role.MINISTRY_OFFICER:
        return Grievance.objects.all()
    if user.role == Role.EMBASSY_OFFICER:
        return Grievance.objects.filter(placement__in=Placement.objects.visible_to(user))
    if user.role == Role.CASEWORKER:
        return Grievance.objects.filter(job_seeker__in=JobSeeker.objects.visible_to(user))
    if user.role == Role.JOB_SEEKER:
        return Grievance.objects.filter(job_seeker__user=user)
    return Grievance.objects.none()


def may_handle(user: User, grievance: Grievance) -> bool:
    """Handlers: GRIEVANCES_HANDLE and the grievance in their scope."""
    return (
        has_right(user, Right.GRIEVANCES_HANDLE)
        and grievances_visible_to(user).filter(pk=grievance.pk).exists()
    )


def grievance_actions_for(user: User, grievance: Grievance) -> list[tuple[str, object]]:
    """The actions `user` may take on `grievance` now, with their labels: assigning while it
    is open, and the moves allowed from its status."""
    if not may_handle(user, grievance):
        return []
    actions: list[tuple[str, object]] = []
    if grievance.status in OPEN_STATUSES:
        actions.append(("assign", _("assign")))
    actions += [(t.name, t.label) for t in GRIEVANCE_LIFECYCLE.allowed_from(grievance.status)]
    return actions


def handlers_for(grievance: Grievance) -> models.QuerySet[User]:
    """Who the grievance can be assigned to, for the assignment form: active ministry
    officers, embassy officers in the placement's country, and caseworkers who see the person
    (the state employment agency's, and those of the organisation that registered them) — the
    rules of grievances_visible_to in one query. grievance_assign checks the one chosen."""
    who = Q(role=Role.MINISTRY_OFFICER) | Q(
        role=Role.CASEWORKER, organisation__kind=OrganisationKind.EMPLOYMENT_AGENCY
    )
    if grievance.placement_id:
        who |= Q(role=Role.EMBASSY_OFFICER, organisation__country_id=grievance.placement.country_id)
    registered_by = grievance.job_seeker.registered_by_organisation_id
    if registered_by:
        who |= Q(role=Role.CASEWORKER, organisation_id=registered_by)
    return User.objects.filter(who, is_active=True).order_by("full_name")


# Check-ins: the schedule -----------------------------------------------------------------------


def _add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter (31 January
    plus one month is 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def check_in_dates(contract_start: datetime.date, contract_end: datetime.date) -> list:
    """Two weeks after the contract starts, then every month on that day, up to its end."""
    first = contract_start + FIRST_CHECK_IN_AFTER
    dates = []
    while (due := _add_months(first, len(dates))) <= contract_end:
        dates.append(due)
    return dates


def check_ins_schedule(placement: Placement) -> list[CheckIn]:
    """Create the placement's check-ins; idempotent. Called by placement_create, and again
    after its contract dates change: unanswered check-ins move to the new dates, those past
    the new end go, answered ones are never touched."""
    with transaction.atomic():
        existing = {c.sequence: c for c in placement.check_ins.select_for_update(of=("self",))}
        dates = check_in_dates(placement.contract_start, placement.contract_end)
        for sequence, due in enumerate(dates, start=1):
            check_in = existing.get(sequence)
            if check_in is None:
                existing[sequence] = CheckIn.objects.create(
                    placement=placement, sequence=sequence, due_on=due
                )
            elif check_in.answered_at is None and check_in.due_on != due:
                check_in.due_on = due
                check_in.save(update_fields=["due_on"])
        beyond = [c.pk for s, c in existing.items() if s > len(dates) and c.answered_at is None]
        if beyond:
            CheckIn.objects.filter(pk__in=beyond).delete()
    return list(placement.check_ins.all())


def check_ins_due(
    *, job_seeker: JobSeeker, today: datetime.date | None = None
) -> models.QuerySet[CheckIn]:
    """The worker's unanswered check-ins that can be answered now, on active placements."""
    today = today or timezone.localdate()
    return (
        CheckIn.objects.filter(
            placement__job_seeker=job_seeker,
            placement__status__in=[PlacementStatus.ACTIVE, PlacementStatus.TRANSFERRED],
            answered_at__isnull=True,
            due_on__lte=today + ANSWER_AHEAD,
        )
        .select_related("placement__country", "placement__occupation")
        .order_by("due_on")
    )


def check_in_reminders_send(today: datetime.date | None = None) -> int:
    """Tell each worker, once per check-in, that a check-in can be answered now (daily, with
    `manage.py send_check_in_reminders`); returns how many were told."""
    today = today or timezone.localdate()
    told = {
        int(value)
        for value in Notification.objects.filter(kind=NotificationKind.CHECK_IN_DUE).values_list(
            "context__check_in", flat=True
        )
        if value
    }
    due = CheckIn.objects.filter(
        placement__status__in=[PlacementStatus.ACTIVE, PlacementStatus.TRANSFERRED],
        answered_at__isnull=True,
        due_on__lte=today + ANSWER_AHEAD,
    ).select_related("placement__job_seeker__user")
    sent = 0
    for check_in in due:
        if check_in.pk in told:
            continue
        with transaction.atomic():
            notify(
                check_in.placement.job_seeker,
                NotificationKind.CHECK_IN_DUE,
                date=check_in.due_on.isoformat(),
                check_in=check_in.pk,
            )
        sent += 1
    return sent


# Check-ins: the answer -------------------------------------------------------------------------


@dataclass(frozen=True)
class Answers:
    paid_as_promised: str
    pay_received: Decimal | None
    hours_per_week: int
    housing_as_promised: bool
    documents_held_by_employer: bool
    feels_safe: bool


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def check_in_breaches(placement: Placement, answers: Answers) -> list[str]:
    """The differences between the answers and the placement's promised terms."""
    found = []
    if answers.documents_held_by_employer:
        found.append(Breach.DOCUMENTS_HELD)
    if not answers.feels_safe:
        found.append(Breach.NOT_SAFE)
    if answers.pay_received is not None and answers.pay_received < (
        placement.pay_amount * PAY_TOLERANCE
    ):
        found.append(Breach.PAY_BELOW_PROMISED)
    if answers.paid_as_promised != PaidAsPromised.YES:
        found.append(Breach.NOT_PAID_AS_PROMISED)
    if answers.housing_as_promised is False:
        found.append(Breach.HOUSING_NOT_AS_PROMISED)
    promised_hours = Decimal(placement.hours_per_week)
    if (
        answers.hours_per_week > promised_hours * HOURS_TOLERANCE
        or answers.hours_per_week > HOURS_ABSOLUTE_LIMIT
    ):
        found.append(Breach.HOURS_ABOVE_PROMISED)
    order = [code for code, _category, _severity in BREACH_ORDER]
    return sorted(found, key=order.index)


def breach_lines(placement: Placement, check_in: CheckIn) -> list[str]:
    """Which answers differ from which promised terms, one sentence per breach, in the
    active language."""
    lines = []
    for code in check_in.breaches:
        if code == Breach.PAY_BELOW_PROMISED:
            lines.append(
                _("Promised %(promised)s %(currency)s %(period)s; the worker reports %(reported)s.")
                % {
                    "promised": _amount(placement.pay_amount),
                    "currency": placement.pay_currency,
                    "period": placement.get_pay_period_display(),
                    "reported": _amount(check_in.pay_received),
                }
            )
        elif code == Breach.NOT_PAID_AS_PROMISED:
            lines.append(
                _("Asked whether they are paid as promised, the worker answers “%(answer)s”.")
                % {"answer": check_in.get_paid_as_promised_display()}
            )
        elif code == Breach.HOURS_ABOVE_PROMISED:
            lines.append(
                _("Promised %(promised)s hours a week; the worker reports %(reported)s.")
                % {"promised": placement.hours_per_week, "reported": check_in.hours_per_week}
            )
        elif code == Breach.HOUSING_NOT_AS_PROMISED:
            lines.append(
                _("Housing was promised; the worker says it is not as promised.")
                if placement.housing_provided
                else _("The worker says the housing is not as agreed.")
            )
        elif code == Breach.DOCUMENTS_HELD:
            lines.append(_("The worker says the employer keeps their passport or documents."))
        elif code == Breach.NOT_SAFE:
            lines.append(_("The worker says they do not feel safe."))
    return lines


def _check_in_description(placement: Placement, check_in: CheckIn) -> str:
    """The grievance's text, in every language of the site (Georgian first): the officer and
    the embassy read it in theirs, and it says what was found then, not what a later
    translation would say."""
    blocks: list[str] = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            heading = _("Check-in %(number)s (due %(due)s) differs from the promised terms:") % {
                "number": check_in.sequence,
                "due": check_in.due_on.isoformat(),
            }
            lines = [str(heading), *(f"– {line}" for line in breach_lines(placement, check_in))]
            if check_in.comment:
                lines.append(_("The worker's comment: %(comment)s") % {"comment": check_in.comment})
            block = "\n".join(lines)
        if block not in blocks:
            blocks.append(block)
    return "\n\n".join(blocks)


def _may_answer(user: User, check_in: CheckIn) -> bool:
    """The worker themself, or an officer who follows the placement (a phone answer)."""
    if not _signed_in(user):
        return False
    in_scope = check_ins_visible_to(user).filter(pk=check_in.pk).exists()
    if user.role == Role.JOB_SEEKER:
        return in_scope
    officer = has_right(user, Right.MOBILITY_MANAGE) or has_right(user, Right.GRIEVANCES_HANDLE)
    return officer and in_scope


def _answer_errors(placement: Placement, answers: Answers) -> dict[str, ValidationError]:
    errors: dict[str, ValidationError] = {}
    if answers.paid_as_promised not in PaidAsPromised.values:
        errors["paid_as_promised"] = ValidationError(
            Rule.UNKNOWN_CHOICE, code="invalid_choice", params={"value": answers.paid_as_promised}
        )
    for name in ("housing_as_promised", "documents_held_by_employer", "feels_safe"):
        if getattr(answers, name) is None:
            errors[name] = ValidationError(Rule.ANSWER_REQUIRED, code="required")
    if answers.hours_per_week is None:
        errors["hours_per_week"] = ValidationError(Rule.ANSWER_REQUIRED, code="required")
    elif not 0 <= answers.hours_per_week <= MAX_HOURS_PER_WEEK:
        errors["hours_per_week"] = ValidationError(
            Rule.HOURS_OUT_OF_RANGE, code="hours_out_of_range", params={"max": MAX_HOURS_PER_WEEK}
        )
    pay = answers.pay_received
    if pay is not None and pay < 0:
        errors["pay_received"] = ValidationError(Rule.PAY_NEGATIVE, code="pay_negative")
    elif pay is not None and pay >= placement.pay_amount * PAY_CEILING_FACTOR:
        errors["pay_received"] = ValidationError(
            Rule.PAY_IMPLAUSIBLE,
            code="pay_implausible",
            params={
                "pay": _amount(pay),
                "promised": f"{_amount(placement.pay_amount)} {placement.pay_currency}",
                "period": placement.get_pay_period_display(),
            },
        )
    return errors


def check_in_answer(
    *,
    actor: User,
    check_in: CheckIn,
    paid_as_promised: str,
    pay_received: Decimal | None = None,
    hours_per_week: int,
    housing_as_promised: bool,
    documents_held_by_employer: bool,
    feels_safe: bool,
    comment: str = "",
) -> CheckIn:
    """Record the answer to a check-in, compare it with the promised terms, and open a
    grievance when anything differs. Only the worker (their own placement) or an officer who
    follows the placement answers; once only; from a week before it is due."""
    answers = Answers(
        paid_as_promised=paid_as_promised,
        pay_received=None if pay_received is None else Decimal(pay_received),
        hours_per_week=hours_per_week,
        housing_as_promised=housing_as_promised,
        documents_held_by_employer=documents_held_by_employer,
        feels_safe=feels_safe,
    )
    with transaction.atomic():
        # Row lock: the worker on the portal and an officer on the phone answering together
        # cannot both record an answer (and open two grievances); the second is told it was
        # answered.
        check_in = (
            CheckIn.objects.select_for_update(of=("self",))
            .select_related("placement__job_seeker")
            .get(pk=check_in.pk)
        )
        if not _may_answer(actor, check_in):
            raise DomainError(DomainError.NOT_PERMITTED)
        if check_in.answered_at is not None:
            raise DomainError(
                Rule.ALREADY_ANSWERED, date=timezone.localdate(check_in.answered_at).isoformat()
            )
        today = timezone.localdate()
        if check_in.due_on > today + ANSWER_AHEAD:
            raise DomainError(
                Rule.NOT_YET_DUE,
                due=check_in.due_on.isoformat(),
                opens=(check_in.due_on - ANSWER_AHEAD).isoformat(),
            )
        placement = check_in.placement
        errors = _answer_errors(placement, answers)
        if errors:
            raise ValidationError(errors)
        check_in.answered_at = timezone.now()
        check_in.paid_as_promised = answers.paid_as_promised
        check_in.pay_received = answers.pay_received
        check_in.hours_per_week = answers.hours_per_week
        check_in.housing_as_promised = answers.housing_as_promised
        check_in.documents_held_by_employer = answers.documents_held_by_employer
        check_in.feels_safe = answers.feels_safe
        check_in.comment = comment.strip()
        check_in.breaches = [str(code) for code in check_in_breaches(placement, answers)]
        check_in.full_clean()
        check_in.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.UPDATED,
            target=check_in,
            payload={
                "answered": True,
                "by": "worker" if actor.role == Role.JOB_SEEKER else "officer",
                "breaches": check_in.breaches,
            },
        )
        if check_in.breaches:
            worst = next(row for row in BREACH_ORDER if row[0] in check_in.breaches)
            _grievance_create(
                actor=actor,
                job_seeker=placement.job_seeker,
                placement=placement,
                source=GrievanceSource.CHECK_IN,
                category=worst[1],
                severity=worst[2],
                description=_check_in_description(placement, check_in),
                check_in=check_in,
            )
    return check_in


# Grievances ------------------------------------------------------------------------------------


def response_due(severity: str, opened_at: datetime.datetime) -> datetime.datetime:
    return opened_at + RESPONSE_TIME[severity]


def _log(
    grievance: Grievance,
    *,
    actor: User | None,
    action: str,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    at: datetime.datetime | None = None,
    payload: dict | None = None,
) -> None:
    changes = {"changes": {"status": [from_status, to_status]}} if from_status != to_status else {}
    GrievanceEvent.objects.create(
        grievance=grievance,
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note,
        actor=actor if actor is not None and actor.pk else None,
        occurred_at=at or timezone.now(),
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.CREATED if action == "open" else AuditVerb.UPDATED,
        target=grievance,
        payload={"action": action, **(payload or {}), **changes},
    )


def _grievance_create(
    *,
    actor: User | None,
    job_seeker: JobSeeker,
    placement: Placement | None,
    source: str,
    category: str,
    severity: str,
    description: str,
    check_in: CheckIn | None = None,
) -> Grievance:
    opened_at = timezone.now()
    grievance = Grievance(
        job_seeker=job_seeker,
        placement=placement,
        check_in=check_in,
        source=source,
        category=category,
        severity=severity,
        description=description.strip(),
        opened_at=opened_at,
        response_due_at=response_due(severity, opened_at),
        created_by=actor if actor is not None and actor.pk else None,
    )
    grievance.full_clean()
    grievance.save()
    _log(
        grievance,
        actor=actor,
        action="open",
        to_status=grievance.status,
        at=opened_at,
        payload={"source": source, "category": category, "severity": severity},
    )
    return grievance


def _opening_allowed(
    actor: User,
    job_seeker: JobSeeker,
    placement: Placement | None,
    source: str,
    check_in: CheckIn | None,
) -> bool:
    if not _signed_in(actor):
        return False
    if source == GrievanceSource.PORTAL:
        return actor.role == Role.JOB_SEEKER and job_seeker.user_id == actor.pk
    if source == GrievanceSource.EMBASSY:
        return (
            actor.role == Role.EMBASSY_OFFICER
            and placement is not None
            and Placement.objects.visible_to(actor).filter(pk=placement.pk).exists()
        )
    if source == GrievanceSource.CHECK_IN:
        return check_in is not None and _may_answer(actor, check_in)
    if source == GrievanceSource.OFFICER:
        if not has_right(actor, Right.GRIEVANCES_HANDLE):
            return False
        if placement is not None:
            return Placement.objects.visible_to(actor).filter(pk=placement.pk).exists()
        return JobSeeker.objects.visible_to(actor).filter(pk=job_seeker.pk).exists()
    return False


def grievance_open(
    *,
    actor: User,
    job_seeker: JobSeeker,
    placement: Placement | None,
    source: str,
    category: str,
    severity: str,
    description: str,
    check_in: CheckIn | None = None,
) -> Grievance:
    """Open a grievance: the worker on the portal (source PORTAL, about themself), an officer
    (OFFICER, someone they follow), an embassy (EMBASSY, a placement in its country) or a
    check-in answer (CHECK_IN; check_in_answer() opens those by itself). The answer deadline
    follows the severity (RESPONSE_TIME)."""
    errors: dict[str, ValidationError] = {}
    for name, value, enum in (
        ("source", source, GrievanceSource),
        ("category", category, GrievanceCategory),
        ("severity", severity, Severity),
    ):
        if value not in enum.values:
            errors[name] = ValidationError(
                Rule.UNKNOWN_CHOICE, code="invalid_choice", params={"value": value}
            )
    if not (description or "").strip():
        errors["description"] = ValidationError(Rule.DESCRIPTION_REQUIRED, code="required")
    if placement is not None and placement.job_seeker_id != job_seeker.pk:
        errors["placement"] = ValidationError(Rule.PLACEMENT_OTHER_PERSON, code="other_person")
    if source == GrievanceSource.EMBASSY and placement is None:
        errors["placement"] = ValidationError(Rule.EMBASSY_NEEDS_PLACEMENT, code="required")
    if check_in is not None and (placement is None or check_in.placement_id != placement.pk):
        errors["check_in"] = ValidationError(Rule.CHECK_IN_OTHER_PLACEMENT, code="other")
    if source == GrievanceSource.CHECK_IN and check_in is None:
        errors["check_in"] = ValidationError(Rule.ANSWER_REQUIRED, code="required")
    if errors:
        raise ValidationError(errors)
    if not _opening_allowed(actor, job_seeker, placement, source, check_in):
        raise DomainError(DomainError.NOT_PERMITTED)
    with transaction.atomic():
        return _grievance_create(
            actor=actor,
            job_seeker=job_seeker,
            placement=placement,
            source=source,
            category=category,
            severity=severity,
            description=description,
            check_in=check_in,
        )


def _locked(grievance: Grievance) -> Grievance:
    return Grievance.objects.select_for_update(of=("self",)).get(pk=grievance.pk)


def _move(grievance: Grievance, transition: str) -> Transition:
    """Check a move from the grievance's current status; refused naming that status."""
    move = GRIEVANCE_LIFECYCLE.transitions.get(transition)
    if move is None or grievance.status not in move.sources:
        raise DomainError(
            Rule.MOVE_NOT_ALLOWED,
            status=GS(grievance.status).label,
            move=move.label if move else transition,
        )
    return move


def grievance_assign(*, actor: User, grievance: Grievance, assignee: User) -> Grievance:
    """Give the grievance to someone who handles grievances and sees this one."""
    with transaction.atomic():
        # Row lock: two officers assigning at once leave one assignee and two log rows in order.
        grievance = _locked(grievance)
        if not may_handle(actor, grievance):
            raise DomainError(DomainError.NOT_PERMITTED)
        if grievance.status not in OPEN_STATUSES:
            raise DomainError(
                Rule.MOVE_NOT_ALLOWED,
                status=GS(grievance.status).label,
                move=_("assign"),
            )
        if not may_handle(assignee, grievance):
            raise ValidationError(
                {
                    "assignee": ValidationError(
                        Rule.ASSIGNEE_CANNOT_HANDLE,
                        code="cannot_handle",
                        params={"name": str(assignee)},
                    )
                }
            )
        previous = grievance.assigned_to
        grievance.assigned_to = assignee
        grievance.save(update_fields=["assigned_to"])
        _log(
            grievance,
            actor=actor,
            action="assign",
            from_status=grievance.status,
            to_status=grievance.status,
            note=str(assignee),
            payload={"assigned_to": [previous.pk if previous else None, assignee.pk]},
        )
    return grievance


def _handled_move(
    *, actor: User, grievance: Grievance, transition: str, note: str, **changes
) -> Grievance:
    """One step of a grievance by someone who handles it: row lock (of two officers acting at
    once, the second is told the new status), the lifecycle check, the change and the log."""
    with transaction.atomic():
        grievance = _locked(grievance)
        if not may_handle(actor, grievance):
            raise DomainError(DomainError.NOT_PERMITTED)
        move = _move(grievance, transition)
        before = grievance.status
        grievance.status = move.target
        for field, value in changes.items():
            setattr(grievance, field, value)
        grievance.save(update_fields=["status", *changes])
        _log(
            grievance,
            actor=actor,
            action=transition,
            from_status=before,
            to_status=move.target,
            note=note,
        )
    return grievance


def grievance_start(*, actor: User, grievance: Grievance, note: str = "") -> Grievance:
    """Start working on an open grievance; unassigned, it becomes the actor's."""
    changes = {} if grievance.assigned_to_id else {"assigned_to": actor}
    return _handled_move(
        actor=actor, grievance=grievance, transition="start", note=note.strip(), **changes
    )


def grievance_resolve(*, actor: User, grievance: Grievance, resolution: str) -> Grievance:
    """Record the answer that resolves the grievance; the worker sees it and may rate it."""
    if not (resolution or "").strip():
        raise ValidationError({"resolution": Rule.RESOLUTION_REQUIRED}, code="required")
    with transaction.atomic():
        grievance = _handled_move(
            actor=actor,
            grievance=grievance,
            transition="resolve",
            note=resolution.strip(),
            resolution=resolution.strip(),
            resolved_at=timezone.now(),
        )
        notify(grievance.job_seeker, NotificationKind.GRIEVANCE_ANSWERED)
    return grievance


def grievance_close(*, actor: User, grievance: Grievance, note: str = "") -> Grievance:
    """Close a resolved grievance: nothing more is done on it."""
    return _handled_move(actor=actor, grievance=grievance, transition="close", note=note.strip())


def grievance_rate(*, actor: User, grievance: Grievance, rating: int) -> Grievance:
    """The worker's rating (1 to 5) of how their grievance was handled, once resolved; once."""
    if not isinstance(rating, int) or isinstance(rating, bool) or rating not in RATINGS:
        raise ValidationError(
            {"rating": ValidationError(Rule.RATING_OUT_OF_RANGE, code="rating_out_of_range")}
        )
    with transaction.atomic():
        grievance = _locked(grievance)
        if not (
            _signed_in(actor)
            and actor.role == Role.JOB_SEEKER
            and grievance.job_seeker.user_id == actor.pk
        ):
            raise DomainError(DomainError.NOT_PERMITTED)
        if grievance.status not in (GS.RESOLVED, GS.CLOSED):
            raise DomainError(Rule.RATING_BEFORE_RESOLUTION, status=GS(grievance.status).label)
        if grievance.worker_rating is not None:
            raise DomainError(Rule.ALREADY_RATED)
        grievance.worker_rating = rating
        grievance.save(update_fields=["worker_rating"])
        _log(
            grievance,
            actor=actor,
            action="rate",
            from_status=grievance.status,
            to_status=grievance.status,
            note=str(rating),
            payload={"rating": rating},
        )
    return grievance


# Escalation ------------------------------------------------------------------------------------


def escalation_targets(grievance: Grievance) -> list[Organisation]:
    """Who a grievance goes to when escalated: the embassy (or embassies) in the placement's
    country, and the partner agency that placed the vacancy, if one did."""
    placement = grievance.placement
    if placement is None:
        return []
    targets = list(
        Organisation.objects.active()
        .of_kind(OrganisationKind.EMBASSY)
        .filter(country_id=placement.country_id)
    )
    vacancy = placement.application.vacancy
    if vacancy.agency_id and vacancy.agency.organisation_id:
        targets.append(vacancy.agency.organisation)
    return targets


def _escalate(
    grievance: Grievance, *, actor: User | None, now: datetime.datetime, note: str
) -> Grievance:
    move = _move(grievance, "escalate")
    before = grievance.status
    targets = escalation_targets(grievance)
    grievance.status = move.target
    grievance.escalated_at = now
    grievance.save(update_fields=["status", "escalated_at"])
    if targets:
        grievance.escalated_to.add(*targets)
    _log(
        grievance,
        actor=actor,
        action="escalate",
        from_status=before,
        to_status=move.target,
        note=note,
        at=now,
        payload={"escalated_to": [organisation.pk for organisation in targets]},
    )
    return grievance


def grievance_escalate(*, actor: User, grievance: Grievance, note: str = "") -> Grievance:
    """An officer escalates a grievance before its deadline (the embassy and the agency)."""
    with transaction.atomic():
        grievance = _locked(grievance)
        if not may_handle(actor, grievance):
            raise DomainError(DomainError.NOT_PERMITTED)
        return _escalate(grievance, actor=actor, now=timezone.now(), note=note.strip())


def grievances_escalate_overdue(now: datetime.datetime | None = None) -> int:
    """Escalate every open or in-progress grievance past its answer deadline; returns how many.
    Safe to run twice or in two processes at once: each row is re-read under its lock and
    escalated only if it still is open and late, and an escalated one is not again."""
    now = now or timezone.now()
    late = Grievance.objects.filter(
        status__in=[GS.OPEN, GS.IN_PROGRESS], response_due_at__lt=now
    ).values_list("pk", flat=True)
    escalated = 0
    for pk in list(late):
        with transaction.atomic():
            grievance = (
                Grievance.objects.select_for_update(of=("self",))
                .filter(pk=pk, status__in=[GS.OPEN, GS.IN_PROGRESS], response_due_at__lt=now)
                .first()
            )
            if grievance is None:
                continue
            _escalate(
                grievance,
                actor=None,
                now=now,
                note=str(_("The answer deadline passed without a resolution.")),
            )
            escalated += 1
    return escalated


# The board -------------------------------------------------------------------------------------


OVERDUE, DUE_TODAY, LATER = "overdue", "due_today", "later"
DEADLINE_COLUMNS = [
    (OVERDUE, _("Overdue")),
    (DUE_TODAY, _("Due today")),
    (LATER, _("Later")),
]
# Age since opened, in days: [lower, upper).
AGE_BUCKETS = [
    ("under_1", _("Under a day"), 0, 1),
    ("1_3", _("1–3 days"), 1, 3),
    ("3_7", _("3–7 days"), 3, 7),
    ("7_14", _("1–2 weeks"), 7, 14),
    ("over_14", _("Over 2 weeks"), 14, None),
]


def open_grievances(user: User) -> models.QuerySet[Grievance]:
    return grievances_visible_to(user).filter(status__in=OPEN_STATUSES)


def deadline_column(grievance: Grievance, now: datetime.datetime) -> str:
    if grievance.response_due_at < now:
        return OVERDUE
    if timezone.localdate(grievance.response_due_at) == timezone.localdate(now):
        return DUE_TODAY
    return LATER


def age_bucket(grievance: Grievance, now: datetime.datetime) -> str:
    days = (now - grievance.opened_at) / datetime.timedelta(days=1)
    for key, _label, lower, upper in AGE_BUCKETS:
        if days >= lower and (upper is None or days < upper):
            return key
    return AGE_BUCKETS[0][0]


@dataclass
class Column:
    key: str
    label: object
    grievances: list


def board_columns(
    grievances: Iterable[Grievance], *, by: str, now: datetime.datetime | None = None
) -> list[Column]:
    """The board's columns: by deadline (overdue, due today, later) or by age since opened."""
    now = now or timezone.now()
    if by == "age":
        columns = [Column(key, label, []) for key, label, _lo, _hi in AGE_BUCKETS]
        place = age_bucket
    else:
        columns = [Column(key, label, []) for key, label in DEADLINE_COLUMNS]
        place = deadline_column
    index = {column.key: column for column in columns}
    for grievance in grievances:
        index[place(grievance, now)].grievances.append(grievance)
    return columns


def board_counts(user: User, *, now: datetime.datetime | None = None) -> dict:
    """How many open grievances the user sees, by deadline column, age bucket and severity."""
    now = now or timezone.now()
    rows = list(open_grievances(user).only("pk", "opened_at", "response_due_at", "severity"))
    by_deadline = {key: 0 for key, _label in DEADLINE_COLUMNS}
    by_age = {key: 0 for key, _label, _lo, _hi in AGE_BUCKETS}
    by_severity = {value: 0 for value in Severity.values}
    for grievance in rows:
        by_deadline[deadline_column(grievance, now)] += 1
        by_age[age_bucket(grievance, now)] += 1
        by_severity[grievance.severity] += 1
    return {
        "total": len(rows),
        "by_deadline": by_deadline,
        "by_age": by_age,
        "by_severity": by_severity,
    }
