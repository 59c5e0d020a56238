"""Check-ins and grievances: the schedule, answers compared with the promised terms, grievances
with deadlines, escalation, rating and scoping (gza/mobility/protection.py)."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone, translation

from gza.core.enums import OrganisationKind, Role
from gza.core.errors import DomainError
from gza.core.models import AuditEvent
from gza.mobility.enums import (
    Breach,
    GrievanceCategory,
    GrievanceSource,
    GrievanceStatus,
    PaidAsPromised,
    Severity,
)
from gza.mobility.models import CheckIn, Grievance, GrievanceEvent
from gza.mobility.protection import (
    RESPONSE_TIME,
    Rule,
    board_columns,
    board_counts,
    check_in_answer,
    check_in_dates,
    check_ins_due,
    check_ins_schedule,
    check_ins_visible_to,
    grievance_assign,
    grievance_close,
    grievance_escalate,
    grievance_open,
    grievance_rate,
    grievance_resolve,
    grievance_start,
    grievances_escalate_overdue,
    grievances_visible_to,
    handlers_for,
    open_grievances,
)
from gza.mobility.tasks import escalate_grievances_task
from tests.core.factories import OrganisationFactory, UserFactory
from tests.demand.factories import AgencyFactory, at_noon
from tests.mobility.protection_factories import (
    CheckInFactory,
    GrievanceFactory,
    PlacementFactory,
)
from tests.registry.factories import JobSeekerFactory

pytestmark = pytest.mark.django_db

FINE = {
    "paid_as_promised": PaidAsPromised.YES,
    "pay_received": Decimal("23.50"),
    "hours_per_week": 40,
    "housing_as_promised": True,
    "documents_held_by_employer": False,
    "feels_safe": True,
}


def worker_of(placement):
    user = UserFactory(job_seeker=True)
    person = placement.job_seeker
    person.user = user
    person.save()
    return user


def polish_embassy():
    return OrganisationFactory(
        kind=OrganisationKind.EMBASSY, country_id="PL", name_en="Embassy of Georgia in Poland"
    )


def due_check_in(**kwargs):
    """A check-in due today."""
    return CheckInFactory(due_on=timezone.localdate(), **kwargs)


# The schedule ----------------------------------------------------------------------------------


def test_check_ins_come_two_weeks_after_the_start_then_monthly_until_the_end():
    placement = PlacementFactory(
        contract_start=datetime.date(2026, 4, 1), contract_end=datetime.date(2026, 9, 30)
    )
    check_ins = check_ins_schedule(placement)
    assert [c.due_on for c in check_ins] == [
        datetime.date(2026, 4, 15),
        datetime.date(2026, 5, 15),
        datetime.date(2026, 6, 15),
        datetime.date(2026, 7, 15),
        datetime.date(2026, 8, 15),
        datetime.date(2026, 9, 15),
    ]
    assert [c.sequence for c in check_ins] == [1, 2, 3, 4, 5, 6]


def test_scheduling_twice_creates_nothing_more():
    placement = PlacementFactory()
    first = check_ins_schedule(placement)
    second = check_ins_schedule(placement)
    assert [c.pk for c in first] == [c.pk for c in second]
    assert CheckIn.objects.filter(placement=placement).count() == 6


def test_a_monthly_date_past_the_months_end_falls_on_its_last_day():
    dates = check_in_dates(datetime.date(2027, 1, 17), datetime.date(2027, 3, 31))
    assert dates == [
        datetime.date(2027, 1, 31),
        datetime.date(2027, 2, 28),
        datetime.date(2027, 3, 31),
    ]


def test_a_shorter_contract_drops_unanswered_check_ins_and_keeps_answered_ones():
    placement = PlacementFactory()
    check_ins_schedule(placement)
    first = placement.check_ins.get(sequence=1)
    first.answered_at = timezone.now()
    first.save()
    placement.contract_end = datetime.date(2026, 5, 20)
    placement.save()
    assert [c.sequence for c in check_ins_schedule(placement)] == [1, 2]


# Answers ---------------------------------------------------------------------------------------


def test_an_answer_as_promised_records_no_breach_and_opens_nothing():
    check_in = due_check_in()
    worker = worker_of(check_in.placement)
    answered = check_in_answer(actor=worker, check_in=check_in, **FINE)
    assert answered.answered_at is not None
    assert answered.breaches == []
    assert not Grievance.objects.exists()
    assert AuditEvent.objects.filter(target_id=str(check_in.pk)).exists()


def test_the_issues_pay_breach_opens_a_grievance_naming_the_promised_and_reported_pay():
    """A group in Germany paid 3 EUR an hour against 9.5 promised."""
    check_in = due_check_in(placement=PlacementFactory(in_germany=True))
    worker = worker_of(check_in.placement)
    answers = {**FINE, "paid_as_promised": PaidAsPromised.NO, "pay_received": Decimal("3")}
    answered = check_in_answer(actor=worker, check_in=check_in, **answers)

    assert answered.breaches == [Breach.PAY_BELOW_PROMISED, Breach.NOT_PAID_AS_PROMISED]
    grievance = Grievance.objects.get()
    assert grievance.source == GrievanceSource.CHECK_IN
    assert grievance.check_in == check_in
    assert grievance.placement == check_in.placement
    assert grievance.category == GrievanceCategory.PAY
    assert grievance.severity == Severity.MEDIUM
    assert grievance.response_due_at == grievance.opened_at + datetime.timedelta(days=7)
    assert "Promised 9.50 EUR per hour; the worker reports 3.00." in grievance.description
    assert grievance.events.get().action == "open"


def test_documents_kept_by_the_employer_are_the_worst_breach_and_high_severity():
    check_in = due_check_in()
    worker = worker_of(check_in.placement)
    answers = {
        **FINE,
        "pay_received": Decimal("10"),
        "documents_held_by_employer": True,
        "feels_safe": False,
    }
    check_in_answer(actor=worker, check_in=check_in, **answers)
    grievance = Grievance.objects.get()
    assert grievance.category == GrievanceCategory.DOCUMENTS_WITHHELD
    assert grievance.severity == Severity.HIGH
    assert grievance.response_due_at - grievance.opened_at == datetime.timedelta(hours=72)


def test_not_feeling_safe_opens_an_abuse_grievance():
    check_in = due_check_in()
    check_in_answer(
        actor=worker_of(check_in.placement), check_in=check_in, **FINE | {"feels_safe": False}
    )
    grievance = Grievance.objects.get()
    assert (grievance.category, grievance.severity) == (GrievanceCategory.ABUSE, Severity.HIGH)


@pytest.mark.parametrize(
    ("hours", "breach"),
    [(44, False), (45, True), (61, True)],
)
def test_hours_are_a_breach_above_the_promised_plus_ten_percent_or_sixty(hours, breach):
    check_in = due_check_in()
    answers = FINE | {"hours_per_week": hours}
    answered = check_in_answer(actor=worker_of(check_in.placement), check_in=check_in, **answers)
    assert (Breach.HOURS_ABOVE_PROMISED in answered.breaches) is breach
    if breach:
        assert Grievance.objects.get().severity == Severity.LOW


def test_pay_within_five_percent_is_not_a_breach():
    check_in = due_check_in()
    answers = FINE | {"pay_received": Decimal("22.33")}
    answered = check_in_answer(actor=worker_of(check_in.placement), check_in=check_in, **answers)
    assert answered.breaches == []


def test_housing_not_as_promised_is_a_low_housing_grievance():
    check_in = due_check_in()
    answers = FINE | {"housing_as_promised": False}
    check_in_answer(actor=worker_of(check_in.placement), check_in=check_in, **answers)
    grievance = Grievance.objects.get()
    assert (grievance.category, grievance.severity) == (GrievanceCategory.HOUSING, Severity.LOW)


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("hours_per_week", 113, "hours_out_of_range"),
        ("hours_per_week", -1, "hours_out_of_range"),
        ("pay_received", Decimal("-1"), "pay_negative"),
        ("pay_received", Decimal("2350"), "pay_implausible"),
        ("paid_as_promised", "maybe", "invalid_choice"),
        ("feels_safe", None, "required"),
    ],
)
def test_answers_out_of_range_are_refused(field, value, code):
    check_in = due_check_in()
    with pytest.raises(ValidationError) as refused:
        check_in_answer(
            actor=worker_of(check_in.placement), check_in=check_in, **FINE | {field: value}
        )
    assert refused.value.error_dict[field][0].code == code
    check_in.refresh_from_db()
    assert check_in.answered_at is None


def test_the_range_messages_are_bilingual():
    check_in = due_check_in()
    with pytest.raises(ValidationError) as refused:
        check_in_answer(
            actor=worker_of(check_in.placement), check_in=check_in, **FINE | {"hours_per_week": 200}
        )
    with translation.override("en"):
        assert refused.value.messages == ["Hours per week are between 0 and 112."]


def test_a_check_in_is_answered_once():
    check_in = due_check_in()
    worker = worker_of(check_in.placement)
    check_in_answer(actor=worker, check_in=check_in, **FINE)
    with pytest.raises(DomainError) as refused:
        check_in_answer(actor=worker, check_in=check_in, **FINE)
    assert refused.value.message == Rule.ALREADY_ANSWERED
    with translation.override("en"):
        assert str(refused.value).startswith("This check-in was already answered on ")


def test_a_check_in_opens_a_week_before_it_is_due():
    today = timezone.localdate()
    early = CheckInFactory(due_on=today + datetime.timedelta(days=8))
    worker = worker_of(early.placement)
    with pytest.raises(DomainError) as refused:
        check_in_answer(actor=worker, check_in=early, **FINE)
    assert refused.value.message == Rule.NOT_YET_DUE
    soon = CheckInFactory(
        placement=early.placement, sequence=2, due_on=today + datetime.timedelta(days=7)
    )
    assert check_in_answer(actor=worker, check_in=soon, **FINE).answered_at


def test_only_the_worker_or_an_officer_who_follows_the_placement_answers():
    check_in = due_check_in()
    worker_of(check_in.placement)
    someone_else = UserFactory(job_seeker=True)
    JobSeekerFactory(user=someone_else)
    french_embassy = UserFactory(embassy_officer=True)
    for outsider in (someone_else, french_embassy, UserFactory(role=Role.ANALYST)):
        with pytest.raises(DomainError):
            check_in_answer(actor=outsider, check_in=check_in, **FINE)
    # An officer of the embassy in Poland records an answer given on the phone.
    officer = UserFactory(role=Role.EMBASSY_OFFICER, organisation=polish_embassy())
    answered = check_in_answer(actor=officer, check_in=check_in, **FINE | {"feels_safe": False})
    assert Grievance.objects.get(check_in=answered).created_by == officer


def test_due_check_ins_are_the_unanswered_ones_from_a_week_ahead():
    placement = PlacementFactory()
    check_ins_schedule(placement)
    due = check_ins_due(job_seeker=placement.job_seeker, today=datetime.date(2026, 5, 10))
    assert [c.sequence for c in due] == [1, 2]


# Grievances ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("severity", "hours"),
    [(Severity.CRITICAL, 24), (Severity.HIGH, 72), (Severity.MEDIUM, 168), (Severity.LOW, 336)],
)
def test_the_answer_deadline_follows_the_severity(severity, hours):
    placement = PlacementFactory()
    worker = worker_of(placement)
    grievance = grievance_open(
        actor=worker,
        job_seeker=placement.job_seeker,
        placement=placement,
        source=GrievanceSource.PORTAL,
        category=GrievanceCategory.OTHER,
        severity=severity,
        description="…",
    )
    assert grievance.response_due_at - grievance.opened_at == datetime.timedelta(hours=hours)
    assert RESPONSE_TIME[severity] == datetime.timedelta(hours=hours)


def test_a_worker_raises_a_grievance_only_about_themself():
    placement = PlacementFactory()
    other = UserFactory(job_seeker=True)
    JobSeekerFactory(user=other)
    with pytest.raises(DomainError):
        grievance_open(
            actor=other,
            job_seeker=placement.job_seeker,
            placement=placement,
            source=GrievanceSource.PORTAL,
            category=GrievanceCategory.PAY,
            severity=Severity.MEDIUM,
            description="Not paid.",
        )


def test_an_embassy_raises_grievances_in_its_country_only():
    placement = PlacementFactory()
    french = UserFactory(embassy_officer=True)
    polish = UserFactory(role=Role.EMBASSY_OFFICER, organisation=polish_embassy())
    arguments = {
        "job_seeker": placement.job_seeker,
        "placement": placement,
        "source": GrievanceSource.EMBASSY,
        "category": GrievanceCategory.HOUSING,
        "severity": Severity.MEDIUM,
        "description": "Twelve people in one room.",
    }
    with pytest.raises(DomainError):
        grievance_open(actor=french, **arguments)
    assert grievance_open(actor=polish, **arguments).source == GrievanceSource.EMBASSY


def test_a_grievance_needs_a_description_and_known_choices():
    placement = PlacementFactory()
    with pytest.raises(ValidationError) as refused:
        grievance_open(
            actor=UserFactory(),
            job_seeker=placement.job_seeker,
            placement=placement,
            source=GrievanceSource.OFFICER,
            category="weather",
            severity=Severity.LOW,
            description=" ",
        )
    assert set(refused.value.error_dict) == {"category", "description"}


def test_handling_a_grievance_from_open_to_closed_is_logged():
    grievance = GrievanceFactory()
    officer = UserFactory()
    caseworker = UserFactory(role=Role.CASEWORKER)
    grievance_assign(actor=officer, grievance=grievance, assignee=caseworker)
    grievance_start(actor=caseworker, grievance=grievance)
    grievance_resolve(actor=caseworker, grievance=grievance, resolution="The employer paid.")
    grievance_close(actor=officer, grievance=grievance)
    grievance.refresh_from_db()
    assert grievance.status == GrievanceStatus.CLOSED
    assert grievance.assigned_to == caseworker
    assert grievance.resolution == "The employer paid."
    assert list(grievance.events.values_list("action", flat=True)) == [
        "assign",
        "start",
        "resolve",
        "close",
    ]
    assert AuditEvent.objects.filter(target_id=str(grievance.pk)).count() == 4


def test_an_illegal_move_names_the_current_status():
    grievance = GrievanceFactory()
    officer = UserFactory()
    grievance_resolve(actor=officer, grievance=grievance, resolution="Done.")
    with pytest.raises(DomainError) as refused:
        grievance_start(actor=officer, grievance=grievance)
    with translation.override("en"):
        assert str(refused.value) == (
            "The grievance is resolved: the action “start working on it” is not possible from here."
        )


def test_the_second_of_two_officers_starting_the_same_grievance_is_told_it_is_in_progress():
    grievance = GrievanceFactory()
    first, second = UserFactory(), UserFactory()
    stale = Grievance.objects.get(pk=grievance.pk)
    grievance_start(actor=first, grievance=grievance)
    with pytest.raises(DomainError) as refused:
        grievance_start(actor=second, grievance=stale)
    with translation.override("en"):
        assert "in progress" in str(refused.value)


def test_a_resolution_needs_its_text():
    with pytest.raises(ValidationError):
        grievance_resolve(actor=UserFactory(), grievance=GrievanceFactory(), resolution="  ")


def test_only_someone_who_handles_and_sees_the_grievance_is_assigned():
    grievance = GrievanceFactory()
    with pytest.raises(ValidationError):
        grievance_assign(
            actor=UserFactory(), grievance=grievance, assignee=UserFactory(embassy_officer=True)
        )
    polish = UserFactory(role=Role.EMBASSY_OFFICER, organisation=polish_embassy())
    assert polish in handlers_for(grievance)
    assert grievance_assign(actor=UserFactory(), grievance=grievance, assignee=polish).assigned_to


# Rating ----------------------------------------------------------------------------------------


def test_the_worker_rates_only_after_resolution():
    grievance = GrievanceFactory()
    worker = worker_of(grievance.placement)
    with pytest.raises(DomainError) as refused:
        grievance_rate(actor=worker, grievance=grievance, rating=4)
    assert refused.value.message == Rule.RATING_BEFORE_RESOLUTION
    grievance_resolve(actor=UserFactory(), grievance=grievance, resolution="Paid in full.")
    assert grievance_rate(actor=worker, grievance=grievance, rating=4).worker_rating == 4
    with pytest.raises(DomainError) as again:
        grievance_rate(actor=worker, grievance=grievance, rating=5)
    assert again.value.message == Rule.ALREADY_RATED


def test_only_the_worker_rates():
    grievance = GrievanceFactory()
    officer = UserFactory()
    grievance_resolve(actor=officer, grievance=grievance, resolution="Paid in full.")
    with pytest.raises(DomainError) as refused:
        grievance_rate(actor=officer, grievance=grievance, rating=5)
    assert refused.value.message == DomainError.NOT_PERMITTED


@pytest.mark.parametrize("rating", [0, 6, "5", True])
def test_a_rating_is_a_whole_number_from_one_to_five(rating):
    grievance = GrievanceFactory()
    worker = worker_of(grievance.placement)
    grievance_resolve(actor=UserFactory(), grievance=grievance, resolution="Done.")
    with pytest.raises(ValidationError):
        grievance_rate(actor=worker, grievance=grievance, rating=rating)


# Escalation ------------------------------------------------------------------------------------


def _pay_breach_grievance():
    """The issue's story: 3 EUR against 9.50 promised, through a German agency."""
    embassy = OrganisationFactory(
        kind=OrganisationKind.EMBASSY, country_id="DE", name_en="Embassy of Georgia in Germany"
    )
    agency = AgencyFactory(with_organisation=True)
    placement = PlacementFactory(in_germany=True)
    vacancy = placement.application.vacancy
    vacancy.agency = agency
    vacancy.save()
    check_in = due_check_in(placement=placement)
    answers = FINE | {"paid_as_promised": PaidAsPromised.NO, "pay_received": Decimal("3")}
    check_in_answer(actor=worker_of(placement), check_in=check_in, **answers)
    return Grievance.objects.get(), embassy, agency.organisation


