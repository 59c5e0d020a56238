import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from gza.core.enums import Role
from gza.core.errors import DomainError
from gza.partners.enums import AgreementStatus
from gza.partners.models import AGREEMENT_LIFECYCLE, Agreement, AgreementEvent, AgreementQuota
from gza.partners.services import agreement_move
from tests.core.factories import UserFactory
from tests.partners.factories import AgreementFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@given(st.lists(st.sampled_from(sorted(AGREEMENT_LIFECYCLE.transitions)), max_size=12))
def test_no_sequence_of_moves_leaves_the_lifecycle(names):
    status = AgreementStatus.NEGOTIATING
    for name in names:
        try:
            status = AGREEMENT_LIFECYCLE.get(name, state=status).target
        except DomainError:
            continue
        assert status in AgreementStatus.values


def test_a_signature_before_negotiations_opened_is_refused_naming_both_dates():
    agreement = AgreementFactory()
    with pytest.raises(ValidationError) as refused:
        agreement_move(
            actor=UserFactory(), agreement=agreement, transition="sign", occurred_on=D(2011, 1, 1)
        )
    message = " ".join(refused.value.messages)
    assert "2011-01-01" in message and "2012-05-01" in message
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.NEGOTIATING and agreement.signed_on is None
    assert not AgreementEvent.objects.exists()


def test_entry_into_force_before_ratification_is_refused():
    officer = UserFactory()
    agreement = AgreementFactory(ratified_partner_on=D(2018, 12, 1))
    agreement_move(
        actor=officer, agreement=agreement, transition="sign", occurred_on=D(2013, 11, 1)
    )
    with pytest.raises(ValidationError) as refused:
        agreement_move(
            actor=officer,
            agreement=agreement,
            transition="enter_into_force",
            occurred_on=D(2018, 6, 1),
        )
    assert "in_force_on" in refused.value.error_dict
    done = agreement_move(
        actor=officer, agreement=agreement, transition="enter_into_force", occurred_on=D(2019, 2, 1)
    )
    assert done.status == AgreementStatus.IN_FORCE
    assert AgreementEvent.objects.count() == 2


def test_ratification_needs_both_dates_and_suspension_a_reason():
    officer = UserFactory()
    agreement = AgreementFactory()
    agreement_move(actor=officer, agreement=agreement, transition="sign", occurred_on=D(2013, 1, 1))
    with pytest.raises(ValidationError) as refused:
        agreement_move(
            actor=officer, agreement=agreement, transition="ratify", occurred_on=D(2014, 1, 1)
        )
    assert refused.value.code == "ratification"
    with pytest.raises(DomainError, match=re.escape(str(DomainError.TRANSITION_NOT_ALLOWED))):
        agreement_move(
            actor=officer, agreement=agreement, transition="suspend", occurred_on=D(2014, 1, 1)
        )


def test_only_the_ministry_and_the_countrys_embassy_move_an_agreement():
    agreement = AgreementFactory()  # with France
    agreement_move(
        actor=UserFactory(embassy_officer=True),
        agreement=agreement,
        transition="sign",
        occurred_on=D(2013, 1, 1),
    )
    with pytest.raises(DomainError):
        agreement_move(
            actor=UserFactory(role=Role.CASEWORKER),
            agreement=agreement,
            transition="enter_into_force",
            occurred_on=D(2014, 1, 1),
        )


def test_quota_use_is_zero_until_placements_exist():
    agreement = AgreementFactory()
    assert agreement.quota_used(year=2026) == 0


def test_negative_quotas_and_unknown_occupations_are_refused_in_the_page_language(client):
    client.force_login(UserFactory())
    agreement = AgreementFactory()
    url = f"/en/workspace/agreements/{agreement.pk}/quotas/"
    negative = client.post(url, {"year": 2026, "occupation": "6121", "places": -5})
    assert "Ensure this value is greater than or equal to 0." in negative.content.decode()
    unknown = client.post(url, {"year": 2026, "occupation": "9999", "places": 5})
    assert "Select a valid choice." in unknown.content.decode()
    assert not AgreementQuota.objects.exists()
    ok = client.post(url, {"year": 2026, "occupation": "6121", "places": 40})
    assert ok.status_code == 302
    assert AgreementQuota.objects.get().places == 40


def test_an_officer_creates_an_agreement_and_bad_dates_get_a_message(client):
    client.force_login(UserFactory())
    from tests.partners.factories import PartnerCountryFactory

    PartnerCountryFactory(country_id="IL")
    url = reverse("workspace:agreement_create", args=["IL"])
    data = {
        "kind": "bilateral",
        "title_ka": "შეთანხმება ისრაელთან",
        "title_en": "Agreement with Israel",
        "negotiation_opened_on": "2018-12-03",
        "ratified_georgia_on": "2018-01-01",
        "occupations": ["5322"],
    }
    # Ratified before it could have been signed is fine only once signed; here the
    # agreement is not signed, so the order check has nothing to compare it with.
    response = client.post(url, data)
    assert response.status_code == 302
    agreement = Agreement.objects.get(title_en="Agreement with Israel")
    assert list(agreement.occupations.values_list("code", flat=True)) == ["5322"]
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "5322" in page


def test_one_quota_for_every_occupation_a_year(client):
    client.force_login(UserFactory())
    agreement = AgreementFactory()
    url = f"/en/workspace/agreements/{agreement.pk}/quotas/"
    assert client.post(url, {"year": 2026, "places": 100}).status_code == 302
    again = client.post(url, {"year": 2026, "places": 50})
    assert "already has a quota for every occupation in that year" in again.content.decode()
    assert client.post(url, {"year": 2027, "places": 50}).status_code == 302
    assert agreement.quotas.count() == 2
