import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_the_root_address_opens_the_georgian_site(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == "/ka/"
    page = client.get("/ka/")
    assert page.status_code == 200
    assert '<html lang="ka">' in page.content.decode()


def test_the_language_switch_keeps_you_on_the_same_page(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/ka/about/"})
    assert response.status_code == 302
    assert response.url == "/en/about/"
    page = client.get(response.url)
    assert '<html lang="en">' in page.content.decode()
    back = client.post("/i18n/setlang/", {"language": "ka", "next": "/en/about/"})
    assert back.url == "/ka/about/"


def test_the_stylesheet_is_served_by_the_app_itself(client):
    html = client.get("/ka/").content.decode()
    assert '<link rel="stylesheet" href="/static/gza/gza.css">' in html
    response = client.get("/static/gza/gza.css")
    assert response.status_code == 200
    assert b"--brand" in b"".join(response.streaming_content)


def test_every_page_has_the_language_switch_and_credits(client):
    for url in ["/ka/", "/ka/about/", "/ka/accounts/login/", "/en/"]:
        html = client.get(url).content.decode()
        assert 'action="/i18n/setlang/"' in html
        assert "ISCO-08" in html and "ESCO" in html


def test_form_errors_are_shown_in_the_page_language(client):
    ka = client.post("/ka/accounts/password-reset/", {"email": "not an address"})
    en = client.post("/en/accounts/password-reset/", {"email": "not an address"})
    assert "Enter a valid email address." in en.content.decode()
    assert "Enter a valid email address." not in ka.content.decode()


def _render(template: str, **context) -> str:
    return Template("{% load gza %}" + template).render(Context(context))


def test_money_and_numbers_follow_each_languages_conventions():
    with translation.override("ka"):
        assert _render("{{ x|money:'GEL' }}", x=Decimal("1234.5")) == "1\xa0234,50\xa0₾"
        assert _render("{{ x|number }}", x=Decimal("12345.67")) == "12\xa0345,67"
    with translation.override("en"):
        assert _render("{{ x|money:'EUR' }}", x=Decimal("1234.5")) == "€1,234.50"
        assert _render("{{ x|number }}", x=Decimal("12345.67")) == "12,345.67"


def test_dates_are_written_in_each_language():
    day = datetime.date(2026, 11, 22)
    with translation.override("en"):
        assert _render("{{ d|date:'DATE_FORMAT' }}", d=day) == "22 November 2026"
    with translation.override("ka"):
        assert _render("{{ d|date:'SHORT_DATE_FORMAT' }}", d=day) == "22.11.2026"
        assert "ნოემბ" in _render("{{ d|date:'DATE_FORMAT' }}", d=day)


def test_unknown_pages_get_a_bilingual_404(client):
    assert "გვერდი" in client.get("/ka/no-such-page/").content.decode()
    assert "Page not found" in client.get("/en/no-such-page/").content.decode()


def test_djangos_own_form_strings_missing_from_its_catalogue_come_in_georgian(client):
    from tests.core.factories import UserFactory

    client.force_login(UserFactory())
    html = client.get("/ka/workspace/job-seekers/").content.decode()
    assert "— აირჩიეთ —" in html
    assert "Select an option" not in html
