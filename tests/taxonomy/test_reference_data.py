import csv
import shutil

import pytest

from gza.taxonomy.enums import IscoLevel, TitleLanguage
from gza.taxonomy.models import (
    CefrLevel,
    Country,
    EscoOccupation,
    EscoOccupationSkill,
    EscoSkill,
    GeorgianRegion,
    IscedLevel,
    Language,
    Municipality,
    Occupation,
    OccupationTitle,
)
from gza.taxonomy.services import DATA_DIR, reference_data_load

pytestmark = pytest.mark.django_db

MTAVRULI = range(0x1C90, 0x1CC0)


def test_isco_has_all_619_groups_each_with_a_georgian_title():
    assert Occupation.objects.count() == 619
    assert Occupation.objects.filter(level=IscoLevel.UNIT).count() == 436
    assert not Occupation.objects.filter(title_ka="").exists()
    for title in Occupation.objects.values_list("title_ka", flat=True):
        assert not any(ord(c) in MTAVRULI for c in title)
        assert not any("a" <= c.lower() <= "z" for c in title), title


def test_alternative_titles_cover_ilo_index_and_everyday_georgian_and_russian():
    english = OccupationTitle.objects.filter(language=TitleLanguage.ENGLISH).count()
    assert english >= 7000
    for language in (TitleLanguage.GEORGIAN, TitleLanguage.RUSSIAN):
        covered = (
            OccupationTitle.objects.filter(language=language)
            .values("occupation")
            .distinct()
            .count()
        )
        assert covered >= 150, language


def test_esco_occupations_skills_and_their_links():
    assert EscoOccupation.objects.count() == 3007
    assert EscoSkill.objects.count() == 13896
    assert EscoOccupationSkill.objects.count() > 120_000


def test_countries_regions_and_levels_in_both_languages():
    assert Country.objects.states().count() == 249
    union = Country.objects.get(code="EU")
    assert union.is_union and union.name_ka == "ევროკავშირი"
    assert Country.objects.get(code="GE").name_ka == "საქართველო"
    assert Country.objects.get(code="DE").name_en == "Germany"
    assert GeorgianRegion.objects.count() == 12
    assert Municipality.objects.count() >= 64
    assert Municipality.objects.get(code="batumi").region_id == "GE-AJ"
    assert Language.objects.get(code="ka").name_ka == "ქართული"
    assert list(CefrLevel.objects.values_list("code", flat=True)) == [
        "A1",
        "A2",
        "B1",
        "B2",
        "C1",
        "C2",
    ]
    assert IscedLevel.objects.count() == 9


def test_loading_again_adds_nothing():
    before = OccupationTitle.objects.count()
    results = reference_data_load()
    assert not any(result.loaded for result in results)
    assert OccupationTitle.objects.count() == before


def test_a_changed_file_is_reloaded(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "georgia_regions.csv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["name_en"] = "Tbilisi (capital)"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=rows[0].keys())
        writer.writeheader()
        writer.writerows(rows)
    results = {r.dataset: r for r in reference_data_load(data_dir=data, only={"georgian_regions"})}
    assert results["georgian_regions"].loaded
    assert GeorgianRegion.objects.get(code=rows[0]["code"]).name_en == "Tbilisi (capital)"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("მზარეული", "5120"),
        ("ძიძა", "5311"),
        ("Heavy truck", "8332"),
        ("официантка", "5131"),
        ("83", "83"),
    ],
)
def test_search_finds_occupations_by_words_or_code(query, expected):
    assert expected in list(Occupation.objects.search(query).values_list("code", flat=True)[:10])


def test_search_of_nothing_finds_nothing():
    assert not Occupation.objects.search("   ").exists()
