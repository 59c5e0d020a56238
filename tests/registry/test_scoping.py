import pytest

from gza.core.enums import OrganisationKind, Role
from gza.registry.models import JobSeeker
from tests.core.factories import OrganisationFactory, UserFactory
from tests.registry.factories import JobSeekerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    agency = OrganisationFactory(kind=OrganisationKind.EMPLOYMENT_AGENCY)
    iom = OrganisationFactory(iom_office=True)
    return {
        "by_agency": JobSeekerFactory(registered_by_organisation=agency),
        "by_iom": JobSeekerFactory(registered_by_organisation=iom),
        "self_registered": JobSeekerFactory(registered_by_organisation=None),
    }


def _visible(user) -> set[int]:
    return set(JobSeeker.objects.visible_to(user).values_list("pk", flat=True))


def test_ministry_officers_see_everyone(people):
    assert _visible(UserFactory()) == {p.pk for p in people.values()}


def test_caseworkers_of_the_employment_agency_see_everyone(people):
    caseworker = UserFactory(
        role=Role.CASEWORKER,
        organisation=OrganisationFactory(kind=OrganisationKind.EMPLOYMENT_AGENCY),
    )
    assert _visible(caseworker) == {p.pk for p in people.values()}


def test_other_caseworkers_see_only_the_people_their_organisation_registered(people):
    caseworker = UserFactory(
        role=Role.CASEWORKER, organisation=people["by_iom"].registered_by_organisation
    )
    assert _visible(caseworker) == {people["by_iom"].pk}
    assert _visible(UserFactory(iom_caseworker=True)) == set()


def test_embassy_officers_see_the_people_placed_in_their_country_only(people):
    from tests.mobility.protection_factories import PlacementFactory

    embassy = UserFactory(embassy_officer=True)  # in France
    assert _visible(embassy) == set()
    in_france = PlacementFactory(
        application__vacancy__country_id="FR", application__vacancy__employer__country_id="FR"
    )
    PlacementFactory()  # in Poland
    assert _visible(embassy) == {in_france.job_seeker_id}


@pytest.mark.parametrize(
    "role",
    [Role.EMPLOYER, Role.AGENCY, Role.ANALYST, Role.CONTENT_EDITOR, Role.ADMINISTRATOR, Role.NONE],
)
def test_employers_analysts_and_others_see_no_one(people, role):
    assert _visible(UserFactory(role=role)) == set()


def test_a_job_seeker_sees_only_themself(people):
    account = UserFactory(job_seeker=True)
    own = JobSeekerFactory(user=account)
    assert _visible(account) == {own.pk}


def test_inactive_and_anonymous_users_see_no_one(people):
    from django.contrib.auth.models import AnonymousUser

    assert _visible(UserFactory(is_active=False)) == set()
    assert _visible(AnonymousUser()) == set()


def test_merged_records_stay_visible_for_their_page_but_leave_lists(people):
    survivor = people["by_agency"]
    merged = people["self_registered"]
    JobSeeker.objects.filter(pk=merged.pk).update(status="merged", merged_into=survivor)
    officer = UserFactory()
    assert merged.pk in _visible(officer)
    assert merged.pk not in set(
        JobSeeker.objects.visible_to(officer).active().values_list("pk", flat=True)
    )