def test_a_grievance_past_its_deadline_is_escalated_to_the_embassy_and_the_agency():
    grievance, embassy, agency = _pay_breach_grievance()
    before = grievance.response_due_at - datetime.timedelta(minutes=1)
    assert grievances_escalate_overdue(now=before) == 0

    after = grievance.response_due_at + datetime.timedelta(minutes=1)
    assert grievances_escalate_overdue(now=after) == 1
    grievance.refresh_from_db()
    assert grievance.status == GrievanceStatus.ESCALATED
    assert grievance.escalated_at == after
    assert set(grievance.escalated_to.all()) == {embassy, agency}
    event = grievance.events.last()
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        "escalate",
        GrievanceStatus.OPEN,
        GrievanceStatus.ESCALATED,
        None,
    )
    assert AuditEvent.objects.filter(
        target_id=str(grievance.pk), payload__action="escalate"
    ).exists()


def test_a_grievance_is_escalated_once():
    grievance, _embassy, _agency = _pay_breach_grievance()
    later = grievance.response_due_at + datetime.timedelta(hours=1)
    assert grievances_escalate_overdue(now=later) == 1
    assert grievances_escalate_overdue(now=later + datetime.timedelta(days=3)) == 0
    assert GrievanceEvent.objects.filter(action="escalate").count() == 1


