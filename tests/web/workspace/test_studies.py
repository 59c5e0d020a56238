import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gza.core.enums import OrganisationKind, Role
from gza.demand.models import InDemandOccupation, LabourMarketStudy
from tests.core.factories import OrganisationFactory, UserFactory
from tests.demand.factories import (
    InDemandLanguageFactory,
    InDemandOccupationFactory,
    LabourMarketStudyFactory,
)
from tests.registry.factories import (
    JobSeekerFactory,
    LanguageSkillFactory,
    SoughtOccupationFactory,
)

pytestmark = pytest.mark.django_db


def _en(name: str, *args) -> str:
    return "/en" + reverse(name, args=args)[3:]


def _in_demand_form(languages: list[tuple[str, str]], **values) -> dict:
    data = {
        "occupation": "8160",
        "estimated_demand": "120",
        "wage_min": "15.00",
        "wage_max": "18.50",
        "wage_currency": "PLN",
        "wage_period": "hour",
        "qualifications": "Factory experience",
        "licences": "",
        "external_ref": "",
        "languages-TOTAL_FORMS": "3",
        "languages-INITIAL_FORMS": "0",
        "languages-MIN_NUM_FORMS": "0",
        "languages-MAX_NUM_FORMS": "10",
        **values,
    }
    for index, (language, level) in enumerate(languages):
        data[f"languages-{index}-language"] = language
        data[f"languages-{index}-min_level"] = level
    return data


def test_the_ministry_records_a_study_and_its_list_of_occupations(client):
    client.force_login(UserFactory())
    iom = OrganisationFactory(kind=OrganisationKind.IOM_NGO, name_en="IOM Mission (test)")
    created = client.post(
        reverse("workspace:study_create"),
        {
            "country": "PL",
            "title_ka": "პოლონეთის შრომის ბაზარი",
            "title_en": "Poland's labour market",
            "period_start": "2018-03-01",
            "period_end": "2019-02-28",
            "method": "Employer survey and desk research",
            "sources": "Statistics Poland",
            "findings_ka": "მოთხოვნა დიდია.",
            "findings_en": "Demand is high.",
            "author_organisation": iom.pk,
        },
    )
    assert created.status_code == 302
    study = LabourMarketStudy.objects.get()
    assert study.author_organisation == iom and created.url.endswith(f"/studies/{study.pk}/")

    add = _en("workspace:in_demand_create", study.pk)
    assert '<datalist id="isco-units">' in client.get(add).content.decode()
    done = client.post(add, _in_demand_form([("pl", "A1"), ("ru", "A2")]))
    assert done.status_code == 302
    row = InDemandOccupation.objects.get()
    assert sorted(row.languages.values_list("language", "min_level")) == [
        ("pl", "A1"),
        ("ru", "A2"),
    ]
    page = client.get(_en("workspace:study_detail", study.pk)).content.decode()
    assert row.occupation.title_en in page
    assert "Polish A1, Russian A2" in page and "Demand is high." in page

    edit = _en("workspace:in_demand_edit", row.pk)
    form = client.get(edit).content.decode()
    assert 'value="8160"' in form and 'value="120"' in form
    # The edit keeps Polish as it was, drops Russian (its row emptied) and raises the estimate.
    client.post(
        edit,
        _in_demand_form(
            [("pl", "A1"), ("", "")], estimated_demand="150", **{"languages-INITIAL_FORMS": "2"}
        ),
    )
    row.refresh_from_db()
    assert row.estimated_demand == 150 and row.languages.count() == 1

    removed = client.post(reverse("workspace:in_demand_remove", args=[row.pk]))
    assert removed.status_code == 302 and not InDemandOccupation.objects.exists()
    assert client.get(reverse("workspace:in_demand_remove", args=[row.pk])).status_code == 405


