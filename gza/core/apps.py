from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "gza.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from gza.core.text import install_georgian_safe_capfirst

        install_georgian_safe_capfirst()
