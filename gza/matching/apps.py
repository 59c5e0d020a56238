from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "gza.matching"
    label = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        # Re-match after profiles, consents, vacancies and eligibility rules change.
        from gza.matching.signals import connect

        connect()
