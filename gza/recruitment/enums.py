from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """Where an application stands (docs/decisions/0021). The workflow in
    gza/recruitment/workflow.py says which moves lead where and who may make them."""

    APPLIED = "applied", _("applied")
    SHORTLISTED = "shortlisted", _("shortlisted")
    SCREENING = "screening", _("screening")
    INTERVIEW = "interview", _("interview")
    SELECTED = "selected", _("selected by the employer")
    OFFER_ACCEPTED = "offer_accepted", _("offer accepted")
    PRE_DEPARTURE = "pre_departure", _("pre-departure")
    VISA_SUBMITTED = "visa_submitted", _("visa or work permit submitted")
    VISA_GRANTED = "visa_granted", _("visa or work permit granted")
    VISA_REFUSED = "visa_refused", _("visa or work permit refused")
    DEPARTED = "departed", _("departed")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")
    CANCELLED = "cancelled", _("cancelled")
    WAITLISTED = "waitlisted", _("waitlisted")


class StartedVia(models.TextChoices):
    PORTAL = "portal", _("applied on the portal")
    SHORTLIST = "shortlist", _("from a reviewed shortlist")
    API = "api", _("through the API")


class RejectionReason(models.TextChoices):
    NOT_ELIGIBLE = "not_eligible", _("does not meet the conditions")
    SKILLS = "skills", _("skills or experience do not fit")
    LANGUAGE = "language", _("language level too low")
    INTERVIEW = "interview", _("not successful at interview")
    NOT_DRAWN = "not_drawn", _("not drawn in the lottery")
    POSITIONS_FILLED = "positions_filled", _("positions filled")
    DOCUMENTS = "documents", _("documents missing or invalid")
    OTHER = "other", _("other (see the note)")


class ActorKind(models.TextChoices):
    """Who may make a move: the person, the officer who manages the case, the employer."""

    PERSON = "person", _("the job seeker")
    OFFICER = "officer", _("an officer")
    EMPLOYER = "employer", _("the employer")
    SYSTEM = "system", _("Gza (automatic)")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class RoundOutcome(models.TextChoices):
    SELECTED = "selected", _("selected")
    WAITLISTED = "waitlisted", _("waitlisted")
