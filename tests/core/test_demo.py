import re

import pytest
from django.core.management import CommandError, call_command

from gza.core.demo import DEMO_PASSWORD, DEMO_USERS, demo_data_load
from gza.core.enums import Role
from gza.core.errors import DomainError
from gza.core.models import Organisation, User
from gza.registry.duplicate_models import DuplicateCandidate
from gza.registry.models import JobSeeker

pytestmark = pytest.mark.django_db


def test_demo_data_has_one_user_per_role_and_runs_twice_without_adding(client):
    first = demo_data_load(job_seekers=50)
    assert first.users_created == len(DEMO_USERS)
    assert {u.role for u in User.objects.all()} == set(Role.values) - {Role.NONE}
    # 50 people, the demo job seeker, and three people registered a second time by mistake.
    assert first.job_seekers_created == JobSeeker.objects.count() == 54
    assert DuplicateCandidate.objects.count() == 3
    assert Organisation.objects.filter(name_en__startswith="IOM ").count() == 5
    second = demo_data_load(job_seekers=50)
    assert (second.organisations_created, second.users_created, second.job_seekers_created) == (
        0,
        0,
        0,
    )
    for email, *_ in DEMO_USERS:
        response = client.post(
            "/ka/accounts/login/", {"username": email, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, email
        client.post("/ka/accounts/logout/")


def test_synthetic_people_have_georgian_names_and_valid_personal_numbers():
    demo_data_load(job_seekers=20)
    for person in JobSeeker.objects.all():
        assert len(person.personal_number) == 11 and person.personal_number.isdigit()
        assert all("\u10d0" <= c <= "\u10ff" for c in person.last_name)
        assert person.last_name_latin.isascii()


def test_demo_data_is_refused_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match=re.escape(str(DomainError.DEMO_IN_PRODUCTION))):
        call_command("load_demo", job_seekers=1)
