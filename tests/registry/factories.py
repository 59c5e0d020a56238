import datetime

import factory
from django.core.files.base import ContentFile

from gza.registry.enums import Sex
from gza.registry.models import JobSeeker, LanguageSkill, SoughtOccupation
from tests.partners.factories import PDF_BYTES

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


# Profile and documents (tests/registry/test_profile.py and the pages and API around it).


class ConsentTextFactory(factory.django.DjangoModelFactory):
    """Version 1 of a consent text, in force since 2026 (registration and matching)."""

    class Meta:
        model = "registry.ConsentText"
        django_get_or_create = ("purpose", "version")

    purpose = "registration"
    version = 1
    text_ka = "ვეთანხმები."
    text_en = "I agree."
    effective_from = datetime.date(2026, 1, 1)


class JobSeekerDocumentFactory(factory.django.DjangoModelFactory):
    """A person's CV, stored as a real PDF file in private storage."""

    class Meta:
        model = "registry.JobSeekerDocument"

    job_seeker = factory.SubFactory(JobSeekerFactory)
    kind = "cv"
    title = "CV"
    file = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="cv.pdf"))
    original_name = "cv.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    sha256 = "0" * 64


class DeletionRequestFactory(factory.django.DjangoModelFactory):
    """An open request to delete a person's record."""

    class Meta:
        model = "registry.DeletionRequest"

    job_seeker = factory.SubFactory(JobSeekerFactory)
    registration_number = factory.SelfAttribute("job_seeker.registration_number")
    reason = "I found work at home."


class EligibilityRuleFactory(factory.django.DjangoModelFactory):
    """A scheme's age condition, 21 to 50, on a draft vacancy."""

    class Meta:
        model = "registry.EligibilityRule"

    vacancy = factory.SubFactory("tests.demand.factories.VacancyFactory")
    kind = "age"
    min_age = 21
    max_age = 50


class DuplicateCandidateFactory(factory.django.DjangoModelFactory):
    """Two records of one Mariam Kapanadze, the second with a typo in the personal number."""

    class Meta:
        model = "registry.DuplicateCandidate"

    person_a = factory.SubFactory(JobSeekerFactory)
    person_b = factory.SubFactory(
        JobSeekerFactory,
        last_name=factory.SelfAttribute("..person_a.last_name"),
        last_name_latin=factory.SelfAttribute("..person_a.last_name_latin"),
    )
    score = 0.97
    evidence = factory.LazyFunction(
        lambda: {"weight": 5.0, "items": [{"field": "birth_date", "level": "exact", "weight": 14}]}
    )
