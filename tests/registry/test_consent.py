"""Consent per purpose: given to the newest text, withdrawn with effects, audited."""

import pytest
from django.utils import translation

from gza.core.enums import AccessAction
from gza.core.errors import DomainError
from gza.core.models import AccessLogEntry, AuditEvent
from gza.registry.consent import (
    CONSENT_TEXTS_V1,
    ConsentError,
    consent_give,
    consent_states,
    consent_withdraw,
    ensure_consent_texts,
)
from gza.registry.enums import ConsentPurpose
from gza.registry.models import Consent, ConsentText, JobSeeker
from tests.core.factories import UserFactory
from tests.registry.factories import JobSeekerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    ensure_consent_texts()
    return JobSeekerFactory(user=UserFactory(job_seeker=True))


def test_texts_are_seeded_once_for_every_purpose_in_both_languages():
    # Migration 0004 may have written version 1 already; start from none to see the seeding.
    ConsentText.objects.all().delete()
    assert set(CONSENT_TEXTS_V1) == set(ConsentPurpose.values)
    assert ensure_consent_texts() == 4
    assert ensure_consent_texts() == 0
    for text in ConsentText.objects.all():
        assert text.version == 1
        assert any("\u10d0" <= char <= "\u10ff" for char in text.text_ka)
        assert text.text_en.startswith("I agree")


def test_an_existing_version_one_is_never_rewritten():
    ConsentText.objects.all().delete()
    ConsentText.objects.create(
        purpose=ConsentPurpose.SURVEYS,
        version=1,
        text_ka="ძველი",
        text_en="Old",
        effective_from="2025-01-01",
    )
    ensure_consent_texts()
    assert ConsentText.objects.get(purpose=ConsentPurpose.SURVEYS).text_en == "Old"


def test_giving_records_the_newest_version_and_time_and_is_audited(person):
    ConsentText.objects.create(
        purpose=ConsentPurpose.SURVEYS,
        version=2,
        text_ka="ახალი",
        text_en="New",
        effective_from="2026-06-01",
    )
    consent = consent_give(person=person, purpose=ConsentPurpose.SURVEYS, actor=person.user)
    assert consent.text.version == 2
    assert consent.given_at is not None
    assert consent.recorded_by is None  # the person themself
    event = AuditEvent.objects.get(target_id=str(consent.pk))
    assert event.payload == {"consent": "given", "purpose": "surveys", "version": 2}


def test_giving_twice_keeps_one_standing_consent(person):
    first = consent_give(person=person, purpose=ConsentPurpose.SURVEYS, actor=person.user)
    again = consent_give(person=person, purpose=ConsentPurpose.SURVEYS, actor=person.user)
    assert again.pk == first.pk
    assert person.consents.count() == 1


def test_agreeing_to_a_new_version_closes_the_old_consent(person):
    old = consent_give(person=person, purpose=ConsentPurpose.SURVEYS, actor=person.user)
    ConsentText.objects.create(
        purpose=ConsentPurpose.SURVEYS,
        version=2,
        text_ka="ახალი",
        text_en="New",
        effective_from="2026-06-01",
    )
    new = consent_give(person=person, purpose=ConsentPurpose.SURVEYS, actor=person.user)
    old.refresh_from_db()
    assert old.withdrawn_at is not None
    assert new.text.version == 2 and new.withdrawn_at is None


def test_an_officer_recording_a_consent_is_named_and_logged_as_a_change(person):
    officer = UserFactory()
    consent = consent_give(person=person, purpose=ConsentPurpose.EMPLOYER_SHARING, actor=officer)
    assert consent.recorded_by == officer
    entry = AccessLogEntry.objects.get(actor=officer)
    assert entry.action == AccessAction.CHANGE


def test_withdrawing_sets_the_time_and_a_new_consent_is_a_new_row(person):
    consent_give(person=person, purpose=ConsentPurpose.SURVEYS, actor=person.user)
    withdrawn = consent_withdraw(person=person, purpose=ConsentPurpose.SURVEYS, actor=person.user)
    assert withdrawn.withdrawn_at is not None
    consent_give(person=person, purpose=ConsentPurpose.SURVEYS, actor=person.user)
    assert person.consents.filter(purpose=ConsentPurpose.SURVEYS).count() == 2
    assert AuditEvent.objects.filter(payload__consent="withdrawn").count() == 1


def test_withdrawing_employer_sharing_removes_the_person_from_what_employers_see(person):
    other = JobSeekerFactory()
    consent_give(person=person, purpose=ConsentPurpose.EMPLOYER_SHARING, actor=person.user)
    consent_give(person=other, purpose=ConsentPurpose.EMPLOYER_SHARING, actor=None)
    assert set(JobSeeker.objects.shareable_with_employers()) == {person, other}
    consent_withdraw(person=person, purpose=ConsentPurpose.EMPLOYER_SHARING, actor=person.user)
    assert list(JobSeeker.objects.shareable_with_employers()) == [other]


def test_registration_consent_is_withdrawn_only_by_asking_for_deletion(person):
    consent_give(person=person, purpose=ConsentPurpose.REGISTRATION, actor=person.user)
    with pytest.raises(DomainError) as refused:
        consent_withdraw(person=person, purpose=ConsentPurpose.REGISTRATION, actor=person.user)
    assert refused.value.message == ConsentError.REGISTRATION_NEEDS_DELETION
    with translation.override("en"):
        assert "ask for your record to be deleted" in str(refused.value.message)
    assert person.consents.get().withdrawn_at is None


def test_withdrawing_what_was_never_given_is_refused(person):
    with pytest.raises(DomainError) as refused:
        consent_withdraw(person=person, purpose=ConsentPurpose.SURVEYS, actor=person.user)
    assert refused.value.message == ConsentError.NOT_GIVEN


def test_giving_without_a_text_is_refused():
    ConsentText.objects.all().delete()
    person = JobSeekerFactory()
    with pytest.raises(DomainError) as refused:
        consent_give(person=person, purpose=ConsentPurpose.SURVEYS, actor=None)
    assert refused.value.message == ConsentError.NO_TEXT
    assert not Consent.objects.exists()


def test_states_show_every_purpose_with_its_status(person):
    consent_give(person=person, purpose=ConsentPurpose.SURVEYS, actor=person.user)
    consent_give(person=person, purpose=ConsentPurpose.PARTNER_EXCHANGE, actor=person.user)
    consent_withdraw(person=person, purpose=ConsentPurpose.PARTNER_EXCHANGE, actor=person.user)
    states = {state.purpose: state for state in consent_states(person)}
    assert list(states) == ConsentPurpose.values
    assert states["surveys"].is_given and states["surveys"].can_withdraw
    assert not states["partner_exchange"].is_given
    assert states["partner_exchange"].last_withdrawn is not None
    assert not states["registration"].is_given
