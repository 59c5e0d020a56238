"""Duplicate scan of the registry (issue 7): a million synthetic people, about 5% of them
registered twice with the errors real registrations make, scanned by the product's own blocking
and scoring (`gza.registry.duplicates.find_pairs`, the in-memory core of `scan()`), and the
result checked against the generated truth.

Targets: <= 2 minutes, precision >= 0.98, recall >= 0.95 at the review threshold. Anchor: Splink
(DuckDB) links about a million records a minute on a laptop.

People: Georgian first names and surnames from Faker's ka_GE lists, surnames' stems recombined
with the common endings (-შვილი, -ძე, -ია, -ანი) for about 1,900 surnames; both drawn with
Zipf-like frequencies, so thousands share the commonest names (hard negatives come for free);
on top, 2% of people are deliberate namesakes of another (same names, half the time the same
birth year). Latin names by the 2002 romanisation; birth dates 1960-2008; personal numbers,
phones (3% shared within a family), e-mail for 60%, passport for 30%.

A duplicate copies a person and corrupts it independently per field: personal number one digit
off (60%), two neighbouring digits swapped (15%) or another number altogether (25%); a
one-letter typo in the last name (20%) or first name (10%); the Georgian name re-typed from the
Latin passport line, losing the ejective letters (15%); the Latin name left out (40%) or spelled
another way (20%); the birth date with day and month swapped (5%), one digit off (8%) or two
digits transposed (4%); another phone (35%) or none (15%); the e-mail left out (40%) or another
(15%); the passport left out (50%); another municipality (15%).

Run with BENCH_DUP_PEOPLE=100000 while developing; the default is 1,000,000. Optional:
BENCH_DUP_POSTGRES=postgres://postgres@127.0.0.1:5432/gza_dup_bench also times loading the rows
from PostgreSQL (the people are inserted first, which takes a few minutes)."""

import os
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gza.settings")
django.setup()

from faker.providers.person.ka_GE import Provider as GeorgianNames  # noqa: E402

from gza.registry import duplicates  # noqa: E402
from gza.registry.names import name_key, romanise  # noqa: E402

SEED = 7
ENDINGS = ("შვილი", "ძე", "ია", "ანი")
MUNICIPALITIES = 69
# Letters a Georgian typo swaps in, and the letters typed from a Latin passport line: the
# ejective consonants become the plain ones the Latin letters suggest.
GEORGIAN_LETTERS = "აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ"
FROM_LATIN = {"კ": "ქ", "ტ": "თ", "პ": "ფ", "წ": "ც", "ჭ": "ჩ", "ყ": "ქ"}
LATIN_VARIANTS = (("kh", "x"), ("ts", "tz"), ("sh", "sch"), ("ch", "tch"), ("i", "y"))


@dataclass(slots=True)
class Person:
    truth: int  # the real person this record belongs to
    first: str
    last: str
    first_latin: str
    last_latin: str
    birth: str
    sex: str
    personal_number: str
    phone: str
    email: str
    passport: str
    municipality: str


def _surnames() -> list[str]:
    names = set(GeorgianNames.last_names)
    for name in GeorgianNames.last_names:
        for ending in ENDINGS:
            if name.endswith(ending) and len(name) > len(ending) + 2:
                stem = name[: -len(ending)]
                names.update(stem + other for other in ENDINGS)
    return sorted(names)


def _zipf_weights(count: int, exponent: float, rng: random.Random) -> list[float]:
    weights = [1 / (rank + 1) ** exponent for rank in range(count)]
    rng.shuffle(weights)
    return weights


def _digits(rng: random.Random, count: int) -> str:
    return str(rng.randrange(10**count)).zfill(count)


