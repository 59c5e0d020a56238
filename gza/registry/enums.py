from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    """Recorded for outcome audits only; never an input to matching or ranking."""

    FEMALE = "f", _("female")
    MALE = "m", _("male")


class RegistrationChannel(models.TextChoices):
    SELF_SERVICE = "self", _("self-service on the portal")
    ASSISTED = "assisted", _("assisted by an officer")
    IMPORT = "import", _("bulk import")
    API = "api", _("through the API")


class RecordStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    # Merged into another record found to be the same person; kept so a merge can be undone.
    MERGED = "merged", _("merged into another record")
    # The person's deletion request was carried out: personal data erased, statistics kept
    # (gza/registry/privacy.py, deletion_carry_out).
    ERASED = "erased", _("erased on the person's request")


class WorkPattern(models.TextChoices):
    SEASONAL = "seasonal", _("seasonal")
    LONG_TERM = "long_term", _("long-term")
    EITHER = "either", _("seasonal or long-term")


class ProfileStep(models.TextChoices):
    """The steps of the profile wizard, in order; a person can leave and resume at any."""

    IDENTITY = "identity", _("Identity and contacts")
    EDUCATION = "education", _("Education")
    WORK = "work", _("Work experience")
    OCCUPATIONS = "occupations", _("Occupations sought")
    LANGUAGES = "languages", _("Languages")
    SKILLS = "skills", _("Skills, licences and certificates")
    PREFERENCES = "preferences", _("Where and when")
    DOCUMENTS = "documents", _("Documents")


class JobSeekerDocumentKind(models.TextChoices):
    CV = "cv", _("CV")
    DIPLOMA = "diploma", _("diploma")
    CERTIFICATE = "certificate", _("certificate")
    PASSPORT = "passport", _("passport copy")
    REFERENCE = "reference", _("employment reference")
    OTHER = "other", _("other document")


class ConsentPurpose(models.TextChoices):
    REGISTRATION = "registration", _("registration and matching")
    EMPLOYER_SHARING = "employer_sharing", _("sharing the profile with foreign employers")
    SURVEYS = "surveys", _("contact for surveys")
    PARTNER_EXCHANGE = "partner_exchange", _("exchange with partner institutions")


class DeletionRequestStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("carried out")
    REFUSED = "refused", _("refused")


class CodeChannel(models.TextChoices):
    """Where a one-time code is sent: the person's mobile phone or e-mail address."""

    SMS = "sms", _("mobile phone (SMS)")
    EMAIL = "email", _("e-mail")


class CodePurpose(models.TextChoices):
    REGISTER = "register", _("registration")
    SIGN_IN = "sign_in", _("sign-in")


class DuplicateStatus(models.TextChoices):
    OPEN = "open", _("waiting for review")
    MERGED = "merged", _("merged")
    DISMISSED = "dismissed", _("not the same person")
