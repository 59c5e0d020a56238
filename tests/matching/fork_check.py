"""Run by tests/matching/test_engine_properties.py in a fresh interpreter, where no other
thread runs (a test session with a live server has one, and forking it is unsafe): a re-match
in two forked worker processes equals one in this process, for random populations."""

import dataclasses
import os
import sys
import warnings


def main(examples: int = 4) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from hypothesis.errors import NonInteractiveExampleWarning

    from gza.matching import engine
    from gza.matching.enums import Component
    from gza.matching.index import PeopleIndex
    from gza.matching.models import DEFAULT_WEIGHTS
    from tests.matching.engine_data import TODAY, populations, synthetic_tables, vacancies

    tables = synthetic_tables()
    weights = {name: int(DEFAULT_WEIGHTS[name]) for name in Component.values}

    warnings.simplefilter("ignore", NonInteractiveExampleWarning)
    engine.PARALLEL_WORK = 0
    assert engine._workers(2, 1) == 2, "this interpreter should be free to fork"
    for _ in range(examples):
        people = populations(max_size=30).example()
        many = [dataclasses.replace(vacancies(tables).example(), id=i + 1) for i in range(8)]
        index = PeopleIndex(people, tables, source="generated")
        chosen = {None: weights}
        alone = engine.rematch(index, many, chosen, limit=10, today=TODAY, workers=1)
        together = engine.rematch(index, many, chosen, limit=10, today=TODAY, workers=2)
        if together != alone or sorted(alone) != [v.id for v in many]:
            sys.stdout.write("different\n")
            return 1
    sys.stdout.write("same\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
