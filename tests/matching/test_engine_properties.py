"""Algebraic properties of the matching engine, on generated people and vacancies (no
database): bounds, monotonicity in every component, protected attributes never counting, and
the vectorised path agreeing exactly with the reference scorer."""

import dataclasses
import datetime
import pickle
import subprocess
import sys
import threading
from pathlib import Path

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gza.matching.components import (
    FAILED,
    UNKNOWN,
    EntryBuilder,
    PersonFacts,
    VacancyFacts,
    evidence_of,
    rule_outcomes,
    score_pair,
    total_points,
    values_of,
)
from gza.matching.enums import Component
from gza.matching.index import PeopleIndex
from gza.matching.models import DEFAULT_WEIGHTS
from tests.matching.engine_data import (
    CODES,
    COUNTRIES,
    LANGUAGES,
    SKILLS,
    TODAY,
    people_facts,
    populations,
    synthetic_tables,
    vacancies,
    weights,
)

TABLES = synthetic_tables()
WEIGHTS = {name: int(DEFAULT_WEIGHTS[name]) for name in Component.values}
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _values(person: PersonFacts, vacancy) -> dict[str, int]:
    return values_of(evidence_of(person, vacancy, TODAY), vacancy, TABLES)


@PROPERTY
@given(people_facts(), vacancies(TABLES), weights)
def test_every_value_and_total_lies_between_0_and_100(person, vacancy, chosen):
    scored = score_pair(person, vacancy, chosen, TABLES, TODAY)
    assert [c.name for c in scored.components] == Component.values
    assert all(0 <= c.value <= 100 for c in scored.components)
    assert 0 <= scored.total <= 100
    assert scored.total.as_tuple().exponent == -2


def _improvements(person: PersonFacts, draw) -> PersonFacts:
    """The person with one more thing: a skill, a language or a higher level, an occupation,
    a year declared, a job, a higher education, an earlier availability, a desired country."""
    kind = draw(
        st.sampled_from(
            [
                "skill",
                "language",
                "occupation",
                "years",
                "job",
                "education",
                "availability",
                "country",
            ]
        )
    )
    match kind:
        case "skill":
            return dataclasses.replace(
                person, skills=person.skills | {draw(st.sampled_from(SKILLS))}
            )
        case "language":
            code = draw(st.sampled_from(LANGUAGES))
            rank = draw(st.integers(person.languages.get(code, 1), 6))
            return dataclasses.replace(person, languages={**person.languages, code: rank})
        case "occupation":
            code = draw(st.sampled_from(CODES))
            return dataclasses.replace(
                person, sought={**person.sought, code: person.sought.get(code, 0)}
            )
        case "years":
            code = draw(st.sampled_from(CODES))
            years = person.sought.get(code, 0) + draw(st.integers(0, 5))
            return dataclasses.replace(person, sought={**person.sought, code: years})
        case "job":
            start = draw(st.dates(datetime.date(2000, 1, 1), TODAY))
            job = (draw(st.sampled_from(CODES)), start, None)
            return dataclasses.replace(person, jobs=(*person.jobs, job))
        case "education":
            low = -1 if person.highest_isced is None else person.highest_isced
            return dataclasses.replace(person, highest_isced=draw(st.integers(max(low, 0), 8)))
        case "availability":
            latest = person.availability_date or datetime.date(2031, 1, 1)
            day = draw(st.dates(datetime.date(2019, 1, 1), latest))
            return dataclasses.replace(person, availability_date=day)
        case _:
            country = draw(st.sampled_from(COUNTRIES))
            return dataclasses.replace(
                person, desired_countries=person.desired_countries | {country}
            )


@PROPERTY
@given(people_facts(), vacancies(TABLES), weights, st.data())
def test_more_of_anything_never_lowers_a_value_or_the_total(person, vacancy, chosen, data):
    better = _improvements(person, data.draw)
    before, after = _values(person, vacancy), _values(better, vacancy)
    for name in Component.values:
        assert after[name] >= before[name], name
    assert total_points(after, chosen) >= total_points(before, chosen)


@PROPERTY
@given(vacancies(TABLES), weights)
def test_an_empty_profile_scores_0_where_the_vacancy_asks_and_100_where_it_does_not(
    vacancy, chosen
):
    empty = PersonFacts(id=1, birth_date=datetime.date(1990, 1, 1))
    scored = score_pair(empty, vacancy, chosen, TABLES, TODAY)
    values = {c.name: c.value for c in scored.components}
    asks_skills = bool(vacancy.skills or vacancy.typical_essential or vacancy.typical_optional)
    assert values == {
        "occupation": 0,
        "skills": 0 if asks_skills else 100,
        "languages": 0 if vacancy.languages else 100,
        "experience": 0 if vacancy.experience_years else 100,
        "education": 100 if vacancy.isced is None else 0,
        "availability": 100 if vacancy.start_date is None else 0,
        "country": 0,
    }


def _without_age_rules(vacancy):
    return dataclasses.replace(
        vacancy, rules=tuple(rule for rule in vacancy.rules if rule.kind != "age")
    )


