import io
from unittest.mock import patch

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from gza.matching import autocoder as module
from gza.matching.autocoder import Suggestion, _broaden, autocoder, keys, suggest
from gza.matching.coding import auto_accepted, code_from_text

WELDERS = "7212"


@pytest.mark.parametrize(
    "text",
    [
        "შემდუღებელი",
        "შემდუღებლად ვმუშაობდი",
        "shemdugebeli",
        "shemdughebeli",
        "SemduRebeli",
        "svarshchik",
        "сварщик",
        "сварщиком",
        "welder",
        "Welders",
        "MIG welder",
    ],
)
def test_welders_in_every_script_and_form(text):
    assert suggest(text)[0].code == WELDERS


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("მზარეული", "5120"),
        ("mzareuli", "5120"),
        ("повар", "5120"),
        ("მძღოლი", "8322"),
        ("mZRoli", "8322"),
        ("voditel", "8322"),
        ("ძიძა", "5311"),
        ("სანტექნიკოსი", "7126"),
    ],
)
def test_common_titles(text, code):
    assert suggest(text)[0].code == code


def test_a_suggestion_says_why():
    first = suggest("сварщиком")[0]
    assert first.matched == "сварщик"
    assert first.language == "ru"
    assert 0 < first.confidence <= 1
    assert first.similarity > 0.5


@pytest.mark.parametrize("text", ["", "   ", "\t\n", "😀😀😀", "1234 5678", "!!!", "\x00"])
def test_nothing_to_read_gives_nothing(text):
    assert suggest(text) == []


def test_very_long_or_mixed_text_is_answered_with_low_confidence():
    long_text = "შემდუღებელი " + "ბლა " * 5000
    assert suggest(long_text)  # cut, answered, no error
    mixed = suggest("qwზxцьй ბlaх")
    assert all(s.confidence < module.AUTO_ACCEPT for s in mixed)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gives_ranked_bounded_suggestions(text):
    suggestions = suggest(text, top=5)
    assert len(suggestions) <= 5
    assert len({s.code for s in suggestions}) == len(suggestions)
    for s in suggestions:
        assert 0.0 <= s.confidence <= 1.0
        assert s.code.isdigit() and 1 <= len(s.code) <= 4


def test_top_n_and_order():
    suggestions = suggest("fruit picker", top=10)
    assert len(suggestions) == 10
    units = [s for s in suggestions if not s.broader]
    sims = [s.confidence for s in units[1:]]
    assert sims == sorted(sims, reverse=True)


def test_description_helps_a_vague_title():
    plain = [s.code for s in suggest("operator", top=3)]
    described = [s.code for s in suggest("operator", "lifting loads with a tower crane", top=3)]
    assert "8343" in described
    assert plain != described


def test_keys_meet_across_scripts():
    assert keys("შემდუღებელი") == keys("shemdughebeli") == keys("Shemdugebeli")
    assert keys("svarshchik") == keys("сварщик")


def test_a_vague_title_gets_its_broader_group_first():
    def unit(code, confidence=0.2):
        return Suggestion(code, confidence, "worker", "en", "ilo", similarity=0.3)

    codes = ["9211", "9212", "9213", "9214", "9215"]
    suggestions = [unit(c) for c in codes[:3]]
    broadened = _broaden(suggestions, codes, __import__("numpy").array([0.3] * 5))
    assert broadened[0].code == "921" and broadened[0].broader
    assert [s.code for s in broadened[1:]] == ["9211", "9212"]


def test_a_clear_title_is_not_broadened():
    assert not suggest("welder")[0].broader


def test_batch_equals_one_by_one():
    texts = [("welder", "", ""), ("მზარეული", "", ""), ("", "", ""), ("operator", "crane", "")]
    batch = autocoder().suggest_many(texts, top=3)
    assert batch == [autocoder().suggest(*t, top=3) for t in texts]


# Imports and forms ----------------------------------------------------------------------------


def test_codes_stay_codes_and_confident_words_are_coded():
    assert code_from_text("7115") == "7115"
    assert code_from_text("7115 Carpenters and joiners") == "7115"
    assert code_from_text("შემდუღებელი") == WELDERS
    assert auto_accepted(suggest("сварщик"))


def test_words_not_confident_enough_name_the_closest_codes():
    with pytest.raises(ValidationError) as caught:
        code_from_text("qwzx blah worker")
    assert caught.value.code == "occupation_text"
    with pytest.raises(ValidationError) as caught:
        code_from_text("😀")
    assert "9211" in str(caught.value.messages)


# The command ---------------------------------------------------------------------------------


def _command(stdin: str, *args: str) -> list[str]:
    out = io.StringIO()
    with patch("sys.stdin", io.StringIO(stdin)):
        call_command("suggest_occupations", *args, stdout=out)
    return out.getvalue().split("\n")[:-1]


def test_command_writes_one_line_per_input_line():
    lines = _command("შემდუღებელი\nsvarshchik\t\t\n\n😀\twhat\t\nwelder\tjoining metal\tbuilding\n")
    assert len(lines) == 5
    assert lines[0].split("\t")[0] == WELDERS
    assert len(lines[0].split("\t")) == 3
    assert lines[1].split("\t")[0] == WELDERS
    assert lines[2] == ""
    assert lines[4].split("\t")[0] == WELDERS


def test_command_top_n():
    assert len(_command("მზარეული\n", "--top", "5")[0].split("\t")) == 5
    with pytest.raises(CommandError):
        _command("x\n", "--top", "0")
