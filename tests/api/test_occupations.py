import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

from gza.wsgi import application

pytestmark = pytest.mark.django_db

URL = "/api/v1/taxonomy/occupations/"


def test_search_isco_in_georgian_without_a_token(client):
    response = client.get(URL, {"q": "მზარეული"})
    assert response.status_code == 200
    results = response.json()["results"]
    assert results[0] == {
        "code": "5120",
        "level": 4,
        "title_ka": "მზარეულები",
        "title_en": "Cooks",
        "parent": "512",
    }


def test_a_missing_query_gets_the_one_error_format(client):
    response = client.get(URL)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "q" in error["fields"]


def test_not_found_uses_the_same_format(client):
    response = client.get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404


def test_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert URL in schema.json()["paths"]
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "cdn" not in docs.lower()


def test_token_authentication_identifies_a_system(client):
    from rest_framework.authtoken.models import Token

    from tests.core.factories import UserFactory

    token = Token.objects.create(user=UserFactory())
    response = client.get(URL, {"q": "5"}, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    bad = client.get(URL, {"q": "5"}, HTTP_AUTHORIZATION="Token not-a-real-token")
    assert bad.status_code == 401
    assert bad.json()["error"]["code"] == "authentication_failed"


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """Django's test client stops each request from closing the test's database connection;
    Schemathesis calls the WSGI app directly, so do the same here."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_api_never_answers_with_a_server_error(wsgi_keeps_the_test_connection):
    """Schemathesis generates requests for every operation in the schema (0 server errors)."""
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=50, suppress_health_check=list(HealthCheck), deadline=None)
        def never_a_server_error(case):
            response = case.call()
            assert response.status_code < 500, (case.path, case.query, response.text)

        never_a_server_error()
