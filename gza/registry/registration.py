"""Self-service registration and sign-in with one-time codes.

The journey: `request_code` sends a code to a phone or e-mail address; `confirm_code` checks it
and returns a signed, short-lived token that says "this address is confirmed"; `register_self`
takes that token with the person's identity and consents and creates, in one transaction, the
account, the registry record, the consents and their audit trail — all of it or nothing. A
person who already has an account signs in with `sign_in_confirm` instead.

Nothing here hashes a password: the account's password is unusable until the person chooses to
set one, so a registration surge costs a few milliseconds of database work per person.
"""

import time
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gza.core.audit import audit_record
from gza.core.enums import AuditVerb, Role
from gza.core.errors import DomainError
from gza.core.models import User
from gza.registry.enums import CodeChannel, CodePurpose, ConsentPurpose, RegistrationChannel
from gza.registry.messaging import sms_send
from gza.registry.models import Consent, ConsentText, JobSeeker
from gza.registry.otp import CodeRefused, code_issue, code_redeem, normalise_address
from gza.registry.tasks import check_for_duplicates_after_commit
from gza.taxonomy.models import Country, Municipality

_VERIFIED_SALT = "gza.registry.registration.verified-address"
# Both languages in every message: the person may not have chosen one yet, and a phone shows
# the text outside any page.
_SMS_TEXT = (
    "გზა: თქვენი კოდია {code}. მოქმედებს {minutes} წუთი; არავის გაუმხილოთ.\n"
    "Gza: your code is {code}. Valid for {minutes} minutes; do not share it."
)
_EMAIL_SUBJECT = "გზა: დადასტურების კოდი / Gza: your confirmation code"
_EMAIL_TEXT = (
    "თქვენი კოდია {code}. ის მოქმედებს {minutes} წუთი. თუ კოდი თქვენ არ გითხოვიათ, "
    "უბრალოდ უგულებელყავით ეს წერილი.\n\n"
    "Your code is {code}. It is valid for {minutes} minutes. If you did not ask for it, "
    "you can ignore this message.\n\n"
    "გზა / Gza"
)


class RegistrationError(DomainError):
    VERIFICATION_EXPIRED = _(
        "Your phone number or e-mail address must be confirmed again: ask for a new code."
    )
    ADDRESS_TAKEN = _(
        "An account with this phone number or e-mail address already exists: "
        "sign in with a code instead."
    )
    CONSENT_REQUIRED = _("To register, agree to the processing of your data for registration.")
    ALREADY_REGISTERED = _("A person with this personal number is already registered.")


def _send_code(*, channel: str, normalised: str, digits: str) -> None:
    text = {"code": digits, "minutes": settings.OTP_TTL_MINUTES}
    if channel == CodeChannel.SMS:
        sms_send(to=normalised, body=_SMS_TEXT.format(**text))
    else:
        EmailMultiAlternatives(
            _EMAIL_SUBJECT, _EMAIL_TEXT.format(**text), settings.DEFAULT_FROM_EMAIL, [normalised]
        ).send()


def _account_for(channel: str, normalised: str) -> User | None:
    field = "phone" if channel == CodeChannel.SMS else "email"
    return User.objects.filter(**{field: normalised}).first()


def request_code(*, channel: str, address: str, purpose: str, ip: str | None) -> None:
    """Send a one-time code to `address`. The caller answers the same whatever happens here
    (short of a bad address or a rate limit), so nobody learns whether an address has an
    account: for sign-in a code is stored either way, and sent only to an existing account."""
    normalised = normalise_address(channel, address)
    send = True
    if purpose == CodePurpose.SIGN_IN:
        account = _account_for(channel, normalised)
        send = account is not None and account.is_active and account.role == Role.JOB_SEEKER
    _code, digits = code_issue(channel=channel, normalised=normalised, purpose=purpose, ip=ip)
    if send:
        # After the commit: a message never announces a code the database lost.
        transaction.on_commit(
            lambda: _send_code(channel=channel, normalised=normalised, digits=digits)
        )


def confirm_code(*, channel: str, address: str, code: str) -> str:
    """Check a registration code and return the token that proves the address is confirmed,
    valid for OTP_VERIFIED_MINUTES. Raises CodeRefused."""
    normalised = normalise_address(channel, address)
    code_redeem(channel=channel, normalised=normalised, purpose=CodePurpose.REGISTER, code=code)
    return signing.dumps({"c": channel, "a": normalised}, salt=_VERIFIED_SALT)


def verified_address(token: str) -> tuple[str, str]:
    """The (channel, address) a token confirms; RegistrationError when forged or too old."""
    try:
        data = signing.loads(
            token or "", salt=_VERIFIED_SALT, max_age=settings.OTP_VERIFIED_MINUTES * 60
        )
    except signing.BadSignature:
        raise RegistrationError(RegistrationError.VERIFICATION_EXPIRED) from None
    return data["c"], data["a"]


def address_is_registered(token: str) -> bool:
    """Whether the confirmed address already has an account (told only to its owner)."""
    channel, normalised = verified_address(token)
    return _account_for(channel, normalised) is not None


# Country and municipality codes change only when reference data is reloaded; a few minutes'
# delay before a new code is accepted saves two queries per registration.
_REFERENCE_TTL_SECONDS = 300
_reference: dict[str, tuple[float, frozenset[str]]] = {}


