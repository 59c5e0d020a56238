"""One-time codes that confirm a phone number or e-mail address, and their rate limits.

A code is six digits, sent by SMS or e-mail, valid for OTP_TTL_MINUTES, good for one use and
dead after OTP_MAX_ATTEMPTS wrong tries. Neither the address nor the code is stored: only their
HMAC-SHA256 under the project's secret key, so a copy of the table reveals no phone numbers and
no live codes. HMAC rather than a password hasher on purpose: a code lives ten minutes and allows
five tries, so slow hashing would protect nothing and would make a registration surge wait.

Rate limits live in the database, so they hold across every server process: per address
(OTP_ADDRESS_LIMIT_WINDOW codes per 15 minutes, OTP_ADDRESS_LIMIT_DAY per day) counted from the
codes themselves, and per client address (OTP_IP_LIMIT_WINDOW per 15 minutes) counted in
per-minute tallies, so the check stays one small query however busy one address is.
"""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from gza.core.errors import DomainError
from gza.registry.enums import CodeChannel, CodePurpose
from gza.registry.validators import normalise_phone

WINDOW = datetime.timedelta(minutes=15)
DAY = datetime.timedelta(days=1)
CODE_DIGITS = 6


class CodeRefused(DomainError):
    """A code that does not confirm the address; the messages say what to do next."""

    WRONG = _("This code is not right. Check the last message we sent you and try again.")
    EXPIRED = _("This code has expired. Ask for a new one.")
    USED = _("This code has already been used. Ask for a new one.")
    EXHAUSTED = _("Too many wrong tries: this code no longer works. Ask for a new one.")


