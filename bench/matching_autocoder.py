"""The occupation autocoder against Gza's own labelled evaluation set (issue 5, item 1).

Targets: top-1 >= 85% and top-3 >= 95% over the whole set; one title p95 <= 20 ms; a batch
>= 1,000 titles per second. Anchors: the ONS's Classifai, 55.3% top-1 / 88.2% top-3 on English
titles; human coders agree with each other 64% of the time at four digits.

The set (bench/data/occupation_eval.tsv) was written apart from the lexicon the autocoder
learns from (gza/taxonomy/data), by other hands, as people type titles: Georgian, English,
Russian, Georgian and Russian in Latin letters, inflected and misspelled. Its "calibration"
lines choose the auto-accept threshold (the lowest confidence at which the first code is right
>= 95% of the time); the "test" lines report what that threshold gives on titles it never saw.
No database is needed: the autocoder reads the files in the repository.
"""

import csv
import os
import random
import statistics
import time
from collections import defaultdict
from pathlib import Path

EVAL = Path(__file__).resolve().parent / "data" / "occupation_eval.tsv"
TOP1_TARGET = 0.85
TOP3_TARGET = 0.95
P95_TARGET_MS = 20.0
BATCH_TARGET = 1000.0
BATCH_TITLES = 20_000
PRECISION_WANTED = 0.95
LANGUAGES = ["ka", "ka-latn", "en", "ru", "ru-latn"]


def load_eval(path: Path = EVAL) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def calibrate(pairs: list[tuple[float, bool]], wanted: float = PRECISION_WANTED) -> float:
    """The lowest confidence threshold whose accepted first codes are right >= `wanted` of the
    time (over the pairs at or above it); 1.0 if none is."""
    for threshold in [round(t * 0.01, 2) for t in range(0, 101)]:
        accepted = [right for confidence, right in pairs if confidence >= threshold]
        if accepted and sum(accepted) / len(accepted) >= wanted:
            return threshold
    return 1.0


def run() -> str:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gza.settings")
    django.setup()
    from gza.matching import autocoder as module

    rows = load_eval()
    started = time.perf_counter()
    coder = module.autocoder()
    build = time.perf_counter() - started
    lexicon_keys = {" ".join(module.keys(entry.text)) for entry in coder.entries}

    items = [(row["text"], row["description"], row["industry"]) for row in rows]
    results = coder.suggest_many(items, top=3)
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    calibration: list[tuple[float, bool]] = []
    test: list[tuple[float, bool]] = []
    for row, suggestions in zip(rows, results, strict=True):
        codes = [s.code for s in suggestions]
        top1 = bool(codes) and codes[0] == row["code"]
        top3 = row["code"] in codes[:3]
        groups = ["all", row["language"]]
        if row["misspelled"] == "1":
            groups.append("misspelled")
        if " ".join(module.keys(row["text"])) in lexicon_keys:
            groups.append("verbatim in the lexicon")
        else:
            groups.append("not in the lexicon")
        for group in groups:
            tally[group][0] += 1
            tally[group][1] += top1
            tally[group][2] += top3
        confidence = suggestions[0].confidence if suggestions else 0.0
        (calibration if row["split"] == "calibration" else test).append((confidence, top1))

    threshold = calibrate(calibration)
    accepted = [right for confidence, right in test if confidence >= threshold]
    test_precision = sum(accepted) / len(accepted) if accepted else 0.0
    test_coverage = len(accepted) / len(test) if test else 0.0
    constant = [right for confidence, right in test if confidence >= module.AUTO_ACCEPT]
    constant_precision = sum(constant) / len(constant) if constant else 0.0

    # One title at a time, as a form asks.
    latencies = []
    for item in items:
        t0 = time.perf_counter()
        coder.suggest(*item)
        latencies.append((time.perf_counter() - t0) * 1000)
    latencies.sort()
    p50 = statistics.median(latencies)
    p95 = latencies[int(len(latencies) * 0.95) - 1]

    # A batch, as an import or the command reads it.
    rng = random.Random(5)  # noqa: S311 - a reproducible sample, not a secret
    batch = [rng.choice(items) for _ in range(BATCH_TITLES)]
    t0 = time.perf_counter()
    coder.suggest_many(batch, top=3)
    per_second = BATCH_TITLES / (time.perf_counter() - t0)

    order = ["all", *LANGUAGES, "misspelled", "verbatim in the lexicon", "not in the lexicon"]
    lines = [
        f"Evaluation set: {len(rows)} titles ({len(calibration)} calibration, {len(test)} test), "
        f"{len({row['code'] for row in rows})} distinct unit groups; lexicon "
        f"{len(coder.entries):,} titles; built in {build:.1f} s.",
        "",
        "| titles | n | top-1 | top-3 |",
        "|---|---:|---:|---:|",
    ]
    for group in order:
        n, one, three = tally.get(group, [0, 0, 0])
        if n:
            lines.append(f"| {group} | {n} | {one / n:.1%} | {three / n:.1%} |")
    n, one, three = tally["all"]
    top1, top3 = one / n, three / n
    lines += [
        "",
        f"- Top-1 **{top1:.1%}** (target >= 85%), top-3 **{top3:.1%}** (target >= 95%). "
        "Anchors: ONS Classifai 55.3% / 88.2% on English; human coders agree 64% at four "
        "digits.",
        f"- One title: p50 {p50:.2f} ms, p95 **{p95:.2f} ms** (target <= 20 ms).",
        f"- Batch of {BATCH_TITLES:,}: **{per_second:,.0f} titles/s** (target >= 1,000).",
        f"- Auto-accept: calibrated threshold {threshold:.2f} (first code right >= "
        f"{PRECISION_WANTED:.0%} on the calibration lines); on the test lines it accepts "
        f"{test_coverage:.1%} of titles with precision {test_precision:.1%}. The threshold "
        f"in use (`AUTO_ACCEPT`) is {module.AUTO_ACCEPT:.2f}: precision "
        f"{constant_precision:.1%} on the test lines.",
    ]
    failures = []
    if top1 < TOP1_TARGET:
        failures.append(f"top-1 {top1:.1%} < 85%")
    if top3 < TOP3_TARGET:
        failures.append(f"top-3 {top3:.1%} < 95%")
    if p95 > P95_TARGET_MS:
        failures.append(f"p95 {p95:.1f} ms > 20 ms")
    if per_second < BATCH_TARGET:
        failures.append(f"{per_second:.0f} titles/s < 1,000")
    if failures:
        raise AssertionError("; ".join(failures) + "\n\n" + "\n".join(lines))
    return "\n".join(lines)
