import factory

from gza.core.enums import ImportStatus, OrganisationKind, Role
from gza.core.models import ImportJob, Organisation, User

PASSWORD = "correct horse battery staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.EMPLOYMENT_AGENCY
    name_ka = factory.Sequence(lambda n: f"ორგანიზაცია {n}")
    name_en = factory.Sequence(lambda n: f"Organisation {n}")

    class Params:
        embassy_in_france = factory.Trait(
            kind=OrganisationKind.EMBASSY,
            country_id="FR",
            name_ka="საქართველოს საელჩო საფრანგეთში",
            name_en="Embassy of Georgia in France",
        )
        iom_office = factory.Trait(kind=OrganisationKind.IOM_NGO)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.ge")
    full_name = factory.Sequence(lambda n: f"ნინო ბერიძე {n}")
    role = Role.MINISTRY_OFFICER
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.django.Password(PASSWORD)

    class Params:
        embassy_officer = factory.Trait(
            role=Role.EMBASSY_OFFICER,
            organisation=factory.SubFactory(OrganisationFactory, embassy_in_france=True),
        )
        iom_caseworker = factory.Trait(
            role=Role.CASEWORKER,
            organisation=factory.SubFactory(OrganisationFactory, iom_office=True),
        )
        job_seeker = factory.Trait(role=Role.JOB_SEEKER, organisation=None)
        administrator = factory.Trait(role=Role.ADMINISTRATOR, is_staff=True)
        without_role = factory.Trait(role=Role.NONE, organisation=None)


class ImportJobFactory(factory.django.DjangoModelFactory):
    """A finished import of foreign employers (its file need not exist for most tests)."""

    class Meta:
        model = ImportJob

    kind = "foreign_employers"
    file = "imports/test.csv"
    original_name = "employers.csv"
    file_type = "csv"
    size = 100
    sha256 = "0" * 64
    created_by = factory.SubFactory(UserFactory)
    organisation = factory.SelfAttribute("created_by.organisation")
    language = "en"
    status = ImportStatus.DONE