def test_resolved_and_in_time_grievances_are_not_escalated():
    now = timezone.now()
    late = GrievanceFactory(opened_at=now - datetime.timedelta(days=10), severity=Severity.MEDIUM)
    grievance_resolve(actor=UserFactory(), grievance=late, resolution="Answered.")
    GrievanceFactory(opened_at=now - datetime.timedelta(days=1))
    in_progress = GrievanceFactory(opened_at=now - datetime.timedelta(days=8))
    grievance_start(actor=UserFactory(), grievance=in_progress)
    assert grievances_escalate_overdue(now=now) == 1
    in_progress.refresh_from_db()
    assert in_progress.status == GrievanceStatus.ESCALATED


def test_an_officer_escalates_before_the_deadline():
    grievance = GrievanceFactory()
    polish = polish_embassy()
    escalated = grievance_escalate(actor=UserFactory(), grievance=grievance, note="Urgent.")
    assert escalated.status == GrievanceStatus.ESCALATED
    assert list(escalated.escalated_to.all()) == [polish]


def test_the_command_and_the_task_escalate_overdue_grievances():
    now = timezone.now()
    GrievanceFactory(opened_at=now - datetime.timedelta(days=8))
    GrievanceFactory(opened_at=now - datetime.timedelta(days=9))
    out = StringIO()
    call_command("escalate_grievances", stdout=out)
    assert out.getvalue().strip() == "2 grievances escalated"
    GrievanceFactory(opened_at=now - datetime.timedelta(days=8))
    assert escalate_grievances_task.call() == 1


