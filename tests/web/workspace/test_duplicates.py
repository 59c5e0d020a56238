import pytest
from django.db import connection
from django.urls import reverse

from gza.core.enums import AccessAction
from gza.core.models import AccessLogEntry
from gza.registry.duplicate_models import MergeRecord
from gza.registry.enums import DuplicateStatus, RecordStatus
from gza.registry.merge import duplicate_merge
from tests.core.factories import UserFactory
from tests.registry.factories import DuplicateCandidateFactory

pytestmark = pytest.mark.django_db

REQUEST_SAVEPOINT = 2 if connection.settings_dict["ATOMIC_REQUESTS"] else 0
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def en(name: str, *args) -> str:
    """The English page's address (the language is in the path)."""
    return "/en" + reverse(name, args=args)[3:]


@pytest.fixture
def officer(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_the_queue_lists_open_pairs_by_score_without_names(
    client, officer, django_assert_num_queries
):
    low = DuplicateCandidateFactory(score=0.91)
    high = DuplicateCandidateFactory(score=0.99)
    dismissed = DuplicateCandidateFactory(status=DuplicateStatus.DISMISSED)
    url = reverse("workspace:duplicate_list")
    # The workspace's own (session, user, second factor, organisation, session save...), the
    # count and one query for the page, however many pairs it shows.
    with django_assert_num_queries(9 + REQUEST_SAVEPOINT):
        response = client.get(url, **EN)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index(high.person_a.registration_number) < html.index(
        low.person_a.registration_number
    )
    assert high.person_a.last_name not in html
    for candidate in (low, high):
        assert reverse("workspace:duplicate_detail", args=[candidate.pk]) in html
    assert reverse("workspace:duplicate_detail", args=[dismissed.pk]) not in html
    assert not AccessLogEntry.objects.exists()


def test_the_comparison_shows_both_records_masks_passports_and_logs_both(client, officer):
    candidate = DuplicateCandidateFactory(
        person_a__passport_number="13AB12345", person_b__personal_number="01001012346"
    )
    response = client.get(en("workspace:duplicate_detail", candidate.pk), **EN)
    html = response.content.decode()
    assert response.status_code == 200
    assert candidate.person_a.last_name in html and candidate.person_b.personal_number in html
    assert "13AB12345" not in html and "345" in html
    assert "The personal numbers differ: I checked the ID document" in html
    logged = set(
        AccessLogEntry.objects.filter(actor=officer, action=AccessAction.VIEW).values_list(
            "subject_id", flat=True
        )
    )
    assert logged == {str(candidate.person_a_id), str(candidate.person_b_id)}


def test_merging_needs_the_id_check_and_then_merges(client, officer):
    candidate = DuplicateCandidateFactory()
    url = en("workspace:duplicate_merge", candidate.pk)
    survivor = candidate.person_b
    response = client.post(url, {"survivor": survivor.pk}, **EN)
    assert response.status_code == 400
    assert "Check the ID document" in response.content.decode()
    assert not MergeRecord.objects.exists()

    response = client.post(url, {"survivor": survivor.pk, "personal_numbers_checked": "on"}, **EN)
    assert response.status_code == 302
    assert response.url == en("workspace:merge_list")
    record = MergeRecord.objects.get()
    assert (record.survivor, record.merged, record.performed_by) == (
        survivor,
        candidate.person_a,
        officer,
    )
    assert record.personal_numbers_checked
    candidate.person_a.refresh_from_db()
    assert candidate.person_a.status == RecordStatus.MERGED


def test_dismissing_takes_the_pair_out_of_the_queue(client, officer):
    candidate = DuplicateCandidateFactory()
    response = client.post(reverse("workspace:duplicate_dismiss", args=[candidate.pk]))
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.DISMISSED
    assert candidate.reviewed_by == officer
    listing = client.get(reverse("workspace:duplicate_list")).content.decode()
    assert candidate.person_a.registration_number not in listing
    # Dismissed twice: a message, no error.
    response = client.post(reverse("workspace:duplicate_dismiss", args=[candidate.pk]))
    assert response.status_code == 302


def test_a_merge_is_undone_from_the_history(client, officer):
    candidate = DuplicateCandidateFactory()
    record = duplicate_merge(
        candidate=candidate,
        survivor=candidate.person_a,
        actor=officer,
        personal_numbers_checked=True,
    )
    history = client.get(en("workspace:merge_list"), **EN).content.decode()
    assert record.merged.registration_number in history and "Undo the merge" in history
    response = client.post(reverse("workspace:merge_undo", args=[record.pk]))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.undone_at is not None and record.undone_by == officer
    candidate.person_b.refresh_from_db()
    assert candidate.person_b.status == RecordStatus.ACTIVE
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.OPEN


def test_people_outside_the_reviewers_rights_get_403(client):
    candidate = DuplicateCandidateFactory()
    client.force_login(UserFactory(iom_caseworker=True))
    response = client.get(reverse("workspace:duplicate_detail", args=[candidate.pk]))
    assert response.status_code == 403
    assert not AccessLogEntry.objects.exists()


def test_an_unknown_pair_is_a_404(client, officer):
    response = client.get(reverse("workspace:duplicate_detail", args=[999]))
    assert response.status_code == 404
