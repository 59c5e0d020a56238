"""Issue 6's "done when", in a real browser: a job seeker applies on the portal; an officer
draws and publishes a lottery and the person sees they are selected; a worker abroad reports
low pay in a check-in, and the grievance it opens shows on their page and on the workspace
board.

Pages are Georgian (/ka/); one step of each journey is in English. Forms and links are found by
their field names and URLs, so translating the interface does not break the tests. Only the
records a journey starts from are made with factories."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from gza.demand.enums import SelectionMethod
from gza.matching import engine
from gza.mobility.enums import Breach, GrievanceCategory, GrievanceSource
from gza.mobility.models import CheckIn, Grievance
from gza.recruitment.enums import RoundStatus, Stage
from gza.recruitment.models import Application, SelectionRound
from gza.taxonomy.services import reference_data_load
from tests.core.factories import PASSWORD, UserFactory
from tests.matching.run_factories import published_vacancy
from tests.mobility.protection_factories import PlacementFactory
from tests.recruitment.factories import ApplicationFactory, applicant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reference(page):
    # After `page`: it empties the previous live-server test's database and loads the
    # countries; vacancies name an ISCO-08 unit group, profiles languages at CEFR levels.
    reference_data_load(only={"isco08", "languages", "cefr_levels"}, force=True)
    engine.invalidate()


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


def sign_in(page: Page, email: str, next_path: str) -> None:
    page.goto(f"/ka/accounts/login/?next={next_path}")
    # Every page also has the language switch's form: only the one with the username is used.
    form = page.locator("form").filter(has=page.locator("#id_username"))
    form.locator("#id_username").fill(email)
    form.locator("#id_password").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(next_path) + "$"))


def test_a_job_seeker_applies_on_the_portal_and_follows_it(page, reference):
    vacancy = published_vacancy(title_ka="ვაშლის მკრეფავი", title_en="Apple picker")
    person = applicant()

    sign_in(page, person.user.email, f"/ka/me/eligibility/{vacancy.pk}/")
    apply = page.locator(f"main form[action$='/me/applications/apply/{vacancy.pk}/']")
    apply.locator("button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/ka/me/applications/$"))
    application = Application.objects.get()
    assert (application.job_seeker, application.stage) == (person, Stage.APPLIED)
    card = page.locator(f"#application-{application.public_id}")
    expect(card).to_contain_text("ვაშლის მკრეფავი")
    # The person may still withdraw.
    expect(card.locator("input[name=transition][value=withdraw]")).to_have_count(1)

    # The same page in English.
    page.goto("/en/me/applications/")
    expect(card).to_contain_text("Apple picker")
    expect(card).to_contain_text("Applied")


def test_an_officer_publishes_a_lottery_and_the_person_sees_they_are_selected(
    page, reference, open_browser
):
    vacancy = published_vacancy(selection_method=SelectionMethod.LOTTERY)
    mine = ApplicationFactory(vacancy=vacancy)
    ApplicationFactory(vacancy=vacancy)
    officer = UserFactory()

    # The officer draws the lottery for both places, then publishes the round.
    sign_in(page, officer.email, f"/ka/workspace/demand/vacancies/{vacancy.pk}/selection/")
    draw = page.locator("main form").filter(has=page.locator("[name=places]"))
    draw.locator("[name=places]").fill("2")
    draw.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/ka/workspace/selection-rounds/[0-9a-f-]+/$"))
    page.locator("main form[action$='/publish/'] button[type=submit]").click()
    selection_round = SelectionRound.objects.get(vacancy=vacancy)
    expect(page).to_have_url(re.compile(rf"/selection-rounds/{selection_round.public_id}/$"))
    selection_round.refresh_from_db()
    assert selection_round.status == RoundStatus.PUBLISHED
    mine.refresh_from_db()
    assert mine.stage == Stage.SELECTED

    # The person sees it on their applications: the offer to accept, the round's public page.
    person = open_browser()
    sign_in(person, mine.job_seeker.user.email, "/ka/me/applications/")
    card = person.locator(f"#application-{mine.public_id}")
    expect(card.locator("input[name=transition][value=accept_offer]")).to_have_count(1)
    expect(card.locator(f"a[href$='/lotteries/{selection_round.public_id}/']")).to_have_count(1)
    person.goto("/en/me/applications/")
    expect(card).to_contain_text("Selected")


def test_a_worker_reports_low_pay_and_the_grievance_reaches_the_board(
    page, reference, open_browser
):
    person = applicant()
    # Promised 23.50 PLN an hour for 40 hours a week, with housing; a check-in is due today.
    placement = PlacementFactory(application__job_seeker=person)
    check_in = CheckIn.objects.create(placement=placement, sequence=1, due_on=timezone.localdate())
    officer = UserFactory()

    sign_in(page, person.user.email, "/ka/me/check-ins/")
    form = page.locator(f"main form[action$='/me/check-ins/{check_in.pk}/answer/']")
    field = f"check-in-{check_in.pk}-"
    form.locator(f"input[name={field}paid_as_promised][value=no]").check()
    form.locator(f"[name={field}pay_received]").fill("3")
    form.locator(f"[name={field}hours_per_week]").fill("40")
    form.locator(f"input[name={field}housing_as_promised][value=yes]").check()
    form.locator(f"input[name={field}documents_held_by_employer][value=no]").check()
    form.locator(f"input[name={field}feels_safe][value=yes]").check()
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/ka/me/check-ins/$"))

    check_in.refresh_from_db()
    assert Breach.PAY_BELOW_PROMISED in check_in.breaches
    grievance = Grievance.objects.get()
    assert (grievance.source, grievance.category) == (
        GrievanceSource.CHECK_IN,
        GrievanceCategory.PAY,
    )
    assert grievance.response_due_at - grievance.opened_at == datetime.timedelta(days=7)

    # On the worker's grievances page, and in English on the grievance's own page.
    page.goto("/ka/me/grievances/")
    expect(page.locator(f"main a[href$='/me/grievances/{grievance.public_id}/']")).to_have_count(1)
    page.goto(f"/en/me/grievances/{grievance.public_id}/")
    expect(page.locator("main")).to_contain_text(
        "Promised 23.50 PLN per hour; the worker reports 3.00."
    )

    # On the ministry's board of open grievances.
    board = open_browser()
    sign_in(board, officer.email, "/ka/workspace/grievances/")
    link = board.locator(f"main a[href$='/workspace/grievances/{grievance.public_id}/']")
    expect(link).to_have_count(1)
