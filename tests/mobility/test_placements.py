import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from gza.core.enums import AuditVerb, OrganisationKind, Role
from gza.core.errors import DomainError
from gza.core.models import AuditEvent
from gza.mobility.enums import ChecklistItem, PlacementStatus
from gza.mobility.models import Placement
from gza.mobility.services import (
    Refusal,
    placement_create,
    placement_move,
    placement_quota_warnings,
)
from gza.partners.enums import AgreementStatus
from gza.partners.models import AgreementQuota
from gza.recruitment.enums import Stage
from gza.recruitment.models import ApplicationEvent
from gza.registry.models import JobSeeker
from tests.core.factories import OrganisationFactory, UserFactory
from tests.demand.factories import VacancyFactory
from tests.mobility.factories import DepartingApplicationFactory
from tests.mobility.protection_factories import PlacementFactory
from tests.partners.factories import AgreementFactory, PartnerCountryFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def _messages(error) -> list[str]:
    with translation.override("en"):
        if isinstance(error, ValidationError):
            return [str(message) for message in error.messages]
        return [str(error)]


def _terms(**changes) -> dict:
    terms = {
        "departure_date": TODAY - datetime.timedelta(days=2),
        "contract_start": TODAY,
        "contract_end": TODAY + datetime.timedelta(days=180),
        "pay_amount": Decimal("23.50"),
        "pay_currency": "pln",
        "pay_period": "hour",
        "hours_per_week": 40,
        "housing_provided": True,
        "housing_cost": Decimal("400"),
        "deductions": "Transport to the farm, 50 PLN a month",
    }
    return terms | changes


def _create(application, actor=None, **changes) -> Placement:
    return placement_create(
        actor=actor or UserFactory(), application=application, **_terms(**changes)
    )


def test_a_departure_creates_the_placement_with_the_promised_terms_and_moves_the_application():
    application = DepartingApplicationFactory(ready=True)
    officer = UserFactory()
    placement = _create(application, officer, city="")
    vacancy = application.vacancy
    assert placement.job_seeker == application.job_seeker
    assert (placement.employer, placement.country_id, placement.occupation_id) == (
        vacancy.employer,
        "PL",
        "9211",
    )
    assert placement.city == "Grójec"  # the vacancy's, when none is given
    assert (placement.pay_amount, placement.pay_currency, placement.pay_period) == (
        Decimal("23.50"),
        "PLN",
        "hour",
    )
    assert placement.status == PlacementStatus.ACTIVE
    assert placement.status_since == TODAY - datetime.timedelta(days=2)
    assert [(e.from_status, e.to_status) for e in placement.events.all()] == [("", "active")]
    application.refresh_from_db()
    assert application.stage == Stage.DEPARTED
    assert ApplicationEvent.objects.filter(application=application, transition="depart").exists()
    # The protection domain's schedule: two weeks after the start, then monthly.
    due = list(placement.check_ins.values_list("due_on", flat=True))
    assert due[0] == TODAY + datetime.timedelta(days=14) and len(due) == 6
    assert AuditEvent.objects.filter(
        verb=AuditVerb.CREATED, target_id=str(placement.pk), actor=officer
    ).exists()
    assert JobSeeker.objects.currently_placed().filter(pk=application.job_seeker_id).exists()
    assert list(JobSeeker.objects.placed_in("PL")) == [application.job_seeker]
    assert not JobSeeker.objects.placed_in("FR").exists()


def test_a_contract_starting_before_departure_or_ending_before_it_starts_is_refused():
    application = DepartingApplicationFactory(ready=True)
    with pytest.raises(ValidationError) as early:
        _create(application, contract_start=TODAY - datetime.timedelta(days=3))
    assert early.value.message_dict.keys() == {"contract_start"}
    assert _messages(early.value)[0].startswith("The contract cannot start (")
    with pytest.raises(ValidationError) as backwards:
        _create(application, contract_end=TODAY)
    assert backwards.value.message_dict.keys() == {"contract_end"}
    assert not Placement.objects.exists()
    application.refresh_from_db()
    assert application.stage == Stage.VISA_GRANTED


