"""Lifecycles as explicit state machines: named transitions with their allowed-from states.

A domain model declares its `Workflow`; one service per model performs a move, writes the
transition log row (who, when, from, to, why) and the audit trail. "Not allowed from here" is
raised in one place, `Workflow.get()`.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise

from gza.core.errors import DomainError


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    label: Promise | str
    needs_reason: bool = False


class Workflow:
    def __init__(self, transitions: Iterable[Transition]) -> None:
        self.transitions = {t.name: t for t in transitions}

    def allowed_from(self, state: str) -> list[Transition]:
        return [t for t in self.transitions.values() if state in t.sources]

    def get(self, name: str, *, state: str) -> Transition:
        transition = self.transitions.get(name)
        if transition is None or state not in transition.sources:
            raise DomainError(DomainError.TRANSITION_NOT_ALLOWED)
        return transition

    @property
    def states(self) -> set[str]:
        found = set()
        for t in self.transitions.values():
            found |= t.sources | {t.target}
        return found
