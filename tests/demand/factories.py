import datetime
import hashlib

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from gza.core.enums import OrganisationKind
from gza.demand.enums import (
    CertificationStatus,
    EmployerDocumentKind,
    NaceSection,
    VettingStatus,
    WagePeriod,
)
from gza.demand.models import (
    Agency,
    AgencyReport,
    AgencyReportLine,
    AgencyStatusEvent,
    EmployerDocument,
    ForeignEmployer,
    InDemandLanguage,
    InDemandOccupation,
    LabourMarketStudy,
    Vacancy,
)
from gza.partners.enums import DocumentLanguage
from gza.registry.enums import Sex
from tests.core.factories import OrganisationFactory, UserFactory
from tests.partners.factories import PDF_BYTES

APPLIED_ON = datetime.date(2023, 9, 1)
CERTIFIED_ON = datetime.date(2023, 10, 2)


def at_noon(day: datetime.date) -> datetime.datetime:
    """A moment on `day` in Tbilisi."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


class ForeignEmployerFactory(factory.django.DjangoModelFactory):
    """An employer in France, where the test embassy works, waiting for vetting."""

    class Meta:
        model = ForeignEmployer

    name = factory.Sequence(lambda n: f"Ferme du Val {n}")
    country_id = "FR"
    city = "Angers"
    nace_section = NaceSection.A
    registration_number = factory.Sequence(lambda n: f"9{n:08d}")
    contact_person = "Claire Martin"
    contact_email = factory.Sequence(lambda n: f"jobs{n}@employer.example")
    contact_phone = "+33 2 41 00 00 00"

    class Params:
        verified = factory.Trait(vetting_status=VettingStatus.VERIFIED)
        in_poland = factory.Trait(country_id="PL", city="Grójec")
        # The employer has its own workspace organisation (for its own users).
        with_organisation = factory.Trait(
            organisation=factory.SubFactory(
                OrganisationFactory,
                kind=OrganisationKind.FOREIGN_EMPLOYER,
                country_id=factory.SelfAttribute("..country_id"),
            )
        )


class AgencyFactory(factory.django.DjangoModelFactory):
    """An applicant agency; `certified=True` one certified in October 2023. The status log it
    owes reports by is written to match."""

    class Meta:
        model = Agency
        skip_postgeneration_save = True

    name_ka = factory.Sequence(lambda n: f"შპს „სააგენტო {n}“")
    name_en = factory.Sequence(lambda n: f"Agency {n} LLC")
    registry_number = factory.Sequence(lambda n: f"4{n:08d}")
    contact_email = factory.Sequence(lambda n: f"office{n}@agency.example")
    contact_phone = "+995 32 200 00 00"
    status = CertificationStatus.APPLIED
    status_since = APPLIED_ON

    class Params:
        certified = factory.Trait(
            status=CertificationStatus.CERTIFIED,
            status_since=CERTIFIED_ON,
            certified_on=CERTIFIED_ON,
        )
        with_organisation = factory.Trait(
            organisation=factory.SubFactory(
                OrganisationFactory, kind=OrganisationKind.PRIVATE_AGENCY
            )
        )

    @factory.post_generation
    def status_log(self, create: bool, extracted, **kwargs) -> None:
        if not create:
            return
        AgencyStatusEvent.objects.create(
            agency=self,
            transition="apply",
            to_status=CertificationStatus.APPLIED,
            occurred_on=APPLIED_ON,
        )
        if self.certified_on:
            AgencyStatusEvent.objects.create(
                agency=self,
                transition="certify",
                from_status=CertificationStatus.APPLIED,
                to_status=CertificationStatus.CERTIFIED,
                occurred_on=self.certified_on,
            )


class AgencyReportFactory(factory.django.DjangoModelFactory):
    """The report on 2024, filed on time (10 March 2025)."""

    class Meta:
        model = AgencyReport

    agency = factory.SubFactory(AgencyFactory, certified=True)
    year = 2024
    submitted_at = factory.LazyAttribute(lambda o: at_noon(datetime.date(o.year + 1, 3, 10)))
    complaints_received = 0

    class Params:
        late = factory.Trait(
            submitted_at=factory.LazyAttribute(lambda o: at_noon(datetime.date(o.year + 1, 5, 20)))
        )


class AgencyReportLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgencyReportLine

    report = factory.SubFactory(AgencyReportFactory)
    country_id = "PL"
    occupation_id = "9211"
    sex = Sex.FEMALE
    placements = 10


class VacancyFactory(factory.django.DjangoModelFactory):
    """A draft vacancy of a verified Polish employer: fruit pickers in Grójec."""

    class Meta:
        model = Vacancy

    employer = factory.SubFactory(ForeignEmployerFactory, verified=True, in_poland=True)
    country_id = "PL"
    city = "Grójec"
    occupation_id = "9211"
    title_ka = "ხილის მკრეფი"
    title_en = "Fruit picker"
    positions = 20
    wage_amount = 31
    wage_currency = "PLN"
    wage_period = WagePeriod.HOUR


class LabourMarketStudyFactory(factory.django.DjangoModelFactory):
    """A study of France's labour market (the test embassy's country) in 2024."""

    class Meta:
        model = LabourMarketStudy

    country_id = "FR"
    title_ka = factory.Sequence(lambda n: f"შრომის ბაზრის კვლევა {n}")
    title_en = factory.Sequence(lambda n: f"Labour-market study {n}")
    period_start = datetime.date(2024, 1, 1)
    period_end = datetime.date(2024, 6, 30)
    method = "Employer survey"

    class Params:
        in_poland = factory.Trait(country_id="PL")


class InDemandOccupationFactory(factory.django.DjangoModelFactory):
    """Crop farm labourers (ISCO 9211) wanted by the study, at 15–18 PLN an hour."""

    class Meta:
        model = InDemandOccupation

    study = factory.SubFactory(LabourMarketStudyFactory)
    occupation_id = "9211"
    estimated_demand = 10
    wage_min = 15
    wage_max = 18
    wage_currency = "PLN"
    wage_period = WagePeriod.HOUR


class InDemandLanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InDemandLanguage

    in_demand = factory.SubFactory(InDemandOccupationFactory)
    language_id = "pl"
    min_level_id = "A2"


class EmployerDocumentFactory(factory.django.DjangoModelFactory):
    """An employer's registration certificate, stored as a real PDF file in private storage."""

    class Meta:
        model = EmployerDocument

    employer = factory.SubFactory(ForeignEmployerFactory)
    kind = EmployerDocumentKind.REGISTRATION_CERTIFICATE
    language = DocumentLanguage.OTHER
    title = factory.Sequence(lambda n: f"Extrait Kbis {n}")
    file = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="kbis.pdf"))
    original_name = "kbis.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    sha256 = hashlib.sha256(PDF_BYTES).hexdigest()
    uploaded_by = factory.SubFactory(UserFactory)
