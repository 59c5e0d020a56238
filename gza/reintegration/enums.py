from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class Vulnerability(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")


class NeedLevel(models.IntegerChoices):
    NONE = 0, _("no need")
    SOME = 1, _("some need")
    SERIOUS = 2, _("serious need")
    URGENT = 3, _("urgent need")


class AssistanceKind(models.TextChoices):
    BUSINESS_GRANT = "business_grant", _("business grant")
    TRAINING = "training", _("vocational training")
    JOB_PLACEMENT = "job_placement", _("job placement")
    MEDICAL = "medical", _("medical care")
    HOUSING = "housing", _("housing")
    COUNSELLING = "counselling", _("counselling")


class AssistanceStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DELIVERED = "delivered", _("delivered")
    CANCELLED = "cancelled", _("cancelled")


class ClosureReason(models.TextChoices):
    SUSTAINABLE = "sustainable", _("reintegration sustainable")
    LEFT_AGAIN = "left_again", _("migrated again")
    LOST_CONTACT = "lost_contact", _("contact lost")
    DECLINED = "declined", _("the person declined further help")
