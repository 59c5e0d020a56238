"""Use cases of reintegration: opening a case for a returnee, the needs assessment, the
assistance plan, the follow-ups at 3, 6 and 12 months, and closure.

Any returnee may have a case, placed through Gza or not (IOM assists returns from many
countries), but they must be in the registry: an officer registers them first through assisted
registration. Every write is one transaction with its audit row; each one locks the case, so a
closure cannot interleave with a follow-up or a plan change recorded at the same moment."""

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gza.core.audit import audit_record, snapshot
from gza.core.enums import AuditVerb, OrganisationKind, Role
from gza.core.errors import DomainError
from gza.core.models import Organisation, User
from gza.core.roles import Right, has_right
from gza.core.workflow import Transition, Workflow
from gza.registry.enums import RecordStatus
from gza.registry.models import JobSeeker, is_valid_registration_number
from gza.registry.notifications import NotificationKind, notify
from gza.reintegration.enums import AssistanceStatus, CaseStatus, ClosureReason
from gza.reintegration.models import (
    FOLLOW_UP_MONTHS,
    AssistanceItem,
    FollowUp,
    NeedsAssessment,
    ReintegrationCase,
)
from gza.taxonomy.models import Country

# Who may assist a returnee: IOM and NGOs, the state employment agency, the labour ministry.
ASSISTING_KINDS = (
    OrganisationKind.IOM_NGO,
    OrganisationKind.EMPLOYMENT_AGENCY,
    OrganisationKind.LABOUR_MINISTRY,
)
# A follow-up may be done up to two weeks before it is due, never earlier: a "3-month"
# follow-up a month after return would not measure sustainability.
EARLY_WINDOW = datetime.timedelta(days=14)
SCORE_MAX = 100
# Closing with a follow-up due and not done is allowed only when it can no longer be done.
CLOSABLE_WITH_PENDING = frozenset({ClosureReason.LOST_CONTACT, ClosureReason.DECLINED})

ASSISTANCE = Workflow(
    [
        Transition(
            "start",
            frozenset({AssistanceStatus.PLANNED}),
            AssistanceStatus.IN_PROGRESS,
            _("Start"),
        ),
        Transition(
            "deliver",
            frozenset({AssistanceStatus.PLANNED, AssistanceStatus.IN_PROGRESS}),
            AssistanceStatus.DELIVERED,
            _("Mark delivered"),
        ),
        Transition(
            "cancel",
            frozenset({AssistanceStatus.PLANNED, AssistanceStatus.IN_PROGRESS}),
            AssistanceStatus.CANCELLED,
            _("Cancel"),
        ),
    ]
)


class CaseRefusal:
    """The messages of this domain, as constants so tests can assert them."""

    NOT_REGISTERED = _(
        "No active registry record has this registration number. Register the person first "
        "(assisted registration), then open the case."
    )
    BAD_NUMBER = _("This is not a registration number: check the ten digits.")
    IDENTITY_MISMATCH = _(
        "The personal number does not match this registration number. The person was "
        "registered by another organisation: ask them for both numbers."
    )
    IDENTITY_NEEDED = _(
        "The person was registered by another organisation: give their personal number too."
    )
    ALREADY_OPEN = _("This person already has an open reintegration case, opened on %(date)s.")
    OTHER_ORGANISATION = _("You may open cases only for your own organisation.")
    NOT_ASSISTING = _("Choose IOM, an NGO, the employment agency or the ministry.")
    RETURNED_FROM_GEORGIA = _("A returnee comes back from another country, not from Georgia.")
    RETURN_IN_FUTURE = _("The date of return cannot be in the future.")
    PLACEMENT_OF_OTHER = _("This placement is another person's.")
    PLACEMENT_COUNTRY = _("The placement was in %(country)s: the return is from there.")
    CLOSED = _("This case is closed; it can no longer change.")
    AMOUNT_NEGATIVE = _("An amount cannot be negative.")
    CURRENCY_NEEDED = _("Give the currency of the amount, for example GEL or EUR.")
    CURRENCY_WITHOUT_AMOUNT = _("Give the amount too, or leave the currency empty.")
    CURRENCY_FORMAT = _("A currency is three capital letters, for example GEL.")
    ASSISTANCE_MOVE = _("This assistance is %(status)s: it cannot be changed this way any more.")
    SCORE_RANGE = _("A score is a whole number from 0 to 100.")
    SCORE_NEEDED = _("Give a score from 0 to 100.")
    FOLLOW_UP_TOO_EARLY = _(
        "This follow-up is due on %(due)s: it can be done from %(earliest)s, not before."
    )
    FOLLOW_UP_FUTURE = _("A follow-up cannot be dated in the future.")
    FOLLOW_UP_DONE = _("This follow-up was already recorded on %(date)s.")
    CLOSE_PENDING = _(
        "The %(month)s-month follow-up was due on %(due)s and is not done. Record it first, or "
        "close the case because contact was lost or the person declined further help."
    )
    CLOSE_NOT_SUSTAINABLE_YET = _(
        "Reintegration is judged sustainable only after the 12-month follow-up is done."
    )
    CLOSE_BEFORE_OPEN = _("A case cannot close before it was opened (%(date)s).")
    CLOSE_FUTURE = _("A case cannot be closed with a date in the future.")
    ASSESSMENT_FUTURE = _("An assessment cannot be dated in the future.")
    ASSESSMENT_BEFORE_RETURN = _("An assessment cannot be dated before the return (%(date)s).")


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter (31 Jan + 1 =
    28 or 29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _field_error(field: str, message, code: str, **params: object) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code, params=params or None)})