def _typo(word: str, rng: random.Random, letters: str = GEORGIAN_LETTERS) -> str:
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.4:
        return word[:i] + rng.choice(letters.replace(word[i], "")) + word[i + 1 :]
    if kind < 0.65:
        return word[:i] + word[i + 1 :]
    if kind < 0.85:
        return word[:i] + rng.choice(letters) + word[i:]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def _digit_typo(value: str, rng: random.Random, *, swap: bool = False) -> str:
    if swap:
        for _attempt in range(10):
            i = rng.randrange(len(value) - 1)
            if value[i] != value[i + 1]:
                return value[:i] + value[i + 1] + value[i] + value[i + 2 :]
    i = rng.randrange(len(value))
    return value[:i] + rng.choice("0123456789".replace(value[i], "")) + value[i + 1 :]


def _valid_date(value: str) -> bool:
    year, month, day = int(value[:4]), int(value[4:6]), int(value[6:])
    return 1900 <= year <= 2010 and 1 <= month <= 12 and 1 <= day <= 28 + (month != 2) * 2


def _corrupt_date(birth: str, rng: random.Random) -> str:
    draw = rng.random()
    if draw < 0.05 and int(birth[6:]) <= 12 and birth[4:6] != birth[6:]:
        return birth[:4] + birth[6:] + birth[4:6]
    if draw < 0.17:
        for _attempt in range(20):
            changed = _digit_typo(birth, rng, swap=draw >= 0.13)
            if _valid_date(changed) and changed != birth:
                return changed
    return birth


