import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from gza.core.enums import AuditVerb
from gza.core.errors import DomainError
from gza.core.models import AuditEvent
from gza.mobility.enums import PlacementStatus, ReturnKind
from gza.mobility.services import Refusal, return_record
from gza.registry.models import JobSeeker, WorkExperience
from gza.reintegration.models import ReintegrationCase
from tests.core.factories import OrganisationFactory, UserFactory
from tests.mobility.protection_factories import PlacementFactory

pytestmark = pytest.mark.django_db

# The factory's placement: 1 April to 30 September 2026, in Poland.
ENDED = datetime.date(2026, 9, 30)


def test_a_planned_return_completes_the_placement_and_adds_the_job_abroad_to_the_profile():
    placement = PlacementFactory()
    person = placement.job_seeker
    officer = UserFactory()
    homecoming = return_record(
        actor=officer,
        placement=placement,
        kind=ReturnKind.PLANNED,
        returned_on=datetime.date(2026, 10, 2),
    )
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.COMPLETED
    assert placement.status_since == datetime.date(2026, 10, 2)
    assert placement.homecoming == homecoming and not homecoming.referred_to_reintegration
    experience = WorkExperience.objects.get(job_seeker=person)
    assert experience.from_placement
    assert (experience.country_id, experience.occupation_id) == ("PL", "9211")
    assert experience.employer == placement.employer.name
    assert (experience.start_date, experience.end_date) == (placement.contract_start, ENDED)
    assert experience.occupation_text == placement.occupation.title_ka
    # Free for the next season, still known to the embassy that looked after them.
    assert not JobSeeker.objects.currently_placed().filter(pk=person.pk).exists()
    assert JobSeeker.objects.placed_in("PL").filter(pk=person.pk).exists()
    assert AuditEvent.objects.filter(
        verb=AuditVerb.CREATED, target_id=str(homecoming.pk), actor=officer
    ).exists()
    assert not ReintegrationCase.objects.exists()


def test_an_early_return_needs_its_reason_and_ends_the_placement_early():
    placement = PlacementFactory()
    with pytest.raises(ValidationError) as no_reason:
        return_record(
            actor=UserFactory(),
            placement=placement,
            kind=ReturnKind.EARLY,
            returned_on=datetime.date(2026, 6, 10),
        )
    with translation.override("en"):
        assert no_reason.value.message_dict == {"reason": ["Say why the worker came back early."]}
    return_record(
        actor=UserFactory(),
        placement=placement,
        kind=ReturnKind.EARLY,
        reason="exploitation",
        returned_on=datetime.date(2026, 6, 10),
    )
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.ENDED_EARLY
    experience = WorkExperience.objects.get(job_seeker=placement.job_seeker)
    assert experience.end_date == datetime.date(2026, 6, 10)


def test_a_planned_return_with_a_reason_and_an_unknown_reason_are_refused():
    placement = PlacementFactory()
    with pytest.raises(ValidationError):
        return_record(
            actor=UserFactory(),
            placement=placement,
            kind=ReturnKind.PLANNED,
            reason="health",
            returned_on=ENDED,
        )
    with pytest.raises(ValidationError):
        return_record(
            actor=UserFactory(),
            placement=placement,
            kind=ReturnKind.EARLY,
            reason="bored",
            returned_on=ENDED,
        )


def test_a_return_is_recorded_once_and_not_before_departure():
    placement = PlacementFactory()
    with pytest.raises(ValidationError) as before:
        return_record(
            actor=UserFactory(),
            placement=placement,
            kind=ReturnKind.PLANNED,
            returned_on=placement.departure_date - datetime.timedelta(days=1),
        )
    assert before.value.message_dict.keys() == {"returned_on"}
    return_record(
        actor=UserFactory(), placement=placement, kind=ReturnKind.PLANNED, returned_on=ENDED
    )
    with pytest.raises(DomainError) as again:
        return_record(
            actor=UserFactory(), placement=placement, kind=ReturnKind.PLANNED, returned_on=ENDED
        )
    assert again.value.message == Refusal.ALREADY_RETURNED


def test_a_return_after_the_placement_was_closed_keeps_its_status():
    placement = PlacementFactory(status=PlacementStatus.OVERSTAYED)
    return_record(
        actor=UserFactory(),
        placement=placement,
        kind=ReturnKind.EARLY,
        reason="visa",
        returned_on=datetime.date(2026, 11, 20),
    )
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.OVERSTAYED
    # The job counts until the contract's end, not the overstay.
    assert WorkExperience.objects.get(job_seeker=placement.job_seeker).end_date == ENDED


def test_a_return_before_the_contract_started_adds_no_experience():
    placement = PlacementFactory()
    return_record(
        actor=UserFactory(),
        placement=placement,
        kind=ReturnKind.EARLY,
        reason="health",
        returned_on=datetime.date(2026, 3, 31),
    )
    assert not WorkExperience.objects.exists()


def test_a_referral_opens_a_reintegration_case_with_the_chosen_organisation():
    placement = PlacementFactory()
    iom = OrganisationFactory(iom_office=True)
    homecoming = return_record(
        actor=UserFactory(),
        placement=placement,
        kind=ReturnKind.EARLY,
        reason="exploitation",
        returned_on=datetime.date(2026, 6, 10),
        refer=True,
        organisation=iom,
    )
    assert homecoming.referred_to_reintegration
    case = ReintegrationCase.objects.get()
    assert (case.job_seeker, case.organisation, case.returned_from_id) == (
        placement.job_seeker,
        iom,
        "PL",
    )
    assert case.returned_on == datetime.date(2026, 6, 10)


def test_an_embassy_refers_and_the_case_waits_for_an_assisting_organisation():
    placement = PlacementFactory()
    embassy = UserFactory(
        embassy_officer=True,
        organisation=OrganisationFactory(embassy_in_france=True, country_id="PL"),
    )
    homecoming = return_record(
        actor=embassy,
        placement=placement,
        kind=ReturnKind.EARLY,
        reason="exploitation",
        returned_on=datetime.date(2026, 6, 10),
        refer=True,
    )
    assert homecoming.referred_to_reintegration
    assert not ReintegrationCase.objects.exists()


def test_a_refused_referral_records_no_return():
    placement = PlacementFactory()
    with pytest.raises((ValidationError, DomainError)):
        return_record(
            actor=UserFactory(),
            placement=placement,
            kind=ReturnKind.PLANNED,
            returned_on=ENDED,
            refer=True,
            # An embassy does not assist returnees.
            organisation=OrganisationFactory(embassy_in_france=True),
        )
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.ACTIVE
    assert not WorkExperience.objects.exists()


def test_a_user_outside_the_placements_scope_cannot_record_its_return():
    with pytest.raises(DomainError):
        return_record(
            actor=UserFactory(embassy_officer=True),
            placement=PlacementFactory(),
            kind=ReturnKind.PLANNED,
            returned_on=ENDED,
        )
