import dataclasses
from collections import Counter

import pytest

from gza.core.demo import demo_data_load
from gza.demand.demo import demand_demo_load
from gza.demand.models import LabourMarketStudy
from gza.demand.studies import RegionSupply, SupplyGapRow, study_supply_gap
from gza.partners.demo import partners_demo_load
from gza.registry.models import LanguageSkill, SoughtOccupation
from tests.demand.factories import (
    InDemandLanguageFactory,
    InDemandOccupationFactory,
    LabourMarketStudyFactory,
)
from tests.registry.factories import (
    JobSeekerFactory,
    LanguageSkillFactory,
    SoughtOccupationFactory,
)

pytestmark = pytest.mark.django_db

KAKHETI, ADJARA = "GE-KA", "GE-AJ"  # Telavi and Batumi, the job seeker factory's two homes


def _person(*occupations: str, batumi: bool = False, **languages: str):
    """A job seeker seeking `occupations`, speaking `languages` (code=level)."""
    person = JobSeekerFactory(from_batumi=batumi)
    for code in occupations:
        SoughtOccupationFactory(job_seeker=person, occupation_id=code)
    for code, level in languages.items():
        LanguageSkillFactory(job_seeker=person, language_id=code, level_id=level)
    return person


def _wanted(study, code: str, demand: int, **languages: str):
    row = InDemandOccupationFactory(study=study, occupation_id=code, estimated_demand=demand)
    for language, level in languages.items():
        InDemandLanguageFactory(in_demand=row, language_id=language, min_level_id=level)
    return row


def _regions(row: SupplyGapRow) -> dict[str, tuple[int, int]]:
    return {cell.region.code: (cell.seekers, cell.qualified) for cell in row.by_region}


@pytest.fixture
def crafted():
    """Three occupations in demand and a registry that tests each rule once."""
    study = LabourMarketStudyFactory(in_poland=True)
    _wanted(study, "9211", 3)  # no language required
    _wanted(study, "8160", 4, pl="A2")
    _wanted(study, "8332", 5, ru="B1", pl="A1")
    _person("9211")
    _person("9211", "8160", pl="A2")  # exactly the required level: qualified
    _person("8160", pl="A1")  # one level short
    _person("8160", ru="C1")  # fluent, but in another language
    for _ in range(3):
        _person("9211", batumi=True)
    _person("8160", batumi=True, pl="B2")  # above the level
    _person("8332", batumi=True, ru="B1", pl="A1")  # both languages
    _person("8332", batumi=True, ru="C2")  # one of two languages missing
    _person("9212", pl="C1")  # livestock labourer: the same minor group, another unit group
    _person(pl="B2", ru="B2")  # seeks nothing yet
    return study


def test_the_supply_gap_on_crafted_data(crafted):
    rows = {row.in_demand.occupation_id: row for row in study_supply_gap(crafted)}
    assert list(rows) == ["8160", "8332", "9211"]

    farm = rows["9211"]
    assert (farm.demand, farm.seekers, farm.qualified) == (3, 5, 5)
    assert (farm.gap, farm.surplus, farm.training_needed) == (0, 2, False)
    assert _regions(farm) == {ADJARA: (3, 3), KAKHETI: (2, 2)}

    food = rows["8160"]
    assert (food.demand, food.seekers, food.qualified) == (4, 4, 2)
    assert (food.gap, food.surplus, food.language_trainable) == (2, 0, 2)
    assert _regions(food) == {ADJARA: (1, 1), KAKHETI: (3, 1)}
    # Half the demand is covered: a gap, but not a large one.
    assert not food.training_needed

    trucks = rows["8332"]
    assert (trucks.demand, trucks.seekers, trucks.qualified) == (5, 2, 1)
    assert (trucks.gap, trucks.surplus, trucks.language_trainable) == (4, 0, 1)
    assert trucks.training_needed
    assert _regions(trucks) == {ADJARA: (2, 1)}
    assert trucks.in_region(KAKHETI) is None


