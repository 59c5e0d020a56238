"""Matching weights: which row applies to a vacancy, and weights that make no sense refused
with a message in the page's language."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from gza.matching.enums import Component
from gza.matching.models import DEFAULT_WEIGHTS, MatchWeights
from gza.matching.weights import WeightMessages, validate_weights, weights_for
from tests.demand.factories import VacancyFactory
from tests.partners.factories import AgreementFactory

GOOD = {name: int(DEFAULT_WEIGHTS[name]) for name in Component.values}


def _codes(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {name: [e.code for e in errors] for name, errors in error.error_dict.items()}
    return {"__all__": [e.code for e in error.error_list]}


def test_the_default_weights_are_valid_and_returned_in_component_order():
    assert list(validate_weights(dict(reversed(GOOD.items())))) == Component.values


@pytest.mark.parametrize("value", [-1, 101, 2.5, "7", None, True])
def test_a_weight_outside_0_to_100_or_not_a_whole_number_is_refused(value):
    with pytest.raises(ValidationError) as caught:
        validate_weights({**GOOD, "skills": value})
    codes = _codes(caught.value)
    assert list(codes) == ["skills"]
    assert codes["skills"][0] in {"weight_invalid", "weight_missing"}


def test_a_whole_float_counts_as_its_integer():
    assert validate_weights({**GOOD, "skills": 20.0})["skills"] == 20


def test_a_missing_or_unknown_component_is_refused():
    missing = dict(GOOD)
    del missing["country"]
    with pytest.raises(ValidationError) as caught:
        validate_weights(missing)
    assert _codes(caught.value) == {"country": ["weight_missing"]}
    with pytest.raises(ValidationError) as caught:
        validate_weights({**GOOD, "age": 10})
    assert _codes(caught.value) == {"age": ["weight_unknown"]}
    with pytest.raises(ValidationError):
        validate_weights(None)


def test_all_zero_weights_are_refused_in_the_page_language():
    zero = dict.fromkeys(Component.values, 0)
    with pytest.raises(ValidationError) as caught:
        validate_weights(zero)
    assert _codes(caught.value) == {"__all__": ["weights_all_zero"]}
    with translation.override("en"):
        assert caught.value.messages == [str(WeightMessages.ALL_ZERO)]
        assert caught.value.messages == ["At least one weight must be above zero."]


@given(st.fixed_dictionaries({name: st.integers(-5, 105) for name in Component.values}))
def test_weights_are_accepted_exactly_when_whole_0_to_100_and_not_all_zero(weights):
    sensible = all(0 <= v <= 100 for v in weights.values()) and any(weights.values())
    if sensible:
        assert validate_weights(weights) == weights
    else:
        with pytest.raises(ValidationError):
            validate_weights(weights)


@pytest.mark.django_db
def test_a_vacancy_takes_its_schemes_weights_else_the_national_row_else_the_defaults():
    scheme = AgreementFactory()
    in_scheme = VacancyFactory(agreement=scheme)
    outside = VacancyFactory()
    assert weights_for(in_scheme) == GOOD
    MatchWeights.objects.create(agreement=None, occupation=50, skills=10)
    national = {**GOOD, "occupation": 50, "skills": 10}
    assert weights_for(in_scheme) == national
    assert weights_for(outside) == national
    MatchWeights.objects.create(agreement=scheme, occupation=90, skills=0)
    assert weights_for(in_scheme) == {**GOOD, "occupation": 90, "skills": 0}
    assert weights_for(outside) == national
