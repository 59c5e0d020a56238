import pytest
from django.db import connection
from django.urls import reverse

from gza.core.enums import AccessAction
from gza.core.models import AccessLogEntry
from tests.core.factories import UserFactory
from tests.registry.factories import JobSeekerFactory

pytestmark = pytest.mark.django_db

# With ATOMIC_REQUESTS (PostgreSQL) each request is a savepoint inside the test transaction.
REQUEST_SAVEPOINT = 2 if connection.settings_dict["ATOMIC_REQUESTS"] else 0


def test_viewing_a_record_is_logged_and_the_url_carries_no_personal_data(client):
    officer = UserFactory()
    person = JobSeekerFactory(personal_number="01024057788")
    client.force_login(officer)
    url = person.get_absolute_url()
    assert person.personal_number not in url and person.last_name not in url
    response = client.get(url)
    assert response.status_code == 200
    assert "01024057788" in response.content.decode()
    entry = AccessLogEntry.objects.get()
    assert (entry.actor, entry.action, entry.subject_id) == (
        officer,
        AccessAction.VIEW,
        str(person.pk),
    )


def test_a_caseworker_sees_only_people_their_organisation_registered(client):
    caseworker = UserFactory(iom_caseworker=True)
    own = JobSeekerFactory(registered_by_organisation=caseworker.organisation)
    other = JobSeekerFactory()
    client.force_login(caseworker)
    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404
    listing = client.get(reverse("workspace:job_seeker_list")).content.decode()
    assert own.last_name in listing and other.last_name not in listing
    # A refused look leaves no access-log row.
    assert AccessLogEntry.objects.count() == 1


def test_search_by_name_is_posted_not_put_in_the_url(client):
    officer = UserFactory()
    person = JobSeekerFactory(last_name="ჩიქოვანი")
    JobSeekerFactory()
    client.force_login(officer)
    response = client.post(reverse("workspace:job_seeker_list"), {"q": "ჩიქოვანი"})
    html = response.content.decode()
    assert person.get_absolute_url() in html
    assert html.count("/workspace/job-seekers/") - html.count('action="/') == 1


def test_the_list_costs_a_fixed_number_of_queries(client, django_assert_num_queries):
    officer = UserFactory()
    JobSeekerFactory.create_batch(5)
    client.force_login(officer)
    url = reverse("workspace:job_seeker_list")
    client.get(url)  # warm up: content types, session
    # session, user, TOTP devices, count, organisation, page, regions for the select, and the
    # session renewal (savepoint, update, release): the same however many people there are.
    with django_assert_num_queries(10 + REQUEST_SAVEPOINT):
        client.get(url)
    JobSeekerFactory.create_batch(20)
    with django_assert_num_queries(10 + REQUEST_SAVEPOINT):
        client.get(url)


def test_english_pages_show_names_in_latin_letters(client):
    client.force_login(UserFactory())
    person = JobSeekerFactory(first_name="ნინო", first_name_latin="Nino", last_name_latin="Beridze")
    english = client.get(f"/en/workspace/job-seekers/{person.public_id}/").content.decode()
    georgian = client.get(f"/ka/workspace/job-seekers/{person.public_id}/").content.decode()
    assert "<h1>Nino Beridze</h1>" in english
    assert f"<h1>ნინო {person.last_name}</h1>" in georgian


def test_paging_through_search_results_keeps_the_search_out_of_the_url(client):
    client.force_login(UserFactory())
    JobSeekerFactory.create_batch(55, last_name="ბერიძე")
    other = JobSeekerFactory(last_name="აბაშიძე")
    client.post(reverse("workspace:job_seeker_list"), {"q": "ბერიძე"})
    second = client.get(reverse("workspace:job_seeker_list"), {"page": 2}).content.decode()
    assert "55" in second  # the count of the search, not of everyone
    assert other.get_absolute_url() not in second
    assert 'href="?page=1"' in second
