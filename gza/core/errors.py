"""The one domain error type. Messages are constants so tests can assert them."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    APPEND_ONLY = _("Audit records cannot be changed or deleted.")
    TRANSITION_NOT_ALLOWED = _("This change is not allowed from the current state.")
    NOT_PERMITTED = _("You do not have the right to do this.")
    DEMO_IN_PRODUCTION = _("Demo data cannot be loaded in production.")
    REFERENCE_MISSING = _("Reference data is not loaded yet: run manage.py load_reference.")

    def __init__(self, message: str, **params: object) -> None:
        self.message = message
        self.params = params
        super().__init__(message)

    def __str__(self) -> str:
        # Rendered when shown, in the language active then (not the one active when raised).
        return str(self.message) % self.params if self.params else str(self.message)
