import pytest
from django.core.exceptions import ImproperlyConfigured

from gza.envvars import env_bool, env_choice, env_int, env_list, env_str, env_url


def test_bool_accepts_usual_spellings(monkeypatch):
    for raw, expected in [("true", True), ("YES", True), ("1", True), ("off", False), ("", False)]:
        monkeypatch.setenv("FLAG", raw)
        assert env_bool("FLAG", default=not expected) is expected


def test_bool_refuses_anything_else_and_names_the_variable(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG='maybe' is not a boolean"):
        env_bool("DEBUG", default=False)


def test_int_refuses_text_and_values_below_minimum(monkeypatch):
    monkeypatch.setenv("N", "ten")
    with pytest.raises(ImproperlyConfigured, match="N='ten' is not an integer"):
        env_int("N", 1)
    monkeypatch.setenv("N", "-1")
    with pytest.raises(ImproperlyConfigured, match="N=-1 must be >= 0"):
        env_int("N", 1, minimum=0)


def test_required_string_without_value_is_refused(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY is required"):
        env_str("SECRET_KEY")


def test_choice_url_and_list(monkeypatch):
    monkeypatch.setenv("TASKS_BACKEND", "celery")
    with pytest.raises(ImproperlyConfigured, match="TASKS_BACKEND='celery' is not one of"):
        env_choice("TASKS_BACKEND", "database", ["database", "rq"])
    monkeypatch.setenv("DATABASE_URL", "mysql://x")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL must be a URL"):
        env_url("DATABASE_URL", "sqlite:///x", ["sqlite", "postgres"])
    monkeypatch.setenv("ALLOWED_HOSTS", "gza.gov.ge, www.gza.gov.ge,")
    assert env_list("ALLOWED_HOSTS", []) == ["gza.gov.ge", "www.gza.gov.ge"]
