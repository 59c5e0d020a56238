import datetime

import factory

from gza.registry.enums import Sex
from gza.registry.models import JobSeeker, LanguageSkill, SoughtOccupation

_GEORGIAN_LETTERS = "აბგდევზთიკლმნოპრსტუფქღყშჩცძწჭხჯჰ"
_LATIN_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _suffix(n: int, letters: str) -> str:
    """A distinct run of letters per number, so names stay valid (no digits in a name)."""
    out = ""
    while True:
        n, rest = divmod(n, len(letters))
        out = letters[rest] + out
        if n == 0:
            return out


class JobSeekerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobSeeker

    personal_number = factory.Sequence(lambda n: f"{n:011d}")
    first_name = "მარიამ"
    last_name = factory.Sequence(lambda n: f"კაპანაძე-{_suffix(n, _GEORGIAN_LETTERS)}")
    first_name_latin = "Mariam"
    last_name_latin = factory.Sequence(lambda n: f"Kapanadze-{_suffix(n, _LATIN_LETTERS)}")
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
