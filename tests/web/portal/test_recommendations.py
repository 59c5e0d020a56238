"""A job seeker's page shows the open vacancies that suit them, with the main reasons, computed
on the fly; an empty profile gets a nudge to complete it instead."""

import pytest
from django.urls import reverse

from gza.demand.enums import VacancyStatus
from gza.matching import engine
from gza.matching.models import MatchRun
from gza.registry.enums import ConsentPurpose
from gza.registry.models import Consent
from tests.core.factories import UserFactory
from tests.matching.run_factories import candidate, consenting, published_vacancy
from tests.registry.factories import JobSeekerFactory

pytestmark = pytest.mark.django_db

ME = "/en/me/"


@pytest.fixture(autouse=True)
def _fresh_index():
    engine.invalidate()


@pytest.fixture
def user(client):
    user = UserFactory(job_seeker=True)
    client.force_login(user)
    return user


def test_vacancies_for_you_list_the_best_first_with_their_reasons(client, user):
    pickers = published_vacancy(title_en="Apple picker", city="Grójec")
    herders = published_vacancy(occupation_id="9212", title_en="Farm hand", city="Gdańsk")
    welders = published_vacancy(occupation_id="7212", title_en="Welder", city="Gdańsk")
    published_vacancy(title_en="Draft job", status=VacancyStatus.DRAFT)
    person = candidate(polish="B1", user=user)
    html = client.get(ME).content.decode()
    assert "Vacancies for you" in html
    assert html.index("Apple picker") < html.index("Farm hand")
    assert "Draft job" not in html
    assert "Poland, Grójec" in html
    assert reverse("portal:eligibility_check", args=[pickers.pk]) in html
    assert reverse("portal:eligibility_check", args=[herders.pk]) in html
    # Work unrelated to the person's occupations is no advice, however well it scores.
    assert reverse("portal:eligibility_check", args=[welders.pk]) not in html
    top = engine.recommend(person).entries[0]
    best = max(top.components, key=lambda c: c.value * c.weight)
    assert str(best.detail) in html
    assert not MatchRun.objects.exists()  # nothing stored for a page view


def test_an_empty_profile_is_asked_to_complete_it(client, user):
    vacancy = published_vacancy()
    consenting(JobSeekerFactory(user=user))
    html = client.get(ME).content.decode()
    assert "Vacancies for you" in html
    assert "Complete your profile" in html
    assert reverse("portal:eligibility_check", args=[vacancy.pk]) not in html


def test_no_match_is_said_plainly(client, user):
    person = candidate(polish="B1", user=user)
    Consent.objects.filter(job_seeker=person, purpose=ConsentPurpose.REGISTRATION).update(
        withdrawn_at="2026-01-02T00:00:00Z"
    )
    published_vacancy()
    html = client.get(ME).content.decode()
    assert "No open vacancy matches your profile at the moment." in html


def test_the_section_is_in_georgian_on_georgian_pages(client, user):
    published_vacancy(title_ka="ვაშლის მკრეფავი")
    candidate(user=user)
    html = client.get("/ka/me/").content.decode()
    assert '<html lang="ka">' in html and "ვაშლის მკრეფავი" in html
