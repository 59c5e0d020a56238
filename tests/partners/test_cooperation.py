import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from gza.core.enums import Role
from gza.core.errors import DomainError
from gza.partners.enums import CooperationStage
from gza.partners.models import COOPERATION, CountryIndicator, PartnerCountry, StageChange
from gza.partners.services import earnings_indicators_load, partner_stage_move
from tests.core.factories import UserFactory
from tests.partners.factories import PartnerCountryFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2019, 3, 1)


def test_the_workflow_reaches_every_stage_and_only_known_ones():
    assert COOPERATION.states == set(CooperationStage.values)


@given(st.lists(st.sampled_from(sorted(COOPERATION.transitions)), max_size=12))
def test_any_sequence_of_moves_stays_legal(names):
    """Pure walk of the table: a refused move changes nothing; an accepted one lands on a
    known stage."""
    state = CooperationStage.IDENTIFIED
    for name in names:
        try:
            state = COOPERATION.get(name, state=state).target
        except DomainError:
            continue
        assert state in CooperationStage.values


@settings(max_examples=15, deadline=None)
@given(st.lists(st.sampled_from(sorted(COOPERATION.transitions)), max_size=6))
def test_the_service_logs_exactly_the_accepted_moves(names):
    officer = UserFactory()
    partner = PartnerCountryFactory(country_id="LT")
    PartnerCountry.objects.filter(pk=partner.pk).update(
        stage=CooperationStage.IDENTIFIED, stage_since=datetime.date(2018, 1, 1)
    )
    StageChange.objects.filter(partner=partner).delete()
    accepted = 0
    for name in names:
        try:
            partner_stage_move(
                actor=officer, partner=partner, transition=name, occurred_on=DAY, reason="why"
            )
            accepted += 1
        except DomainError:
            pass
    partner.refresh_from_db()
    assert partner.stage in CooperationStage.values
    assert StageChange.objects.filter(partner=partner).count() == accepted


def test_a_move_not_allowed_from_the_current_stage_is_refused():
    partner = PartnerCountryFactory()
    with pytest.raises(DomainError, match=re.escape(str(DomainError.TRANSITION_NOT_ALLOWED))):
        partner_stage_move(
            actor=UserFactory(), partner=partner, transition="start_scheme", occurred_on=DAY
        )
    partner.refresh_from_db()
    assert partner.stage == CooperationStage.IDENTIFIED
    assert not StageChange.objects.exists()


def test_side_exits_need_a_reason_and_dates_must_follow_the_current_stage():
    officer = UserFactory()
    partner = PartnerCountryFactory()
    with pytest.raises(ValidationError) as refused:
        partner_stage_move(actor=officer, partner=partner, transition="not_pursue", occurred_on=DAY)
    assert "reason" in refused.value.error_dict
    with pytest.raises(ValidationError) as early:
        partner_stage_move(
            actor=officer,
            partner=partner,
            transition="contact",
            occurred_on=datetime.date(2017, 1, 1),
        )
    assert "occurred_on" in early.value.error_dict
    moved = partner_stage_move(
        actor=officer,
        partner=partner,
        transition="not_pursue",
        occurred_on=DAY,
        reason="Wages too low for now.",
        source_document="Briefing 2019",
    )
    assert moved.stage == CooperationStage.NOT_PURSUED
    change = StageChange.objects.get()
    assert (change.from_stage, change.to_stage, change.actor) == (
        "identified",
        "not_pursued",
        officer,
    )


def test_an_embassy_officer_moves_only_their_own_country():
    officer = UserFactory(embassy_officer=True)  # the embassy in France
    france = PartnerCountryFactory(country_id="FR")
    poland = PartnerCountryFactory(country_id="PL")
    partner_stage_move(actor=officer, partner=france, transition="contact", occurred_on=DAY)
    with pytest.raises(DomainError, match=re.escape(str(DomainError.NOT_PERMITTED))):
        partner_stage_move(actor=officer, partner=poland, transition="contact", occurred_on=DAY)
    assert list(PartnerCountry.objects.visible_to(officer)) == [france]
    analyst = UserFactory(role=Role.ANALYST)
    with pytest.raises(DomainError):
        partner_stage_move(
            actor=analyst, partner=france, transition="express_interest", occurred_on=DAY
        )


def test_an_indicator_without_a_source_is_refused():
    indicator = CountryIndicator(country_id="BG", kind="minimum_wage", value=286, period="2019")
    with pytest.raises(ValidationError) as refused:
        indicator.full_clean()
    assert "source" in refused.value.error_dict


def test_ilostat_earnings_load_once_per_country_and_year():
    rows, unknown = earnings_indicators_load()
    assert rows > 600 and unknown == []
    assert earnings_indicators_load()[0] == rows
    assert CountryIndicator.objects.count() == rows
    germany = CountryIndicator.objects.filter(country_id="DE").order_by("-period").first()
    assert germany.value > 1000 and germany.source.startswith("ILO, ILOSTAT")
