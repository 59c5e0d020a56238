import factory

from gza.core.enums import OrganisationKind, Role
from gza.core.models import Organisation, User

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
