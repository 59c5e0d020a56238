"""Registering and signing in with one-time codes on the portal, in Georgian and in English,
without a phone number, e-mail or personal number ever reaching a URL or a log record."""

import logging
import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail

from gza.core.models import User
from gza.registry import messaging
from gza.registry.enums import CodeChannel
from gza.registry.models import JobSeeker
from tests.core.factories import UserFactory
from tests.registry.factories import JobSeekerFactory

pytestmark = pytest.mark.django_db

PHONE = "+995599123456"
PERSONAL_NUMBER = "01024056789"


@pytest.fixture(autouse=True)
def _empty_outbox():
    messaging.outbox.clear()
    yield
    messaging.outbox.clear()


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST and run what the view left for after the commit (sending the code)."""

    def send(url: str, data: dict):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return send


def _last_code() -> str:
    return re.search(r"\b(\d{6})\b", messaging.outbox[-1].body).group(1)


def _details(**changes) -> dict:
    return {
        "personal_number": PERSONAL_NUMBER,
        "first_name": "ნინო",
        "last_name": "წიკლაური",
        "first_name_latin": "",
        "last_name_latin": "",
        "birth_date": "1994-05-17",
        "sex": "f",
        "citizenship": "GE",
        "municipality": "telavi",
        "email": "",
        "passport_number": "",
        "passport_expiry": "",
        "consents": ["registration", "employer_sharing"],
        **changes,
    }


@pytest.mark.parametrize(
    ("language", "done_heading"), [("ka", "Registration number"), ("en", "Registration number")]
)
def test_the_whole_self_service_journey(client, post, language, done_heading):
    start = client.get(f"/{language}/register/")
    assert start.status_code == 200
    assert f'<html lang="{language}">' in start.content.decode()
    sent = post(f"/{language}/register/", {"channel": "sms", "address": "599 12 34 56"})
    assert sent.status_code == 302 and sent.url == f"/{language}/register/confirm/"
    confirm = client.get(sent.url)
    assert "…456" in confirm.content.decode()
    confirmed = post(sent.url, {"code": _last_code()})
    assert confirmed.url == f"/{language}/register/details/"
    form = client.get(confirmed.url).content.decode()
    # Consent texts are shown in the page's language; the confirmed phone is not asked again.
    assert ("I agree that" in form) == (language == "en")
    assert 'name="phone"' not in form and 'name="email"' in form
    registered = client.post(confirmed.url, _details())
    assert registered.status_code == 302, registered.content.decode()[:3000]
    assert registered.url == f"/{language}/register/done/"
    person = JobSeeker.objects.get()
    done = client.get(registered.url).content.decode()
    assert person.registration_number in done
    assert person.user.phone == PHONE
    assert int(client.session[SESSION_KEY]) == person.user.pk
    assert client.get(f"/{language}/me/").status_code == 200


def test_the_latin_names_are_suggested_from_the_georgian(client, post):
    post("/en/register/", {"channel": "sms", "address": PHONE})
    post("/en/register/confirm/", {"code": _last_code()})
    page = client.post("/en/register/details/", {**_details(), "suggest": "1"})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="Nino"' in html and 'value="Tsiklauri"' in html
    assert not JobSeeker.objects.exists()


def test_bad_details_are_shown_in_the_form_and_nothing_is_stored(client, post):
    JobSeekerFactory(personal_number=PERSONAL_NUMBER)
    post("/en/register/", {"channel": "sms", "address": PHONE})
    post("/en/register/confirm/", {"code": _last_code()})
    page = client.post(
        "/en/register/details/",
        _details(first_name="Nino", birth_date="2099-01-01", consents=["surveys"]),
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "A person with this personal number is already registered." in html
    assert "Write the name in Georgian letters" in html
    assert "The date of birth is in the future." in html
    assert JobSeeker.objects.count() == 1
    assert not User.objects.filter(phone=PHONE).exists()


def test_the_registration_consent_is_required(client, post):
    post("/en/register/", {"channel": "sms", "address": PHONE})
    post("/en/register/confirm/", {"code": _last_code()})
    page = client.post("/en/register/details/", _details(consents=["surveys"]))
    assert "agree to the processing of your data for registration" in page.content.decode()
    assert not JobSeeker.objects.exists()


def test_a_wrong_code_is_explained_and_a_new_one_can_be_sent(client, post):
    post("/en/register/", {"channel": "sms", "address": PHONE})
    wrong = f"{(int(_last_code()) + 1) % 1_000_000:06d}"
    page = client.post("/en/register/confirm/", {"code": wrong})
    assert "This code is not right" in page.content.decode()
    resent = post("/en/register/confirm/", {"resend": "1"})
    assert resent.status_code == 200 and len(messaging.outbox) == 2
    post("/en/register/confirm/", {"resend": "1"})
    limited = post("/en/register/confirm/", {"resend": "1"})
    assert "Too many codes were sent to this address" in limited.content.decode()
    assert len(messaging.outbox) == 3


def test_an_invalid_phone_is_refused_with_an_example(client):
    page = client.post("/en/register/", {"channel": "sms", "address": "12345"})
    assert "Enter a valid phone number, for example 599 12 34 56" in page.content.decode()


def test_the_details_page_needs_a_confirmed_address(client):
    response = client.get("/en/register/details/")
    assert response.status_code == 302 and response.url == "/en/register/"


def test_an_address_already_registered_is_sent_to_sign_in(client, post):
    JobSeekerFactory(user=UserFactory(job_seeker=True, phone=PHONE))
    post("/en/register/", {"channel": "sms", "address": PHONE})
    response = post("/en/register/confirm/", {"code": _last_code()})
    assert response.url == "/en/sign-in/"
    assert "already registered" in client.get(response.url).content.decode()


def test_sign_in_with_a_code(client, post):
    user = UserFactory(job_seeker=True, phone=PHONE, email=None)
    JobSeekerFactory(user=user)
    sent = post("/en/sign-in/", {"channel": "sms", "address": "599123456"})
    assert sent.url == "/en/sign-in/code/"
    signed_in = post(sent.url, {"code": _last_code()})
    assert signed_in.url == "/en/me/"
    assert int(client.session[SESSION_KEY]) == user.pk


def test_sign_in_answers_the_same_whether_or_not_the_address_is_registered(client, post):
    UserFactory(job_seeker=True, phone=PHONE)
    known = post("/en/sign-in/", {"channel": "sms", "address": PHONE})
    known_page = client.get(known.url).content.decode()
    client.session.flush()
    unknown = post("/en/sign-in/", {"channel": "sms", "address": "+995599000111"})
    unknown_page = client.get(unknown.url).content.decode()
    assert known.status_code == unknown.status_code == 302 and known.url == unknown.url
    assert known_page.replace("…456", "…111").count("code") == unknown_page.count("code")
    assert len(messaging.outbox) == 1  # only the real account got a message


def test_sign_in_by_email(client, post):
    user = UserFactory(job_seeker=True, email="nino@example.ge")
    post("/en/sign-in/", {"channel": "email", "address": "Nino@Example.ge"})
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    post("/en/sign-in/code/", {"code": code})
    assert int(client.session[SESSION_KEY]) == user.pk


def test_a_job_seeker_sets_a_password_later_and_signs_in_with_it(client):
    user = UserFactory(job_seeker=True, email="nino@example.ge")
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    assert client.get("/en/me/password/").status_code == 200
    response = client.post(
        "/en/me/password/",
        {"new_password1": "a long enough passphrase", "new_password2": "a long enough passphrase"},
    )
    assert response.status_code == 302 and response.url == "/en/me/"
    user.refresh_from_db()
    assert user.has_usable_password()
    client.logout()
    login = client.post(
        "/en/accounts/login/",
        {"username": "nino@example.ge", "password": "a long enough passphrase"},
    )
    assert login.status_code == 302


def test_staff_are_sent_to_the_workspace_from_the_password_page(client):
    client.force_login(UserFactory())
    assert client.get("/en/me/password/").url == "/en/workspace/"


def test_the_nav_offers_registration_and_code_sign_in(client):
    html = client.get("/ka/").content.decode()
    assert 'href="/ka/register/"' in html and 'href="/ka/sign-in/"' in html


def test_no_contact_or_personal_number_reaches_a_url_or_a_log(client, post, caplog):
    caplog.set_level(logging.DEBUG)
    secrets = [PHONE, "599123456", "599 12 34 56", PERSONAL_NUMBER, "nino@example.ge"]
    urls = []

    def follow(response):
        urls.append(response.request["PATH_INFO"] + "?" + response.request.get("QUERY_STRING", ""))
        if response.status_code == 302:
            urls.append(response.url)
        return response

    follow(post("/ka/register/", {"channel": CodeChannel.SMS, "address": "599 12 34 56"}))
    follow(post("/ka/register/confirm/", {"code": _last_code()}))
    follow(client.post("/ka/register/details/", _details(email="nino@example.ge")))
    follow(client.get("/ka/register/done/"))
    client.logout()
    follow(post("/ka/sign-in/", {"channel": CodeChannel.SMS, "address": PHONE}))
    follow(post("/ka/sign-in/code/", {"code": _last_code()}))
    assert JobSeeker.objects.count() == 1
    for url in urls:
        assert not any(secret in url for secret in secrets), url
    for record in caplog.records:
        text = record.getMessage()
        assert not any(secret in text for secret in secrets), text
