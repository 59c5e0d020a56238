"""Demo matching: the national default weights, and for the demo vacancies one shortlist a
ministry officer has reviewed and one waiting for review. The people ranked are the demo job
seekers with the profiles gza/demand/demo.py gives them. Idempotent: the weights are set once,
and a run is made only when its vacancy has none of that kind."""

from gza.core.enums import Role
from gza.core.models import User
from gza.demand.models import Vacancy
from gza.matching import engine
from gza.matching.enums import Direction, EntryDecision, RunStatus, RunTrigger
from gza.matching.models import DEFAULT_WEIGHTS
from gza.matching.runs import review_run, run_shortlist, set_weights, weights_row

SHORTLIST = 20
REVIEWED_VACANCY = "DEMO-PL-01"  # apple pickers in Grójec
WAITING_VACANCY = "DEMO-FR-01"  # vineyard workers in Angers


def matching_demo_load() -> int:
    """Load the demo matching records; returns how many shortlists were added."""
    ministry = User.objects.filter(role=Role.MINISTRY_OFFICER).order_by("pk").first()
    if ministry is None:
        return 0
    if weights_row(None) is None:
        set_weights(None, dict(DEFAULT_WEIGHTS), actor=ministry)
    # Demo profiles are written in bulk, past the signals that mark the index stale.
    engine.invalidate()
    published = Vacancy.objects.published()
    shortlists = {"direction": Direction.SHORTLIST}
    added = 0
    reviewed = published.filter(external_ref=REVIEWED_VACANCY).first()
    if reviewed and not reviewed.match_runs.filter(status=RunStatus.REVIEWED, **shortlists):
        run = run_shortlist(reviewed, actor=ministry, trigger=RunTrigger.MANUAL, limit=SHORTLIST)
        entries = list(run.entries.order_by("rank"))
        decisions = {entry.pk: (EntryDecision.KEPT, "") for entry in entries}
        if entries:
            decisions[entries[-1].pk] = (
                EntryDecision.EXCLUDED,
                "Demo: could not be reached at the phone number given.",
            )
        review_run(run, actor=ministry, decisions=decisions, note="Demo review: called by phone.")
        added += 1
    waiting = published.filter(external_ref=WAITING_VACANCY).first()
    if waiting and not waiting.match_runs.filter(status=RunStatus.TO_REVIEW, **shortlists):
        run_shortlist(waiting, actor=ministry, trigger=RunTrigger.MANUAL, limit=SHORTLIST)
        added += 1
    return added
