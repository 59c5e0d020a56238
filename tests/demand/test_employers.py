import re

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from gza.core.enums import AuditVerb, OrganisationKind, Role
from gza.core.errors import DomainError
from gza.core.models import AuditEvent
from gza.demand.enums import VettingStatus
from gza.demand.models import VETTING, EmployerVettingEvent, ForeignEmployer
from gza.demand.services import employer_register, employer_update, employer_vet
from tests.core.factories import OrganisationFactory, UserFactory
from tests.demand.factories import ForeignEmployerFactory

pytestmark = pytest.mark.django_db
NOT_PERMITTED = re.escape(str(DomainError.NOT_PERMITTED))


def test_vetting_reaches_every_status_and_only_known_ones():
    assert VETTING.states == set(VettingStatus.values)


@given(st.lists(st.sampled_from(sorted(VETTING.transitions)), max_size=12))
def test_any_sequence_of_vetting_decisions_stays_legal(names):
    state = VettingStatus.PENDING
    for name in names:
        try:
            move = VETTING.get(name, state=state)
        except DomainError:
            continue
        assert state in move.sources
        state = move.target
        assert state in VettingStatus.values


def test_only_a_verified_employer_can_be_rejected_after_suspension_not_before_vetting():
    """Suspension follows verification; a pending employer is verified or rejected."""
    assert {t.name for t in VETTING.allowed_from(VettingStatus.PENDING)} == {"verify", "reject"}
    assert {t.name for t in VETTING.allowed_from(VettingStatus.VERIFIED)} == {"suspend"}


@settings(max_examples=15, deadline=None)
@given(st.lists(st.sampled_from(sorted(VETTING.transitions)), max_size=6))
def test_the_service_logs_exactly_the_accepted_decisions(names):
    # Hypothesis examples share the test's database, so each makes a fresh employer.
    officer = UserFactory()
    employer = ForeignEmployerFactory()
    accepted = 0
    for name in names:
        try:
            employer_vet(actor=officer, employer=employer, transition=name, reason="checked")
            accepted += 1
        except DomainError:
            pass
    employer.refresh_from_db()
    assert employer.vetting_status in VettingStatus.values
    assert employer.vetting_events.count() == accepted


def test_the_embassy_vets_employers_of_its_own_country_only():
    officer = UserFactory(embassy_officer=True)  # the embassy in France
    french = ForeignEmployerFactory()
    polish = ForeignEmployerFactory(in_poland=True)
    employer_vet(actor=officer, employer=french, transition="verify")
    french.refresh_from_db()
    assert french.vetting_status == VettingStatus.VERIFIED
    event = EmployerVettingEvent.objects.get(employer=french)
    assert (event.from_status, event.to_status, event.actor) == ("pending", "verified", officer)
    assert AuditEvent.objects.filter(verb=AuditVerb.UPDATED, target_id=str(french.pk)).exists()
    with pytest.raises(DomainError, match=NOT_PERMITTED):
        employer_vet(actor=officer, employer=polish, transition="verify")
    assert list(ForeignEmployer.objects.visible_to(officer)) == [french]


@pytest.mark.parametrize(
    "role", [Role.CASEWORKER, Role.EMPLOYER, Role.AGENCY, Role.ANALYST, Role.ADMINISTRATOR]
)
def test_only_the_ministry_and_the_embassy_vet(role):
    employer = ForeignEmployerFactory()
    with pytest.raises(DomainError, match=NOT_PERMITTED):
        employer_vet(actor=UserFactory(role=role), employer=employer, transition="verify")
    employer_vet(actor=UserFactory(), employer=employer, transition="verify")
    employer.refresh_from_db()
    assert employer.vetting_status == VettingStatus.VERIFIED


def test_a_rejection_or_suspension_without_a_reason_is_refused():
    officer = UserFactory(embassy_officer=True)
    employer = ForeignEmployerFactory()
    with pytest.raises(ValidationError) as refused:
        employer_vet(actor=officer, employer=employer, transition="reject", reason="  ")
    assert "reason" in refused.value.error_dict
    employer_vet(actor=officer, employer=employer, transition="verify")
    with pytest.raises(ValidationError):
        employer_vet(actor=officer, employer=employer, transition="suspend")
    employer_vet(actor=officer, employer=employer, transition="suspend", reason="Wages paid late.")
    employer.refresh_from_db()
    assert employer.vetting_status == VettingStatus.SUSPENDED
    assert employer.vetting_events.first().reason == "Wages paid late."


def test_a_decision_not_allowed_from_the_current_status_is_refused():
    employer = ForeignEmployerFactory()
    with pytest.raises(DomainError, match=re.escape(str(DomainError.TRANSITION_NOT_ALLOWED))):
        employer_vet(actor=UserFactory(), employer=employer, transition="reinstate")
    assert not employer.vetting_events.exists()