def _known_codes(kind: str) -> frozenset[str]:
    loaded_at, codes = _reference.get(kind, (0.0, frozenset()))
    if time.monotonic() - loaded_at > _REFERENCE_TTL_SECONDS:
        model = Country.objects.states() if kind == "country" else Municipality.objects.all()
        codes = frozenset(model.values_list("pk", flat=True))
        _reference[kind] = (time.monotonic(), codes)
    return codes


def _check_reference(person: JobSeeker) -> None:
    errors = {}
    if person.citizenship_id not in _known_codes("country"):
        errors["citizenship"] = [
            ValidationError(
                _("Unknown country: %(value)s."),
                code="invalid",
                params={"value": person.citizenship_id},
            )
        ]
    if person.municipality_id not in _known_codes("municipality"):
        errors["municipality"] = [
            ValidationError(
                _("Unknown municipality: %(value)s."),
                code="invalid",
                params={"value": person.municipality_id},
            )
        ]
    if errors:
        raise ValidationError(errors)


def latest_consent_texts(purposes: Iterable[str] | None = None) -> dict[str, ConsentText]:
    """The text in use for each purpose: its highest version."""
    texts = ConsentText.objects.order_by("purpose", "-version")
    if purposes is not None:
        texts = texts.filter(purpose__in=list(purposes))
    latest: dict[str, ConsentText] = {}
    for text in texts:
        latest.setdefault(text.purpose, text)
    return latest


def register_self(*, token: str, identity: Mapping[str, Any], consents: Iterable[str]) -> JobSeeker:
    """Create a job seeker's account and registry record from a confirmed address.

    One transaction: the account (role job seeker, the confirmed phone or e-mail, no usable
    password), the record (Latin names suggested from the Georgian when left empty), a consent
    per purpose ticked, and the audit trail. A second registration for the same address or
    personal number is refused and stores nothing."""
    channel, normalised = verified_address(token)
    purposes = list(dict.fromkeys(consents))
    if ConsentPurpose.REGISTRATION not in purposes:
        raise ValidationError({"consents": [RegistrationError.CONSENT_REQUIRED]})
    person = JobSeeker(**identity)
    person.registered_via = RegistrationChannel.SELF_SERVICE
    if channel == CodeChannel.SMS:
        person.phone = normalised
    else:
        person.email = normalised
    person.suggest_latin_names()
    try:
        with transaction.atomic():
            return _register(
                person=person, channel=channel, normalised=normalised, purposes=purposes
            )
    except IntegrityError:
        # Two registrations racing past the checks: the database's unique constraints decide.
        if JobSeeker.objects.filter(personal_number=person.personal_number).exists():
            raise ValidationError(
                {"personal_number": [RegistrationError.ALREADY_REGISTERED]}
            ) from None
        if _account_for(channel, normalised) is not None:
            raise RegistrationError(RegistrationError.ADDRESS_TAKEN) from None
        raise


def _register(
    *, person: JobSeeker, channel: str, normalised: str, purposes: list[str]
) -> JobSeeker:
    # Kept to a few queries, as a surge runs this for every person: the reference codes are
    # checked against a cached set, and a clash of personal number or address is left to the
    # unique indexes (register_self turns the IntegrityError into the message). A new active
    # record cannot break the record's own check constraint, so it is not queried.
    person.full_clean(
        exclude=["registration_number", "user", "public_id", "citizenship", "municipality"],
        validate_unique=False,
        validate_constraints=False,
    )
    _check_reference(person)
    user = User(
        role=Role.JOB_SEEKER,
        full_name=f"{person.first_name} {person.last_name}",
        phone=normalised if channel == CodeChannel.SMS else None,
        email=normalised if channel == CodeChannel.EMAIL else None,
        preferred_language=(get_language() or "ka")[:2],
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password", "email", "phone"], validate_unique=False)
    user.save(force_insert=True)
    person.user = user
    person.save(force_insert=True)
    texts = latest_consent_texts(purposes)
    now = timezone.now()
    records = []
    for purpose in purposes:
        if purpose not in texts:
            raise DomainError(DomainError.REFERENCE_MISSING)
        consent = Consent(job_seeker=person, purpose=purpose, text=texts[purpose], given_at=now)
        # The person and the text were just read or written; a new person has no standing
        # consent to clash with.
        consent.full_clean(exclude=["job_seeker", "text"], validate_constraints=False)
        records.append(consent)
    Consent.objects.bulk_create(records)
    audit_record(
        actor=user,
        verb=AuditVerb.CREATED,
        target=person,
        payload={"registered_via": RegistrationChannel.SELF_SERVICE, "consents": purposes},
    )
    # Likely duplicates are looked for after the commit, in the background.
    check_for_duplicates_after_commit([person.pk])
    return person


def sign_in_confirm(*, channel: str, address: str, code: str) -> User:
    """The job seeker's account a sign-in code confirms. A code for an address without an
    account was never sent, so it fails like any wrong code. Raises CodeRefused."""
    normalised = normalise_address(channel, address)
    code_redeem(channel=channel, normalised=normalised, purpose=CodePurpose.SIGN_IN, code=code)
    account = _account_for(channel, normalised)
    if account is None or not account.is_active or account.role != Role.JOB_SEEKER:
        raise CodeRefused(CodeRefused.WRONG)
    audit_record(actor=account, verb=AuditVerb.LOGGED_IN, target=account, payload={"with": "code"})
    return account
