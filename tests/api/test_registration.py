"""Self-service registration over the API: open to anonymous callers, guarded by the codes'
rate limits (429), errors in the API's one format, and no CSRF token needed."""

import re

import pytest
from rest_framework.test import APIClient

from gza.core.models import User
from gza.registry import messaging
from gza.registry.models import JobSeeker, is_valid_registration_number
from tests.registry.factories import JobSeekerFactory

pytestmark = pytest.mark.django_db

PHONE = "+995599123456"


@pytest.fixture(autouse=True)
def _empty_outbox():
    messaging.outbox.clear()
    yield
    messaging.outbox.clear()


class Client(APIClient):
    """As a browser-less client calls the API (CSRF checks on, to show none is needed), with
    what a request leaves for after its commit (sending the code) run at once."""

    capture = None

    def post(self, *args, **kwargs):
        with self.capture(execute=True):
            return super().post(*args, **kwargs)


@pytest.fixture
def api(django_capture_on_commit_callbacks):
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.capture = django_capture_on_commit_callbacks
    return client


def _code(api, address: str = PHONE):
    response = api.post(
        "/api/v1/registration/codes/", {"channel": "sms", "address": address}, format="json"
    )
    assert response.status_code == 202, response.json()
    return re.search(r"\b(\d{6})\b", messaging.outbox[-1].body).group(1)


def _token(api, address: str = PHONE) -> str:
    code = _code(api, address)
    response = api.post(
        "/api/v1/registration/confirmations/",
        {"channel": "sms", "address": address, "code": code},
        format="json",
    )
    assert response.status_code == 200, response.json()
    return response.json()["token"]


def _payload(token: str, **changes) -> dict:
    return {
        "token": token,
        "personal_number": "01024056789",
        "first_name": "ნინო",
        "last_name": "წიკლაური",
        "birth_date": "1994-05-17",
        "sex": "f",
        "municipality": "telavi",
        "consents": ["registration", "surveys"],
        **changes,
    }


def test_code_confirmation_and_registration(api):
    token = _token(api)
    response = api.post("/api/v1/registrations/", _payload(token), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert is_valid_registration_number(body["registration_number"])
    person = JobSeeker.objects.get(public_id=body["public_id"])
    assert person.registration_number == body["registration_number"]
    assert person.user.phone == PHONE
    assert person.first_name_latin == "Nino"


def test_a_wrong_code_is_a_400_in_the_error_format(api):
    code = _code(api)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = api.post(
        "/api/v1/registration/confirmations/",
        {"channel": "sms", "address": PHONE, "code": wrong},
        format="json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["fields"]["non_field_errors"] == [
        "This code is not right. Check the last message we sent you and try again."
    ]


def test_too_many_codes_is_a_429_with_a_clear_message_and_retry_after(api):
    for _n in range(3):
        _code(api)
    response = api.post(
        "/api/v1/registration/codes/", {"channel": "sms", "address": PHONE}, format="json"
    )
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert "Too many codes were sent to this address" in response.json()["error"]["message"]
    assert 0 < int(response["Retry-After"]) <= 901


def test_the_per_network_limit_applies_to_the_api(api, settings):
    settings.OTP_IP_LIMIT_WINDOW = 2
    _code(api, "+995599123450")
    _code(api, "+995599123451")
    response = api.post(
        "/api/v1/registration/codes/", {"channel": "sms", "address": PHONE}, format="json"
    )
    assert response.status_code == 429
    assert "from your network" in response.json()["error"]["message"]


def test_an_invalid_phone_is_a_field_error(api):
    response = api.post(
        "/api/v1/registration/codes/", {"channel": "sms", "address": "12345"}, format="json"
    )
    assert response.status_code == 400
    assert "Enter a valid phone number" in response.json()["error"]["fields"]["address"][0]


def test_a_duplicate_personal_number_is_refused_and_nothing_is_stored(api):
    JobSeekerFactory(personal_number="01024056789")
    users = User.objects.count()
    response = api.post("/api/v1/registrations/", _payload(_token(api)), format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["personal_number"] == [
        "A person with this personal number is already registered."
    ]
    assert User.objects.count() == users


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"first_name": "Nino"}, "first_name"),
        ({"last_name_latin": "წიკლაური"}, "last_name_latin"),
        ({"birth_date": "2099-01-01"}, "birth_date"),
        ({"municipality": "atlantis"}, "municipality"),
        ({"citizenship": "XX"}, "citizenship"),
        ({"consents": ["surveys"]}, "consents"),
    ],
)
def test_bad_identity_is_a_field_error(api, changes, field):
    response = api.post("/api/v1/registrations/", _payload(_token(api), **changes), format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["error"]["fields"]
    assert not JobSeeker.objects.exists()


def test_a_forged_token_is_refused(api):
    response = api.post("/api/v1/registrations/", _payload("forged"), format="json")
    assert response.status_code == 400
    assert "confirmed again" in response.json()["error"]["fields"]["non_field_errors"][0]


def test_the_registration_endpoints_are_in_the_schema(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    for path in [
        "/api/v1/registration/codes/",
        "/api/v1/registration/confirmations/",
        "/api/v1/registrations/",
    ]:
        assert "post" in schema["paths"][path]
