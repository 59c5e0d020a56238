"""One-time codes: stored only as keyed hashes, single-use, short-lived, five tries, and rate
limited per address and per client address."""

import datetime
import re

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone
from django.utils.translation import override

from gza.registry import messaging
from gza.registry.enums import CodeChannel, CodePurpose
from gza.registry.otp import (
    CodeRefused,
    CodeRequestTally,
    OneTimeCode,
    TooManyCodes,
    code_redeem,
    codes_purge,
    normalise_address,
)
from gza.registry.registration import confirm_code, request_code

pytestmark = pytest.mark.django_db

PHONE = "+995599123456"


@pytest.fixture(autouse=True)
def _empty_outbox():
    messaging.outbox.clear()
    yield
    messaging.outbox.clear()


def _ask(address: str = PHONE, *, ip: str | None = "10.0.0.1", channel=CodeChannel.SMS) -> str:
    """Ask for a registration code and return the code the message carried."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        request_code(channel=channel, address=address, purpose=CodePurpose.REGISTER, ip=ip)
    body = messaging.outbox[-1].body if channel == CodeChannel.SMS else mail.outbox[-1].body
    return re.search(r"\b(\d{6})\b", body).group(1)


def _redeem(code: str, address: str = PHONE) -> OneTimeCode:
    return code_redeem(
        channel=CodeChannel.SMS, normalised=address, purpose=CodePurpose.REGISTER, code=code
    )


def test_a_code_is_sent_by_sms_in_georgian_then_english_and_stored_only_as_hashes():
    code = _ask("599 12 34 56")
    message = messaging.outbox[-1]
    assert message.to == PHONE
    assert message.body.index("კოდი") < message.body.index("your code")
    stored = OneTimeCode.objects.get()
    values = " ".join(str(v) for v in stored.__dict__.values())
    assert PHONE not in values and "599123456" not in values and code not in values
    assert stored.expires_at - stored.created_at == datetime.timedelta(minutes=10)


def test_an_email_code_goes_through_django_mail_to_the_lower_cased_address():
    code = _ask("Nino@Example.GE", channel=CodeChannel.EMAIL)
    assert mail.outbox[-1].to == ["nino@example.ge"]
    assert "Gza" in mail.outbox[-1].subject
    token = confirm_code(channel=CodeChannel.EMAIL, address="nino@example.ge ", code=code)
    assert token


def test_a_code_works_once():
    code = _ask()
    _redeem(code)
    with pytest.raises(CodeRefused) as refused:
        _redeem(code)
    assert refused.value.message == CodeRefused.USED


def test_an_expired_code_is_refused(settings):
    code = _ask()
    OneTimeCode.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(CodeRefused) as refused:
        _redeem(code)
    assert refused.value.message == CodeRefused.EXPIRED
    with override("en"):
        assert str(refused.value.message) == "This code has expired. Ask for a new one."


def test_five_wrong_tries_kill_the_code():
    code = _ask()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _try in range(4):
        with pytest.raises(CodeRefused) as refused:
            _redeem(wrong)
        assert refused.value.message == CodeRefused.WRONG
    with pytest.raises(CodeRefused) as refused:
        _redeem(wrong)
    assert refused.value.message == CodeRefused.EXHAUSTED
    # Even the right code no longer works.
    with pytest.raises(CodeRefused) as refused:
        _redeem(code)
    assert refused.value.message == CodeRefused.EXHAUSTED


def test_letters_or_an_empty_code_are_simply_wrong():
    _ask()
    for typed in ["", "abcdef", "12 34"]:
        with pytest.raises(CodeRefused):
            _redeem(typed)


def test_an_older_live_code_still_works_after_a_resend():
    first = _ask()
    second = _ask()
    assert _redeem(first)
    assert _redeem(second)


def test_a_code_for_one_number_does_not_confirm_another():
    code = _ask()
    with pytest.raises(CodeRefused):
        _redeem(code, "+995599654321")


def test_three_codes_per_address_per_quarter_hour_then_a_clear_refusal():
    for _n in range(3):
        _ask()
    with pytest.raises(TooManyCodes) as limited:
        _ask()
    assert limited.value.message == TooManyCodes.ADDRESS
    assert 0 < limited.value.retry_after <= 15 * 60 + 1
    with override("en"):
        assert "Wait 15 minutes" in str(limited.value)
    assert len(messaging.outbox) == 3


def test_ten_codes_per_address_per_day(settings):
    settings.OTP_ADDRESS_LIMIT_WINDOW = 100
    for _n in range(10):
        _ask()
    with pytest.raises(TooManyCodes):
        _ask()
    # A day later the address may ask again.
    OneTimeCode.objects.update(created_at=timezone.now() - datetime.timedelta(days=1, seconds=1))
    assert _ask()


def test_the_per_network_limit_counts_every_address_from_one_client(settings):
    settings.OTP_IP_LIMIT_WINDOW = 4
    for n in range(4):
        _ask(f"+99559912345{n}", ip="10.0.0.9")
    with pytest.raises(TooManyCodes) as limited:
        _ask("+995599123459", ip="10.0.0.9")
    assert limited.value.message == TooManyCodes.NETWORK
    # Another client is not affected, and the tally keeps no address in clear.
    assert _ask("+995599123459", ip="10.0.0.10")
    assert not CodeRequestTally.objects.filter(ip_hash__contains="10.0.0").exists()


def test_the_per_network_limit_slides_with_time(settings):
    settings.OTP_IP_LIMIT_WINDOW = 2
    for n in range(2):
        _ask(f"+99559912345{n}", ip="10.0.0.9")
    CodeRequestTally.objects.update(minute=timezone.now() - datetime.timedelta(minutes=16))
    assert _ask("+995599123452", ip="10.0.0.9")


@pytest.mark.parametrize(
    ("channel", "address"),
    [(CodeChannel.SMS, "12345"), (CodeChannel.SMS, "+995 12"), (CodeChannel.EMAIL, "nino@")],
)
def test_invalid_addresses_are_refused_before_anything_is_stored(channel, address):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as invalid:
        normalise_address(channel, address)
    assert "address" in invalid.value.message_dict
    with pytest.raises(ValidationError):
        request_code(channel=channel, address=address, purpose=CodePurpose.REGISTER, ip=None)
    assert not OneTimeCode.objects.exists()


def test_old_codes_and_tallies_are_purged():
    _ask()
    OneTimeCode.objects.update(created_at=timezone.now() - datetime.timedelta(days=2))
    CodeRequestTally.objects.update(minute=timezone.now() - datetime.timedelta(days=2))
    assert codes_purge() == 1
    assert not CodeRequestTally.objects.exists()


def test_the_file_backend_writes_one_file_per_recipient_named_by_its_hash(settings, tmp_path):
    settings.SMS_BACKEND = "gza.registry.messaging.FileSmsBackend"
    settings.SMS_FILE_PATH = str(tmp_path)
    with TestCase.captureOnCommitCallbacks(execute=True):
        request_code(channel=CodeChannel.SMS, address=PHONE, purpose=CodePurpose.REGISTER, ip=None)
    name = messaging.recipient_file_name(PHONE)
    assert [p.name for p in tmp_path.iterdir()] == [name]
    code = re.search(r"\b(\d{6})\b", (tmp_path / name).read_text(encoding="utf-8")).group(1)
    assert _redeem(code)


def test_the_console_backend_prints_the_message(capsys, settings):
    messaging.ConsoleSmsBackend().send(messaging.SmsMessage(to=PHONE, body="კოდი 123456"))
    assert "კოდი 123456" in capsys.readouterr().out


def test_production_refuses_to_send_codes_until_a_gateway_is_named():
    from django.core.exceptions import ImproperlyConfigured

    from gza.registry.messaging import SmsMessage, UnconfiguredSmsBackend

    with pytest.raises(ImproperlyConfigured, match="SMS_BACKEND"):
        UnconfiguredSmsBackend().send(SmsMessage(to="+995599123456", body="123456"))


def test_purge_codes_deletes_only_what_no_limit_looks_at():
    import io

    from django.core.management import call_command

    _ask()
    OneTimeCode.objects.update(created_at=timezone.now() - datetime.timedelta(days=2))
    _ask()
    out = io.StringIO()
    call_command("purge_codes", stdout=out)
    assert "1 old codes deleted" in out.getvalue()
    assert OneTimeCode.objects.count() == 1