def test_no_placement_before_the_visa_is_granted_or_with_the_checklist_unfinished():
    with pytest.raises(ValidationError) as stage:
        _create(DepartingApplicationFactory(pre_departure=True, ready=True))
    assert _messages(stage.value) == [
        "The application is at the stage “pre-departure”: a placement is created once the visa "
        "or work permit is granted."
    ]
    application = DepartingApplicationFactory(ready=True)
    application.checklist.filter(item__in=[ChecklistItem.MEDICAL, ChecklistItem.INSURANCE]).delete()
    with pytest.raises(ValidationError) as unfinished:
        _create(application)
    assert _messages(unfinished.value) == [
        "The pre-departure checklist is not complete: medical check; insurance."
    ]


def test_a_second_placement_for_one_application_is_refused():
    application = DepartingApplicationFactory(ready=True)
    _create(application)
    with pytest.raises(DomainError) as again:
        _create(application)
    assert again.value.message == Refusal.ALREADY_PLACED


def test_a_housing_cost_without_housing_is_refused():
    with pytest.raises(ValidationError) as refused:
        _create(DepartingApplicationFactory(ready=True), housing_provided=False)
    assert refused.value.message_dict.keys() == {"housing_cost"}


@pytest.mark.parametrize(
    "actor",
    [lambda: UserFactory(role=Role.ANALYST), lambda: UserFactory(iom_caseworker=True)],
)
def test_placements_outside_the_actors_right_or_scope_are_refused(actor):
    with pytest.raises(DomainError):
        _create(DepartingApplicationFactory(ready=True), actor())


# The quota --------------------------------------------------------------------------------------


@pytest.fixture
def pilot():
    """A Polish pilot in force with 10 places for fruit pickers this year."""
    agreement = AgreementFactory(
        partner=PartnerCountryFactory(country_id="PL"), status=AgreementStatus.IN_FORCE
    )
    AgreementQuota.objects.create(
        agreement=agreement, year=TODAY.year, occupation_id="9211", places=10
    )
    return agreement


def _under(pilot, count: int) -> None:
    for _ in range(count):
        PlacementFactory(
            agreement=pilot,
            contract_start=TODAY,
            contract_end=TODAY.replace(year=TODAY.year + 1),
            departure_date=TODAY,
        )


def test_placements_count_against_the_agreement_quota_with_a_warning_near_the_limit(pilot):
    _under(pilot, 7)
    # Not counted: another year's placement, another agreement's.
    PlacementFactory(
        agreement=pilot,
        departure_date=TODAY.replace(year=TODAY.year - 1),
        contract_start=TODAY.replace(year=TODAY.year - 1),
    )
    PlacementFactory(
        contract_start=TODAY, departure_date=TODAY, contract_end=TODAY + datetime.timedelta(days=90)
    )
    assert pilot.quota_used(year=TODAY.year) == 7
    assert pilot.quota_used(year=TODAY.year, occupation_id="9211") == 7
    assert pilot.quota_used(year=TODAY.year, occupation_id="6121") == 0
    vacancy = VacancyFactory(agreement=pilot)
    eighth = _create(DepartingApplicationFactory(vacancy=vacancy, ready=True))
    assert placement_quota_warnings(eighth) == []
    ninth = _create(DepartingApplicationFactory(vacancy=vacancy, ready=True))
    quota = pilot.quotas.get()
    with translation.override("en"):
        assert placement_quota_warnings(ninth) == [
            f"The {TODAY.year} quota for {quota.occupation} is nearly used: 9 of 10 places."
        ]
    assert (quota.used, quota.near_limit) == (9, True)