# Scoping ---------------------------------------------------------------------------------------


def test_each_role_sees_the_grievances_of_its_remit():
    in_poland = GrievanceFactory()
    in_germany = GrievanceFactory(placement=PlacementFactory(in_germany=True))
    iom = UserFactory(iom_caseworker=True)
    theirs = GrievanceFactory(
        placement=PlacementFactory(
            application__job_seeker=JobSeekerFactory(registered_by_organisation=iom.organisation)
        )
    )
    worker = worker_of(in_poland.placement)
    polish = UserFactory(role=Role.EMBASSY_OFFICER, organisation=polish_embassy())

    assert set(grievances_visible_to(UserFactory())) == {in_poland, in_germany, theirs}
    assert set(grievances_visible_to(UserFactory(role=Role.CASEWORKER))) == {
        in_poland,
        in_germany,
        theirs,
    }
    assert set(grievances_visible_to(polish)) == {in_poland, theirs}
    assert set(grievances_visible_to(iom)) == {theirs}
    assert set(grievances_visible_to(worker)) == {in_poland}
    assert not grievances_visible_to(UserFactory(role=Role.ANALYST)).exists()
    assert not grievances_visible_to(UserFactory(role=Role.EMPLOYER)).exists()
    assert set(check_ins_visible_to(worker)) == set()
    check_ins_schedule(in_poland.placement)
    assert check_ins_visible_to(worker).count() == 6
    assert not check_ins_visible_to(UserFactory(embassy_officer=True)).exists()


