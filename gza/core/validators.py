"""Validators for Georgian identifiers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PERSONAL_NUMBER_RE = re.compile(r"^\d{11}$")


def validate_personal_number(value: str) -> None:
    """Georgia's personal number is 11 digits; it has no public checksum, so only the form is
    checked."""
    if not PERSONAL_NUMBER_RE.match(value or ""):
        raise ValidationError(
            _("A personal number has exactly 11 digits."), code="invalid_personal_number"
        )
