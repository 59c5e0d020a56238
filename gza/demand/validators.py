"""Validators for the identifiers and codes of the demand domain."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gza.demand.enums import DrivingLicence

# The identification code in Georgia's Registry of Entrepreneurs and Non-entrepreneurial Legal
# Entities: 9 digits for a company, an individual entrepreneur's 11-digit personal number.
REGISTRY_NUMBER_RE = re.compile(r"^(\d{9}|\d{11})$")
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")


def validate_registry_number(value: str) -> None:
    if not REGISTRY_NUMBER_RE.match(value or ""):
        raise ValidationError(
            _(
                "A registry number is the identification code in the Registry of Entrepreneurs: "
                "9 digits for a company, 11 for an individual entrepreneur."
            ),
            code="invalid_registry_number",
        )


def validate_currency(value: str) -> None:
    if not CURRENCY_RE.match(value or ""):
        raise ValidationError(
            _("A currency is a three-letter ISO 4217 code, for example EUR or PLN."),
            code="invalid_currency",
        )


def validate_driving_licences(value: str) -> None:
    """A comma-separated list of categories, each known and named once: "B,C,CE"."""
    if not value:
        return
    categories = value.split(",")
    unknown = [c for c in categories if c not in DrivingLicence.values]
    if unknown:
        raise ValidationError(
            _("Unknown driving licence category: %(categories)s."),
            code="invalid_driving_licence",
            params={"categories": ", ".join(unknown)},
        )
    if len(set(categories)) != len(categories):
        raise ValidationError(
            _("Each driving licence category is named once."), code="repeated_driving_licence"
        )