def test_an_officer_outside_the_remit_may_not_act_on_a_grievance():
    grievance = GrievanceFactory()
    with pytest.raises(DomainError):
        grievance_start(actor=UserFactory(embassy_officer=True), grievance=grievance)
    with pytest.raises(DomainError):
        grievance_start(actor=worker_of(grievance.placement), grievance=grievance)


# The board -------------------------------------------------------------------------------------


def test_the_board_sorts_open_grievances_by_deadline_and_age():
    now = at_noon(datetime.date(2026, 6, 1))
    overdue = GrievanceFactory(opened_at=now - datetime.timedelta(days=8))
    today = GrievanceFactory(
        opened_at=now - datetime.timedelta(days=2),
        response_due_at=now + datetime.timedelta(minutes=1),
    )
    later = GrievanceFactory(opened_at=now)
    done = GrievanceFactory()
    grievance_resolve(actor=UserFactory(), grievance=done, resolution="Done.")
    officer = UserFactory()
    by_deadline = board_columns(open_grievances(officer), by="deadline", now=now)
    assert [(c.key, c.grievances) for c in by_deadline] == [
        ("overdue", [overdue]),
        ("due_today", [today]),
        ("later", [later]),
    ]
    by_age = {
        c.key: c.grievances for c in board_columns(open_grievances(officer), by="age", now=now)
    }
    assert by_age["under_1"] == [later]
    assert by_age["1_3"] == [today]
    assert by_age["7_14"] == [overdue]

    counts = board_counts(officer, now=now)
    assert counts["total"] == 3
    assert counts["by_deadline"] == {"overdue": 1, "due_today": 1, "later": 1}
    assert counts["by_severity"][Severity.MEDIUM] == 3