def _employer_user(country: str = "FR"):
    organisation = OrganisationFactory(kind=OrganisationKind.FOREIGN_EMPLOYER, country_id=country)
    return UserFactory(role=Role.EMPLOYER, organisation=organisation)


def test_an_employer_registers_its_own_record_once_and_sees_only_it():
    user = _employer_user()
    ForeignEmployerFactory()  # someone else in France
    employer = employer_register(
        actor=user, employer=ForeignEmployerFactory.build(organisation=None)
    )
    assert employer.organisation == user.organisation
    assert employer.vetting_status == VettingStatus.PENDING
    assert employer.vetting_events.get().transition == "register"
    assert list(ForeignEmployer.objects.visible_to(user)) == [employer]
    with pytest.raises(DomainError, match=NOT_PERMITTED):
        employer_register(actor=user, employer=ForeignEmployerFactory.build())
    with pytest.raises(DomainError, match=NOT_PERMITTED):
        employer_vet(actor=user, employer=employer, transition="verify")


def test_an_employer_of_another_kind_of_organisation_cannot_register():
    user = UserFactory(role=Role.EMPLOYER)  # its organisation is not a foreign employer
    with pytest.raises(DomainError, match=NOT_PERMITTED):
        employer_register(actor=user, employer=ForeignEmployerFactory.build())


def test_an_embassy_registers_employers_of_its_country_only():
    officer = UserFactory(embassy_officer=True)
    employer = employer_register(actor=officer, employer=ForeignEmployerFactory.build())
    assert employer.created_by == officer
    with pytest.raises(DomainError, match=NOT_PERMITTED):
        employer_register(actor=officer, employer=ForeignEmployerFactory.build(in_poland=True))
    for role in [Role.CASEWORKER, Role.AGENCY, Role.ANALYST]:
        with pytest.raises(DomainError):
            employer_register(actor=UserFactory(role=role), employer=ForeignEmployerFactory.build())


@pytest.mark.usefixtures("english")
def test_a_registration_number_is_registered_once_per_country():
    officer = UserFactory()
    ForeignEmployerFactory(registration_number="123")
    with pytest.raises(ValidationError, match="already registered in this country"):
        employer_register(
            actor=officer, employer=ForeignEmployerFactory.build(registration_number="123")
        )
    employer_register(
        actor=officer,
        employer=ForeignEmployerFactory.build(registration_number="123", in_poland=True),
    )


def test_an_edit_keeps_the_vetting_status_and_only_the_ministry_changes_identity():
    officer = UserFactory(embassy_officer=True)
    employer = ForeignEmployerFactory(verified=True)
    edited = ForeignEmployer.objects.get(pk=employer.pk)
    edited.contact_phone = "+33 1 00 00 00 00"
    edited.vetting_status = VettingStatus.PENDING  # an edit cannot change the vetting
    employer_update(actor=officer, employer=edited)
    employer.refresh_from_db()
    assert employer.contact_phone == "+33 1 00 00 00 00"
    assert employer.vetting_status == VettingStatus.VERIFIED
    change = AuditEvent.objects.get(verb=AuditVerb.UPDATED, target_id=str(employer.pk))
    assert change.payload["changes"]["contact_phone"][1] == "+33 1 00 00 00 00"
    edited.country_id = "PL"
    with pytest.raises(ValidationError) as refused:
        employer_update(actor=officer, employer=edited)
    assert "country" in refused.value.error_dict
    edited.country_id = "BE"
    employer_update(actor=UserFactory(), employer=edited)
    employer.refresh_from_db()
    assert employer.country_id == "BE"


@pytest.mark.usefixtures("english")
def test_an_employer_linked_to_an_organisation_of_another_kind_or_country_is_refused():
    employer = ForeignEmployerFactory.build(organisation=OrganisationFactory())
    with pytest.raises(ValidationError) as refused:
        employer.full_clean()
    assert "organisation" in refused.value.error_dict
    german = OrganisationFactory(kind=OrganisationKind.FOREIGN_EMPLOYER, country_id="DE")
    employer = ForeignEmployerFactory.build(organisation=german)
    with pytest.raises(ValidationError, match="another country"):
        employer.full_clean()


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        (Role.MINISTRY_OFFICER, 2),
        (Role.CASEWORKER, 2),
        (Role.ANALYST, 0),
        (Role.AGENCY, 0),
        (Role.EMPLOYER, 0),
        (Role.CONTENT_EDITOR, 0),
        (Role.NONE, 0),
    ],
)
def test_who_sees_which_employers(role, sees):
    ForeignEmployerFactory()
    ForeignEmployerFactory(in_poland=True)
    assert ForeignEmployer.objects.visible_to(UserFactory(role=role)).count() == sees
