from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gza.core.models import translated
from gza.core.text import normalise_for_search
from gza.taxonomy.enums import (
    GeorgianUnitKind,
    IscoLevel,
    SkillRelation,
    SkillType,
    TitleLanguage,
    TitleSource,
)


class OccupationQuerySet(models.QuerySet):
    def units(self) -> "OccupationQuerySet":
        return self.filter(level=IscoLevel.UNIT)

    def search(self, query: str) -> "OccupationQuerySet":
        """ISCO groups by code prefix, or by every word of `query` in any title or alternative
        title, in Georgian, English or Russian. Exact-title and unit-group hits come first."""
        text = normalise_for_search(query)
        if not text:
            return self.none()
        if text.isdigit():
            return self.filter(code__startswith=text).order_by("code")
        condition = models.Q()
        for word in text.split(" "):
            condition &= models.Q(search_text__contains=word)
        exact = (
            models.Q(title_ka__iexact=query.strip())
            | models.Q(title_en__iexact=query.strip())
            | models.Exists(
                OccupationTitle.objects.filter(
                    occupation=models.OuterRef("pk"), title__iexact=query.strip()
                )
            )
        )
        return (
            self.filter(condition)
            .annotate(exact_title=models.ExpressionWrapper(exact, models.BooleanField()))
            .order_by("-exact_title", "-level", "code")
        )