class TooManyCodes(DomainError):
    """A rate limit was reached; `retry_after` says in how many seconds to ask again."""

    ADDRESS = _("Too many codes were sent to this address. Wait %(minutes)s minutes and ask again.")
    NETWORK = _(
        "Too many codes were asked for from your network. Wait %(minutes)s minutes and ask again."
    )

    def __init__(self, message: str, *, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(message, minutes=max(1, -(-retry_after // 60)))


class OneTimeCode(models.Model):
    channel = models.CharField(_("channel"), max_length=5, choices=CodeChannel.choices)
    # HMAC-SHA256 of the normalised address (E.164 phone or lower-case e-mail), never the address.
    address_hash = models.CharField(_("address (keyed hash)"), max_length=64)
    code_hash = models.CharField(_("code (keyed hash)"), max_length=64)
    purpose = models.CharField(_("purpose"), max_length=10, choices=CodePurpose.choices)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    ip_hash = models.CharField(_("client address (keyed hash)"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        indexes = [
            # The per-address rate limit and the lookup of a person's latest codes.
            models.Index(fields=["address_hash", "created_at"], name="otp_address_created"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.purpose} {self.created_at:%Y-%m-%d %H:%M}"

    def is_live(self, now: datetime.datetime) -> bool:
        return (
            self.used_at is None
            and self.expires_at > now
            and self.attempts < settings.OTP_MAX_ATTEMPTS
        )


class CodeRequestTally(models.Model):
    """How many codes one client address asked for in one minute: the per-IP rate limit."""

    ip_hash = models.CharField(max_length=64)
    minute = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("code request tally")
        verbose_name_plural = _("code request tallies")
        constraints = [
            models.UniqueConstraint(fields=["ip_hash", "minute"], name="code_tally_once_per_minute")
        ]

    def __str__(self) -> str:
        return f"{self.minute:%Y-%m-%d %H:%M} {self.count}"


def normalise_address(channel: str, address: str) -> str:
    """The canonical form codes are keyed on: E.164 for a phone, lower case for an e-mail.
    Raises ValidationError({"address": ...}) for anything else."""
    try:
        if channel == CodeChannel.SMS:
            return normalise_phone(address)
        if channel == CodeChannel.EMAIL:
            value = (address or "").strip().lower()
            validate_email(value)
            return value
    except ValidationError as error:
        raise ValidationError({"address": error.messages}) from None
    raise ValidationError({"channel": [_("Choose a phone or an e-mail address.")]})


def keyed_hash(kind: str, value: str) -> str:
    return salted_hmac(f"gza.registry.otp.{kind}", value, algorithm="sha256").hexdigest()


def address_hash(channel: str, normalised: str) -> str:
    return keyed_hash("address", f"{channel}:{normalised}")


def _code_hash(address_key: str, code: str) -> str:
    # Bound to the address, so equal codes of two people hash differently.
    return keyed_hash("code", f"{address_key}:{code}")


def _check_limits(*, address_key: str, ip_key: str, now: datetime.datetime) -> None:
    recent = OneTimeCode.objects.filter(address_hash=address_key, created_at__gte=now - DAY)
    counts = recent.aggregate(
        day=Count("pk"), window=Count("pk", filter=Q(created_at__gte=now - WINDOW))
    )
    if counts["window"] >= settings.OTP_ADDRESS_LIMIT_WINDOW:
        oldest = recent.filter(created_at__gte=now - WINDOW).order_by("created_at").first()
        wait = oldest.created_at + WINDOW - now if oldest else WINDOW
        raise TooManyCodes(TooManyCodes.ADDRESS, retry_after=int(wait.total_seconds()) + 1)
    if counts["day"] >= settings.OTP_ADDRESS_LIMIT_DAY:
        raise TooManyCodes(TooManyCodes.ADDRESS, retry_after=int(DAY.total_seconds()))
    if ip_key:
        asked = CodeRequestTally.objects.filter(
            ip_hash=ip_key, minute__gte=_minute(now - WINDOW)
        ).aggregate(total=Sum("count"))["total"]
        if (asked or 0) >= settings.OTP_IP_LIMIT_WINDOW:
            raise TooManyCodes(TooManyCodes.NETWORK, retry_after=int(WINDOW.total_seconds()))


def _minute(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(second=0, microsecond=0)


def _count_request(ip_key: str, now: datetime.datetime) -> None:
    minute = _minute(now)
    tally = CodeRequestTally.objects.filter(ip_hash=ip_key, minute=minute)
    if tally.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            CodeRequestTally.objects.create(ip_hash=ip_key, minute=minute, count=1)
    except IntegrityError:
        # Another process created this minute's tally first.
        tally.update(count=F("count") + 1)


def code_issue(
    *, channel: str, normalised: str, purpose: str, ip: str | None
) -> tuple[OneTimeCode, str]:
    """Store a new code for an address and return it with its digits (to send, never to keep).
    Raises TooManyCodes when a limit is reached."""
    now = timezone.now()
    address_key = address_hash(channel, normalised)
    ip_key = keyed_hash("ip", ip) if ip else ""
    digits = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    with transaction.atomic():
        _check_limits(address_key=address_key, ip_key=ip_key, now=now)
        code = OneTimeCode(
            channel=channel,
            address_hash=address_key,
            code_hash=_code_hash(address_key, digits),
            purpose=purpose,
            created_at=now,
            expires_at=now + datetime.timedelta(minutes=settings.OTP_TTL_MINUTES),
            ip_hash=ip_key,
        )
        code.full_clean()
        code.save(force_insert=True)
        if ip_key:
            # Last, so the tally's row lock is held only until the commit just after.
            _count_request(ip_key, now)
    return code, digits


def code_redeem(*, channel: str, normalised: str, purpose: str, code: str) -> OneTimeCode:
    """Use up the code the person typed, or raise CodeRefused saying why it does not work.

    A wrong code counts a try against every live code of the address, so asking for several
    codes gives no extra guesses."""
    now = timezone.now()
    address_key = address_hash(channel, normalised)
    typed = "".join((code or "").split())
    # At most OTP_ADDRESS_LIMIT_DAY codes a day, so the last few are all that can matter.
    recent = list(
        OneTimeCode.objects.filter(address_hash=address_key, purpose=purpose).order_by(
            "-created_at"
        )[:10]
    )
    typed_hash = _code_hash(address_key, typed) if typed.isdigit() else ""
    match = next((c for c in recent if constant_time_compare(c.code_hash, typed_hash)), None)
    if match is not None:
        if match.used_at is not None:
            raise CodeRefused(CodeRefused.USED)
        if match.expires_at <= now:
            raise CodeRefused(CodeRefused.EXPIRED)
        if match.attempts >= settings.OTP_MAX_ATTEMPTS:
            raise CodeRefused(CodeRefused.EXHAUSTED)
        # Conditional, so two requests racing with the same code cannot both use it.
        used = OneTimeCode.objects.filter(
            pk=match.pk, used_at__isnull=True, attempts__lt=settings.OTP_MAX_ATTEMPTS
        ).update(used_at=now)
        if not used:
            raise CodeRefused(CodeRefused.USED)
        match.used_at = now
        return match
    live = [c for c in recent if c.is_live(now)]
    if not live:
        if any(c.used_at is None and c.expires_at <= now for c in recent[:1]):
            raise CodeRefused(CodeRefused.EXPIRED)
        if recent and recent[0].attempts >= settings.OTP_MAX_ATTEMPTS:
            raise CodeRefused(CodeRefused.EXHAUSTED)
        raise CodeRefused(CodeRefused.WRONG)
    OneTimeCode.objects.filter(pk__in=[c.pk for c in live]).update(attempts=F("attempts") + 1)
    if all(c.attempts + 1 >= settings.OTP_MAX_ATTEMPTS for c in live):
        raise CodeRefused(CodeRefused.EXHAUSTED)
    raise CodeRefused(CodeRefused.WRONG)


def codes_purge(*, older_than: datetime.timedelta = DAY) -> int:
    """Delete codes and tallies no rate limit looks at any more; returns the codes deleted."""
    cutoff = timezone.now() - older_than
    CodeRequestTally.objects.filter(minute__lt=cutoff).delete()
    return OneTimeCode.objects.filter(created_at__lt=cutoff).delete()[0]
