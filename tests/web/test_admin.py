import pytest
from django.template import engines

from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db

MTAVRULI = range(0x1C90, 0x1CC0)


@pytest.fixture
def lenient_templates():
    """Django's own admin templates rely on undefined variables rendering empty."""
    engine = engines["django"].engine
    strict = engine.string_if_invalid
    engine.string_if_invalid = ""
    yield
    engine.string_if_invalid = strict


def test_the_georgian_admin_has_no_mtavruli_capitals(client, lenient_templates):
    client.force_login(UserFactory(administrator=True, is_superuser=True))
    for url in ["/admin/core/organisation/", "/admin/core/organisation/add/"]:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="ka")
        assert response.status_code == 200
        html = response.content.decode()
        assert "ორგანიზაცია" in html
        assert not any(ord(c) in MTAVRULI for c in html), url


def test_audit_rows_are_read_only_in_the_admin(client, lenient_templates):
    client.force_login(UserFactory(administrator=True, is_superuser=True))
    assert client.get("/admin/core/auditevent/add/").status_code == 403
