"""Issue 4's "done when", in a real browser: an embassy vets a Polish employer, the employer
posts a vacancy, the embassy verifies it and the ministry publishes it, and it is found by the
portal's search; an agency files its annual report and leaves the list of agencies late with it.

Each person works in a browser of their own (one context each) and drives the screens; only the
records they start from are made with factories. Labels are the ones the page renders (Georgian
on /ka/, English on /en/); where a Georgian label is not written yet, the field's name is used,
so translating the interface does not break the test."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from gza.core.enums import OrganisationKind, Role
from gza.demand.enums import VacancyStatus, VettingStatus
from gza.demand.models import FIRST_REPORT_YEAR, AgencyReport, Vacancy, last_due_year
from gza.demand.vacancies import published_vacancies
from gza.taxonomy.services import reference_data_load
from tests.core.factories import PASSWORD, OrganisationFactory, UserFactory
from tests.demand.factories import AgencyFactory, AgencyReportFactory, ForeignEmployerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def isco(page):
    # Vacancies and report lines name an ISCO-08 unit group (after `page`: it empties the
    # database of the previous live-server test and loads the countries).
    reference_data_load(only={"isco08"}, force=True)


@pytest.fixture
def open_browser(browser: Browser, live_server):
    """A browser of a person's own: another context, so sessions do not mix."""
    contexts = []

    def open_browser(locale: str = "ka-GE") -> Page:
        context = browser.new_context(base_url=live_server.url, locale=locale)
        contexts.append(context)
        return context.new_page()

    yield open_browser
    for context in contexts:
        context.close()


def sign_in(page: Page, email: str, *, language: str, next_path: str) -> None:
    page.goto(f"/{language}/accounts/login/?next={next_path}")
    # Every page also has the language switch's form: only the one with the username is used.
    form = page.locator("form").filter(has=page.locator("#id_username"))
    form.locator("#id_username").fill(email)
    form.locator("#id_password").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(next_path) + "$"))


def main_form(page: Page, field: str):
    """The form of the page's content holding `field` (not the language switch)."""
    return page.locator("main form").filter(has=page.locator(f"[name={field}]"))


def record_move(page: Page, transition: str) -> None:
    """Choose a move on a vacancy's page and record it (the move's label is its outcome, so
    the option is chosen by its stable value)."""
    form = main_form(page, "transition")
    form.locator("select[name=transition]").select_option(transition)
    form.get_by_role("button", name="ცვლილების აღრიცხვა").click()


