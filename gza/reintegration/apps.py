from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReintegrationConfig(AppConfig):
    name = "gza.reintegration"
    label = "reintegration"
    verbose_name = _("Return and reintegration")