class Generator:
    def __init__(self, seed: int = SEED) -> None:
        # Seeded, so every run scans the same people; nothing here is a secret.
        self.rng = random.Random(seed)  # noqa: S311
        self.male = list(GeorgianNames.first_names_male)
        self.female = list(GeorgianNames.first_names_female)
        self.surnames = _surnames()
        self.male_weights = _zipf_weights(len(self.male), 0.7, self.rng)
        self.female_weights = _zipf_weights(len(self.female), 0.7, self.rng)
        self.surname_weights = _zipf_weights(len(self.surnames), 0.5, self.rng)
        self.municipalities = [f"m{i:02d}" for i in range(MUNICIPALITIES)]
        # The capital holds about a third of the people.
        self.municipality_weights = [30.0] + [70 / (MUNICIPALITIES - 1)] * (MUNICIPALITIES - 1)
        self._latin: dict[str, str] = {}
        self.used_numbers: set[str] = set()

    def latin(self, georgian: str) -> str:
        value = self._latin.get(georgian)
        if value is None:
            value = self._latin[georgian] = romanise(georgian)
        return value

    def personal_number(self) -> str:
        while True:
            number = _digits(self.rng, 11)
            if number not in self.used_numbers:
                self.used_numbers.add(number)
                return number

    def people(self, count: int) -> list[Person]:
        rng = self.rng
        sexes = rng.choices("mf", k=count)
        males = iter(rng.choices(self.male, self.male_weights, k=count))
        females = iter(rng.choices(self.female, self.female_weights, k=count))
        surnames = rng.choices(self.surnames, self.surname_weights, k=count)
        places = rng.choices(self.municipalities, self.municipality_weights, k=count)
        out = []
        for index in range(count):
            sex = sexes[index]
            first = next(males) if sex == "m" else next(females)
            last = surnames[index]
            year = 1960 + rng.randrange(49)
            month = rng.randrange(1, 13)
            day = rng.randrange(1, 29 + (month != 2) * 2)
            first_latin, last_latin = self.latin(first), self.latin(last)
            email = ""
            if rng.random() < 0.6:
                email = f"{first_latin}.{last_latin}{rng.randrange(10_000)}@example.ge".lower()
            out.append(
                Person(
                    truth=index,
                    first=first,
                    last=last,
                    first_latin=first_latin,
                    last_latin=last_latin,
                    birth=f"{year:04d}{month:02d}{day:02d}",
                    sex=sex,
                    personal_number=self.personal_number(),
                    phone="+9955" + _digits(rng, 8),
                    email=email,
                    passport=("1" + _digits(rng, 8)) if rng.random() < 0.3 else "",
                    municipality=places[index],
                )
            )
        # Families share a phone; namesakes share a name (and half the time the birth year).
        for _ in range(count * 3 // 100):
            a, b = rng.randrange(count), rng.randrange(count)
            out[b].phone = out[a].phone
        for _ in range(count * 2 // 100):
            a, b = rng.randrange(count), rng.randrange(count)
            if out[a].sex == out[b].sex:
                out[b].first, out[b].last = out[a].first, out[a].last
                out[b].first_latin, out[b].last_latin = out[a].first_latin, out[a].last_latin
                if rng.random() < 0.5:
                    out[b].birth = out[a].birth[:4] + out[b].birth[4:]
        return out

    def duplicate(self, person: Person) -> Person:
        rng = self.rng
        draw = rng.random()
        if draw < 0.60:
            number = _digit_typo(person.personal_number, rng)
        elif draw < 0.75:
            number = _digit_typo(person.personal_number, rng, swap=True)
        else:
            number = self.personal_number()
        if number in self.used_numbers and number != person.personal_number:
            number = self.personal_number()  # the unique constraint would have refused it
        self.used_numbers.add(number)
        first, last = person.first, person.last
        if rng.random() < 0.20:
            last = _typo(last, rng)
        if rng.random() < 0.10:
            first = _typo(first, rng)
        retyped = rng.random() < 0.15
        if retyped:
            first = "".join(FROM_LATIN.get(ch, ch) for ch in first)
            last = "".join(FROM_LATIN.get(ch, ch) for ch in last)
        first_latin, last_latin = self.latin(first), self.latin(last)
        draw = rng.random()
        if draw < 0.40:
            first_latin = last_latin = ""
        elif draw < 0.60:
            source, target = rng.choice(LATIN_VARIANTS)
            first_latin = person.first_latin.replace(source, target)
            last_latin = person.last_latin.replace(source, target)
        draw = rng.random()
        phone = person.phone
        if draw < 0.35:
            phone = "+9955" + _digits(rng, 8)
        elif draw < 0.50:
            phone = ""
        draw = rng.random()
        email = person.email
        if draw < 0.40:
            email = ""
        elif draw < 0.55 and email:
            email = f"{person.first_latin}{rng.randrange(1000)}@example.com".lower()
        return Person(
            truth=person.truth,
            first=first,
            last=last,
            first_latin=first_latin,
            last_latin=last_latin,
            birth=_corrupt_date(person.birth, rng),
            sex=person.sex,
            personal_number=number,
            phone=phone,
            email=email,
            passport=person.passport if rng.random() < 0.5 else "",
            municipality=(
                rng.choice(self.municipalities) if rng.random() < 0.15 else person.municipality
            ),
        )

    def registry(self, total: int) -> list[Person]:
        """`total` records, 5% of them second registrations of another, shuffled."""
        originals = self.people(total - total // 20)
        twins = [self.duplicate(p) for p in self.rng.sample(originals, total // 20)]
        records = originals + twins
        self.rng.shuffle(records)
        return records


def to_rows(records: Sequence[Person]) -> list[duplicates.PersonRow]:
    """The rows the scan compares, as `load_rows()` makes them from the database (the name
    keys, which the model keeps in columns, are computed here once per distinct name)."""
    keys: dict[str, str] = {}

    def key(name: str) -> str:
        value = keys.get(name)
        if value is None:
            value = keys[name] = name_key(name)
        return value

    return [
        duplicates.row_of(
            id=index + 1,
            first_name_key=key(p.first),
            last_name_key=key(p.last),
            first_name_latin=p.first_latin,
            last_name_latin=p.last_latin,
            birth_date=p.birth,
            sex=p.sex,
            personal_number=p.personal_number,
            phone=p.phone,
            email=p.email,
            passport_number=p.passport,
            municipality_id=p.municipality,
        )
        for index, p in enumerate(records)
    ]


def true_pairs(records: Sequence[Person]) -> set[tuple[int, int]]:
    by_truth: dict[int, list[int]] = {}
    for index, person in enumerate(records):
        by_truth.setdefault(person.truth, []).append(index + 1)
    pairs = set()
    for ids in by_truth.values():
        for x in range(len(ids)):
            for y in range(x + 1, len(ids)):
                pairs.add((ids[x], ids[y]))
    return pairs


def _postgres_load_seconds(url: str, records: Sequence[Person]) -> str:
    """Insert the people into a scratch PostgreSQL table shaped like the registry's columns
    and time reading them back into rows as `load_rows()` does (COPY in, server-side cursor
    out). The scratch table is dropped afterwards."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP TABLE IF EXISTS bench_dup_people")
        connection.execute(
            "CREATE UNLOGGED TABLE bench_dup_people (id bigint primary key,"
            " first_name_key text, last_name_key text, first_name_latin text,"
            " last_name_latin text, birth_date date, sex text, personal_number text,"
            " phone text, email text, passport_number text, municipality_id text)"
        )
        with connection.cursor().copy("COPY bench_dup_people FROM STDIN") as copy:
            for index, p in enumerate(records):
                copy.write_row(
                    (
                        index + 1,
                        name_key(p.first),
                        name_key(p.last),
                        p.first_latin,
                        p.last_latin,
                        f"{p.birth[:4]}-{p.birth[4:6]}-{p.birth[6:]}",
                        p.sex,
                        p.personal_number,
                        p.phone,
                        p.email,
                        p.passport,
                        p.municipality,
                    )
                )
        started = time.perf_counter()
        rows = []
        with connection.transaction(), connection.cursor(name="bench_dup") as cursor:
            cursor.itersize = 20_000
            # The column names are the module's constants, not input.
            columns = ", ".join(duplicates.ROW_FIELDS)
            cursor.execute(f"SELECT {columns} FROM bench_dup_people")  # noqa: S608
            for value in cursor:
                fields = dict(zip(duplicates.ROW_FIELDS, value, strict=True))
                rows.append(duplicates.row_of(**fields))
        seconds = time.perf_counter() - started
        connection.execute("DROP TABLE bench_dup_people")
    return f"{seconds:.1f} s for {len(rows):,} rows"


def run() -> str:
    total = int(os.environ.get("BENCH_DUP_PEOPLE", "1000000"))
    started = time.perf_counter()
    records = Generator().registry(total)
    generated = time.perf_counter() - started
    rows = to_rows(records)
    truth = true_pairs(records)

    threshold = duplicates.review_threshold()
    stats: dict = {}
    started = time.perf_counter()
    matches = duplicates.find_pairs(rows, threshold=threshold, stats=stats)
    seconds = time.perf_counter() - started

    found = {(m.a, m.b) for m in matches}
    hits = len(found & truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    ok = seconds <= 120 and precision >= 0.98 and recall >= 0.95
    lines = [
        f"{total:,} people ({len(truth):,} true duplicate pairs), generated in {generated:.0f} s; "
        f"review threshold {threshold}.",
        "",
        "| measure | result | target | anchor |",
        "|---|---|---|---|",
        f"| scan time (blocking + scoring) | {seconds:.1f} s | <= 120 s | "
        "Splink: about 60 s per million on a laptop |",
        f"| pairs compared | {stats.get('pairs', 0):,} | | |",
        f"| pairs flagged | {len(found):,} | | |",
        f"| precision | {precision:.4f} | >= 0.98 | |",
        f"| recall | {recall:.4f} | >= 0.95 | |",
    ]
    if url := os.environ.get("BENCH_DUP_POSTGRES"):
        lines.append(
            f"| loading rows from PostgreSQL | {_postgres_load_seconds(url, records)} | | |"
        )
    lines += ["", "All targets met." if ok else "**Not all targets met.**"]
    return "\n".join(lines)


if __name__ == "__main__":
    print(run())