def test_the_forms_report_mistakes_and_store_nothing(client):
    client.force_login(UserFactory())
    study = LabourMarketStudyFactory(in_poland=True)
    url = _en("workspace:in_demand_create", study.pk)
    cases = [
        (_in_demand_form([], occupation="9999"), "Unknown ISCO-08 unit group: 9999."),
        (_in_demand_form([], occupation="921"), "Unknown ISCO-08 unit group: 921."),
        (_in_demand_form([], estimated_demand="0"), "The estimated demand is at least 1."),
        (
            _in_demand_form([], wage_min="20", wage_max="15"),
            "The upper wage cannot be below the lower one.",
        ),
        (
            _in_demand_form([("pl", "A1"), ("pl", "B1")]),
            "The language pl is required twice: name each language once.",
        ),
        (_in_demand_form([("pl", "")]), "Name both the language and its minimum level"),
        (_in_demand_form([("pl", "C3")]), "Select a valid choice."),
        (
            _in_demand_form([], occupation="welder"),
            "Choose the code for “welder” and type it: 7212 Welders and Flame Cutters",
        ),
        (_in_demand_form([], occupation="😀"), "No ISCO-08 code matches “😀”"),
    ]
    for data, message in cases:
        response = client.post(url, data)
        assert response.status_code == 200, message
        assert message in response.content.decode(), message
    assert not InDemandOccupation.objects.exists()

    reversed_period = client.post(
        _en("workspace:study_create"),
        {
            "country": "PL",
            "title_ka": "ა",
            "title_en": "A",
            "period_start": "2019-03-01",
            "period_end": "2019-02-28",
        },
    )
    assert "period cannot end before it starts" in reversed_period.content.decode()
    assert LabourMarketStudy.objects.count() == 1


