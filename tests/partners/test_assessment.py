import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from gza.core.enums import Role
from gza.core.errors import DomainError
from gza.partners.assessment import assess
from gza.partners.enums import CooperationStage, Verdict
from gza.partners.models import AssessmentWeights, CountryIndicator, Decision
from gza.partners.services import decision_record
from tests.core.factories import UserFactory
from tests.partners.factories import AgreementFactory, PartnerCountryFactory

pytestmark = pytest.mark.django_db


def _earnings(code: str, value: int) -> None:
    CountryIndicator.objects.create(
        country_id=code,
        kind="average_earnings",
        value=value,
        currency="PPP $ 2021",
        period="2023",
        source="ILO, ILOSTAT",
    )


def test_each_component_is_explained_and_missing_data_is_left_out():
    _earnings("GE", 600)
    _earnings("PL", 2400)
    partner = PartnerCountryFactory(country_id="PL", stage=CooperationStage.SCHEME_OPERATING)
    AgreementFactory(partner=partner, status="in_force")
    result = assess(partner, AssessmentWeights(pay=40, demand=30, legal_pathway=20, cooperation=10))
    parts = {c.name: c for c in result.components}
    assert parts["pay"].score == Decimal("0.75")  # 4 times Georgia's; 5 times scores in full
    assert "2\xa0400 (2023)" in parts["pay"].explanation  # written the Georgian way
    assert "600 (2023)" in parts["pay"].explanation
    assert parts["demand"].score is None  # no labour-market study yet: left out, not invented
    assert parts["legal_pathway"].score == 1 and parts["cooperation"].score == 1
    # (0.75*40 + 1*20 + 1*10) / 70 = 0.857...
    assert result.score == Decimal("85.7")


@settings(max_examples=30, deadline=None)
@given(
    st.integers(0, 100), st.integers(0, 100), st.integers(0, 100), st.integers(0, 100),
    st.sampled_from(CooperationStage.values),
)  # fmt: skip
def test_the_score_stays_between_0_and_100_and_ignores_the_weight_of_missing_data(
    pay, demand, legal, cooperation, stage
):
    partner = PartnerCountryFactory(country_id="NO")
    partner.stage = stage
    score = assess(
        partner,
        AssessmentWeights(pay=pay, demand=demand, legal_pathway=legal, cooperation=cooperation),
    ).score
    if score is not None:
        assert 0 <= score <= 100
    other = assess(
        partner,
        AssessmentWeights(
            pay=pay, demand=(demand + 37) % 101, legal_pathway=legal, cooperation=cooperation
        ),
    ).score
    assert other == score  # demand has no data, so its weight changes nothing


def test_a_later_cooperation_stage_never_scores_lower():
    partner = PartnerCountryFactory(country_id="NO")
    order = [
        CooperationStage.IDENTIFIED,
        CooperationStage.CONTACTED,
        CooperationStage.INTEREST_EXPRESSED,
        CooperationStage.NEGOTIATING,
        CooperationStage.AGREEMENT_SIGNED,
        CooperationStage.SCHEME_OPERATING,
    ]
    scores = []
    for stage in order:
        partner.stage = stage
        scores.append(assess(partner).score)
    assert scores == sorted(scores)


def test_a_decision_keeps_the_assessment_of_its_day_and_conditions_are_required():
    officer = UserFactory()
    partner = PartnerCountryFactory(country_id="BG")
    with pytest.raises(ValidationError) as refused:
        decision_record(
            actor=officer,
            decision=Decision(
                partner=partner,
                verdict=Verdict.WITH_CONDITIONS,
                reasoning_ka="x",
                decided_on=datetime.date(2019, 4, 30),
            ),
        )
    assert "conditions_ka" in refused.value.error_dict
    decision = decision_record(
        actor=officer,
        decision=Decision(
            partner=partner,
            verdict=Verdict.NOT_NOW,
            reasoning_ka="ხელფასი დაბალია.",
            decided_on=datetime.date(2019, 4, 30),
        ),
    )
    assert decision.author == officer
    assert set(decision.assessment["components"]) == {
        "pay",
        "demand",
        "legal_pathway",
        "cooperation",
    }
    with pytest.raises(DomainError):
        decision_record(
            actor=UserFactory(role=Role.ANALYST),
            decision=Decision(
                partner=partner,
                verdict=Verdict.NOT_NOW,
                reasoning_ka="x",
                decided_on=datetime.date(2019, 5, 1),
            ),
        )


def test_weights_are_previewed_before_they_are_put_in_force(client):
    client.force_login(UserFactory())
    PartnerCountryFactory(country_id="PL")
    url = reverse("workspace:assessment_weights")
    data = {"pay": 10, "demand": 10, "legal_pathway": 10, "cooperation": 70}
    preview = client.post(url, {**data, "preview": "1"})
    assert preview.status_code == 200
    assert not AssessmentWeights.objects.exists()
    saved = client.post(url, {**data, "save": "1"})
    assert saved.status_code == 302
    assert AssessmentWeights.current().cooperation == 70
    too_big = client.post("/en" + url[3:], {**data, "pay": 150, "save": "1"})
    assert "Ensure this value is less than or equal to 100." in too_big.content.decode()
    assert AssessmentWeights.objects.count() == 1


def test_only_the_ministry_sets_weights(client):
    client.force_login(UserFactory(role=Role.ANALYST))
    url = reverse("workspace:assessment_weights")
    assert client.get(url).status_code == 200
    data = {"pay": 1, "demand": 1, "legal_pathway": 1, "cooperation": 1, "save": "1"}
    assert client.post(url, data).status_code == 403


def test_reweighting_an_assessment_equals_assessing_with_the_new_weights():
    _earnings("GE", 600)
    _earnings("FR", 5000)
    partner = PartnerCountryFactory(country_id="FR", stage=CooperationStage.NEGOTIATING)
    first = AssessmentWeights(pay=35, demand=25, legal_pathway=25, cooperation=15)
    second = AssessmentWeights(pay=5, demand=50, legal_pathway=5, cooperation=90)
    assert assess(partner, first).reweighted(second).score == assess(partner, second).score
