"""Loading reference data from the files shipped in gza/taxonomy/data/ (see SOURCES.md there).

Each dataset is loaded in one transaction and only when its source changed: the checksum of the
file (or of the CLDR version for names from Babel) is kept in ReferenceDataset, so running the
loader twice adds nothing.
"""

import csv
import hashlib
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import babel
from babel import Locale
from django.db import transaction

from gza.core.audit import audit_record
from gza.core.enums import AuditVerb
from gza.core.models import User
from gza.core.text import normalise_for_search
from gza.taxonomy.enums import IscoLevel, TitleLanguage, TitleSource
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
    ReferenceDataset,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
ESCO_CLASSIFICATION = "esco_v1.1.1_classification_en_csv.zip"
ESCO_RELATIONS = "esco_v1.1.1_relations_csv.zip"

# Babel lists CLDR territories that are not ISO 3166-1 countries (UN, exceptional
# reservations such as AC or IC, and XK, which Georgia does not recognise).
NOT_ISO_COUNTRIES = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"}
)
# Unions Georgia cooperates with as a partner (the EU-Georgia Mobility Partnership).
UNIONS = frozenset({"EU"})
BATCH = 2000


@dataclass(frozen=True)
class LoadResult:
    dataset: str
    rows: int
    loaded: bool  # False when the source was unchanged and nothing was done


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _read_zipped_csv(archive: Path, member: str) -> Iterator[dict[str, str]]:
    with zipfile.ZipFile(archive) as zipped, zipped.open(member) as raw:
        yield from csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))


