from django.db import models
from django.utils.translation import gettext_lazy as _


class IscoLevel(models.IntegerChoices):
    MAJOR = 1, _("major group")
    SUB_MAJOR = 2, _("sub-major group")
    MINOR = 3, _("minor group")
    UNIT = 4, _("unit group")


class TitleLanguage(models.TextChoices):
    GEORGIAN = "ka", _("Georgian")
    ENGLISH = "en", _("English")
    RUSSIAN = "ru", _("Russian")


class TitleSource(models.TextChoices):
    ILO_INDEX = "ilo_index", _("ILO index of occupational titles")
    GZA = "gza", _("written by the Gza team")
    ESCO = "esco", _("ESCO")


class SkillType(models.TextChoices):
    SKILL = "skill/competence", _("skill or competence")
    KNOWLEDGE = "knowledge", _("knowledge")


class SkillRelation(models.TextChoices):
    ESSENTIAL = "essential", _("essential")
    OPTIONAL = "optional", _("optional")


class GeorgianUnitKind(models.TextChoices):
    CAPITAL = "capital", _("capital city")
    AUTONOMOUS_REPUBLIC = "autonomous_republic", _("autonomous republic")
    REGION = "region", _("region")
    CITY = "city", _("self-governing city")
    MUNICIPALITY = "municipality", _("municipality")