@PROPERTY
@given(people_facts(), vacancies(TABLES), weights, st.dates(datetime.date(1950, 1, 1), TODAY))
def test_the_date_of_birth_changes_nothing_without_an_age_rule(person, vacancy, chosen, born):
    vacancy = _without_age_rules(vacancy)
    older = dataclasses.replace(person, birth_date=born)
    assert score_pair(older, vacancy, chosen, TABLES, TODAY) == score_pair(
        person, vacancy, chosen, TABLES, TODAY
    )
    assert rule_outcomes(older, vacancy, TODAY) == rule_outcomes(person, vacancy, TODAY)


def test_no_protected_attribute_is_even_read():
    """Sex, citizenship, municipality, ethnicity, religion, health: not in what matching
    reads. The date of birth is, for age-range rules only (the test above)."""
    fields = {field.name for field in dataclasses.fields(PersonFacts)}
    protected = {"sex", "citizenship", "municipality", "region", "ethnicity", "religion", "health"}
    assert not fields & protected


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(populations(), vacancies(TABLES), weights, st.integers(0, 60))
def test_the_vectorised_path_equals_the_reference_for_every_person(people, vacancy, chosen, limit):
    index = PeopleIndex(people, TABLES, source="generated")
    evaluation = index.evaluate(vacancy, TODAY)
    points = index.points(evaluation, chosen)
    expected = []
    for person in people:
        position = int((index.ids == person.id).nonzero()[0][0])
        outcomes = rule_outcomes(person, vacancy, TODAY)
        for i, outcome in enumerate(outcomes):
            mask = evaluation.unknown[i]
            assert bool(mask is not None and mask[position]) == (outcome == UNKNOWN)
        values = _values(person, vacancy)
        for name, value in values.items():
            array = evaluation.values[name]
            got = array if isinstance(array, int) else int(array[position])
            assert got == value, name
        if FAILED in outcomes:
            assert points[position] == -1
        else:
            assert points[position] == total_points(values, chosen)
            expected.append((-total_points(values, chosen), person.id, person))
    assert index.passed_count(evaluation) == len(expected)
    expected.sort(key=lambda row: (row[0], row[1]))
    reference = [score_pair(p, vacancy, chosen, TABLES, TODAY) for _s, _i, p in expected[:limit]]
    table = index.table(evaluation, points, index.best(points, limit))
    assert index.entries(EntryBuilder(vacancy, chosen, TABLES), table) == reference


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(populations(max_size=25), st.lists(vacancies(TABLES), min_size=1, max_size=6))
def test_shared_arrays_across_vacancies_change_no_result(people, many):
    """A re-match shares arrays between vacancies (memo); each result equals a fresh one."""
    index = PeopleIndex(people, TABLES, source="generated")
    memo: dict = {}
    for vacancy in sorted(many, key=lambda v: v.occupation):
        shared = index.points(index.evaluate(vacancy, TODAY, memo), WEIGHTS)
        fresh = index.points(index.evaluate(vacancy, TODAY), WEIGHTS)
        assert (shared == fresh).all()


def test_years_in_whole_years_match_the_registry_count():
    """(4 x days) // 1461 is the registry's int(days // 365.25) for every day count."""
    assert all((4 * days) // 1461 == int(days // 365.25) for days in range(0, 40_000))


def test_details_are_sentences_in_the_active_language_that_survive_pickling_and_json():
    person = PersonFacts(
        id=7,
        birth_date=datetime.date(1990, 5, 1),
        sought={"7213": 3},
        languages={"de": 2},
        skills=frozenset({3, 4}),
        availability_date=datetime.date(2027, 5, 1),
        desired_countries=frozenset({"DE"}),
    )
    vacancy = VacancyFacts(
        id=3,
        occupation="7212",
        country="DE",
        start_date=datetime.date(2027, 4, 1),
        experience_years=2,
        isced=3,
        languages=(("de", 3),),
        skills=frozenset({1, 3}),
        typical_essential=frozenset({2, 4, 5}),
        typical_optional=frozenset({6, 7, 30}),
    )
    scored = score_pair(person, vacancy, WEIGHTS, TABLES, TODAY)
    with translation.override("en"):
        details = {c.name: str(c.detail) for c in scored.components}
        assert details["occupation"].startswith("Related through shared ESCO essential skills")
        assert details["languages"] == "en de B1 required; has A2"
        assert details["availability"] == (
            "Available from 2027-05-01, 30 days after the start on 2027-04-01"
        )
        assert details["experience"] == "2 years required; none recorded in 7212 en 7212"
        assert details["country"] == "Wants to work in en DE"
        assert DjangoJSONEncoder().encode(scored.components[0].detail) == (
            f'"{details["occupation"]}"'
        )
        assert pickle.loads(pickle.dumps(scored)) == scored  # noqa: S301 -- our own bytes
    with translation.override("ka"):
        assert "ka 7213" in str(scored.components[0].detail)


def test_a_re_match_in_worker_processes_equals_one_in_this_process():
    # In a fresh interpreter: this test session may run other threads (a live server), and
    # the engine rightly refuses to fork such a process.
    done = subprocess.run(
        [sys.executable, "-m", "tests.matching.fork_check"],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("same")


def test_a_process_running_other_threads_re_matches_in_itself(monkeypatch):
    from gza.matching import engine

    monkeypatch.setattr(engine, "PARALLEL_WORK", 0)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert engine._workers(2, 1) == 1
    finally:
        release.set()
        other.join()