def test_the_region_is_that_of_the_persons_municipality(crafted):
    row = next(r for r in study_supply_gap(crafted) if r.in_demand.occupation_id == "9211")
    assert [cell.region.name_en for cell in row.by_region] == [
        "Autonomous Republic of Adjara",
        "Kakheti",
    ]


def test_an_occupation_no_one_seeks_shows_the_whole_demand_as_gap():
    study = LabourMarketStudyFactory()
    _wanted(study, "7212", 90, ru="A2")
    (row,) = study_supply_gap(study)
    assert (row.seekers, row.qualified, row.gap, row.surplus) == (0, 0, 90, 0)
    assert row.by_region == () and row.training_needed and row.language_trainable == 0


def test_a_study_without_occupations_has_no_rows():
    assert study_supply_gap(LabourMarketStudyFactory()) == []


def test_the_rows_carry_counts_and_no_person():
    assert {f.name for f in dataclasses.fields(SupplyGapRow)} == {
        "in_demand",
        "seekers",
        "qualified",
        "by_region",
    }
    assert {f.name for f in dataclasses.fields(RegionSupply)} == {"region", "seekers", "qualified"}


@pytest.mark.parametrize("occupations", [1, 12])
def test_the_computation_costs_four_queries_however_long_the_list(
    occupations, django_assert_max_num_queries
):
    study = LabourMarketStudyFactory(in_poland=True)
    codes = ["9211", "6111", "8160", "9329", "7512", "7115", "7212", "5120", "8332", "5131"]
    codes += ["9112", "5322"]
    for code in codes[:occupations]:
        _wanted(study, code, 10, pl="A2", ru="B1")
        _person(code, pl="B1", ru="B1")
        _person(code, batumi=True, pl="A1")
    with django_assert_max_num_queries(4):
        rows = study_supply_gap(study)
    assert len(rows) == occupations
    assert all((row.seekers, row.qualified) == (2, 1) for row in rows)


def _brute_force(study: LabourMarketStudy) -> dict[str, tuple[int, int, Counter]]:
    """The supply gap counted person by person, the slow and obvious way."""
    result = {}
    for row in study.in_demand_occupations.all():
        required = [(r.language_id, r.min_level.rank) for r in row.languages.all()]
        seekers = qualified = 0
        regions: Counter = Counter()
        for sought in SoughtOccupation.objects.filter(occupation=row.occupation).select_related(
            "job_seeker__municipality"
        ):
            person = sought.job_seeker
            spoken = {s.language_id: s.level.rank for s in person.language_skills.all()}
            meets = all(spoken.get(language, 0) >= rank for language, rank in required)
            seekers += 1
            qualified += meets
            regions[person.municipality.region_id] += 1
        result[row.occupation_id] = (seekers, qualified, regions)
    return result


def test_the_demo_study_shows_a_mix_and_its_table_is_correct():
    demo_data_load()  # the demo's own size: the mix is made for it
    partners_demo_load()
    demand_demo_load()
    study = LabourMarketStudy.objects.get(country_id="PL")
    assert "Demo" in study.sources and study.author_organisation.short_name == "IOM"
    rows = study_supply_gap(study)
    assert 6 <= len(rows) <= 10
    assert all(row.in_demand.wage_currency == "PLN" for row in rows)
    assert {r.language_id for row in rows for r in row.in_demand.languages.all()} == {
        "pl",
        "ru",
        "en",
    }
    expected = _brute_force(study)
    for row in rows:
        seekers, qualified, regions = expected[row.in_demand.occupation_id]
        assert (row.seekers, row.qualified) == (seekers, qualified)
        assert {cell.region.code: cell.seekers for cell in row.by_region} == dict(regions)
    # Some occupations are well supplied, some need training.
    assert any(row.surplus for row in rows)
    assert any(row.training_needed for row in rows)

    sought, spoken = SoughtOccupation.objects.count(), LanguageSkill.objects.count()
    demand_demo_load()  # a second run adds nothing
    assert (SoughtOccupation.objects.count(), LanguageSkill.objects.count()) == (sought, spoken)
    assert LabourMarketStudy.objects.count() == 1
    assert study.in_demand_occupations.count() == len(rows)
