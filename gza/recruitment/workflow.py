"""An application's stages as a state machine, and who may make each move.

The person applies, withdraws (from any open stage before departure) and accepts or declines an
offer; the employer selects or rejects after screening or an interview; the officer
(Right.APPLICATIONS_MANAGE) manages every other move. An officer may record the employer's or
the person's decision on their behalf, but always as OFFICER and with a note saying so: an
event never claims a decision its actor did not make. Gza itself (SYSTEM) selects and
waitlists when a selection round is published and promotes from the waitlist when a selected
person withdraws. See docs/decisions/0021-applications-and-fair-selection.md.
"""

from django.utils.translation import gettext_lazy as _

from gza.core.workflow import Transition, Workflow
from gza.recruitment.enums import ActorKind, Stage

S = Stage
A = ActorKind

# Stages a selection round chooses among.
ELIGIBLE_FOR_SELECTION = frozenset({S.APPLIED, S.SHORTLISTED, S.SCREENING, S.INTERVIEW})
# Stages in which the person holds one of the vacancy's places: leaving one frees it for the
# waitlist.
HOLDING_A_PLACE = frozenset(
    {
        S.SELECTED,
        S.OFFER_ACCEPTED,
        S.PRE_DEPARTURE,
        S.VISA_SUBMITTED,
        S.VISA_GRANTED,
        S.VISA_REFUSED,
    }
)
# Open stages before departure: the person may withdraw, the officer may cancel.
OPEN = ELIGIBLE_FOR_SELECTION | HOLDING_A_PLACE | {S.WAITLISTED}
CLOSED = frozenset({S.DEPARTED, S.REJECTED, S.WITHDRAWN, S.CANCELLED})
# What the employer's users see of a vacancy's applications: from screening on (the officer
# screens first), never the applications still waiting for it.
SEEN_BY_EMPLOYER = frozenset(set(Stage.values) - {S.APPLIED, S.SHORTLISTED})

APPLICATION_WORKFLOW = Workflow(
    [
        Transition("screen", frozenset({S.APPLIED, S.SHORTLISTED}), S.SCREENING, _("screen")),
        Transition("interview", frozenset({S.SCREENING}), S.INTERVIEW, _("invite to interview")),
        Transition("select", ELIGIBLE_FOR_SELECTION, S.SELECTED, _("select")),
        Transition(
            "reject",
            ELIGIBLE_FOR_SELECTION | {S.WAITLISTED},
            S.REJECTED,
            _("reject"),
            needs_reason=True,
        ),
        Transition(
            "accept_offer", frozenset({S.SELECTED}), S.OFFER_ACCEPTED, _("accept the offer")
        ),
        Transition("decline_offer", frozenset({S.SELECTED}), S.WITHDRAWN, _("decline the offer")),
        Transition("withdraw", OPEN, S.WITHDRAWN, _("withdraw")),
        Transition("cancel", OPEN, S.CANCELLED, _("cancel")),
        Transition("waitlist", ELIGIBLE_FOR_SELECTION, S.WAITLISTED, _("put on the waitlist")),
        Transition(
            "promote", frozenset({S.WAITLISTED}), S.SELECTED, _("promote from the waitlist")
        ),
        Transition(
            "start_pre_departure",
            frozenset({S.OFFER_ACCEPTED}),
            S.PRE_DEPARTURE,
            _("start pre-departure"),
        ),
        Transition(
            "submit_visa",
            frozenset({S.PRE_DEPARTURE, S.VISA_REFUSED}),
            S.VISA_SUBMITTED,
            _("record the visa or work permit application"),
        ),
        Transition(
            "grant_visa",
            frozenset({S.VISA_SUBMITTED}),
            S.VISA_GRANTED,
            _("record the visa or work permit granted"),
        ),
        Transition(
            "refuse_visa",
            frozenset({S.VISA_SUBMITTED}),
            S.VISA_REFUSED,
            _("record the visa or work permit refused"),
        ),
        Transition("depart", frozenset({S.VISA_GRANTED}), S.DEPARTED, _("record the departure")),
    ]
)

# Who may make each move. OFFICER on a person's or employer's move means "recorded on their
# behalf" and needs a note (ON_BEHALF).
MOVERS: dict[str, frozenset[ActorKind]] = {
    "screen": frozenset({A.OFFICER}),
    "interview": frozenset({A.OFFICER}),
    "select": frozenset({A.EMPLOYER, A.OFFICER, A.SYSTEM}),
    "reject": frozenset({A.EMPLOYER, A.OFFICER}),
    "accept_offer": frozenset({A.PERSON, A.OFFICER}),
    "decline_offer": frozenset({A.PERSON, A.OFFICER}),
    "withdraw": frozenset({A.PERSON, A.OFFICER}),
    "cancel": frozenset({A.OFFICER}),
    "waitlist": frozenset({A.OFFICER, A.SYSTEM}),
    "promote": frozenset({A.OFFICER, A.SYSTEM}),
    "start_pre_departure": frozenset({A.OFFICER}),
    "submit_visa": frozenset({A.OFFICER}),
    "grant_visa": frozenset({A.OFFICER}),
    "refuse_visa": frozenset({A.OFFICER}),
    "depart": frozenset({A.OFFICER}),
}
# Moves that are someone else's decision: an officer records them only with a note naming whose
# decision it was and how it reached them.
ON_BEHALF = frozenset({"select", "accept_offer", "decline_offer", "withdraw"})
# The employer decides on people the officer has screened; the lottery and the ranking (SYSTEM)
# and an officer select from any stage a round chooses among.
NARROWER_SOURCES: dict[tuple[str, ActorKind], frozenset[str]] = {
    ("select", A.EMPLOYER): frozenset({S.SCREENING, S.INTERVIEW}),
    ("reject", A.EMPLOYER): frozenset({S.SCREENING, S.INTERVIEW}),
}


def may_move(transition: str, stage: str, actor_kind: str) -> bool:
    """Whether `actor_kind` may make `transition` from `stage` (rights and scope aside)."""
    move = APPLICATION_WORKFLOW.transitions.get(transition)
    if move is None or stage not in move.sources:
        return False
    if actor_kind not in MOVERS[transition]:
        return False
    return stage in NARROWER_SOURCES.get((transition, actor_kind), move.sources)


def moves_for(stage: str, actor_kinds: set[str]) -> list[Transition]:
    """The moves open from `stage` to someone acting in any of `actor_kinds`, in the order of
    the workflow."""
    return [
        t
        for t in APPLICATION_WORKFLOW.allowed_from(stage)
        if any(may_move(t.name, stage, kind) for kind in actor_kinds)
    ]
