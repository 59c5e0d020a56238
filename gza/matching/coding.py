"""Occupation codes from what people write, for imports and forms: a code stays a code, words
go through the autocoder (gza/matching/autocoder.py) and are accepted without a person only when
its confidence reaches the threshold calibrated on held-out titles (`AUTO_ACCEPT`)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gza.matching.autocoder import AUTO_ACCEPT, Suggestion, suggest
from gza.taxonomy.models import Occupation

_CODE = re.compile(r"\d{1,4}")

NOT_CODED = _(
    "“%(value)s” could not be coded with confidence: write the 4-digit ISCO-08 code. "
    "Closest: %(closest)s."
)
NOT_CODED_NOTHING = _(
    "“%(value)s” is not an occupation Gza recognises: write the 4-digit ISCO-08 code, for "
    "example 9211."
)


def auto_accepted(suggestions: list[Suggestion]) -> Suggestion | None:
    """The first suggestion if it is a unit group and confident enough to take unseen."""
    if suggestions and not suggestions[0].broader and suggestions[0].confidence >= AUTO_ACCEPT:
        return suggestions[0]
    return None


def occupation_suggestions(text: str, *, limit: int = 8) -> list[Occupation]:
    """ISCO-08 unit groups for an occupation typed in a person's own words (Georgian,
    English, Russian, Georgian in Latin letters, typos and inflected forms), best first: what a
    person confirms a code from (profile steps, the vacancy form). Each occupation carries its
    `suggestion` (confidence and the title that matched) to show why."""
    suggestions = [s for s in suggest(text or "", top=limit) if not s.broader]
    found = Occupation.objects.units().in_bulk([s.code for s in suggestions])
    ordered = []
    for suggestion in suggestions:
        occupation = found.get(suggestion.code)
        if occupation is not None:
            occupation.suggestion = suggestion
            ordered.append(occupation)
    return ordered


def code_from_text(text: str) -> str:
    """ "7115" and "7115 Carpenters and joiners" give 7115 (whether the code exists is the
    caller's rule); "შემდუღებელი" gives 7212 when the autocoder is confident; otherwise a
    ValidationError that names the closest codes for the person fixing the file."""
    text = (text or "").strip()
    first = text.split()[0] if text else ""
    if _CODE.fullmatch(first):
        return first
    suggestions = suggest(text, top=3)
    accepted = auto_accepted(suggestions)
    if accepted is not None:
        return accepted.code
    if not suggestions:
        raise ValidationError(NOT_CODED_NOTHING, code="occupation_text", params={"value": text})
    closest = ", ".join(f"{s.code} ({s.matched})" for s in suggestions)
    raise ValidationError(
        NOT_CODED, code="occupation_text", params={"value": text, "closest": closest}
    )
