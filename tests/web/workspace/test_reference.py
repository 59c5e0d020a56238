import pytest
from django.db import connection
from django.urls import reverse

from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db

# With ATOMIC_REQUESTS (PostgreSQL) each request is a savepoint inside the test transaction.
REQUEST_SAVEPOINT = 2 if connection.settings_dict["ATOMIC_REQUESTS"] else 0


@pytest.fixture
def officer_client(client):
    client.force_login(UserFactory())
    return client


@pytest.mark.parametrize(
    ("query", "expected"),
    [("მზარეული", "5120"), ("cook", "5120"), ("сиделка", "5322"), ("512", "5120")],
)
def test_occupations_are_found_by_words_in_any_language_or_by_code(officer_client, query, expected):
    response = officer_client.get(reverse("workspace:occupation_list"), {"q": query})
    assert f"/workspace/reference/occupations/{expected}/" in response.content.decode()


def test_an_occupation_page_shows_both_titles_synonyms_and_esco(officer_client):
    response = officer_client.get(reverse("workspace:occupation_detail", args=["5120"]))
    html = response.content.decode()
    assert "მზარეულები" in html and "Cooks" in html
    assert "повар" in html
    assert "cook" in html  # an ESCO occupation of the group


def test_reference_pages_render_for_an_officer(officer_client):
    for name in ["reference", "country_list", "region_list", "language_list"]:
        assert officer_client.get(reverse(f"workspace:{name}")).status_code == 200
    html = officer_client.get(reverse("workspace:region_list")).content.decode()
    assert "აჭარის ავტონომიური რესპუბლიკა" in html and "თელავი" in html


def test_occupation_search_costs_a_fixed_number_of_queries(
    officer_client, django_assert_num_queries
):
    url = reverse("workspace:occupation_list")
    officer_client.get(url, {"q": "driver"})
    # session, user, TOTP devices, count, organisation, page, session renewal (3)
    with django_assert_num_queries(9 + REQUEST_SAVEPOINT):
        officer_client.get(url, {"q": "driver"})
    with django_assert_num_queries(9 + REQUEST_SAVEPOINT):
        officer_client.get(url, {"q": "worker"})


def test_unknown_occupation_codes_are_404(officer_client):
    assert officer_client.get("/ka/workspace/reference/occupations/9999/").status_code == 404
