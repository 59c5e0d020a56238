"""The portal's vacancy search: published vacancies still open for applications, found by
words in either language, by ISCO-08 code, by country, wage, start date and agreement. The
same answers on SQLite and PostgreSQL; PostgreSQL also forgives a typo."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from gza.demand.enums import VacancyStatus, WagePeriod
from gza.demand.vacancies import published_vacancies
from tests.demand.factories import ForeignEmployerFactory, VacancyFactory
from tests.partners.factories import AgreementFactory, PartnerCountryFactory

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def published(**fields):
    values = {
        "status": VacancyStatus.PUBLISHED,
        "hours_per_week": 40,
        "application_deadline": days(20),
        "start_date": days(50),
        **fields,
    }
    return VacancyFactory(**values)


def found(**filters) -> list[str]:
    return [vacancy.title_en for vacancy in published_vacancies(**filters)]


def test_only_published_vacancies_still_open_are_found():
    published(title_en="Open")
    published(title_en="Open, no deadline", application_deadline=None)
    published(title_en="Closing today", application_deadline=days(0))
    published(title_en="Past deadline", application_deadline=days(-1), start_date=days(10))
    for status in set(VacancyStatus) - {VacancyStatus.PUBLISHED}:
        published(title_en=f"Not published: {status}", status=status)
    assert sorted(found()) == ["Closing today", "Open", "Open, no deadline"]


def test_words_match_titles_in_either_language_and_the_occupations_isco_titles():
    published(title_ka="ხილის მკრეფი", title_en="Fruit picker")
    published(title_ka="", title_en="Sadownik", occupation_id="9211")  # the employer's word
    published(title_ka="კალატოზი", title_en="Bricklayer", occupation_id="7112")
    # The title matches exactly; PostgreSQL's trigram search may also offer the 9211 vacancy
    # through its occupation's title "მკრეფავი", a near spelling, ranked after it.
    picker = found(occupation_query="მკრეფი")
    assert picker[0] == "Fruit picker" and "Bricklayer" not in picker
    assert found(occupation_query="  PICKER ") == ["Fruit picker", "Sadownik"]
    # "მკრეფავი" is a Georgian alternative title of ISCO-08 9211, "Picker, fruit" an English one.
    assert found(occupation_query="მკრეფავი") == ["Fruit picker", "Sadownik"]
    assert found(occupation_query="fruit picker") == ["Fruit picker", "Sadownik"]
    # Every word must match.
    assert found(occupation_query="fruit bricklayer") == []
    assert found(occupation_query="კალატოზი") == ["Bricklayer"]


def test_a_code_matches_an_isco_08_prefix():
    published(title_en="Fruit picker", occupation_id="9211")
    published(title_en="Farm hand", occupation_id="9212")
    published(title_en="Bricklayer", occupation_id="7112")
    assert found(occupation_query="9211") == ["Fruit picker"]
    assert sorted(found(occupation_query="921")) == ["Farm hand", "Fruit picker"]
    assert sorted(found(occupation_query="9")) == ["Farm hand", "Fruit picker"]
    assert found(occupation_query="9211 picker") == ["Fruit picker"]
    assert found(occupation_query="5120") == []


def test_an_exact_title_comes_first_then_titles_then_occupations():
    published(title_en="Sadownik", occupation_id="9211", application_deadline=days(1))
    published(title_en="Seasonal fruit picker in orchards", application_deadline=days(2))
    published(title_en="Fruit picker", application_deadline=days(3))
    assert found(occupation_query="Fruit picker") == [
        "Fruit picker",
        "Seasonal fruit picker in orchards",
        "Sadownik",
    ]
    # Without words: the nearest deadline first.
    assert found() == ["Sadownik", "Seasonal fruit picker in orchards", "Fruit picker"]


def test_filters_by_country_start_date_and_agreement():
    pilot = AgreementFactory(partner=PartnerCountryFactory(country_id="PL"))
    published(title_en="Polish pilot", agreement=pilot, start_date=days(90))
    published(title_en="Polish", start_date=days(30))
    french = ForeignEmployerFactory(verified=True)
    published(title_en="French", employer=french, country_id="FR", wage_currency="EUR")
    assert sorted(found(country="pl")) == ["Polish", "Polish pilot"]
    assert found(country="FR") == ["French"]
    assert found(agreement=pilot) == ["Polish pilot"]
    assert found(agreement=pilot.pk) == ["Polish pilot"]
    assert found(starts_after=days(60)) == ["Polish pilot"]
    assert sorted(found(starts_after=days(30))) == ["French", "Polish", "Polish pilot"]


def test_a_minimum_wage_filter_compares_a_month_of_pay():
    # 32 an hour at 40 hours a week is 5,546.67 a month; at 20 hours, 2,773.33.
    published(title_en="Full time", wage_amount=Decimal("32"), hours_per_week=40)
    published(title_en="Part time", wage_amount=Decimal("32"), hours_per_week=20)
    published(title_en="Monthly", wage_amount=Decimal("5000"), wage_period=WagePeriod.MONTH)
    published(
        title_en="Paid in euros",
        wage_amount=Decimal("2000"),
        wage_currency="EUR",
        wage_period=WagePeriod.MONTH,
    )
    assert sorted(found(min_wage=5000)) == ["Full time", "Monthly"]
    assert found(min_wage=Decimal("5546.66")) == ["Full time"]
    assert found(min_wage=Decimal("5546.67")) == []
    assert sorted(found(min_wage=2000, currency="pln")) == ["Full time", "Monthly", "Part time"]
    assert found(min_wage=1000, currency="EUR") == ["Paid in euros"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram search is PostgreSQL's")
def test_on_postgresql_a_misspelt_word_still_finds_the_vacancy():
    published(title_en="Fruit picker")
    published(title_en="Bricklayer", occupation_id="7112")
    assert found(occupation_query="frut picker") == ["Fruit picker"]
