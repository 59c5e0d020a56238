import pytest

pytestmark = pytest.mark.django_db

STATUS = "/api/v1/agencies/status/"


@pytest.mark.parametrize("query", ["q=%00", "q=a&q=b%00c", "%00=x"])
def test_a_nul_character_in_the_query_string_is_refused_in_the_callers_language(client, query):
    english = client.get(f"{STATUS}?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 400
    assert "not allowed (NUL)" in english.content.decode()
    georgian = client.get(f"{STATUS}?{query}", HTTP_ACCEPT_LANGUAGE="ka")
    assert georgian.status_code == 400
    assert "დაუშვებელ სიმბოლოს" in georgian.content.decode()


def test_ordinary_queries_pass(client):
    assert client.get(f"{STATUS}?q=abc", HTTP_ACCEPT_LANGUAGE="en").status_code == 200