def test_an_embassy_meets_a_404_for_another_countrys_study(client):
    client.force_login(UserFactory(embassy_officer=True))
    own = LabourMarketStudyFactory(title_en="Study of France")
    polish = InDemandOccupationFactory(study__in_poland=True, study__title_en="Study of Poland")
    for name, pk in [
        ("workspace:study_detail", polish.study_id),
        ("workspace:study_edit", polish.study_id),
        ("workspace:in_demand_create", polish.study_id),
        ("workspace:in_demand_edit", polish.pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    assert client.post(reverse("workspace:in_demand_remove", args=[polish.pk])).status_code == 404
    assert InDemandOccupation.objects.filter(pk=polish.pk).exists()
    listing = client.get(_en("workspace:study_list")).content.decode()
    assert "Study of France" in listing and "Study of Poland" not in listing
    # Its own country's study it edits, and may not move to another country.
    assert client.get(reverse("workspace:study_edit", args=[own.pk])).status_code == 200
    create = client.get(reverse("workspace:study_create")).content.decode()
    assert '<option value="FR" selected>' in create and 'value="PL"' not in create


def test_a_caseworker_edits_the_studies_of_their_organisation_only(client):
    iom = OrganisationFactory(kind=OrganisationKind.IOM_NGO)
    theirs = LabourMarketStudyFactory(in_poland=True, author_organisation=iom)
    other = LabourMarketStudyFactory()
    client.force_login(UserFactory(role=Role.CASEWORKER, organisation=iom))
    assert client.get(reverse("workspace:study_edit", args=[theirs.pk])).status_code == 200
    assert client.get(reverse("workspace:study_edit", args=[other.pk])).status_code == 403
    assert client.get(reverse("workspace:in_demand_create", args=[other.pk])).status_code == 403
    assert client.get(reverse("workspace:study_detail", args=[other.pk])).status_code == 200
    # A new study is their organisation's: the form does not ask for the author.
    form = client.get(reverse("workspace:study_create")).content.decode()
    assert 'name="author_organisation"' not in form
    client.post(
        reverse("workspace:study_create"),
        {
            "country": "PL",
            "title_ka": "კვლევა",
            "title_en": "Study",
            "period_start": "2025-01-01",
            "period_end": "2025-06-30",
        },
    )
    assert LabourMarketStudy.objects.get(title_en="Study").author_organisation == iom


def test_an_analyst_reads_the_aggregate_tables_but_changes_nothing(client):
    row = InDemandOccupationFactory(estimated_demand=10)
    InDemandLanguageFactory(in_demand=row)
    person = JobSeekerFactory(last_name="ბერიძე-ტესტი")
    SoughtOccupationFactory(job_seeker=person)
    LanguageSkillFactory(job_seeker=person, level_id="B1")
    client.force_login(UserFactory(role=Role.ANALYST))
    page = client.get(_en("workspace:study_detail", row.study_id)).content.decode()
    assert "Georgian supply and the gap" in page and "Large gap: training needed" in page
    assert "ბერიძე-ტესტი" not in page and person.personal_number not in page
    assert "/edit/" not in page and "/remove/" not in page
    assert "Labour-market studies" in page  # the navigation entry
    for name, pk in [("workspace:study_edit", row.study_id), ("workspace:in_demand_edit", row.pk)]:
        assert client.get(reverse(name, args=[pk])).status_code == 403
    assert client.post(reverse("workspace:in_demand_remove", args=[row.pk])).status_code == 403
    assert client.get(reverse("workspace:study_create")).status_code == 403


@pytest.mark.parametrize("role", [Role.EMPLOYER, Role.AGENCY, Role.CONTENT_EDITOR])
def test_employers_and_agencies_see_no_study(client, role):
    study = LabourMarketStudyFactory()
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("workspace:study_list")).status_code == 403
    assert client.get(reverse("workspace:study_detail", args=[study.pk])).status_code == 403
    home = client.get(_en("workspace:home")).content.decode()
    assert "Labour-market studies" not in home


def test_the_study_page_shows_the_gap_by_region_and_flags_large_gaps(client):
    study = LabourMarketStudyFactory(in_poland=True)
    InDemandOccupationFactory(study=study, occupation_id="9211", estimated_demand=1)
    welders = InDemandOccupationFactory(study=study, occupation_id="7212", estimated_demand=30)
    InDemandLanguageFactory(in_demand=welders, language_id="ru", min_level_id="A2")
    for batumi in (False, True, True):
        SoughtOccupationFactory(job_seeker=JobSeekerFactory(from_batumi=batumi))
    welder = JobSeekerFactory()
    SoughtOccupationFactory(job_seeker=welder, occupation_id="7212")
    client.force_login(UserFactory())
    page = client.get(_en("workspace:study_detail", study.pk)).content.decode()
    assert "Large gap: training needed" in page
    assert "Language training could fill 1 place." in page
    assert ">Autonomous Republic of Adjara</th>" in page and ">Kakheti</th>" in page
    assert "2 / 2" in page and "0 / 1" in page  # farm workers in Adjara; the welder in Kakheti


def test_the_study_page_costs_the_same_queries_however_long_its_list(client):
    client.force_login(UserFactory())
    study = LabourMarketStudyFactory(in_poland=True)
    codes = ["9211", "6111", "8160", "9329", "7512", "7115", "7212", "5120", "8332", "5131"]
    InDemandLanguageFactory(in_demand__study=study, in_demand__occupation_id=codes[0])
    SoughtOccupationFactory(occupation_id=codes[0])
    url = _en("workspace:study_detail", study.pk)
    client.get(url)  # warm up: content types, session
    with CaptureQueriesContext(connection) as short:
        client.get(url)
    for code in codes[1:]:
        InDemandLanguageFactory(in_demand__study=study, in_demand__occupation_id=code)
        SoughtOccupationFactory(occupation_id=code, job_seeker=JobSeekerFactory(from_batumi=True))
    with CaptureQueriesContext(connection) as long:
        response = client.get(url)
    assert response.content.decode().count("Polish A2") == len(codes)
    assert len(long) == len(short)


@pytest.mark.parametrize("language", ["ka", "en"])
def test_study_pages_render_in_both_languages(client, language):
    client.force_login(UserFactory())
    row = InDemandOccupationFactory(study__findings_ka="ქართული დასკვნა", study__findings_en="")
    InDemandLanguageFactory(in_demand=row)
    SoughtOccupationFactory()
    names = [
        ("workspace:study_list", ()),
        ("workspace:study_create", ()),
        ("workspace:study_detail", (row.study_id,)),
        ("workspace:study_edit", (row.study_id,)),
        ("workspace:in_demand_create", (row.study_id,)),
        ("workspace:in_demand_edit", (row.pk,)),
    ]
    for name, args in names:
        url = f"/{language}" + reverse(name, args=args)[3:]
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{language}">' in response.content.decode(), url
    detail = client.get(f"/{language}" + reverse("workspace:study_detail", args=[row.study_id])[3:])
    title = row.study.title_ka if language == "ka" else row.study.title_en
    page = detail.content.decode()
    assert title in page and "ქართული დასკვნა" in page  # findings fall back to Georgian
    occupation = row.occupation.title_ka if language == "ka" else row.occupation.title_en
    assert occupation in page