def _checksum(*parts: Path | str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        if isinstance(part, Path):
            digest.update(part.read_bytes())
        else:
            digest.update(part.encode())
    return digest.hexdigest()


def _upsert(model, objs: list, unique: list[str], update: list[str]) -> None:
    model.objects.bulk_create(
        objs, batch_size=BATCH, update_conflicts=True, unique_fields=unique, update_fields=update
    )


def _load_countries(data_dir: Path) -> int:
    ka, en = Locale("ka"), Locale("en")
    codes = sorted(
        code
        for code in en.territories
        if len(code) == 2 and code.isalpha() and code not in NOT_ISO_COUNTRIES
    )
    _upsert(
        Country,
        [
            Country(
                code=c,
                name_ka=ka.territories[c],
                name_en=en.territories[c],
                is_union=c in UNIONS,
            )
            for c in codes
        ],
        ["code"],
        ["name_ka", "name_en", "is_union"],
    )
    return len(codes)


def _load_languages(data_dir: Path) -> int:
    ka, en = Locale("ka"), Locale("en")
    codes = sorted(code for code in en.languages if len(code) == 2)
    _upsert(
        Language,
        [
            Language(code=c, name_ka=ka.languages.get(c, en.languages[c]), name_en=en.languages[c])
            for c in codes
        ],
        ["code"],
        ["name_ka", "name_en"],
    )
    return len(codes)


def _load_regions(data_dir: Path) -> int:
    rows = _read_csv(data_dir / "georgia_regions.csv")
    _upsert(
        GeorgianRegion,
        [GeorgianRegion(**row) for row in rows],
        ["code"],
        ["kind", "name_ka", "name_en"],
    )
    return len(rows)


def _load_municipalities(data_dir: Path) -> int:
    rows = _read_csv(data_dir / "georgia_municipalities.csv")
    _upsert(
        Municipality,
        [
            Municipality(
                code=row["code"],
                region_id=row["region_code"],
                kind=row["kind"],
                name_ka=row["name_ka"],
                name_en=row["name_en"],
            )
            for row in rows
        ],
        ["code"],
        ["region", "kind", "name_ka", "name_en"],
    )
    return len(rows)


def _load_cefr(data_dir: Path) -> int:
    rows = _read_csv(data_dir / "cefr_levels.csv")
    _upsert(
        CefrLevel,
        [CefrLevel(rank=rank, **row) for rank, row in enumerate(rows, start=1)],
        ["code"],
        ["rank", "name_ka", "name_en", "description_ka", "description_en"],
    )
    return len(rows)


def _load_isced(data_dir: Path) -> int:
    rows = _read_csv(data_dir / "isced_levels.csv")
    _upsert(IscedLevel, [IscedLevel(**row) for row in rows], ["code"], ["name_ka", "name_en"])
    return len(rows)


def _load_isco(data_dir: Path) -> int:
    structure = _read_csv(data_dir / "isco08_structure_en.csv")
    georgian = {
        row["code"]: row["title_ka"] for row in _read_csv(data_dir / "isco08_titles_ka.csv")
    }
    missing = [row["code"] for row in structure if not georgian.get(row["code"])]
    if missing:
        raise ValueError(f"ISCO-08 groups without a Georgian title: {', '.join(missing)}")
    occupations = [
        Occupation(
            code=row["code"],
            level=IscoLevel(int(row["level"])),
            parent_id=row["code"][:-1] or None,
            title_en=row["title_en"].strip(),
            title_ka=georgian[row["code"]],
            definition_en=row["definition"].strip(),
            tasks_en=row["tasks_include"].strip(),
            included_en=row["included_occupations"].strip(),
            excluded_en=row["excluded_occupations"].strip(),
            notes_en=row["notes"].strip(),
        )
        for row in structure
    ]
    # Parents before children, so each row's broader group exists when it is written.
    occupations.sort(key=lambda o: (o.level, o.code))
    _upsert(
        Occupation,
        occupations,
        ["code"],
        [
            "level",
            "parent",
            "title_en",
            "title_ka",
            "definition_en",
            "tasks_en",
            "included_en",
            "excluded_en",
            "notes_en",
        ],
    )
    return len(occupations)


def _load_isco_titles(data_dir: Path) -> int:
    units = set(Occupation.objects.units().values_list("code", flat=True))
    wanted: dict[tuple[str, str, str], str] = {}
    for row in _read_csv(data_dir / "isco08_index_of_titles_en.csv"):
        if row["isco08"] in units:
            wanted.setdefault(
                (row["isco08"], TitleLanguage.ENGLISH, row["title_en"].strip()),
                TitleSource.ILO_INDEX,
            )
    for row in _read_csv(data_dir / "isco08_synonyms.csv"):
        if row["isco08"] not in units:
            raise ValueError(f"Synonym {row['title']!r} names unknown ISCO group {row['isco08']}")
        wanted.setdefault((row["isco08"], row["lang"], row["title"].strip()), TitleSource.GZA)
    existing = set(OccupationTitle.objects.values_list("occupation_id", "language", "title"))
    OccupationTitle.objects.bulk_create(
        [
            OccupationTitle(occupation_id=code, language=lang, title=title, source=source)
            for (code, lang, title), source in wanted.items()
            if (code, lang, title) not in existing
        ],
        batch_size=BATCH,
    )
    _rebuild_occupation_search_text()
    return len(wanted)


def _rebuild_occupation_search_text() -> None:
    alternative: dict[str, list[str]] = {}
    for code, title in OccupationTitle.objects.values_list("occupation_id", "title"):
        alternative.setdefault(code, []).append(title)
    occupations = list(Occupation.objects.only("code", "title_ka", "title_en"))
    for occupation in occupations:
        occupation.search_text = normalise_for_search(
            " | ".join(
                [occupation.title_ka, occupation.title_en, *alternative.get(occupation.code, [])]
            )
        )
    Occupation.objects.bulk_update(occupations, ["search_text"], batch_size=500)


def _load_esco_occupations(data_dir: Path) -> int:
    units = set(Occupation.objects.units().values_list("code", flat=True))
    rows = [
        row
        for row in _read_zipped_csv(data_dir / ESCO_CLASSIFICATION, "occupations_en.csv")
        if row["iscoGroup"] in units
    ]
    _upsert(
        EscoOccupation,
        [
            EscoOccupation(
                uri=row["conceptUri"],
                code=row["code"],
                isco_id=row["iscoGroup"],
                label_en=row["preferredLabel"],
                alt_labels_en=row["altLabels"],
                description_en=row["description"],
            )
            for row in rows
        ],
        ["uri"],
        ["code", "isco", "label_en", "alt_labels_en", "description_en"],
    )
    return len(rows)


def _load_esco_skills(data_dir: Path) -> int:
    rows = list(_read_zipped_csv(data_dir / ESCO_CLASSIFICATION, "skills_en.csv"))
    _upsert(
        EscoSkill,
        [
            EscoSkill(
                uri=row["conceptUri"],
                skill_type=row["skillType"],
                reuse_level=row["reuseLevel"],
                label_en=row["preferredLabel"],
                alt_labels_en=row["altLabels"],
                description_en=row["description"],
            )
            for row in rows
        ],
        ["uri"],
        ["skill_type", "reuse_level", "label_en", "alt_labels_en", "description_en"],
    )
    return len(rows)


def _load_esco_relations(data_dir: Path) -> int:
    occupations = dict(EscoOccupation.objects.values_list("uri", "id"))
    skills = dict(EscoSkill.objects.values_list("uri", "id"))
    links = [
        EscoOccupationSkill(
            occupation_id=occupations[row["occupationUri"]],
            skill_id=skills[row["skillUri"]],
            relation=row["relationType"],
        )
        for row in _read_zipped_csv(data_dir / ESCO_RELATIONS, "occupationSkillRelations.csv")
        if row["occupationUri"] in occupations and row["skillUri"] in skills
    ]
    _upsert(EscoOccupationSkill, links, ["occupation", "skill"], ["relation"])
    return len(links)


CLDR = f"babel {babel.__version__}"
# Name, loader, and the sources whose change triggers a reload; order respects dependencies.
DATASETS: list[tuple[str, Callable[[Path], int], Callable[[Path], list[Path | str]]]] = [
    (
        "countries",
        _load_countries,
        lambda d: [CLDR, *sorted(NOT_ISO_COUNTRIES), "unions", *sorted(UNIONS)],
    ),
    ("languages", _load_languages, lambda d: [CLDR]),
    ("georgian_regions", _load_regions, lambda d: [d / "georgia_regions.csv"]),
    ("municipalities", _load_municipalities, lambda d: [d / "georgia_municipalities.csv"]),
    ("cefr_levels", _load_cefr, lambda d: [d / "cefr_levels.csv"]),
    ("isced_levels", _load_isced, lambda d: [d / "isced_levels.csv"]),
    (
        "isco08",
        _load_isco,
        lambda d: [d / "isco08_structure_en.csv", d / "isco08_titles_ka.csv"],
    ),
    (
        "isco08_titles",
        _load_isco_titles,
        lambda d: [d / "isco08_index_of_titles_en.csv", d / "isco08_synonyms.csv"],
    ),
    ("esco_occupations", _load_esco_occupations, lambda d: [d / ESCO_CLASSIFICATION]),
    ("esco_skills", _load_esco_skills, lambda d: [d / ESCO_CLASSIFICATION]),
    (
        "esco_relations",
        _load_esco_relations,
        lambda d: [d / ESCO_CLASSIFICATION, d / ESCO_RELATIONS],
    ),
]


def reference_data_load(
    *,
    actor: User | None = None,
    data_dir: Path = DATA_DIR,
    only: set[str] | None = None,
    force: bool = False,
) -> list[LoadResult]:
    """Load every reference dataset whose source changed since it was last loaded."""
    results = []
    for name, loader, sources in DATASETS:
        if only is not None and name not in only:
            continue
        checksum = _checksum(*sources(data_dir))
        current = ReferenceDataset.objects.filter(name=name).first()
        if current and current.checksum == checksum and not force:
            results.append(LoadResult(name, current.rows, loaded=False))
            continue
        with transaction.atomic():
            rows = loader(data_dir)
            ReferenceDataset.objects.update_or_create(
                name=name, defaults={"checksum": checksum, "rows": rows}
            )
            audit_record(
                actor=actor,
                verb=AuditVerb.REFERENCE_LOADED,
                payload={"dataset": name, "rows": rows, "checksum": checksum},
            )
        results.append(LoadResult(name, rows, loaded=True))
    return results
