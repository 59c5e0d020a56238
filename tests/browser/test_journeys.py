import re

import pytest
from playwright.sync_api import expect

from tests.core.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_in_georgian_then_english_then_an_officer_reaches_the_workspace(page):
    officer = UserFactory(full_name="ნინო ბერიძე")

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/ka/$"))
    expect(page.locator("html")).to_have_attribute("lang", "ka")
    expect(page.get_by_role("heading", level=1)).to_contain_text("საზღვარგარეთ")

    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Work abroad legally")

    page.get_by_role("link", name="Sign in", exact=True).click()
    page.get_by_label("E-mail address").fill(officer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/en/workspace/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    expect(page.get_by_role("navigation", name="Workspace")).to_contain_text("Job seekers")


def test_a_wrong_password_is_answered_in_georgian(page):
    page.goto("/ka/accounts/login/")
    page.get_by_label("ელფოსტის მისამართი").fill("nobody@example.ge")
    page.get_by_label("პაროლი").fill("wrong password")
    page.get_by_role("button", name="შესვლა").last.click()
    expect(page.get_by_role("alert")).to_contain_text("არასწორია")


def test_keyboard_only_the_skip_link_comes_first_and_moves_focus_to_content(page):
    page.goto("/ka/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="ძირითად შინაარსზე გადასვლა")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
