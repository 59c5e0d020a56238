import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from gza.core.enums import AccessAction
from gza.core.models import AccessLogEntry
from gza.registry.models import JobSeeker
from tests.core.factories import UserFactory
from tests.registry.factories import JobSeekerFactory, SoughtOccupationFactory

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
    assert len(re.findall(r"/workspace/job-seekers/[0-9a-f-]{36}/", html)) == 1


def test_the_list_costs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    officer = UserFactory()
    JobSeekerFactory.create_batch(5, last_name="ბერიძე")
    client.force_login(officer)
    url = reverse("workspace:job_seeker_list")
    client.get(url)  # warm up: content types, session
    # session, user, TOTP devices, organisation, count, page, the choices of three selects,
    # and the session renewal: the same however many people there are.
    with django_assert_max_num_queries(12 + REQUEST_SAVEPOINT):
        client.get(url)
    JobSeekerFactory.create_batch(20, last_name="ბერიძე")
    with django_assert_max_num_queries(12 + REQUEST_SAVEPOINT):
        client.get(url)
    # A name search: the name variants, both names, one name, the page's people, and the
    # session write.
    with django_assert_max_num_queries(18 + REQUEST_SAVEPOINT):
        client.post(url, {"q": "Nino Beridze"})


def test_english_pages_show_names_in_latin_letters(client):
    client.force_login(UserFactory())
    person = JobSeekerFactory(first_name="ნინო", first_name_latin="Nino", last_name_latin="Beridze")
    english = client.get(f"/en/workspace/job-seekers/{person.public_id}/").content.decode()
    georgian = client.get(f"/ka/workspace/job-seekers/{person.public_id}/").content.decode()
    assert "<h1>Nino Beridze</h1>" in english
    assert f"<h1>ნინო {person.last_name}</h1>" in georgian


def test_paging_through_search_results_keeps_the_search_out_of_the_url(client):
    client.force_login(UserFactory())
    JobSeekerFactory.create_batch(55, from_batumi=True)
    other = JobSeekerFactory()
    client.post(reverse("workspace:job_seeker_list"), {"region": "GE-AJ"})
    second = client.get(reverse("workspace:job_seeker_list"), {"page": 2}).content.decode()
    assert "55" in second  # the count of the search, not of everyone
    assert other.get_absolute_url() not in second
    assert 'href="?page=1"' in second


def test_a_misspelt_latin_name_finds_the_georgian_record_and_says_why(client):
    client.force_login(UserFactory())
    person = JobSeekerFactory(
        first_name="ნინო",
        last_name="ცხვედიანი",
        first_name_latin="Nino",
        last_name_latin="Tskhvediani",
    )
    JobSeekerFactory(last_name="ბერიძე")
    response = client.post(
        reverse("workspace:job_seeker_list"), {"q": "Tsxvediami"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    with translation.override("en"):
        html = client.get("/en/workspace/job-seekers/").content.decode()
    assert response.status_code == 200
    assert person.registration_number in html
    assert "ნინო ცხვედიანი" in html and "Nino Tskhvediani" in html
    assert "near spelling" in html
    assert "Beridze" not in html


def test_a_registration_number_with_a_wrong_check_digit_is_explained(client):
    client.force_login(UserFactory())
    person = JobSeekerFactory()
    number = person.registration_number
    wrong = number[:9] + str((int(number[9]) + 1) % 10)
    with translation.override("en"):
        html = client.post("/en/workspace/job-seekers/", {"q": wrong}).content.decode()
    assert "check digit" in html
    assert person.get_absolute_url() not in html


def test_filters_are_kept_in_the_session_for_paging(client):
    client.force_login(UserFactory())
    welder = JobSeekerFactory()
    SoughtOccupationFactory(job_seeker=welder, occupation_id="7212")
    other = JobSeekerFactory()
    url = reverse("workspace:job_seeker_list")
    client.post(url, {"q": "", "occupation": "7212", "level": ""})
    html = client.get(url).content.decode()
    assert welder.get_absolute_url() in html and other.get_absolute_url() not in html
    with translation.override("en"):
        html = client.post("/en/workspace/job-seekers/", {"occupation": "0000"}).content
    assert b"There is no ISCO-08 group with this code." in html


def test_merged_records_are_left_out_of_the_list(client):
    client.force_login(UserFactory())
    survivor = JobSeekerFactory()
    merged = JobSeekerFactory()
    JobSeeker.objects.filter(pk=merged.pk).update(status="merged", merged_into=survivor)
    html = client.get(reverse("workspace:job_seeker_list")).content.decode()
    assert survivor.get_absolute_url() in html and merged.get_absolute_url() not in html


def test_a_name_shared_by_many_shows_the_best_and_asks_to_narrow(client):
    client.force_login(UserFactory())
    JobSeekerFactory.create_batch(55, last_name="ბერიძე")
    with translation.override("en"):
        html = client.post("/en/workspace/job-seekers/", {"q": "Beridze"}).content.decode()
    assert "50 people found" in html
    assert "add the other name or a filter" in html
