"""Identity: registration numbers, names in both scripts, phones, ages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from gza.registry.models import (
    JobSeeker,
    is_valid_registration_number,
    luhn_digit,
    new_registration_number,
)
from gza.registry.names import name_key, romanise
from gza.registry.validators import (
    normalise_phone,
    validate_birth_date,
    validate_georgian_name,
    validate_latin_name,
    validate_passport_number,
)
from tests.registry.factories import JobSeekerFactory


def _message(error: ValidationError) -> str:
    with translation.override("en"):
        return " ".join(error.messages)


@pytest.mark.parametrize(
    ("georgian", "passport", "full"),
    [
        ("ცხვედიანი", "Tskhvediani", "Tskhvediani"),
        ("ჭავჭავაძე", "Chavchavadze", "Ch'avch'avadze"),
        ("ყიფიანი", "Qipiani", "Q'ipiani"),
        ("ღოღობერიძე", "Ghoghoberidze", "Ghoghoberidze"),
        ("ლევან-ნიკო", "Levan-Niko", "Levan-Nik'o"),
        ("ჟორჟოლიანი", "Zhorzholiani", "Zhorzholiani"),
        ("წერეთელი", "Tsereteli", "Ts'ereteli"),
    ],
)
def test_romanisation_follows_the_2002_system(georgian, passport, full):
    assert romanise(georgian) == passport
    assert romanise(georgian, apostrophes=True) == full


@pytest.mark.parametrize(
    "variants",
    [
        ["ცხვედიანი", "Tskhvediani", "Tsxvediani", "Цхведиани", "TSKHVEDIANI"],
        ["ჭავჭავაძე", "Chavchavadze", "Tchavtchavadze", "Čavčavadze", "Чавчавадзе"],
        ["ჯუღაშვილი", "Jughashvili", "Djughashvili", "Джугашвили"],
        ["ყიფიანი", "Qipiani", "Kipiani", "Q'ipiani", "Кипиани"],
        ["ღოღობერიძე", "Ghoghoberidze", "Gogoberidze", "Гогоберидзе"],
    ],
)
def test_spelling_variants_across_scripts_share_a_name_key(variants):
    keys = {name_key(variant) for variant in variants}
    assert len(keys) == 1, keys


def test_a_name_key_ignores_what_is_not_a_letter():
    assert name_key("") == ""
    assert name_key("  ---  ") == ""
    assert name_key("Mc'Donald 3rd") == name_key("McDonald rd")


@given(st.text(max_size=60))
def test_name_keys_are_lowercase_ascii_letters(text):
    key = name_key(text)
    assert key == "" or (key.isascii() and key.isalpha() and key.islower())


def test_registration_numbers_carry_a_check_digit():
    for _ in range(200):
        number = new_registration_number()
        assert len(number) == 10 and number[0] != "0"
        assert is_valid_registration_number(number)
        # Any one digit mistyped is caught.
        for position in range(10):
            wrong = str((int(number[position]) + 1) % 10)
            assert not is_valid_registration_number(
                number[:position] + wrong + number[position + 1 :]
            )
    assert luhn_digit("7992739871") == "3"


@pytest.mark.django_db
def test_each_person_gets_a_lifetime_number_and_keys_on_save():
    person = JobSeekerFactory(first_name="გიორგი", last_name="ცხვედიანი")
    assert is_valid_registration_number(person.registration_number)
    assert (person.first_name_key, person.last_name_key) == ("giorgi", "cxvediani")
    number = person.registration_number
    person.last_name = "ჭავჭავაძე"
    person.save()
    person.refresh_from_db()
    assert person.registration_number == number
    assert person.last_name_key == "cavcavaze"


@pytest.mark.django_db
def test_a_clashing_random_number_is_drawn_again(monkeypatch):
    existing = JobSeekerFactory()
    draws = iter([existing.registration_number, "1234567897"])
    monkeypatch.setattr("gza.registry.models.new_registration_number", lambda: next(draws))
    person = JobSeekerFactory()
    assert person.registration_number == "1234567897"


@pytest.mark.django_db
def test_a_clashing_personal_number_is_not_retried():
    existing = JobSeekerFactory()
    with pytest.raises(IntegrityError):
        JobSeekerFactory(personal_number=existing.personal_number)
    assert JobSeeker.objects.count() == 1


@pytest.mark.django_db
def test_a_duplicate_personal_number_gets_a_clear_message():
    existing = JobSeekerFactory()
    person = JobSeekerFactory.build(personal_number=existing.personal_number)
    with pytest.raises(ValidationError) as caught:
        person.full_clean()
    with translation.override("en"):
        assert "already registered" in str(caught.value.message_dict["personal_number"])


@pytest.mark.parametrize("value", ["მარიამ", "ანა-მარია", "დე ლა"])
def test_georgian_names_accept_georgian_letters(value):
    validate_georgian_name(value)


@pytest.mark.parametrize("value", ["Mariam", "მარიამ2", "მარიამ ", "", "მარი–am"])
def test_latin_letters_or_digits_in_the_georgian_name_are_refused(value):
    with pytest.raises(ValidationError) as caught:
        validate_georgian_name(value)
    assert "Georgian letters" in _message(caught.value)


@pytest.mark.parametrize("value", ["მარიამ", "Mariam1", "Mariam_K"])
def test_georgian_letters_in_the_latin_name_are_refused(value):
    with pytest.raises(ValidationError) as caught:
        validate_latin_name(value)
    assert "Latin letters" in _message(caught.value)


def test_a_latin_name_may_be_left_empty():
    validate_latin_name("")
    validate_latin_name("O'Neil-Smith")


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("599 12 34 56", "+995599123456"),
        ("+995 (599) 12-34-56", "+995599123456"),
        ("00995599123456", "+995599123456"),
        ("+48 512 345 678", "+48512345678"),
    ],
)
def test_phones_are_stored_in_e164(typed, e164):
    assert normalise_phone(typed) == e164


@pytest.mark.parametrize("typed", ["", "123", "599 12 34", "not a phone", "+995" + "9" * 40])
def test_invalid_phones_are_refused_with_an_example(typed):
    with pytest.raises(ValidationError) as caught:
        normalise_phone(typed)
    assert "599 12 34 56" in _message(caught.value)


def test_birth_dates_in_the_future_or_under_16_are_refused():
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        validate_birth_date(today + datetime.timedelta(days=1))
    assert "future" in _message(caught.value)
    fifteen = today.replace(year=today.year - 16) + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        validate_birth_date(fifteen)
    assert "from the age of 16" in _message(caught.value)
    validate_birth_date(today.replace(year=today.year - 16) - datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        validate_birth_date(datetime.date(1900, 1, 1))


def test_passport_numbers_are_capital_letters_and_digits():
    validate_passport_number("16AB12345")
    validate_passport_number("")
    for bad in ["16ab12345", "12 345", "1234"]:
        with pytest.raises(ValidationError):
            validate_passport_number(bad)


@pytest.mark.django_db
def test_the_phone_is_normalised_when_the_record_is_cleaned():
    person = JobSeekerFactory.build(phone="599 12 34 56", email="Ana@Example.GE")
    person.full_clean()
    assert person.phone == "+995599123456"
    assert person.email == "ana@example.ge"
    person.phone = "12"
    with pytest.raises(ValidationError) as caught:
        person.full_clean()
    assert "phone" in caught.value.message_dict
