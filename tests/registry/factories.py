import datetime

import factory

from gza.registry.enums import Sex
from gza.registry.models import JobSeeker, LanguageSkill, SoughtOccupation


class JobSeekerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobSeeker

    personal_number = factory.Sequence(lambda n: f"{n:011d}")
    first_name = "მარიამ"
    last_name = factory.Sequence(lambda n: f"კაპანაძე{n}")
    first_name_latin = "Mariam"
    last_name_latin = factory.Sequence(lambda n: f"Kapanadze{n}")
    sex = Sex.FEMALE
    birth_date = datetime.date(1995, 3, 8)
    municipality_id = "telavi"

    class Params:
        from_batumi = factory.Trait(municipality_id="batumi")


class SoughtOccupationFactory(factory.django.DjangoModelFactory):
    """A person seeking work as a crop farm labourer (ISCO 9211), the commonest seasonal job."""

    class Meta:
        model = SoughtOccupation

    job_seeker = factory.SubFactory(JobSeekerFactory)
    occupation_id = "9211"
    years_experience = 2


class LanguageSkillFactory(factory.django.DjangoModelFactory):
    """A person who speaks Polish at A2."""

    class Meta:
        model = LanguageSkill

    job_seeker = factory.SubFactory(JobSeekerFactory)
    language_id = "pl"
    level_id = "A2"
