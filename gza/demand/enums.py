from django.db import models
from django.utils.translation import gettext_lazy as _


class NaceSection(models.TextChoices):
    """The 21 sections of NACE Rev. 2, with their official titles."""

    A = "A", _("Agriculture, forestry and fishing")
    B = "B", _("Mining and quarrying")
    C = "C", _("Manufacturing")
    D = "D", _("Electricity, gas, steam and air conditioning supply")
    E = "E", _("Water supply; sewerage, waste management and remediation activities")
    F = "F", _("Construction")
    G = "G", _("Wholesale and retail trade; repair of motor vehicles and motorcycles")
    H = "H", _("Transportation and storage")
    I = "I", _("Accommodation and food service activities")  # noqa: E741 - NACE's own letter
    J = "J", _("Information and communication")
    K = "K", _("Financial and insurance activities")
    L = "L", _("Real estate activities")
    M = "M", _("Professional, scientific and technical activities")
    N = "N", _("Administrative and support service activities")
    O = "O", _("Public administration and defence; compulsory social security")  # noqa: E741
    P = "P", _("Education")
    Q = "Q", _("Human health and social work activities")
    R = "R", _("Arts, entertainment and recreation")
    S = "S", _("Other service activities")
    T = (
        "T",
        _(
            "Activities of households as employers; undifferentiated goods- and "
            "services-producing activities of households for own use"
        ),
    )
    U = "U", _("Activities of extraterritorial organisations and bodies")


class VettingStatus(models.TextChoices):
    PENDING = "pending", _("pending vetting")
    VERIFIED = "verified", _("verified")
    REJECTED = "rejected", _("rejected")
    SUSPENDED = "suspended", _("suspended")


class CertificationStatus(models.TextChoices):
    APPLIED = "applied", _("applied")
    CERTIFIED = "certified", _("certified")
    SUSPENDED = "suspended", _("suspended")
    REVOKED = "revoked", _("revoked")
    EXPIRED = "expired", _("expired")


class WagePeriod(models.TextChoices):
    HOUR = "hour", _("per hour")
    MONTH = "month", _("per month")


class SelectionMethod(models.TextChoices):
    RANKING = "ranking", _("ranking by merit")
    LOTTERY = "lottery", _("lottery among eligible applicants")


class VacancyStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    VERIFIED = "verified", _("verified")
    PUBLISHED = "published", _("published")
    CLOSED = "closed", _("closed for applications")
    FILLED = "filled", _("filled")
    CANCELLED = "cancelled", _("cancelled")


class DrivingLicence(models.TextChoices):
    """Driving licence categories of the EU model (Directive 2006/126/EC), which Georgia's
    licences follow."""

    AM = "AM", "AM"
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    A = "A", "A"
    B = "B", "B"
    BE = "BE", "BE"
    C1 = "C1", "C1"
    C1E = "C1E", "C1E"
    C = "C", "C"
    CE = "CE", "CE"
    D1 = "D1", "D1"
    D1E = "D1E", "D1E"
    D = "D", "D"
    DE = "DE", "DE"


class MinimumWageOutcome(models.TextChoices):
    """How a vacancy's wage compares with the destination's statutory minimum wage."""

    MEETS = "meets", _("at or above the minimum wage")
    BELOW = "below", _("below the minimum wage")
    NOT_COMPARABLE = "not_comparable", _("cannot be compared with the minimum wage")
    NO_MINIMUM = "no_minimum", _("no minimum wage recorded")


class EmployerDocumentKind(models.TextChoices):
    """What a document attached to a foreign employer is: the papers an embassy vets it on."""

    REGISTRATION_CERTIFICATE = "registration", _("registration certificate")
    LICENCE = "licence", _("licence or permit")
    SAMPLE_CONTRACT = "sample_contract", _("sample employment contract")
    OTHER = "other", _("other document")
