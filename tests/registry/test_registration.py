"""Self-service registration: one transaction from a confirmed address to a registry record,
refusals that store nothing, and sign-in with codes that does not reveal who is registered."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.utils import timezone
from django.utils.translation import override

from gza.core.enums import AuditVerb, Role
from gza.core.models import AuditEvent, User
from gza.registry import messaging
from gza.registry.enums import CodeChannel, CodePurpose, ConsentPurpose, RegistrationChannel
from gza.registry.models import Consent, ConsentText, JobSeeker, is_valid_registration_number
from gza.registry.otp import CodeRefused, OneTimeCode
from gza.registry.registration import (
    RegistrationError,
    confirm_code,
    register_self,
    request_code,
    sign_in_confirm,
)
from tests.core.factories import UserFactory
from tests.registry.factories import JobSeekerFactory

pytestmark = pytest.mark.django_db

PHONE = "+995599123456"


@pytest.fixture(autouse=True)
def _empty_outbox():
    messaging.outbox.clear()
    yield
    messaging.outbox.clear()


def _code(address: str = PHONE, purpose: str = CodePurpose.REGISTER) -> str:
    before = len(messaging.outbox)
    with TestCase.captureOnCommitCallbacks(execute=True):
        request_code(channel=CodeChannel.SMS, address=address, purpose=purpose, ip="10.0.0.1")
    if len(messaging.outbox) == before:
        return ""
    return re.search(r"\b(\d{6})\b", messaging.outbox[-1].body).group(1)


def _token(address: str = PHONE) -> str:
    return confirm_code(channel=CodeChannel.SMS, address=address, code=_code(address))


def _identity(**changes) -> dict:
    return {
        "personal_number": "01024056789",
        "first_name": "ნინო",
        "last_name": "წიკლაური",
        "birth_date": datetime.date(1994, 5, 17),
        "sex": "f",
        "citizenship_id": "GE",
        "municipality_id": "telavi",
        **changes,
    }


def _register(token: str | None = None, **changes) -> JobSeeker:
    return register_self(
        token=token or _token(),
        identity=_identity(**changes),
        consents=[ConsentPurpose.REGISTRATION, ConsentPurpose.SURVEYS],
    )


def test_a_confirmed_phone_becomes_an_account_and_a_record_in_one_go():
    person = _register()
    assert is_valid_registration_number(person.registration_number)
    assert person.registered_via == RegistrationChannel.SELF_SERVICE
    assert person.phone == PHONE
    # The Latin names are suggested from the Georgian by the national romanisation.
    assert (person.first_name_latin, person.last_name_latin) == ("Nino", "Tsiklauri")
    user = person.user
    assert user.role == Role.JOB_SEEKER and user.phone == PHONE and user.email is None
    assert not user.has_usable_password()
    consents = Consent.objects.filter(job_seeker=person)
    assert {c.purpose for c in consents} == {"registration", "surveys"}
    assert all(c.text.version == 1 for c in consents)
    audit = AuditEvent.objects.get(verb=AuditVerb.CREATED, target_id=str(person.pk))
    assert audit.actor == user
    assert "01024056789" not in str(audit.payload) and PHONE not in str(audit.payload)


def test_latin_names_typed_by_the_person_are_kept():
    person = _register(first_name_latin="Nina", last_name_latin="Tsiklauri")
    assert person.first_name_latin == "Nina"


def test_the_newest_consent_text_is_the_one_agreed_to():
    ConsentText.objects.create(
        purpose=ConsentPurpose.REGISTRATION,
        version=2,
        text_ka="ახალი ტექსტი",
        text_en="New text",
        effective_from=timezone.localdate(),
    )
    person = _register()
    assert person.consents.get(purpose=ConsentPurpose.REGISTRATION).text.version == 2


def test_an_email_registration_sets_the_accounts_email():
    from django.core import mail

    with TestCase.captureOnCommitCallbacks(execute=True):
        request_code(
            channel=CodeChannel.EMAIL, address="Nino@Example.ge", purpose="register", ip=None
        )
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    token = confirm_code(channel=CodeChannel.EMAIL, address="nino@example.ge", code=code)
    person = _register(token, phone="599 65 43 21")
    assert person.user.email == "nino@example.ge" and person.user.phone is None
    assert person.phone == "+995599654321"


def _nothing_stored(users_before: int) -> None:
    assert User.objects.count() == users_before
    assert not Consent.objects.exists()


def test_a_second_registration_with_the_same_personal_number_is_refused_whole():
    JobSeekerFactory(personal_number="01024056789")
    users = User.objects.count()
    with pytest.raises(ValidationError) as refused:
        _register()
    with override("en"):
        assert refused.value.message_dict["personal_number"] == [
            "A person with this personal number is already registered."
        ]
    _nothing_stored(users)


def test_a_second_registration_with_the_same_address_is_refused():
    token = _token()
    _register(token)
    with pytest.raises(RegistrationError) as refused:
        _register(token, personal_number="01024056780")
    assert refused.value.message == RegistrationError.ADDRESS_TAKEN
    assert JobSeeker.objects.count() == 1


def test_registration_needs_the_registration_consent():
    users = User.objects.count()
    with pytest.raises(ValidationError) as refused:
        register_self(token=_token(), identity=_identity(), consents=[ConsentPurpose.SURVEYS])
    assert "consents" in refused.value.message_dict
    _nothing_stored(users)


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"first_name": "Nino"}, "first_name", "not_georgian_script"),
        ({"last_name": "წიკლაური2"}, "last_name", "not_georgian_script"),
        ({"first_name_latin": "ნინო"}, "first_name_latin", "not_latin_script"),
        ({"personal_number": "0102405678"}, "personal_number", "invalid_personal_number"),
        ({"personal_number": "0102405678X"}, "personal_number", "invalid_personal_number"),
        (
            {"birth_date": timezone.localdate() + datetime.timedelta(days=1)},
            "birth_date",
            "birth_date_in_future",
        ),
        (
            {"birth_date": timezone.localdate().replace(year=timezone.localdate().year - 15)},
            "birth_date",
            "too_young",
        ),
        ({"email": "nino@"}, "email", "invalid"),
        ({"passport_number": "ab12"}, "passport_number", "invalid_passport_number"),
    ],
)
def test_bad_identity_is_refused_field_by_field_and_stores_nothing(changes, field, code):
    users = User.objects.count()
    with pytest.raises(ValidationError) as refused:
        _register(**changes)
    assert field in refused.value.error_dict
    assert code in [e.code for e in refused.value.error_dict[field]]
    _nothing_stored(users)


def test_an_invalid_second_phone_is_refused_with_a_clear_message():
    from django.core import mail

    with TestCase.captureOnCommitCallbacks(execute=True):
        request_code(channel=CodeChannel.EMAIL, address="a@example.ge", purpose="register", ip=None)
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    token = confirm_code(channel=CodeChannel.EMAIL, address="a@example.ge", code=code)
    with pytest.raises(ValidationError) as refused, override("en"):
        _register(token, phone="12345")
    assert "Enter a valid phone number" in refused.value.message_dict["phone"][0]


def test_a_crash_after_the_account_is_stored_leaves_nothing(monkeypatch):
    users = User.objects.count()
    token = _token()

    def crash(*args, **kwargs):
        assert User.objects.filter(phone=PHONE).exists()  # the account was written...
        raise RuntimeError("power cut")

    monkeypatch.setattr(JobSeeker, "save", crash)
    with pytest.raises(RuntimeError):
        _register(token)
    # ...and rolled back with everything else.
    _nothing_stored(users)
    assert not JobSeeker.objects.exists()
    assert not AuditEvent.objects.filter(verb=AuditVerb.CREATED).exists()


def test_a_forged_or_stale_token_is_refused(settings):
    with pytest.raises(RegistrationError) as refused:
        _register("not-a-token")
    assert refused.value.message == RegistrationError.VERIFICATION_EXPIRED
    token = _token()
    # A token older than OTP_VERIFIED_MINUTES: the limit moved into the past.
    settings.OTP_VERIFIED_MINUTES = -1
    with pytest.raises(RegistrationError):
        _register(token)
    assert not JobSeeker.objects.exists()


def test_registration_takes_a_bounded_number_of_queries(django_assert_max_num_queries):
    # The second of two people with the same names: caches and name keys are warm, as in a
    # surge, which runs this for every person.
    _register(_token("+995599000001"), personal_number="01024056780")
    token = _token()
    # A dozen queries whatever the number of consents: none per consent or reference field.
    with django_assert_max_num_queries(12):
        _register(token)


def test_sign_in_codes_go_only_to_existing_job_seekers_but_are_stored_either_way():
    assert _code(purpose=CodePurpose.SIGN_IN) == ""
    assert OneTimeCode.objects.filter(purpose=CodePurpose.SIGN_IN).count() == 1
    person = _register()
    code = _code(purpose=CodePurpose.SIGN_IN)
    assert code
    user = sign_in_confirm(channel=CodeChannel.SMS, address="599123456", code=code)
    assert user == person.user
    assert AuditEvent.objects.filter(verb=AuditVerb.LOGGED_IN, actor=user).exists()


def test_staff_cannot_sign_in_with_codes():
    UserFactory(phone=PHONE)
    assert _code(purpose=CodePurpose.SIGN_IN) == ""
    with pytest.raises(CodeRefused):
        sign_in_confirm(channel=CodeChannel.SMS, address=PHONE, code="123456")


def test_a_registration_code_does_not_sign_in():
    person = _register()
    code = _code()
    with pytest.raises(CodeRefused):
        sign_in_confirm(channel=CodeChannel.SMS, address=PHONE, code=code)
    assert person.user.last_login is None
