import pytest
from django.utils import translation


@pytest.fixture
def english():
    """For tests that read a message's words: they stay English when Georgian is written."""
    with translation.override("en"):
        yield