def may_manage(actor: User) -> bool:
    return has_right(actor, Right.REINTEGRATION_MANAGE)


def _require_right(actor: User) -> None:
    if not may_manage(actor):
        raise DomainError(DomainError.NOT_PERMITTED)


def _locked_case(actor: User, case: ReintegrationCase) -> ReintegrationCase:
    """The case, re-read under a row lock from the actor's scope; refused when closed."""
    _require_right(actor)
    locked = (
        ReintegrationCase.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .filter(pk=case.pk)
        .first()
    )
    if locked is None:
        raise DomainError(DomainError.NOT_PERMITTED)
    if locked.status != CaseStatus.OPEN:
        raise DomainError(CaseRefusal.CLOSED)
    return locked


# Finding the returnee --------------------------------------------------------------------------


def returnee_find(*, actor: User, registration_number: str, personal_number: str = "") -> JobSeeker:
    """The registry record a case is opened for, found by the registration number the person
    shows. A caseworker who may not browse the person's record (IOM or an NGO, when another
    organisation registered them) must give the personal number too: the two together show the
    person is in front of them, and guessing numbers reveals nobody."""
    _require_right(actor)
    number = registration_number.strip()
    if not is_valid_registration_number(number):
        raise _field_error("registration_number", CaseRefusal.BAD_NUMBER, "invalid")
    person = (
        JobSeeker.objects.filter(registration_number=number, status=RecordStatus.ACTIVE)
        .select_related("municipality")
        .first()
    )
    if person is None:
        raise _field_error("registration_number", CaseRefusal.NOT_REGISTERED, "not_registered")
    if JobSeeker.objects.visible_to(actor).filter(pk=person.pk).exists():
        return person
    if not personal_number.strip():
        raise _field_error("personal_number", CaseRefusal.IDENTITY_NEEDED, "required")
    if personal_number.strip() != person.personal_number:
        # The same answer as an unknown number would leak which numbers exist; this one only
        # says the pair does not match, which the person in front of the officer can resolve.
        raise _field_error("personal_number", CaseRefusal.IDENTITY_MISMATCH, "mismatch")
    return person


def assisting_organisations(actor: User):
    """The organisations the actor may open a case for: their own, unless they are the ministry
    or the state employment agency, who refer people to any assisting organisation."""
    organisations = Organisation.objects.active().of_kind(*ASSISTING_KINDS)
    if _assigns_any_organisation(actor):
        return organisations
    return organisations.filter(pk=actor.organisation_id)


def _assigns_any_organisation(actor: User) -> bool:
    if actor.role == Role.MINISTRY_OFFICER:
        return True
    return (
        actor.role == Role.CASEWORKER
        and actor.organisation_id is not None
        and actor.organisation.kind == OrganisationKind.EMPLOYMENT_AGENCY
    )


# Opening a case --------------------------------------------------------------------------------


def case_open(
    *,
    actor: User,
    job_seeker: JobSeeker,
    returned_from: Country,
    returned_on: datetime.date,
    organisation: Organisation,
    placement=None,
) -> ReintegrationCase:
    """Open a case for a returnee and schedule the follow-ups at 3, 6 and 12 months after the
    return. A person has at most one open case at a time."""
    _require_right(actor)
    errors: dict[str, list[ValidationError]] = {}

    def refuse(field: str, message, code: str, **params: object) -> None:
        errors.setdefault(field, []).append(
            ValidationError(message, code=code, params=params or None)
        )

    if organisation.kind not in ASSISTING_KINDS or not organisation.is_active:
        refuse("organisation", CaseRefusal.NOT_ASSISTING, "not_assisting")
    elif not assisting_organisations(actor).filter(pk=organisation.pk).exists():
        raise DomainError(CaseRefusal.OTHER_ORGANISATION)
    if returned_from.pk == "GE":
        refuse("returned_from", CaseRefusal.RETURNED_FROM_GEORGIA, "from_georgia")
    today = timezone.localdate()
    if returned_on > today:
        refuse("returned_on", CaseRefusal.RETURN_IN_FUTURE, "future")
    if placement is not None:
        if placement.job_seeker_id != job_seeker.pk:
            refuse("placement", CaseRefusal.PLACEMENT_OF_OTHER, "other_person")
        elif placement.country_id != returned_from.pk:
            refuse(
                "returned_from",
                CaseRefusal.PLACEMENT_COUNTRY,
                "placement_country",
                country=placement.country.name,
            )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Lock the person: two officers opening a case for the same returnee at once would
        # both see no open case and both open one.
        person = JobSeeker.objects.select_for_update(of=("self",)).get(pk=job_seeker.pk)
        if person.status != RecordStatus.ACTIVE:
            raise _field_error("job_seeker", CaseRefusal.NOT_REGISTERED, "not_registered")
        existing = ReintegrationCase.objects.open().filter(job_seeker=person).first()
        if existing is not None:
            raise DomainError(CaseRefusal.ALREADY_OPEN, date=existing.opened_on)
        case = ReintegrationCase(
            job_seeker=person,
            placement=placement,
            returned_from=returned_from,
            returned_on=returned_on,
            organisation=organisation,
            caseworker=actor
            if actor.role == Role.CASEWORKER and actor.organisation_id == organisation.pk
            else None,
            opened_on=today,
            created_by=actor,
        )
        case.full_clean()
        case.save()
        FollowUp.objects.bulk_create(
            FollowUp(case=case, month=month, due_on=add_months(returned_on, month))
            for month in FOLLOW_UP_MONTHS
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.CREATED,
            target=case,
            payload={
                "job_seeker": str(person.public_id),
                "returned_from": returned_from.pk,
                "returned_on": returned_on.isoformat(),
                "organisation": organisation.pk,
                "placement": str(placement.public_id) if placement is not None else None,
            },
        )
        # The person learns when the first follow-up is (sent once the case is stored).
        notify(
            person,
            NotificationKind.FOLLOW_UP_DUE,
            date=add_months(returned_on, FOLLOW_UP_MONTHS[0]).isoformat(),
        )
    return case


# Assessment ------------------------------------------------------------------------------------


def assessment_record(
    *,
    actor: User,
    case: ReintegrationCase,
    economic: int,
    social: int,
    psychosocial: int,
    medical: int,
    vulnerability: str,
    notes: str = "",
    assessed_on: datetime.date | None = None,
) -> NeedsAssessment:
    """Record a needs assessment (0 no need .. 3 urgent, per dimension) and the person's
    vulnerability. A case may be reassessed; the latest assessment is the one that counts."""
    assessed_on = assessed_on or timezone.localdate()
    with transaction.atomic():
        case = _locked_case(actor, case)
        if assessed_on > timezone.localdate():
            raise _field_error("assessed_on", CaseRefusal.ASSESSMENT_FUTURE, "future")
        if assessed_on < case.returned_on:
            raise _field_error(
                "assessed_on",
                CaseRefusal.ASSESSMENT_BEFORE_RETURN,
                "before_return",
                date=case.returned_on,
            )
        assessment = NeedsAssessment(
            case=case,
            assessed_on=assessed_on,
            economic=economic,
            social=social,
            psychosocial=psychosocial,
            medical=medical,
            vulnerability=vulnerability,
            notes=notes.strip(),
            assessed_by=actor,
        )
        # Needs are 0..3 and vulnerability one of the enum's: the model's choices refuse the rest.
        assessment.full_clean()
        assessment.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.CREATED,
            target=assessment,
            # The notes stay out of the audit trail: they may describe health or abuse.
            payload={
                "case": str(case.public_id),
                "needs": [economic, social, psychosocial, medical],
                "vulnerability": vulnerability,
            },
        )
    return assessment


def latest_assessment(case: ReintegrationCase) -> NeedsAssessment | None:
    return case.assessments.order_by("-assessed_on", "-id").first()


# The assistance plan ---------------------------------------------------------------------------


def _money_errors(amount: Decimal | None, currency: str) -> dict[str, list[ValidationError]]:
    errors: dict[str, list[ValidationError]] = {}
    if amount is not None and amount < 0:
        errors["amount"] = [ValidationError(CaseRefusal.AMOUNT_NEGATIVE, code="negative")]
    if amount is not None and not currency:
        errors["currency"] = [ValidationError(CaseRefusal.CURRENCY_NEEDED, code="required")]
    elif amount is None and currency:
        errors["amount"] = [
            ValidationError(CaseRefusal.CURRENCY_WITHOUT_AMOUNT, code="currency_only")
        ]
    elif currency and not (len(currency) == 3 and currency.isascii() and currency.isalpha()):
        errors["currency"] = [ValidationError(CaseRefusal.CURRENCY_FORMAT, code="invalid")]
    return errors


def assistance_add(
    *,
    actor: User,
    case: ReintegrationCase,
    kind: str,
    provider: str,
    amount: Decimal | None = None,
    currency: str = "",
    note: str = "",
) -> AssistanceItem:
    """Add a line to the assistance plan (a business grant, training, job placement, medical
    care, housing or counselling), planned. An amount needs its currency."""
    currency = currency.strip().upper()
    with transaction.atomic():
        case = _locked_case(actor, case)
        errors = _money_errors(amount, currency)
        if errors:
            raise ValidationError(errors)
        item = AssistanceItem(
            case=case,
            kind=kind,
            provider=provider.strip(),
            amount=amount,
            currency=currency,
            note=note.strip(),
        )
        item.full_clean()
        item.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.CREATED,
            target=item,
            payload={
                "case": str(case.public_id),
                "kind": kind,
                "amount": str(amount) if amount is not None else None,
                "currency": currency,
            },
        )
    return item


def assistance_status_set(
    *, actor: User, item: AssistanceItem, status: str, note: str | None = None
) -> AssistanceItem:
    """Move a plan line: planned → in progress → delivered, or cancelled before delivery.
    A line delivered or cancelled stays so; the refusal names its status."""
    moves = {t.target: t for t in ASSISTANCE.transitions.values()}
    with transaction.atomic():
        _locked_case(actor, item.case)
        # The case lock already serialises changes to its plan; this re-reads the line so the
        # check below sees a move committed a moment ago.
        item = AssistanceItem.objects.select_for_update(of=("self",)).get(pk=item.pk)
        move = moves.get(status)
        if move is None or item.status not in move.sources:
            raise DomainError(
                CaseRefusal.ASSISTANCE_MOVE, status=AssistanceStatus(item.status).label
            )
        before = snapshot(item, ["status", "note"])
        item.status = move.target
        fields = ["status"]
        if note is not None:
            item.note = note.strip()
            fields.append("note")
        item.full_clean()
        item.save(update_fields=fields)
        audit_record(
            actor=actor,
            verb=AuditVerb.UPDATED,
            target=item,
            payload={
                "changes": {"status": [before["status"], item.status]},
                "transition": move.name,
            },
        )
    return item


def assistance_moves(item: AssistanceItem) -> list[Transition]:
    return ASSISTANCE.allowed_from(item.status)


# Follow-ups ------------------------------------------------------------------------------------


def _score_errors(scores: dict[str, object]) -> dict[str, list[ValidationError]]:
    errors: dict[str, list[ValidationError]] = {}
    for name, value in scores.items():
        if value is None or value == "":
            errors[name] = [ValidationError(CaseRefusal.SCORE_NEEDED, code="required")]
        elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= SCORE_MAX:
            errors[name] = [ValidationError(CaseRefusal.SCORE_RANGE, code="out_of_range")]
    return errors


