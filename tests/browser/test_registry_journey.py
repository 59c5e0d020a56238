"""Issue 7's "done when", in a real browser: a person registers on the portal with a code sent to
their phone, completes part of the profile, leaves and resumes, runs an eligibility check, manages
consent; an officer finds them by a misspelt Latin name; the person then sees on their privacy
page that the officer's organisation opened the record.

Only the vacancy and the officer are made with factories; the person's record is made through the
screens."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from gza.core.enums import OrganisationKind, Role
from gza.demand.enums import VacancyStatus
from gza.demand.models import VacancyLanguage
from gza.registry import messaging
from gza.registry.consent import ensure_consent_texts
from gza.registry.enums import ConsentPurpose
from gza.registry.models import JobSeeker, is_valid_registration_number
from gza.taxonomy.services import reference_data_load
from tests.core.factories import PASSWORD, OrganisationFactory, UserFactory
from tests.demand.factories import VacancyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERSONAL_NUMBER = "01024056789"


@pytest.fixture
def reference(page):
    # After `page`: it empties the previous live-server test's data and loads the countries.
    reference_data_load(only={"isco08", "languages", "cefr_levels", "isced_levels"}, force=True)
    ensure_consent_texts()
    messaging.outbox.clear()


@pytest.fixture
def open_browser(browser: Browser, live_server):
    contexts = []

    def open_browser(locale: str = "ka-GE") -> Page:
        context = browser.new_context(base_url=live_server.url, locale=locale)
        contexts.append(context)
        return context.new_page()

    yield open_browser
    for context in contexts:
        context.close()


def main_form(page: Page):
    """The page's main form (every page also has the language switch's form)."""
    return page.locator("main form").last


def last_code() -> str:
    assert messaging.outbox, "no code was sent"
    return re.search(r"\b(\d{6})\b", messaging.outbox[-1].body).group(1)


def test_a_person_registers_completes_the_profile_and_manages_privacy(
    page: Page, reference, open_browser
):
    vacancy = VacancyFactory(status=VacancyStatus.PUBLISHED)
    VacancyLanguage.objects.create(vacancy=vacancy, language_id="pl", min_level_id="B1")

    # 1. Registration in Georgian, confirmed by a code sent to the phone.
    page.goto("/ka/register/")
    page.locator("input[name=channel][value=sms]").check()
    page.locator("#id_address").fill("599 12 34 56")
    page.locator("#id_address").press("Enter")
    expect(page).to_have_url(re.compile(r"/ka/register/confirm/$"))
    page.locator("#id_code").fill(last_code())
    page.locator("#id_code").press("Enter")
    expect(page).to_have_url(re.compile(r"/ka/register/details/$"))

    # A Latin letter in the Georgian name is refused with a message; nothing is stored.
    page.locator("#id_personal_number").fill(PERSONAL_NUMBER)
    page.locator("#id_first_name").fill("Nino")
    page.locator("#id_last_name").fill("ცხვედიანი")
    page.locator("#id_birth_date").fill("1996-04-12")
    page.locator("input[name=sex][value=f]").check()
    page.locator("#id_municipality").select_option("telavi")
    page.locator(f"input[name=consents][value={ConsentPurpose.REGISTRATION}]").check()
    page.locator(f"input[name=consents][value={ConsentPurpose.EMPLOYER_SHARING}]").check()
    main_form(page).locator("button[type=submit]").last.click()
    expect(page.locator("#id_first_name_error")).to_be_visible()
    assert not JobSeeker.objects.exists()

    page.locator("#id_first_name").fill("ნინო")
    main_form(page).locator("button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/ka/register/done/$"))
    person = JobSeeker.objects.get(personal_number=PERSONAL_NUMBER)
    assert is_valid_registration_number(person.registration_number)
    assert (person.first_name_latin, person.last_name_latin) == ("Nino", "Tskhvediani")
    assert person.phone == "+995599123456"
    expect(page.locator("main")).to_contain_text(person.registration_number)
    # No personal data went into a URL.
    assert PERSONAL_NUMBER not in page.url and "599" not in page.url

    # 2. The profile: occupations sought, then leave and resume where she left.
    page.goto("/ka/me/profile/occupations/")
    page.locator("[name=occupations-0-occupation]").fill("9211")
    page.locator("[name=occupations-0-years_experience]").fill("3")
    page.locator("button[name=continue]").last.click()
    expect(page).to_have_url(re.compile(r"/ka/me/profile/languages/$"))
    page.locator("[name=languages-0-language]").select_option("pl")
    page.locator("[name=languages-0-level]").select_option("A2")
    page.locator("button[name=leave]").click()
    page.goto("/ka/me/profile/")
    expect(page).to_have_url(re.compile(r"/ka/me/profile/[a-z]+/$"))
    assert "/identity/" not in page.url and "/occupations/" not in page.url
    assert person.sought_occupations.get().occupation_id == "9211"
    assert person.language_skills.get().level_id == "A2"

    # 3. The eligibility check says exactly what is missing, in English too.
    page.goto("/ka/me/eligibility/")
    page.locator(f"a[href$='/me/eligibility/{vacancy.pk}/']").click()
    expect(page.locator("main")).to_contain_text("B1")
    page.goto(f"/en/me/eligibility/{vacancy.pk}/")
    expect(page.locator("main")).to_contain_text("Polish at B1")

    # 4. Consent: sharing with employers is withdrawn, and the person leaves employers' view.
    assert JobSeeker.objects.shareable_with_employers().filter(pk=person.pk).exists()
    page.goto("/ka/me/consents/")
    page.locator(f"a[href$='/{ConsentPurpose.EMPLOYER_SHARING}/withdraw/']").click()
    # A confirmation page says what withdrawing does before it is done.
    main_form(page).locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/ka/me/consents/$"))
    assert not JobSeeker.objects.shareable_with_employers().filter(pk=person.pk).exists()

    # 5. An officer at a service centre finds her by a misspelt Latin name.
    agency = OrganisationFactory(
        kind=OrganisationKind.EMPLOYMENT_AGENCY,
        name_ka="დასაქმების სააგენტო",
        name_en="State Employment Agency, Telavi",
    )
    officer = UserFactory(role=Role.CASEWORKER, organisation=agency)
    desk = open_browser()
    desk.goto("/ka/accounts/login/?next=/ka/workspace/job-seekers/")
    login = desk.locator("form").filter(has=desk.locator("#id_username"))
    login.locator("#id_username").fill(officer.email)
    login.locator("#id_password").fill(PASSWORD)
    login.locator("button[type=submit]").click()
    expect(desk).to_have_url(re.compile(r"/ka/workspace/job-seekers/$"))
    desk.locator("#id_q").fill("Nino Tsxvediany")
    desk.locator("#id_q").press("Enter")
    desk.locator(f"a[href*='{person.public_id}']").first.click()
    expect(desk.locator("main")).to_contain_text(person.registration_number)
    assert "Tsxvediany" not in desk.url

    # 6. Her privacy page shows that the agency opened the record.
    page.goto("/ka/me/privacy/")
    expect(page.locator("main")).to_contain_text("დასაქმების სააგენტო")
    page.goto("/en/me/privacy/")
    expect(page.locator("main")).to_contain_text("State Employment Agency, Telavi")
