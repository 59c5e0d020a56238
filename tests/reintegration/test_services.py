"""Reintegration cases: opening with the follow-ups scheduled, the assessment, the plan, the
follow-ups and their sustainability score, closure rules, and who sees which case."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from gza.core.enums import AuditVerb, Role
from gza.core.errors import DomainError
from gza.core.models import AuditEvent
from gza.registry.enums import RecordStatus
from gza.reintegration.enums import (
    AssistanceKind,
    AssistanceStatus,
    CaseStatus,
    ClosureReason,
    Vulnerability,
)
from gza.reintegration.models import ReintegrationCase
from gza.reintegration.services import (
    CaseRefusal,
    add_months,
    assessment_record,
    assistance_add,
    assistance_status_set,
    case_close,
    case_open,
    follow_up_record,
    returnee_find,
    sustainability_trend,
)
from gza.taxonomy.models import Country
from tests.core.factories import OrganisationFactory, UserFactory
from tests.mobility.protection_factories import PlacementFactory
from tests.registry.factories import JobSeekerFactory
from tests.reintegration.factories import AssistanceItemFactory, ReintegrationCaseFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def codes(error: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}


@pytest.fixture
def iom_caseworker():
    return UserFactory(iom_caseworker=True)


@pytest.fixture
def officer():
    return UserFactory(role=Role.MINISTRY_OFFICER)


def _open(actor, **overrides) -> ReintegrationCase:
    arguments = {
        "actor": actor,
        "job_seeker": JobSeekerFactory(registered_by_organisation=actor.organisation),
        "returned_from": Country.objects.get(pk="PL"),
        "returned_on": datetime.date(2025, 8, 31),
        "organisation": actor.organisation,
    }
    return case_open(**(arguments | overrides))


# Opening ---------------------------------------------------------------------------------------


def test_opening_a_case_tells_the_person_when_the_first_follow_up_is(iom_caseworker):
    from gza.registry.notifications import Notification, NotificationKind

    case = _open(iom_caseworker)
    told = Notification.objects.get(job_seeker=case.job_seeker)
    assert told.kind == NotificationKind.FOLLOW_UP_DUE
    assert told.context["date"] == "2025-11-30"


def test_opening_a_case_schedules_follow_ups_at_3_6_and_12_months(iom_caseworker):
    case = _open(iom_caseworker)
    assert (case.status, case.opened_on, case.caseworker) == (
        CaseStatus.OPEN,
        TODAY,
        iom_caseworker,
    )
    # 31 August + 3 months is the last day of November, + 6 the last day of February.
    assert list(case.follow_ups.values_list("month", "due_on", "done_on")) == [
        (3, datetime.date(2025, 11, 30), None),
        (6, datetime.date(2026, 2, 28), None),
        (12, datetime.date(2026, 8, 31), None),
    ]
    event = AuditEvent.objects.get(target_id=str(case.pk), verb=AuditVerb.CREATED)
    assert event.actor == iom_caseworker and event.payload["returned_from"] == "PL"


def test_a_person_has_one_open_case_at_a_time(iom_caseworker):
    case = _open(iom_caseworker)
    with pytest.raises(DomainError) as refused:
        _open(iom_caseworker, job_seeker=case.job_seeker)
    assert refused.value.message == CaseRefusal.ALREADY_OPEN
    assert str(TODAY) in str(refused.value)


def test_an_ngo_caseworker_opens_cases_only_for_their_own_organisation(iom_caseworker, officer):
    other_ngo = OrganisationFactory(iom_office=True)
    with pytest.raises(DomainError) as refused:
        _open(iom_caseworker, organisation=other_ngo)
    assert refused.value.message == CaseRefusal.OTHER_ORGANISATION
    # The ministry refers a returnee to any assisting organisation.
    case = _open(officer, organisation=other_ngo)
    assert case.organisation == other_ngo and case.caseworker is None


def test_a_case_is_opened_only_with_a_right_and_an_assisting_organisation():
    embassy = UserFactory(embassy_officer=True)
    with pytest.raises(DomainError):
        _open(embassy)
    officer = UserFactory(role=Role.MINISTRY_OFFICER)
    employer = OrganisationFactory(kind="foreign_employer", country_id="PL")
    with pytest.raises(ValidationError) as refused:
        _open(officer, organisation=employer)
    assert codes(refused.value) == {"organisation": ["not_assisting"]}


def test_a_return_is_from_abroad_and_not_in_the_future(iom_caseworker):
    with pytest.raises(ValidationError) as refused:
        _open(
            iom_caseworker,
            returned_from=Country.objects.get(pk="GE"),
            returned_on=TODAY + datetime.timedelta(days=1),
        )
    assert codes(refused.value) == {"returned_from": ["from_georgia"], "returned_on": ["future"]}
    assert not ReintegrationCase.objects.exists()


def test_a_merged_record_gets_no_case(officer):
    survivor = JobSeekerFactory()
    merged = JobSeekerFactory(status=RecordStatus.MERGED, merged_into=survivor)
    with pytest.raises(ValidationError):
        _open(officer, job_seeker=merged)


# Finding the returnee --------------------------------------------------------------------------


def test_the_returnee_is_found_by_registration_number(iom_caseworker):
    own = JobSeekerFactory(registered_by_organisation=iom_caseworker.organisation)
    assert returnee_find(actor=iom_caseworker, registration_number=own.registration_number) == own
    with pytest.raises(ValidationError) as refused:
        returnee_find(actor=iom_caseworker, registration_number="1234")
    assert codes(refused.value) == {"registration_number": ["invalid"]}
    merged = JobSeekerFactory(status=RecordStatus.MERGED, merged_into=own)
    with pytest.raises(ValidationError) as refused:
        returnee_find(actor=iom_caseworker, registration_number=merged.registration_number)
    assert codes(refused.value) == {"registration_number": ["not_registered"]}


def test_someone_registered_elsewhere_needs_the_personal_number_too(iom_caseworker):
    person = JobSeekerFactory()  # registered by the employment agency, outside the NGO's scope
    number = person.registration_number
    with pytest.raises(ValidationError) as refused:
        returnee_find(actor=iom_caseworker, registration_number=number)
    assert codes(refused.value) == {"personal_number": ["required"]}
    with pytest.raises(ValidationError) as refused:
        returnee_find(
            actor=iom_caseworker, registration_number=number, personal_number="01024012345"
        )
    assert codes(refused.value) == {"personal_number": ["mismatch"]}
    found = returnee_find(
        actor=iom_caseworker, registration_number=number, personal_number=person.personal_number
    )
    assert found == person


def test_only_those_who_manage_reintegration_may_look_a_returnee_up():
    person = JobSeekerFactory()
    with pytest.raises(DomainError):
        returnee_find(
            actor=UserFactory(role=Role.ANALYST), registration_number=person.registration_number
        )


# Assessment ------------------------------------------------------------------------------------


def test_needs_are_assessed_on_a_scale_of_0_to_3(iom_caseworker):
    case = ReintegrationCaseFactory(organisation=iom_caseworker.organisation)
    assessment = assessment_record(
        actor=iom_caseworker,
        case=case,
        economic=3,
        social=1,
        psychosocial=2,
        medical=0,
        vulnerability=Vulnerability.HIGH,
        notes="  Owes the recruiter 4,000 GEL. ",
    )
    assert (assessment.vulnerability, assessment.notes) == ("high", "Owes the recruiter 4,000 GEL.")
    event = AuditEvent.objects.get(target_id=str(assessment.pk))
    assert "notes" not in event.payload and event.payload["needs"] == [3, 1, 2, 0]
    with pytest.raises(ValidationError) as refused:
        assessment_record(
            actor=iom_caseworker,
            case=case,
            economic=4,
            social=1,
            psychosocial=1,
            medical=1,
            vulnerability="extreme",
        )
    assert set(codes(refused.value)) == {"economic", "vulnerability"}


# The plan --------------------------------------------------------------------------------------


def test_a_plan_line_needs_a_non_negative_amount_with_its_currency(iom_caseworker):
    case = ReintegrationCaseFactory(organisation=iom_caseworker.organisation)
    line = assistance_add(
        actor=iom_caseworker,
        case=case,
        kind=AssistanceKind.BUSINESS_GRANT,
        provider="IOM Georgia",
        amount=Decimal("3000"),
        currency="gel",
    )
    assert (line.status, line.currency) == (AssistanceStatus.PLANNED, "GEL")
    counselling = assistance_add(
        actor=iom_caseworker, case=case, kind=AssistanceKind.COUNSELLING, provider="Tanadgoma"
    )
    assert counselling.amount is None
    for amount, currency, expected in [
        (Decimal("-1"), "GEL", {"amount": ["negative"]}),
        (Decimal("10"), "", {"currency": ["required"]}),
        (None, "EUR", {"amount": ["currency_only"]}),
        (Decimal("10"), "E1R", {"currency": ["invalid"]}),
    ]:
        with pytest.raises(ValidationError) as refused:
            assistance_add(
                actor=iom_caseworker,
                case=case,
                kind=AssistanceKind.TRAINING,
                provider="VET college",
                amount=amount,
                currency=currency,
            )
        assert codes(refused.value) == expected
    assert case.plan.count() == 2


def test_a_plan_line_moves_forward_and_a_delivered_line_stays_delivered(iom_caseworker):
    line = AssistanceItemFactory(case__organisation=iom_caseworker.organisation)
    line = assistance_status_set(
        actor=iom_caseworker, item=line, status=AssistanceStatus.IN_PROGRESS
    )
    line = assistance_status_set(actor=iom_caseworker, item=line, status=AssistanceStatus.DELIVERED)
    assert line.status == AssistanceStatus.DELIVERED
    with pytest.raises(DomainError) as refused:
        assistance_status_set(actor=iom_caseworker, item=line, status=AssistanceStatus.CANCELLED)
    assert refused.value.message == CaseRefusal.ASSISTANCE_MOVE
    with translation.override("en"):
        assert "delivered" in str(refused.value)


# Follow-ups ------------------------------------------------------------------------------------


def test_follow_up_scores_outside_0_to_100_are_refused(iom_caseworker):
    case = ReintegrationCaseFactory(organisation=iom_caseworker.organisation)
    follow_up = case.follow_ups.get(month=3)
    with pytest.raises(ValidationError) as refused:
        follow_up_record(
            actor=iom_caseworker, follow_up=follow_up, economic=101, social=-1, psychosocial=None
        )
    assert codes(refused.value) == {
        "economic": ["out_of_range"],
        "social": ["out_of_range"],
        "psychosocial": ["required"],
    }
    follow_up.refresh_from_db()
    assert follow_up.done_on is None


def test_a_follow_up_may_be_done_from_two_weeks_before_it_is_due(iom_caseworker):
    case = ReintegrationCaseFactory(organisation=iom_caseworker.organisation, just_back=True)
    follow_up = case.follow_ups.get(month=3)
    with pytest.raises(ValidationError) as refused:
        follow_up_record(
            actor=iom_caseworker, follow_up=follow_up, economic=50, social=50, psychosocial=50
        )
    assert codes(refused.value) == {"done_on": ["too_early"]}
    back = ReintegrationCaseFactory(
        organisation=iom_caseworker.organisation,
        returned_on=add_months(TODAY, -3) + datetime.timedelta(days=14),
    )
    done = follow_up_record(
        actor=iom_caseworker,
        follow_up=back.follow_ups.get(month=3),
        economic=40,
        social=70,
        psychosocial=61,
    )
    assert (done.done_on, done.sustainability) == (TODAY, 57.0)


def test_a_follow_up_is_recorded_once_and_the_trend_shows_the_change(iom_caseworker):
    case = ReintegrationCaseFactory(organisation=iom_caseworker.organisation, back_a_year=True)
    three, _six, twelve = case.follow_ups.order_by("month")
    follow_up_record(actor=iom_caseworker, follow_up=three, economic=30, social=40, psychosocial=50)
    with pytest.raises(DomainError) as refused:
        # A second officer with the page still open records the same follow-up.
        follow_up_record(
            actor=iom_caseworker, follow_up=three, economic=90, social=90, psychosocial=90
        )
    assert refused.value.message == CaseRefusal.FOLLOW_UP_DONE
    follow_up_record(
        actor=iom_caseworker,
        follow_up=twelve,
        economic=70,
        social=60,
        psychosocial=65,
        done_on=twelve.due_on,
    )
    trend = sustainability_trend(list(case.follow_ups.all()))
    assert [(p.month, p.score, p.change) for p in trend] == [
        (3, 40.0, None),
        (6, None, None),
        (12, 65.0, 25.0),
    ]


# Closure ---------------------------------------------------------------------------------------


def test_a_due_follow_up_not_done_blocks_closure_unless_contact_was_lost(iom_caseworker):
    case = ReintegrationCaseFactory(organisation=iom_caseworker.organisation)
    with pytest.raises(ValidationError) as refused:
        case_close(actor=iom_caseworker, case=case, reason=ClosureReason.LEFT_AGAIN)
    assert codes(refused.value) == {"reason": ["follow_up_pending"]}
    closed = case_close(actor=iom_caseworker, case=case, reason=ClosureReason.LOST_CONTACT)
    assert (closed.status, closed.closed_on, closed.closure_reason) == (
        CaseStatus.CLOSED,
        TODAY,
        ClosureReason.LOST_CONTACT,
    )


def test_sustainable_needs_the_12_month_follow_up_done(iom_caseworker):
    case = ReintegrationCaseFactory(organisation=iom_caseworker.organisation, back_a_year=True)
    for follow_up in case.follow_ups.filter(month__in=[3, 6]):
        follow_up_record(
            actor=iom_caseworker,
            follow_up=follow_up,
            economic=60,
            social=60,
            psychosocial=60,
            done_on=follow_up.due_on,
        )
    case.follow_ups.filter(month=12).update(due_on=TODAY + datetime.timedelta(days=10))
    with pytest.raises(ValidationError) as refused:
        case_close(actor=iom_caseworker, case=case, reason=ClosureReason.SUSTAINABLE)
    assert codes(refused.value) == {"reason": ["too_soon"]}
    twelve = case.follow_ups.get(month=12)
    follow_up_record(
        actor=iom_caseworker,
        follow_up=twelve,
        economic=80,
        social=70,
        psychosocial=75,
        done_on=TODAY,
    )
    closed = case_close(actor=iom_caseworker, case=case, reason=ClosureReason.SUSTAINABLE)
    assert closed.closure_reason == ClosureReason.SUSTAINABLE


def test_a_closed_case_no_longer_changes(iom_caseworker):
    case = ReintegrationCaseFactory(organisation=iom_caseworker.organisation)
    stale = ReintegrationCase.objects.get(pk=case.pk)
    case_close(actor=iom_caseworker, case=case, reason=ClosureReason.DECLINED)
    for attempt in [
        lambda: case_close(actor=iom_caseworker, case=stale, reason=ClosureReason.LOST_CONTACT),
        lambda: assistance_add(
            actor=iom_caseworker, case=stale, kind=AssistanceKind.HOUSING, provider="City hall"
        ),
        lambda: follow_up_record(
            actor=iom_caseworker,
            follow_up=stale.follow_ups.get(month=3),
            economic=1,
            social=1,
            psychosocial=1,
        ),
    ]:
        with pytest.raises(DomainError) as refused:
            attempt()
        assert refused.value.message == CaseRefusal.CLOSED


# Scoping ---------------------------------------------------------------------------------------


def test_each_user_sees_the_cases_their_work_needs(iom_caseworker):
    own = ReintegrationCaseFactory(organisation=iom_caseworker.organisation)
    other = ReintegrationCaseFactory()
    person = UserFactory(job_seeker=True)
    mine = ReintegrationCaseFactory(job_seeker=JobSeekerFactory(user=person))

    def visible(user) -> set[int]:
        return set(ReintegrationCase.objects.visible_to(user).values_list("pk", flat=True))

    assert visible(iom_caseworker) == {own.pk}
    assert visible(UserFactory(role=Role.CASEWORKER)) == {own.pk, other.pk, mine.pk}
    assert visible(UserFactory(role=Role.MINISTRY_OFFICER)) == {own.pk, other.pk, mine.pk}
    assert visible(person) == {mine.pk}
    assert visible(UserFactory(embassy_officer=True)) == set()
    assert visible(UserFactory(role=Role.ANALYST)) == set()


def test_an_ngo_caseworker_cannot_change_another_organisations_case(iom_caseworker):
    other = ReintegrationCaseFactory()
    with pytest.raises(DomainError) as refused:
        assistance_add(
            actor=iom_caseworker, case=other, kind=AssistanceKind.TRAINING, provider="VET"
        )
    assert refused.value.message == DomainError.NOT_PERMITTED


def test_overdue_follow_ups_are_found_on_open_cases():
    overdue = ReintegrationCaseFactory()
    ReintegrationCaseFactory(just_back=True)
    assert list(ReintegrationCase.objects.with_overdue_follow_ups()) == [overdue]


@given(
    day=st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2100, 1, 1)),
    months=st.sampled_from([3, 6, 12]),
)
def test_a_follow_up_falls_in_the_right_month_and_never_past_the_day(day, months):
    due = add_months(day, months)
    assert (due.year * 12 + due.month) - (day.year * 12 + day.month) == months
    assert due.day <= day.day


def test_a_placement_must_be_the_persons_and_the_return_from_its_country(officer):
    placement = PlacementFactory()
    with pytest.raises(ValidationError) as refused:
        _open(officer, placement=placement)
    assert codes(refused.value) == {"placement": ["other_person"]}
    with pytest.raises(ValidationError) as refused:
        _open(
            officer,
            job_seeker=placement.job_seeker,
            placement=placement,
            returned_from=Country.objects.get(pk="DE"),
        )
    assert codes(refused.value) == {"returned_from": ["placement_country"]}
    case = _open(
        officer,
        job_seeker=placement.job_seeker,
        placement=placement,
        returned_from=placement.country,
    )
    assert case.placement == placement
