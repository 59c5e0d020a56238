"""The weights of the components: which row applies to a vacancy, and which weights make
sense at all (whole numbers from 0 to 100, every component named, at least one above zero)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gza.matching.enums import Component
from gza.matching.models import DEFAULT_WEIGHTS, MAX_WEIGHT, MatchWeights


class WeightMessages:
    """The refusals, as constants so tests and forms can name them."""

    NOT_A_WHOLE_NUMBER = _("A weight is a whole number from 0 to 100.")
    OUT_OF_RANGE = _("A weight is a whole number from 0 to 100.")
    MISSING = _("Every component needs a weight.")
    UNKNOWN = _("There is no matching component called %(name)s.")
    ALL_ZERO = _("At least one weight must be above zero.")


def weights_for(vacancy) -> dict[str, int]:
    """The scheme's weights, else the national default row, else DEFAULT_WEIGHTS."""
    rows = MatchWeights.objects.filter(agreement__isnull=True)
    if vacancy.agreement_id:
        rows = MatchWeights.objects.filter(agreement_id=vacancy.agreement_id) | rows
    # The scheme's row first (NULL agreement sorts last in descending order on both databases
    # only with nulls_last, hence the explicit key).
    found = sorted(rows, key=lambda row: row.agreement_id is None)
    if found:
        return found[0].as_dict()
    return {name: int(DEFAULT_WEIGHTS[name]) for name in Component.values}


def validate_weights(weights) -> dict[str, int]:
    """The weights as a plain dict in Component order, or ValidationError (per component,
    code "weight_invalid", "weight_missing" or "weight_unknown"; "weights_all_zero" for the
    whole) with a message in the active language."""
    if not isinstance(weights, dict):
        raise ValidationError(WeightMessages.MISSING, code="weight_missing")
    errors: dict[str, ValidationError] = {}
    for name in weights:
        if name not in Component.values:
            errors[str(name)] = ValidationError(
                WeightMessages.UNKNOWN, code="weight_unknown", params={"name": name}
            )
    clean: dict[str, int] = {}
    for name in Component.values:
        if name not in weights or weights[name] is None:
            errors[name] = ValidationError(WeightMessages.MISSING, code="weight_missing")
            continue
        value = weights[name]
        if isinstance(value, bool) or not isinstance(value, int):
            # 2.0 is accepted as 2; 2.5, "2" and True are not whole numbers.
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            else:
                errors[name] = ValidationError(
                    WeightMessages.NOT_A_WHOLE_NUMBER, code="weight_invalid"
                )
                continue
        if value < 0 or value > MAX_WEIGHT:
            errors[name] = ValidationError(WeightMessages.OUT_OF_RANGE, code="weight_invalid")
            continue
        clean[name] = value
    if errors:
        raise ValidationError(errors)
    if not any(clean.values()):
        raise ValidationError(WeightMessages.ALL_ZERO, code="weights_all_zero")
    return clean