class Occupation(models.Model):
    """An ISCO-08 group: major (1 digit) to unit (4 digits)."""

    code = models.CharField(_("code"), max_length=4, primary_key=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=IscoLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("broader group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    title_ka = models.CharField(_("title (Georgian)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    definition_en = models.TextField(_("definition"), blank=True)
    tasks_en = models.TextField(_("tasks"), blank=True)
    included_en = models.TextField(_("included occupations"), blank=True)
    excluded_en = models.TextField(_("excluded occupations"), blank=True)
    notes_en = models.TextField(_("notes"), blank=True)
    # Lower-cased titles and alternative titles in every language, for word search on any
    # database; PostgreSQL trigram search is added with the autocoder.
    search_text = models.TextField(editable=False, blank=True)

    objects = OccupationQuerySet.as_manager()

    class Meta:
        verbose_name = _("ISCO-08 occupation group")
        verbose_name_plural = _("ISCO-08 occupation groups")
        ordering = ["code"]

    title = translated("title")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("workspace:occupation_detail", kwargs={"code": self.code})

    def ancestors(self) -> list["Occupation"]:
        """Broader groups from the major group down, without a query per level."""
        codes = [self.code[:n] for n in range(1, len(self.code))]
        by_code = Occupation.objects.in_bulk(codes)
        return [by_code[c] for c in codes if c in by_code]


class OccupationTitle(models.Model):
    """An alternative title: ILO index entries, Georgian and Russian everyday words."""

    occupation = models.ForeignKey(
        Occupation, verbose_name=_("occupation"), on_delete=models.CASCADE, related_name="titles"
    )
    language = models.CharField(_("language"), max_length=2, choices=TitleLanguage.choices)
    title = models.CharField(_("title"), max_length=300)
    source = models.CharField(_("source"), max_length=20, choices=TitleSource.choices)

    class Meta:
        verbose_name = _("alternative title")
        verbose_name_plural = _("alternative titles")
        ordering = ["language", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["occupation", "language", "title"], name="occupation_title_unique"
            )
        ]

    def __str__(self) -> str:
        return self.title


class EscoOccupation(models.Model):
    uri = models.CharField(_("ESCO URI"), max_length=200, unique=True)
    code = models.CharField(_("ESCO code"), max_length=40)
    isco = models.ForeignKey(
        Occupation,
        verbose_name=_("ISCO-08 unit group"),
        on_delete=models.PROTECT,
        related_name="esco_occupations",
    )
    label_en = models.CharField(_("preferred label"), max_length=300)
    alt_labels_en = models.TextField(_("alternative labels"), blank=True)
    description_en = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("ESCO occupation")
        verbose_name_plural = _("ESCO occupations")
        ordering = ["label_en"]

    def __str__(self) -> str:
        return self.label_en


class EscoSkill(models.Model):
    uri = models.CharField(_("ESCO URI"), max_length=200, unique=True)
    skill_type = models.CharField(_("type"), max_length=20, choices=SkillType.choices, blank=True)
    reuse_level = models.CharField(_("reuse level"), max_length=30, blank=True)
    label_en = models.CharField(_("preferred label"), max_length=300)
    alt_labels_en = models.TextField(_("alternative labels"), blank=True)
    description_en = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("ESCO skill")
        verbose_name_plural = _("ESCO skills")
        ordering = ["label_en"]

    def __str__(self) -> str:
        return self.label_en


class EscoOccupationSkill(models.Model):
    occupation = models.ForeignKey(
        EscoOccupation, on_delete=models.CASCADE, related_name="skill_links"
    )
    skill = models.ForeignKey(EscoSkill, on_delete=models.CASCADE, related_name="occupation_links")
    relation = models.CharField(_("relation"), max_length=10, choices=SkillRelation.choices)

    class Meta:
        verbose_name = _("ESCO occupation skill")
        verbose_name_plural = _("ESCO occupation skills")
        constraints = [
            models.UniqueConstraint(fields=["occupation", "skill"], name="esco_occ_skill_unique")
        ]

    def __str__(self) -> str:
        return f"{self.occupation_id}-{self.skill_id} ({self.relation})"


class CountryQuerySet(models.QuerySet):
    def states(self) -> "CountryQuerySet":
        """Countries proper, without unions such as the EU."""
        return self.filter(is_union=False)


class Country(models.Model):
    """An ISO 3166-1 country, with names from CLDR in Georgian and English.

    The European Union, for which ISO 3166-1 reserves the code EU, is here too, marked as a
    union: Georgia has a mobility partnership with it as with a country. Pickers for a person's
    citizenship or an employer's seat use `Country.objects.states()`."""

    code = models.CharField(_("ISO code"), max_length=2, primary_key=True)
    name_ka = models.CharField(_("name (Georgian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    is_union = models.BooleanField(_("union of states"), default=False)

    objects = CountryQuerySet.as_manager()

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name_en"]

    name = translated("name")

    def __str__(self) -> str:
        return self.name


class GeorgianRegion(models.Model):
    """Tbilisi, the two autonomous republics and the nine regions (ISO 3166-2:GE)."""

    code = models.CharField(_("code"), max_length=5, primary_key=True)
    kind = models.CharField(_("kind"), max_length=20, choices=GeorgianUnitKind.choices)
    name_ka = models.CharField(_("name (Georgian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        verbose_name = _("region of Georgia")
        verbose_name_plural = _("regions of Georgia")
        ordering = ["code"]

    name = translated("name")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    code = models.SlugField(_("code"), max_length=40, primary_key=True)
    region = models.ForeignKey(
        GeorgianRegion,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="municipalities",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=GeorgianUnitKind.choices)
    name_ka = models.CharField(_("name (Georgian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name_en"]

    name = translated("name")

    def __str__(self) -> str:
        return self.name


class Language(models.Model):
    """An ISO 639-1 language, with names from CLDR."""

    code = models.CharField(_("ISO 639-1 code"), max_length=3, primary_key=True)
    name_ka = models.CharField(_("name (Georgian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["name_en"]

    name = translated("name")

    def __str__(self) -> str:
        return self.name


class CefrLevel(models.Model):
    code = models.CharField(_("code"), max_length=2, primary_key=True)
    rank = models.PositiveSmallIntegerField(_("rank"), unique=True)
    name_ka = models.CharField(_("name (Georgian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    description_ka = models.TextField(_("description (Georgian)"))
    description_en = models.TextField(_("description (English)"))

    class Meta:
        verbose_name = _("CEFR level")
        verbose_name_plural = _("CEFR levels")
        ordering = ["rank"]

    name = translated("name")
    description = translated("description")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class IscedLevel(models.Model):
    code = models.CharField(_("code"), max_length=1, primary_key=True)
    name_ka = models.CharField(_("name (Georgian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        verbose_name = _("ISCED 2011 level")
        verbose_name_plural = _("ISCED 2011 levels")
        ordering = ["code"]

    name = translated("name")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ReferenceDataset(models.Model):
    """Which version (file checksum) of each reference file is loaded: reloading is a no-op
    unless the file changed."""

    name = models.CharField(_("dataset"), max_length=60, primary_key=True)
    checksum = models.CharField(_("checksum"), max_length=64)
    rows = models.PositiveIntegerField(_("rows"))
    loaded_at = models.DateTimeField(_("loaded"), auto_now=True)

    class Meta:
        verbose_name = _("reference dataset")
        verbose_name_plural = _("reference datasets")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
