import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from gza.core.enums import AuditVerb
from gza.core.models import AuditEvent
from gza.partners.demo import partners_demo_load
from gza.partners.models import Engagement, PartnerCountry
from tests.core.factories import UserFactory
from tests.partners.factories import PartnerCountryFactory

pytestmark = pytest.mark.django_db


def test_the_overview_groups_demo_partners_by_stage(client):
    UserFactory()  # the demo's ministry officer
    partners_demo_load()
    assert partners_demo_load() == 0  # a second run adds nothing
    client.force_login(UserFactory())
    html = client.get(reverse("workspace:partner_list")).content.decode()
    assert "/workspace/partners/FR/" in html and "/workspace/partners/BG/" in html


def test_the_france_page_shows_its_timeline_in_both_languages(client):
    UserFactory()
    partners_demo_load()
    client.force_login(UserFactory())
    english = client.get("/en/workspace/partners/FR/").content.decode()
    assert "Agreement signed" in english and "პარიზი" in english
    georgian = client.get("/ka/workspace/partners/FR/").content.decode()
    assert "2019" in georgian


def test_an_officer_moves_a_stage_from_the_page_and_a_bad_move_is_explained(client):
    client.force_login(UserFactory())
    partner = PartnerCountryFactory(country_id="EE")
    url = reverse("workspace:partner_move", args=["EE"])
    refused = client.post(
        "/en" + url[3:], {"transition": "not_pursue", "occurred_on": "2019-03-01"}
    )
    assert refused.status_code == 200
    assert "this move needs a reason" in refused.content.decode()
    done = client.post(url, {"transition": "contact", "occurred_on": "2019-03-01"})
    assert done.status_code == 302
    partner.refresh_from_db()
    assert partner.stage == "contacted"
    assert AuditEvent.objects.filter(verb=AuditVerb.UPDATED, target_id=str(partner.pk)).exists()


def test_an_embassy_records_an_engagement_for_its_country_only(client):
    officer = UserFactory(embassy_officer=True)
    PartnerCountryFactory(country_id="FR")
    PartnerCountryFactory(country_id="PL")
    client.force_login(officer)
    response = client.post(
        reverse("workspace:engagement_create", args=["FR"]),
        {
            "kind": "meeting",
            "occurred_on": "2019-05-01",
            "place": "Paris",
            "summary_ka": "შეხვედრა",
        },
    )
    assert response.status_code == 302
    assert Engagement.objects.get().created_by == officer
    assert client.get(reverse("workspace:partner_detail", args=["PL"])).status_code == 404
    assert PartnerCountry.objects.count() == 2


def test_the_ministry_adds_a_country_and_an_indicator_needs_a_source(client):
    client.force_login(UserFactory())
    response = client.post(reverse("workspace:partner_add"), {"country": "DE"})
    assert response.status_code == 302
    germany = PartnerCountry.objects.get(country_id="DE")
    assert germany.stage == "identified" and germany.stage_changes.count() == 1
    url = "/en" + reverse("workspace:indicator_add", args=["DE"])[3:]
    refused = client.post(url, {"kind": "minimum_wage", "value": "2000", "period": "2025"})
    assert refused.status_code == 200
    assert "This field is required." in refused.content.decode()
    done = client.post(
        url,
        {
            "kind": "minimum_wage",
            "value": "2161",
            "currency": "EUR",
            "unit": "per month",
            "period": "2025",
            "source": "Federal Statistical Office",
        },
    )
    assert done.status_code == 302
    assert germany.country.indicators.get().value == 2161


def test_one_timeline_holds_stages_engagements_agreements_and_decisions(client):
    UserFactory()
    partners_demo_load()
    client.force_login(UserFactory())
    france = client.get("/en/workspace/partners/FR/").content.decode()
    assert "timeline__item--agreement" in france and "timeline__item--engagement" in france
    bulgaria = client.get("/en/workspace/partners/BG/").content.decode()
    assert "timeline__item--decision" in bulgaria and "Not advisable now" in bulgaria


def test_the_briefing_note_follows_the_memo_in_either_language(client):
    UserFactory()
    partners_demo_load()
    client.force_login(UserFactory())
    english = client.get("/en/workspace/partners/briefing/").content.decode()
    assert english.index("Experience so far") < english.index("Ongoing work")
    assert "Recommendation: not advisable now." in english
    assert "286 EUR" in english
    georgian = client.get("/ka/workspace/partners/BG/briefing/").content.decode()
    assert "ბულგარეთი" in georgian and "286 ევრო" in georgian
    embassy = UserFactory(embassy_officer=True)
    client.force_login(embassy)
    assert client.get("/en/workspace/partners/BG/briefing/").status_code == 404


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_briefing_pdf_embeds_a_georgian_font_and_reads_back(client):
    UserFactory()
    partners_demo_load()
    user = UserFactory()
    client.force_login(user)
    response = client.get("/ka/workspace/partners/FR/briefing.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="gza-briefing-FR-')
    assert b"FiraGO" in response.content and b"/FontFile2" in response.content
    text = _pdf_text(response.content)
    assert "ცნობა: საფრანგეთი" in text and "„გზა“" in text
    assert "2019" in text
    assert AuditEvent.objects.filter(actor=user, verb=AuditVerb.EXPORTED).exists()


def test_the_briefing_pdf_on_all_partners_in_english_keeps_the_memo_order(client):
    UserFactory()
    partners_demo_load()
    client.force_login(UserFactory())
    text = _pdf_text(client.get("/en/workspace/partners/briefing.pdf").content)
    assert text.index("Experience so far") < text.index("Ongoing work")
    assert "Bulgaria" in text


def test_the_briefing_pdf_is_scoped_like_the_page(client):
    UserFactory()
    partners_demo_load()
    client.force_login(UserFactory(embassy_officer=True))
    assert client.get("/en/workspace/partners/BG/briefing.pdf").status_code == 404
    text = _pdf_text(client.get("/en/workspace/partners/briefing.pdf").content)
    assert "France" in text and "Bulgaria" not in text