def test_an_embassy_vets_an_employer_who_posts_a_vacancy_the_ministry_publishes(
    page, isco, open_browser
):
    """Fully in Georgian."""
    embassy = OrganisationFactory(
        kind=OrganisationKind.EMBASSY,
        country_id="PL",
        name_ka="საქართველოს საელჩო პოლონეთში",
        name_en="Embassy of Georgia in Poland",
    )
    officer = UserFactory(role=Role.EMBASSY_OFFICER, organisation=embassy)
    minister = UserFactory()
    employer = ForeignEmployerFactory(
        name="Sady Grójeckie Sp. z o.o.", in_poland=True, with_organisation=True
    )
    owner = UserFactory(role=Role.EMPLOYER, organisation=employer.organisation)
    assert employer.vetting_status == VettingStatus.PENDING

    # The embassy in Poland vets the employer.
    employer_path = f"/ka/workspace/demand/employers/{employer.pk}/"
    sign_in(page, officer.email, language="ka", next_path=employer_path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sady Grójeckie Sp. z o.o.")
    badge = page.locator(".stage-badge")
    expect(badge).to_contain_text("გადამოწმების სტატუსი: გადამოწმების მოლოდინში")
    vet = main_form(page, "transition")
    vet.get_by_label("გადაწყვეტილება").select_option("verify")
    vet.get_by_role("button", name="გადაწყვეტილების აღრიცხვა").click()
    expect(page).to_have_url(re.compile(re.escape(employer_path) + "$"))
    expect(badge).to_contain_text("გადამოწმების სტატუსი: გადამოწმებულია")
    expect(page.locator(".timeline")).to_contain_text(officer.full_name)

    # The employer's own user posts a vacancy: a draft, then submitted.
    employer_page = open_browser()
    sign_in(
        employer_page,
        owner.email,
        language="ka",
        next_path="/ka/workspace/demand/vacancies/new/",
    )
    today = timezone.localdate()
    deadline = today + datetime.timedelta(days=30)
    start = today + datetime.timedelta(days=60)
    form = main_form(employer_page, "title_ka")
    expect(form.get_by_label("ქვეყანა", exact=True)).to_have_value("PL")
    form.get_by_label("ქალაქი", exact=True).fill("Grójec")
    form.get_by_label("პროფესია (ISCO-08 კოდი)").fill("9211")
    form.get_by_label("დასახელება (ქართულად)").fill("ვაშლის მკრეფი")
    form.get_by_label("დასახელება (ინგლისურად)").fill("Apple picker")
    form.get_by_label("ადგილების რაოდენობა").fill("25")
    form.get_by_label("ხელფასი", exact=True).fill("31")
    form.get_by_label("ვალუტა").fill("PLN")
    form.get_by_label("ხელფასის პერიოდი").select_option(label="საათში")
    form.get_by_label("სამუშაო საათები კვირაში").fill("40")
    form.get_by_label("შერჩევის მეთოდი").select_option(
        label="რანჟირება შეფასების შედეგების მიხედვით"
    )
    form.get_by_label("განაცხადების მიღების ვადა").fill(deadline.isoformat())
    form.get_by_label("მუშაობის დაწყების თარიღი").fill(start.isoformat())
    form.get_by_label("საცხოვრებლით უზრუნველყოფა").check()
    form.locator("button[type=submit]:not([name=suggest])").click()  # "Save the draft"
    expect(employer_page).to_have_url(re.compile(r"/ka/workspace/demand/vacancies/\d+/$"))
    vacancy_path = re.search(r"/ka/workspace/demand/vacancies/\d+/$", employer_page.url).group(0)
    vacancy = Vacancy.objects.get(pk=int(vacancy_path.rstrip("/").rsplit("/", 1)[1]))
    assert vacancy.employer == employer
    assert vacancy.created_by == owner
    expect(employer_page.get_by_role("heading", level=1)).to_have_text("ვაშლის მკრეფი")
    status = employer_page.locator(".stage-badge")
    expect(status).to_contain_text("სტატუსი: პროექტი")
    record_move(employer_page, "submit")
    expect(status).to_contain_text("სტატუსი: წარდგენილია")
    # Publishing is the ministry's: the employer is offered no such move.
    expect(main_form(employer_page, "transition").locator("option[value=publish]")).to_have_count(0)

    # The embassy verifies it.
    page.goto(vacancy_path)
    status = page.locator(".stage-badge")
    expect(status).to_contain_text("სტატუსი: წარდგენილია")
    expect(main_form(page, "transition").locator("option[value=publish]")).to_have_count(0)
    record_move(page, "verify")
    expect(status).to_contain_text("სტატუსი: გადამოწმებულია")

    # The ministry publishes it.
    ministry_page = open_browser()
    sign_in(ministry_page, minister.email, language="ka", next_path=vacancy_path)
    status = ministry_page.locator(".stage-badge")
    expect(status).to_contain_text("სტატუსი: გადამოწმებულია")
    record_move(ministry_page, "publish")
    expect(status).to_contain_text("სტატუსი: გამოქვეყნებულია")
    history = ministry_page.locator(".timeline")
    expect(history).to_contain_text(owner.full_name)
    expect(history).to_contain_text(officer.full_name)
    expect(history).to_contain_text(minister.full_name)

    # The portal finds it, by ISCO code and by its Georgian title.
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.PUBLISHED
    assert vacancy in published_vacancies(occupation_query="9211")
    assert vacancy in published_vacancies(occupation_query="ვაშლის მკრეფი", country="PL")
    response = ministry_page.request.get("/api/v1/vacancies/published/?q=9211&country=PL")
    assert response.ok
    found = {row["id"]: row for row in response.json()["results"]}
    assert found[vacancy.pk]["title_ka"] == "ვაშლის მკრეფი"
    assert found[vacancy.pk]["wage_currency"] == "PLN"
    assert found[vacancy.pk]["housing_provided"] is True


def test_an_agency_files_its_report_and_leaves_the_late_list(page, isco, open_browser):
    """The agency works in English, the ministry in Georgian."""
    agency = AgencyFactory(
        certified=True,
        with_organisation=True,
        name_ka="შპს „მთის გზა“",
        name_en="Mtis Gza LLC",
    )
    agency_user = UserFactory(role=Role.AGENCY, organisation=agency.organisation)
    minister = UserFactory()
    today = timezone.localdate()
    # The agency filed every report owed so far but the latest one, now past its deadline.
    year = last_due_year(today)
    for earlier in range(FIRST_REPORT_YEAR, year):
        AgencyReportFactory(agency=agency, year=earlier)

    # The ministry sees it among the agencies late with their report.
    late_path = "/ka/workspace/demand/agencies/late/"
    sign_in(page, minister.email, language="ka", next_path=late_path)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "ანგარიშის წარდგენის ვადის დამრღვევი სააგენტოები"
    )
    expect(page.get_by_role("link", name="შპს „მთის გზა“")).to_be_visible()

    # The agency files its report, in English.
    agency_page = open_browser(locale="en-GB")
    agency_path = f"/en/workspace/demand/agencies/{agency.pk}/"
    sign_in(agency_page, agency_user.email, language="en", next_path=agency_path)
    agency_page.get_by_role("link", name="File an annual report").click()
    form = main_form(agency_page, "complaints_received")
    expect(form.get_by_label("Year", exact=True)).to_have_value(str(year))
    form.get_by_label("Complaints received").fill("1")
    form.locator("select[name=lines-0-country]").select_option("PL")
    form.locator("input[name=lines-0-occupation]").fill("9211")
    form.locator("select[name=lines-0-sex]").select_option(label="female")
    form.locator("input[name=lines-0-placements]").fill("12")
    form.get_by_role("button", name="File the report").click()
    expect(agency_page).to_have_url(re.compile(r"/en/workspace/demand/reports/\d+/$"))
    expect(agency_page.get_by_role("status")).to_contain_text("marked late")
    expect(agency_page.get_by_role("table")).to_contain_text("Poland")
    report = AgencyReport.objects.get(agency=agency, year=year)
    assert report.submitted_by == agency_user
    assert report.is_late
    assert [
        (line.country_id, line.occupation_id, line.placements) for line in report.lines.all()
    ] == [("PL", "9211", 12)]

    # The ministry sees the report on the agency's page, and the agency is off the late list.
    page.reload()
    expect(page.get_by_role("link", name="შპს „მთის გზა“")).to_have_count(0)
    page.goto(f"/ka/workspace/demand/agencies/{agency.pk}/")
    reports = page.locator("table").first
    row = reports.get_by_role("row").filter(has=page.get_by_role("link", name=str(year)))
    expect(row.locator("td.num")).to_have_text(["12", "1"])  # placements, complaints
    expect(row.locator(".overdue-flag")).to_be_visible()
