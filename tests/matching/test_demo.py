"""The demo's matching records: national weights, one reviewed shortlist and one waiting, and
vacancies for the demo job seeker; loaded twice, nothing is added."""

import pytest

from gza.core.demo import demo_data_load
from gza.core.models import User
from gza.demand.demo import demand_demo_load
from gza.matching import engine
from gza.matching.demo import REVIEWED_VACANCY, WAITING_VACANCY, matching_demo_load
from gza.matching.enums import EntryDecision, RunStatus
from gza.matching.models import MatchRun, MatchWeights
from gza.partners.demo import partners_demo_load

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_reviewed_and_a_waiting_shortlist_and_loads_once(client):
    engine.invalidate()
    demo_data_load(job_seekers=40)
    partners_demo_load()
    demand_demo_load()
    assert matching_demo_load() == 2
    assert MatchWeights.objects.filter(agreement__isnull=True).exists()
    reviewed = MatchRun.objects.get(vacancy__external_ref=REVIEWED_VACANCY)
    assert reviewed.status == RunStatus.REVIEWED and reviewed.reviewed_by is not None
    assert reviewed.entries.exists()
    excluded = reviewed.entries.get(decision=EntryDecision.EXCLUDED)
    assert excluded.decision_reason
    waiting = MatchRun.objects.get(vacancy__external_ref=WAITING_VACANCY)
    assert waiting.status == RunStatus.TO_REVIEW

    assert matching_demo_load() == 0
    assert MatchRun.objects.count() == 2

    client.force_login(User.objects.get(role="job_seeker"))
    html = client.get("/en/me/").content.decode()
    assert "Vacancies for you" in html and "Complete your profile" not in html
