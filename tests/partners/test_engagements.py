"""Who records engagements, and partners that are not countries (the EU)."""

import datetime

import pytest

from gza.core.errors import DomainError
from gza.partners.demo import partners_demo_load
from gza.partners.enums import AgreementKind, AgreementStatus, EngagementKind
from gza.partners.models import Agreement, Engagement, PartnerCountry
from gza.partners.services import engagement_record
from gza.taxonomy.models import Country
from tests.core.factories import UserFactory
from tests.partners.factories import AgreementFactory, PartnerCountryFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2019, 6, 1)


def _engagement(partner: PartnerCountry) -> Engagement:
    return Engagement(
        partner=partner, kind=EngagementKind.MEETING, occurred_on=DAY, summary_ka="შეხვედრა"
    )


def test_a_caseworker_records_engagements_for_the_pilot_their_organisation_runs(client):
    caseworker = UserFactory(iom_caseworker=True)
    pilot = AgreementFactory(
        partner=PartnerCountryFactory(country_id="PL"), kind=AgreementKind.PILOT
    )
    pilot.implementing_bodies.set([caseworker.organisation])
    engagement = engagement_record(
        actor=caseworker, engagement=_engagement(pilot.partner), organisations=[]
    )
    assert engagement.created_by == caseworker

    client.force_login(caseworker)
    page = client.get("/en/workspace/partners/PL/").content.decode()
    assert "/workspace/partners/PL/engagements/new/" in page
    assert "/workspace/partners/PL/stage/" not in page  # recording is not editing
    response = client.post(
        "/en/workspace/partners/PL/engagements/new/",
        {"kind": EngagementKind.CALL, "occurred_on": "2019-06-02", "summary_ka": "ზარი"},
    )
    assert response.status_code == 302
    assert Engagement.objects.filter(partner=pilot.partner, kind=EngagementKind.CALL).exists()


@pytest.mark.parametrize("kind", [AgreementKind.BILATERAL, AgreementKind.MEMORANDUM])
def test_a_caseworker_records_nothing_where_they_run_no_pilot(client, kind):
    caseworker = UserFactory(iom_caseworker=True)
    other = AgreementFactory(partner=PartnerCountryFactory(country_id="PL"), kind=kind)
    other.implementing_bodies.set([caseworker.organisation])
    AgreementFactory(partner=PartnerCountryFactory(country_id="FR"), kind=AgreementKind.PILOT)
    for code in ("PL", "FR"):
        partner = PartnerCountry.objects.get(country_id=code)
        with pytest.raises(DomainError):
            engagement_record(actor=caseworker, engagement=_engagement(partner), organisations=[])
    client.force_login(caseworker)
    assert client.get("/en/workspace/partners/PL/engagements/new/").status_code == 403
    assert "engagements/new/" not in client.get("/en/workspace/partners/PL/").content.decode()


def test_an_analyst_running_nothing_cannot_record():
    analyst = UserFactory(role="analyst")
    partner = PartnerCountryFactory(country_id="PL")
    with pytest.raises(DomainError):
        engagement_record(actor=analyst, engagement=_engagement(partner), organisations=[])


def test_the_eu_is_a_partner_but_not_a_state():
    assert not Country.objects.states().filter(code="EU").exists()
    assert Country.objects.filter(code="EU", is_union=True).exists()


def test_the_mobility_partnership_replays_its_dates(client):
    UserFactory()  # the demo's ministry officer
    partners_demo_load()
    partnership = Agreement.objects.get(partner__country_id="EU")
    assert partnership.kind == AgreementKind.EU_FRAMEWORK
    assert partnership.status == AgreementStatus.IN_FORCE
    assert partnership.signed_on == datetime.date(2010, 2, 16)
    eu = PartnerCountry.objects.get(country_id="EU")
    assert eu.stage_changes.order_by("occurred_on").first().occurred_on == datetime.date(
        2007, 5, 16
    )
    meetings = set(eu.engagements.values_list("occurred_on", flat=True))
    assert meetings == {datetime.date(2010, 9, 15), datetime.date(2012, 1, 30)}
    client.force_login(UserFactory())
    page = client.get("/ka/workspace/partners/EU/").content.decode()
    assert "ევროკავშირი" in page and "ბრიუსელი" in page
