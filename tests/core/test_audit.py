import re

import pytest
from django.db import DatabaseError, connection, transaction

from gza.core.audit import access_record, audit_record, audit_record_change, history_of, snapshot
from gza.core.enums import AccessAction, AuditVerb
from gza.core.errors import DomainError
from gza.core.models import AccessLogEntry, AuditEvent
from tests.core.factories import OrganisationFactory, UserFactory
from tests.registry.factories import JobSeekerFactory

pytestmark = pytest.mark.django_db


def test_audit_record_keeps_actor_verb_target_payload_and_address():
    from gza.core.audit import current_ip

    officer = UserFactory()
    organisation = OrganisationFactory()
    token = current_ip.set("10.1.2.3")
    try:
        event = audit_record(
            actor=officer, verb=AuditVerb.CREATED, target=organisation, payload={"why": "test"}
        )
    finally:
        current_ip.reset(token)
    event.refresh_from_db()
    assert (event.actor, event.verb, event.target_id) == (officer, "created", str(organisation.pk))
    assert event.payload == {"why": "test"}
    assert event.ip_address == "10.1.2.3"
    assert list(history_of(organisation)) == [event]


def test_change_history_records_old_and_new_values_only_when_something_changed():
    officer = UserFactory()
    organisation = OrganisationFactory(name_en="Old name")
    before = snapshot(organisation, ["name_en", "name_ka"])
    assert audit_record_change(actor=officer, instance=organisation, before=before) is None
    organisation.name_en = "New name"
    event = audit_record_change(actor=officer, instance=organisation, before=before)
    assert event.payload == {"changes": {"name_en": ["Old name", "New name"]}}


def test_audit_rows_cannot_be_changed_or_deleted_through_the_orm():
    event = audit_record(actor=None, verb=AuditVerb.LOGIN_FAILED)
    event.verb = AuditVerb.LOGGED_IN
    with pytest.raises(DomainError, match=re.escape(str(DomainError.APPEND_ONLY))):
        event.save()
    with pytest.raises(DomainError):
        event.delete()
    with pytest.raises(DomainError):
        AuditEvent.objects.filter(pk=event.pk).update(verb=AuditVerb.LOGGED_IN)
    with pytest.raises(DomainError):
        AuditEvent.objects.all().delete()


def test_the_database_refuses_to_update_audit_rows_even_with_raw_sql():
    event = audit_record(actor=None, verb=AuditVerb.LOGIN_FAILED)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET verb = 'logged_in' WHERE id = %s", [event.pk])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps DELETE for flush")
def test_postgresql_refuses_to_delete_audit_rows_with_raw_sql():
    event = audit_record(actor=None, verb=AuditVerb.LOGIN_FAILED)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])


def test_access_record_logs_who_saw_whose_record():
    officer = UserFactory()
    person = JobSeekerFactory()
    entry = access_record(actor=officer, subject=person, action=AccessAction.EXPORT)
    assert AccessLogEntry.objects.get() == entry
    assert (entry.actor, entry.subject_id, entry.action) == (officer, str(person.pk), "export")
    with pytest.raises(DomainError):
        entry.delete()
