from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    """Recorded for outcome audits only; never an input to matching or ranking."""

    FEMALE = "f", _("female")
    MALE = "m", _("male")