def test_a_placement_over_the_quota_is_refused(pilot):
    _under(pilot, 10)
    application = DepartingApplicationFactory(vacancy=VacancyFactory(agreement=pilot), ready=True)
    with pytest.raises(ValidationError) as refused:
        _create(application)
    assert _messages(refused.value)[0].endswith(
        "is used up: 10 of 10 places. The placement is not created."
    )
    application.refresh_from_db()
    assert application.stage == Stage.VISA_GRANTED


def test_the_agreement_page_shows_use_against_places_and_warns_near_the_limit(client, pilot):
    _under(pilot, 9)
    client.force_login(UserFactory())
    html = client.get(f"/en/workspace/agreements/{pilot.pk}/").content.decode()
    assert "9 / 10" in html and "near the limit" in html


# Status moves -----------------------------------------------------------------------------------


def test_a_placement_moves_through_its_statuses_with_a_log_and_an_audit():
    placement = PlacementFactory()
    officer = UserFactory()
    with pytest.raises(ValidationError) as no_reason:
        placement_move(actor=officer, placement=placement, transition="transfer", occurred_on=TODAY)
    assert no_reason.value.message_dict.keys() == {"reason"}
    placement_move(
        actor=officer,
        placement=placement,
        transition="transfer",
        occurred_on=TODAY,
        reason="The farm closed; moved to a neighbour with the same terms.",
    )
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.TRANSFERRED
    # Still abroad, for the next employer.
    assert JobSeeker.objects.currently_placed().filter(pk=placement.job_seeker_id).exists()
    placement_move(actor=officer, placement=placement, transition="complete", occurred_on=TODAY)
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.COMPLETED
    assert [(e.from_status, e.to_status) for e in placement.events.all()] == [
        ("active", "transferred"),
        ("transferred", "completed"),
    ]
    assert not JobSeeker.objects.currently_placed().filter(pk=placement.job_seeker_id).exists()
    assert (
        AuditEvent.objects.filter(target_id=str(placement.pk), verb=AuditVerb.UPDATED).count() == 2
    )


def test_an_illegal_move_names_the_current_status():
    placement = PlacementFactory(status=PlacementStatus.COMPLETED)
    with pytest.raises(DomainError) as refused:
        placement_move(
            actor=UserFactory(),
            placement=placement,
            transition="transfer",
            occurred_on=TODAY,
            reason="x",
        )
    assert _messages(refused.value) == [
        "The placement is completed: the change “transferred to another employer” is not "
        "possible from here."
    ]


def test_a_move_dated_before_departure_or_in_the_future_is_refused():
    placement = PlacementFactory()
    for day in [
        placement.departure_date - datetime.timedelta(days=1),
        TODAY + datetime.timedelta(days=1),
    ]:
        with pytest.raises(ValidationError) as refused:
            placement_move(
                actor=UserFactory(), placement=placement, transition="complete", occurred_on=day
            )
        assert refused.value.message_dict.keys() == {"occurred_on"}


def test_the_embassy_of_the_placements_country_moves_it_and_others_do_not_see_it():
    placement = PlacementFactory()
    warsaw = UserFactory(
        role=Role.EMBASSY_OFFICER,
        organisation=OrganisationFactory(kind=OrganisationKind.EMBASSY, country_id="PL"),
    )
    placement_move(
        actor=warsaw,
        placement=placement,
        transition="overstay",
        occurred_on=TODAY,
        reason="Visa expired.",
    )
    assert Placement.objects.visible_to(warsaw).count() == 1
    assert JobSeeker.objects.visible_to(warsaw).filter(pk=placement.job_seeker_id).exists()
    paris = UserFactory(embassy_officer=True)
    assert not Placement.objects.visible_to(paris).exists()
    assert not JobSeeker.objects.visible_to(paris).exists()
    with pytest.raises(DomainError):
        placement_move(actor=paris, placement=placement, transition="complete", occurred_on=TODAY)
