from django.db import models
from django.utils.translation import gettext_lazy as _


class PlacementStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    COMPLETED = "completed", _("completed")
    ENDED_EARLY = "ended_early", _("ended early")
    TRANSFERRED = "transferred", _("transferred to another employer")
    OVERSTAYED = "overstayed", _("overstayed")


class PayPeriod(models.TextChoices):
    HOUR = "hour", _("per hour")
    MONTH = "month", _("per month")


class PaidAsPromised(models.TextChoices):
    YES = "yes", _("yes")
    PARTLY = "partly", _("partly")
    NO = "no", _("no")


class GrievanceSource(models.TextChoices):
    PORTAL = "portal", _("the worker, on the portal")
    OFFICER = "officer", _("an officer")
    EMBASSY = "embassy", _("an embassy")
    CHECK_IN = "check_in", _("a check-in answer")


class GrievanceCategory(models.TextChoices):
    PAY = "pay", _("pay")
    CONTRACT_SUBSTITUTION = "contract_substitution", _("contract substitution")
    DOCUMENTS_WITHHELD = "documents_withheld", _("documents withheld")
    HOUSING = "housing", _("housing")
    HEALTH = "health", _("health or accident")
    ABUSE = "abuse", _("abuse")
    TRAFFICKING = "trafficking", _("signs of trafficking")
    OTHER = "other", _("other")


class Severity(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")
    CRITICAL = "critical", _("critical")


class GrievanceStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    ESCALATED = "escalated", _("escalated")
    RESOLVED = "resolved", _("resolved")
    CLOSED = "closed", _("closed")


class ReturnKind(models.TextChoices):
    PLANNED = "planned", _("planned, at the end of the contract")
    EARLY = "early", _("early")


class EarlyReturnReason(models.TextChoices):
    CONTRACT_ENDED = "contract_ended", _("the employer ended the contract")
    WORKER_CHOICE = "worker_choice", _("the worker's choice")
    HEALTH = "health", _("health")
    FAMILY = "family", _("family reasons")
    EXPLOITATION = "exploitation", _("poor conditions or exploitation")
    VISA = "visa", _("visa or permit problem")
    OTHER = "other", _("other")


class ChecklistItem(models.TextChoices):
    CONTRACT = "contract", _("contract signed in a language the worker understands")
    MEDICAL = "medical", _("medical check")
    INSURANCE = "insurance", _("insurance")
    ORIENTATION = "orientation", _("pre-departure orientation")
    DOCUMENTS = "documents", _("travel and work documents")


class Breach(models.TextChoices):
    """A difference between a check-in answer and the promised terms (gza/mobility/protection.py
    says when each is found)."""

    PAY_BELOW_PROMISED = "pay_below_promised", _("pay below the promised pay")
    NOT_PAID_AS_PROMISED = "not_paid_as_promised", _("not paid as promised")
    HOURS_ABOVE_PROMISED = "hours_above_promised", _("more hours than promised")
    HOUSING_NOT_AS_PROMISED = "housing_not_as_promised", _("housing not as promised")
    DOCUMENTS_HELD = "documents_held", _("documents kept by the employer")
    NOT_SAFE = "not_safe", _("does not feel safe")
