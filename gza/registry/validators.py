"""Validators for a person's identity: names in each script, phone numbers, age."""

import datetime
import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MINIMUM_AGE = 16
MAXIMUM_AGE = 100

# Georgian letters (Mkhedruli), with the spaces, hyphens and apostrophes compound names use.
_GEORGIAN_NAME = re.compile(r"^[ა-ჰ]+(?:[ \-'][ა-ჰ]+)*$")
# Latin letters as a passport writes them (plain ASCII), with the same separators.
_LATIN_NAME = re.compile(r"^[A-Za-z]+(?:[ \-'][A-Za-z]+)*$")


def validate_georgian_name(value: str) -> None:
    if not _GEORGIAN_NAME.match(value or ""):
        raise ValidationError(
            _(
                "Write the name in Georgian letters as on the ID card "
                "(spaces and hyphens allowed, no Latin letters or digits)."
            ),
            code="not_georgian_script",
        )


def validate_latin_name(value: str) -> None:
    if value and not _LATIN_NAME.match(value):
        raise ValidationError(
            _(
                "Write the name in Latin letters as in the passport "
                "(A–Z, spaces and hyphens; no Georgian letters or digits)."
            ),
            code="not_latin_script",
        )


def normalise_phone(value: str, *, region: str = "GE") -> str:
    """The number in E.164 (+995599123456); a number without a country code is read as
    Georgian. Raises ValidationError for anything that is not a valid number."""
    text = (value or "").strip()
    invalid = ValidationError(
        _(
            "Enter a valid phone number, for example 599 12 34 56 or, for a number abroad, "
            "with its country code: +48 512 345 678."
        ),
        code="invalid_phone",
    )
    if not text or len(text) > 30:
        raise invalid
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise invalid from None
    if not phonenumbers.is_valid_number(number):
        raise invalid
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_phone(value: str) -> None:
    if value:
        normalise_phone(value)


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def validate_birth_date(value: datetime.date) -> None:
    today = timezone.localdate()
    if value > today:
        raise ValidationError(_("The date of birth is in the future."), code="birth_date_in_future")
    age = age_on(value, today)
    if age < MINIMUM_AGE:
        raise ValidationError(
            _("Gza registers people from the age of %(minimum)s; this person is %(age)s."),
            code="too_young",
            params={"minimum": MINIMUM_AGE, "age": age},
        )
    if age > MAXIMUM_AGE:
        raise ValidationError(
            _("Check the date of birth: it gives an age over %(maximum)s."),
            code="too_old",
            params={"maximum": MAXIMUM_AGE},
        )


_PASSPORT = re.compile(r"^[A-Z0-9]{6,12}$")


def validate_passport_number(value: str) -> None:
    if value and not _PASSPORT.match(value):
        raise ValidationError(
            _("A passport number is 6 to 12 capital Latin letters and digits."),
            code="invalid_passport_number",
        )
