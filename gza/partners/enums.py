from django.db import models
from django.utils.translation import gettext_lazy as _


class CooperationStage(models.TextChoices):
    IDENTIFIED = "identified", _("identified")
    CONTACTED = "contacted", _("contacted")
    INTEREST_EXPRESSED = "interest_expressed", _("interest expressed")
    NEGOTIATING = "negotiating", _("negotiating")
    AGREEMENT_SIGNED = "agreement_signed", _("agreement signed")
    SCHEME_OPERATING = "scheme_operating", _("scheme operating")
    ON_HOLD = "on_hold", _("on hold")
    NOT_PURSUED = "not_pursued", _("not pursued")


class EngagementKind(models.TextChoices):
    MEETING = "meeting", _("meeting")
    VISIT_INCOMING = "visit_incoming", _("incoming delegation visit")
    VISIT_OUTGOING = "visit_outgoing", _("outgoing delegation visit")
    LETTER = "letter", _("letter")
    BRIEFING = "briefing", _("briefing")
    CONFERENCE = "conference", _("conference")
    CALL = "call", _("call")


class IndicatorKind(models.TextChoices):
    MINIMUM_WAGE = "minimum_wage", _("statutory minimum wage")
    AVERAGE_EARNINGS = "average_earnings", _("average monthly earnings")
    UNEMPLOYMENT = "unemployment", _("unemployment rate")
    VISA_REGIME = "visa_regime", _("visa regime for Georgians")
    DIASPORA_SIZE = "diaspora_size", _("Georgian diaspora")
    SCHEME_EMPLOYMENT = "scheme_employment", _("Georgians employed through schemes")


class AgreementKind(models.TextChoices):
    BILATERAL = "bilateral", _("bilateral agreement")
    MEMORANDUM = "memorandum", _("memorandum of understanding")
    PROTOCOL = "protocol", _("implementing protocol")
    PILOT = "pilot", _("pilot scheme")
    EU_FRAMEWORK = "eu_framework", _("EU framework")


class AgreementStatus(models.TextChoices):
    NEGOTIATING = "negotiating", _("under negotiation")
    SIGNED = "signed", _("signed")
    RATIFIED = "ratified", _("ratified")
    IN_FORCE = "in_force", _("in force")
    SUSPENDED = "suspended", _("suspended")
    EXPIRED = "expired", _("expired")


class Verdict(models.TextChoices):
    ADVISABLE = "advisable", _("advisable")
    WITH_CONDITIONS = "with_conditions", _("advisable with conditions")
    NOT_NOW = "not_now", _("not advisable now")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


class AgreementDocumentKind(models.TextChoices):
    AGREEMENT_TEXT = "agreement_text", _("agreement text")
    PROTOCOL = "protocol", _("protocol")
    NOTE_VERBALE = "note_verbale", _("note verbale")
    MEMORANDUM = "memorandum", _("memorandum")
    OTHER = "other", _("other document")


class DocumentLanguage(models.TextChoices):
    GEORGIAN = "ka", _("Georgian")
    ENGLISH = "en", _("English")
    OTHER = "other", _("other language")