def follow_up_record(
    *,
    actor: User,
    follow_up: FollowUp,
    economic: int,
    social: int,
    psychosocial: int,
    notes: str = "",
    done_on: datetime.date | None = None,
) -> FollowUp:
    """Record a follow-up's sustainability scores (0..100 in each dimension, as in IOM's
    reintegration sustainability survey). It may be done from two weeks before it is due, and
    once."""
    done_on = done_on or timezone.localdate()
    scores = {"economic": economic, "social": social, "psychosocial": psychosocial}
    with transaction.atomic():
        _locked_case(actor, follow_up.case)
        follow_up = FollowUp.objects.select_for_update(of=("self",)).get(pk=follow_up.pk)
        if follow_up.done_on is not None:
            raise DomainError(CaseRefusal.FOLLOW_UP_DONE, date=follow_up.done_on)
        errors = _score_errors(scores)
        earliest = follow_up.due_on - EARLY_WINDOW
        if done_on > timezone.localdate():
            errors["done_on"] = [ValidationError(CaseRefusal.FOLLOW_UP_FUTURE, code="future")]
        elif done_on < earliest:
            errors["done_on"] = [
                ValidationError(
                    CaseRefusal.FOLLOW_UP_TOO_EARLY,
                    code="too_early",
                    params={"due": follow_up.due_on, "earliest": earliest},
                )
            ]
        if errors:
            raise ValidationError(errors)
        follow_up.economic, follow_up.social, follow_up.psychosocial = (
            economic,
            social,
            psychosocial,
        )
        follow_up.done_on = done_on
        follow_up.notes = notes.strip()
        follow_up.recorded_by = actor
        follow_up.full_clean()
        follow_up.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.UPDATED,
            target=follow_up,
            payload={
                "case": str(follow_up.case.public_id),
                "month": follow_up.month,
                "done_on": done_on.isoformat(),
                "scores": scores,
            },
        )
    return follow_up


@dataclass(frozen=True)
class TrendPoint:
    month: int
    due_on: datetime.date
    done_on: datetime.date | None
    score: float | None
    # The change since the previous follow-up that was done; None for the first.
    change: float | None


def sustainability_trend(follow_ups: list[FollowUp]) -> list[TrendPoint]:
    """Each follow-up's sustainability (the mean of its three scores) and how it moved since
    the previous one done: rising means the return is holding."""
    points = []
    previous: float | None = None
    for follow_up in sorted(follow_ups, key=lambda row: row.month):
        score = follow_up.sustainability
        change = round(score - previous, 1) if score is not None and previous is not None else None
        points.append(
            TrendPoint(
                month=follow_up.month,
                due_on=follow_up.due_on,
                done_on=follow_up.done_on,
                score=score,
                change=change,
            )
        )
        if score is not None:
            previous = score
    return points


# Closure ---------------------------------------------------------------------------------------


def case_close(
    *,
    actor: User,
    case: ReintegrationCase,
    reason: str,
    closed_on: datetime.date | None = None,
) -> ReintegrationCase:
    """Close a case. A follow-up due and not done blocks closure unless contact was lost or
    the person declined further help; "sustainable" needs the 12-month follow-up done."""
    closed_on = closed_on or timezone.localdate()
    if reason not in ClosureReason.values:
        raise _field_error("reason", _("Choose why the case closes."), "invalid")
    with transaction.atomic():
        case = _locked_case(actor, case)
        if closed_on > timezone.localdate():
            raise _field_error("closed_on", CaseRefusal.CLOSE_FUTURE, "future")
        if closed_on < case.opened_on:
            raise _field_error(
                "closed_on", CaseRefusal.CLOSE_BEFORE_OPEN, "before_open", date=case.opened_on
            )
        follow_ups = list(case.follow_ups.order_by("month"))
        if reason not in CLOSABLE_WITH_PENDING:
            pending = [f for f in follow_ups if f.done_on is None and f.due_on <= closed_on]
            if pending:
                raise _field_error(
                    "reason",
                    CaseRefusal.CLOSE_PENDING,
                    "follow_up_pending",
                    month=pending[0].month,
                    due=pending[0].due_on,
                )
        if reason == ClosureReason.SUSTAINABLE and not any(
            f.month == FOLLOW_UP_MONTHS[-1] and f.done_on is not None for f in follow_ups
        ):
            raise _field_error("reason", CaseRefusal.CLOSE_NOT_SUSTAINABLE_YET, "too_soon")
        case.status = CaseStatus.CLOSED
        case.closed_on = closed_on
        case.closure_reason = reason
        case.full_clean()
        case.save(update_fields=["status", "closed_on", "closure_reason"])
        audit_record(
            actor=actor,
            verb=AuditVerb.UPDATED,
            target=case,
            payload={
                "changes": {"status": [CaseStatus.OPEN, CaseStatus.CLOSED]},
                "reason": reason,
                "closed_on": closed_on.isoformat(),
            },
        )
    return case
