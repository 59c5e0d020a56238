"""Template filters that are safe for Georgian, and locale-aware numbers and money (CLDR)."""

from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency, format_decimal
from django import template
from django.utils.translation import get_language

from gza.core import text

register = template.Library()


@register.filter(is_safe=True)
def capfirst(value: object) -> str:
    """Replaces Django's capfirst, which would give Georgian words a Mtavruli capital."""
    return text.capfirst(value)


def _locale() -> str:
    return (get_language() or "ka")[:2]


@register.filter
def money(amount: object, currency: str = "GEL") -> str:
    """`{{ wage|money:"EUR" }}` -> "1 234,50 €" in Georgian, "€1,234.50" in English."""
    if amount in (None, ""):
        return ""
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return ""
    return format_currency(value, currency, locale=_locale())


@register.filter
def number(amount: object, digits: int | None = None) -> str:
    """A number in the active language's CLDR format (Georgian uses a decimal comma)."""
    if amount in (None, ""):
        return ""
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return ""
    if digits is not None:
        value = round(value, int(digits))
    return format_decimal(value, locale=_locale())


@register.filter
def contribution(assessment: object, component: object) -> object:
    """`{{ assessment|contribution:component }}`: the points a component adds to the score."""
    return assessment.contribution(component)  # type: ignore[attr-defined]
