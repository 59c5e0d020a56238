import pytest

pytestmark = pytest.mark.django_db

URL = "/api/v1/occupations/suggestions/"


def test_welders_from_georgian_without_a_token(client):
    response = client.post(URL, {"title": "შემდუღებელი"}, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    first = body["suggestions"][0]
    assert first["code"] == "7212"
    assert first["title"] == "შემდუღებლები და აირით მჭრელები"
    assert first["matched"] == "შემდუღებელი"
    assert first["broader"] is False
    assert body["auto_accept"] is True


def test_titles_follow_the_request_language(client):
    response = client.post(
        URL,
        {"title": "svarshchik", "top": 5},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    suggestions = response.json()["suggestions"]
    assert len(suggestions) == 5
    assert suggestions[0]["code"] == "7212"
    assert suggestions[0]["title"] == "Welders and Flame Cutters"


@pytest.mark.parametrize("title", ["", "   ", "😀😀", "x" * 20000, "ქართ mixed текст"])
def test_bad_text_is_answered_not_refused(client, title):
    response = client.post(URL, {"title": title}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["auto_accept"] is False


def test_top_out_of_range_is_refused_in_both_languages(client):
    response = client.post(URL, {"title": "welder", "top": 0}, content_type="application/json")
    assert response.status_code == 400
    response = client.post(
        URL,
        {"title": "welder", "top": 21},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "20" in str(response.json())
