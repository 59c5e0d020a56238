"""Test guards and shared fixtures (after les-emplois' tests/conftest.py)."""

import pytest
from django.template import engines


class UndefinedTemplateVariable(str):
    """string_if_invalid that fails the test instead of rendering an empty string."""

    def __contains__(self, key: object) -> bool:
        return key == "%s"

    def __mod__(self, variable: object) -> str:
        raise AssertionError(f"Undefined template variable: {variable}")


@pytest.fixture(autouse=True, scope="session")
def _fail_on_undefined_template_variables() -> None:
    engines["django"].engine.string_if_invalid = UndefinedTemplateVariable()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker) -> None:
    """Load the shipped reference data once per test session (committed, shared by all), when
    the test database is first set up; tests that need no database never wait for it."""
    from gza.taxonomy.services import reference_data_load

    with django_db_blocker.unblock():
        reference_data_load()


@pytest.fixture(autouse=True)
def _georgian_first(settings) -> None:
    # Tests see the product as a newcomer does: Georgian first.
    settings.LANGUAGE_CODE = "ka"


@pytest.fixture(autouse=True)
def _private_media_root(settings, tmp_path):
    # Uploaded files go to the test's own folder, never to var/private.
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT
