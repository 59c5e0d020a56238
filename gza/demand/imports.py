"""Bulk imports of the demand domain, one class per kind of record (the framework, and how to add
an import, is described in gza/core/imports.py).

- `foreign_employers`: foreign employers by country and registration number; a new one is
  registered and waits for vetting, a known one has its particulars updated.

Vacancies and in-demand occupations are added here the same way: a class with its columns, a
`key` made of the external reference, and an `apply` that calls the service.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gza.core.enums import ImportRowStatus, Role
from gza.core.imports import Column, Import, ImportContext, register
from gza.core.models import User
from gza.core.roles import Right
from gza.demand.enums import NaceSection
from gza.demand.models import ForeignEmployer
from gza.demand.services import employer_register, employer_registration_allowed, employer_update
from gza.taxonomy.models import Country

UNKNOWN_COUNTRY = _(
    "“%(value)s” is not a known country. Write its two-letter ISO code (FR) or its name."
)
UNKNOWN_NACE = _("“%(value)s” is not a section of NACE Rev. 2. Write its letter, from A to U.")


# Reference data, the same few values on every line: each spelling is looked up once per
# process (a miss is not remembered, so countries loaded later are found).
_countries: dict[str, Country] = {}


def parse_country(text: str) -> Country:
    """A country by its ISO code or its Georgian or English name."""
    text = " ".join(text.split())
    country = _countries.get(text.casefold())
    if country is None:
        country = (
            Country.objects.states()
            .filter(Q(code__iexact=text) | Q(name_ka__iexact=text) | Q(name_en__iexact=text))
            .first()
        )
        if country is not None and len(_countries) < 2000:
            _countries[text.casefold()] = country
    if country is None:
        raise ValidationError(UNKNOWN_COUNTRY, code="unknown_country", params={"value": text})
    return country


def parse_nace_section(text: str) -> str:
    """A NACE Rev. 2 section by its letter; "A — Agriculture ..." is read as "A"."""
    letter = text.split()[0].rstrip(".—–-:").upper()
    if letter not in NaceSection.values:
        raise ValidationError(UNKNOWN_NACE, code="unknown_nace", params={"value": text})
    return letter


@register
class ForeignEmployerImport(Import):
    name = "foreign_employers"
    label = _("Foreign employers")
    description = _(
        "One line per employer. A new employer is registered and waits for vetting by the "
        "embassy of its country; an employer already registered under the same country and "
        "registration number has its particulars updated. Vetting is not imported."
    )
    right = Right.DEMAND_VIEW
    model = ForeignEmployer
    key_columns = ("country", "registration_number")
    columns = (
        Column(
            "country",
            "ქვეყანა",
            "Country",
            required=True,
            parser=parse_country,
            help=_("Two-letter ISO code (PL) or the country's name."),
        ),
        Column(
            "registration_number",
            "სარეგისტრაციო ნომერი",
            "Registration number",
            required=True,
            help=_("The number in the employer's own country's register of companies."),
        ),
        Column("name", "დასახელება", "Name", required=True),
        Column("city", "ქალაქი", "City", required=True),
        Column("address", "მისამართი", "Address"),
        Column(
            "nace_section",
            "სექტორი (NACE)",
            "Sector (NACE)",
            required=True,
            parser=parse_nace_section,
            help=_("The letter of the NACE Rev. 2 section, A to U."),
        ),
        Column("website", "ვებგვერდი", "Website"),
        Column("contact_person", "საკონტაქტო პირი", "Contact person", required=True),
        Column("contact_email", "საკონტაქტო ელფოსტა", "Contact e-mail", required=True),
        Column("contact_phone", "საკონტაქტო ტელეფონი", "Contact phone"),
    )

    @classmethod
    def allowed(cls, user: User) -> bool:
        # A file registers many employers: the ministry's and the embassies' work (the service
        # keeps an embassy to its own country). An employer registers itself, once, by the form.
        return (
            super().allowed(user)
            and user.role != Role.EMPLOYER
            and employer_registration_allowed(user)
        )

    def key(self, row: dict[str, Any]) -> str:
        return f"{row['country'].code} {row['registration_number']}"

    def apply(self, row: dict[str, Any], *, actor: User, context: ImportContext) -> str:
        employer = ForeignEmployer.objects.filter(
            country=row["country"], registration_number=row["registration_number"]
        ).first()
        if employer is None:
            employer_register(actor=actor, employer=ForeignEmployer(**row))
            return ImportRowStatus.CREATED
        for name, value in row.items():
            setattr(employer, name, value)
        employer_update(actor=actor, employer=employer)
        return ImportRowStatus.UPDATED
