from django.db import models
from django.utils.translation import gettext_lazy as _


class Component(models.TextChoices):
    """The named parts of a match score, in the order they are shown. Protected attributes
    (sex, age, ethnicity, religion, health) are not among them and never will be."""

    OCCUPATION = "occupation", _("occupation")
    SKILLS = "skills", _("skills")
    LANGUAGES = "languages", _("languages")
    EXPERIENCE = "experience", _("experience")
    EDUCATION = "education", _("education")
    AVAILABILITY = "availability", _("availability")
    COUNTRY = "country", _("desired country")


class Direction(models.TextChoices):
    SHORTLIST = "shortlist", _("job seekers for a vacancy")
    RECOMMENDATIONS = "recommendations", _("vacancies for a job seeker")


class RunTrigger(models.TextChoices):
    MANUAL = "manual", _("started by an officer")
    API = "api", _("started through the API")
    AUTOMATIC = "automatic", _("re-matched after a change")


class RunStatus(models.TextChoices):
    TO_REVIEW = "to_review", _("waiting for review")
    REVIEWED = "reviewed", _("reviewed")
    SUPERSEDED = "superseded", _("superseded by a newer run")
    # Recommendations are a record of what was proposed to a person; nobody reviews them.
    RECORDED = "recorded", _("recorded (no review needed)")


class EntryDecision(models.TextChoices):
    PENDING = "pending", _("not yet reviewed")
    KEPT = "kept", _("kept on the shortlist")
    EXCLUDED = "excluded", _("excluded")
