import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from pypdf import PdfReader

from gza.core.enums import AuditVerb, OrganisationKind, Role
from gza.core.errors import DomainError
from gza.core.models import AuditEvent
from gza.mobility.certificates import (
    CODE_ALPHABET,
    certificate_pdf,
    certificate_verify,
    display_code,
)
from gza.mobility.enums import ChecklistItem
from gza.mobility.models import Attendance, ChecklistMark, OrientationSession
from gza.mobility.services import (
    Refusal,
    attendance_mark,
    checklist_complete,
    checklist_mark,
    checklist_missing,
    session_invite,
    session_save,
)
from gza.recruitment.enums import Stage
from gza.registry.notifications import Notification, NotificationKind
from tests.core.factories import OrganisationFactory, UserFactory
from tests.mobility.factories import (
    AttendanceFactory,
    DepartingApplicationFactory,
    OrientationSessionFactory,
)
from tests.registry.factories import LanguageSkillFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today


def _messages(error: ValidationError) -> list[str]:
    with translation.override("en"):
        return [str(message) for message in error.messages]


# The checklist ----------------------------------------------------------------------------------


def test_a_contract_in_georgian_is_always_understood():
    application = DepartingApplicationFactory(pre_departure=True)
    mark = checklist_mark(
        actor=UserFactory(),
        application=application,
        item=ChecklistItem.CONTRACT,
        done_on=TODAY(),
        language=_language("ka"),
    )
    assert mark.language_id == "ka"
    assert AuditEvent.objects.filter(verb=AuditVerb.CREATED, target_id=str(mark.pk)).exists()


def _language(code: str):
    from gza.taxonomy.models import Language

    return Language.objects.get(pk=code)


def test_a_contract_in_polish_needs_polish_at_b1_or_above():
    application = DepartingApplicationFactory(pre_departure=True)
    skill = LanguageSkillFactory(job_seeker=application.job_seeker, language_id="pl", level_id="A2")
    with pytest.raises(ValidationError) as refused:
        checklist_mark(
            actor=UserFactory(),
            application=application,
            item=ChecklistItem.CONTRACT,
            done_on=TODAY(),
            language=_language("pl"),
        )
    assert refused.value.message_dict.keys() == {"language"}
    assert _messages(refused.value) == [
        "The contract is in Polish, which the worker does not speak at B1 or above: it must be "
        "in Georgian or in a language the worker understands."
    ]
    assert not ChecklistMark.objects.exists()
    skill.level_id = "B1"
    skill.save()
    mark = checklist_mark(
        actor=UserFactory(),
        application=application,
        item=ChecklistItem.CONTRACT,
        done_on=TODAY(),
        language=_language("pl"),
    )
    assert mark.language_id == "pl"


def test_a_contract_without_its_language_is_refused():
    with pytest.raises(ValidationError) as refused:
        checklist_mark(
            actor=UserFactory(),
            application=DepartingApplicationFactory(pre_departure=True),
            item=ChecklistItem.CONTRACT,
            done_on=TODAY(),
        )
    assert _messages(refused.value) == ["Say in which language the contract is written."]


def test_marking_an_item_again_replaces_its_date_and_the_checklist_completes():
    application = DepartingApplicationFactory(pre_departure=True)
    officer = UserFactory()
    for item in [ChecklistItem.MEDICAL, ChecklistItem.INSURANCE, ChecklistItem.DOCUMENTS]:
        checklist_mark(actor=officer, application=application, item=item, done_on=TODAY())
    checklist_mark(
        actor=officer,
        application=application,
        item=ChecklistItem.MEDICAL,
        done_on=TODAY() - datetime.timedelta(days=3),
        note="Clinic 2",
    )
    assert application.checklist.count() == 3
    assert application.checklist.get(item=ChecklistItem.MEDICAL).note == "Clinic 2"
    assert checklist_missing(application) == [ChecklistItem.CONTRACT, ChecklistItem.ORIENTATION]
    assert not checklist_complete(application)
    checklist_mark(
        actor=officer,
        application=application,
        item=ChecklistItem.CONTRACT,
        done_on=TODAY(),
        language=_language("ka"),
    )
    checklist_mark(
        actor=officer, application=application, item=ChecklistItem.ORIENTATION, done_on=TODAY()
    )
    assert checklist_complete(application)


def test_a_future_date_and_an_application_not_preparing_are_refused():
    officer = UserFactory()
    with pytest.raises(ValidationError) as future:
        checklist_mark(
            actor=officer,
            application=DepartingApplicationFactory(pre_departure=True),
            item=ChecklistItem.MEDICAL,
            done_on=TODAY() + datetime.timedelta(days=1),
        )
    assert "is in the future" in _messages(future.value)[0]
    with pytest.raises(ValidationError) as screening:
        checklist_mark(
            actor=officer,
            application=DepartingApplicationFactory(stage=Stage.SCREENING),
            item=ChecklistItem.MEDICAL,
            done_on=TODAY(),
        )
    assert _messages(screening.value) == [
        "The application is at the stage “screening”: pre-departure preparation runs from the "
        "accepted offer to departure."
    ]


@pytest.mark.parametrize(
    "actor",
    [
        lambda: UserFactory(role=Role.ANALYST),
        # An IOM caseworker sees only the people IOM registered.
        lambda: UserFactory(iom_caseworker=True),
        # The embassy in France: the vacancy is in Poland.
        lambda: UserFactory(embassy_officer=True),
    ],
)
def test_marks_outside_the_actors_right_or_scope_are_refused(actor):
    with pytest.raises(DomainError):
        checklist_mark(
            actor=actor(),
            application=DepartingApplicationFactory(pre_departure=True),
            item=ChecklistItem.MEDICAL,
            done_on=TODAY(),
        )


def test_the_embassy_in_the_vacancys_country_prepares_its_applicants():
    embassy = UserFactory(
        role=Role.EMBASSY_OFFICER,
        organisation=OrganisationFactory(kind=OrganisationKind.EMBASSY, country_id="PL"),
    )
    mark = checklist_mark(
        actor=embassy,
        application=DepartingApplicationFactory(pre_departure=True),
        item=ChecklistItem.DOCUMENTS,
        done_on=TODAY(),
    )
    assert mark.recorded_by == embassy


# Orientation sessions ---------------------------------------------------------------------------


def _session(**kwargs) -> OrientationSession:
    values = {
        "starts_at": timezone.now() + datetime.timedelta(days=3),
        "place": "Kutaisi",
        "topics_ka": "უფლებები",
        "topics_en": "Rights",
        "capacity": 2,
    }
    return OrientationSession(**(values | kwargs))


def test_a_caseworker_runs_sessions_of_their_own_organisation_only():
    iom = UserFactory(iom_caseworker=True)
    session = session_save(actor=iom, session=_session())
    assert session.organisation == iom.organisation and session.created_by == iom
    other = UserFactory(iom_caseworker=True)
    session.place = "Batumi"
    with pytest.raises(DomainError) as refused:
        session_save(actor=other, session=session)
    assert refused.value.message == Refusal.SESSION_OTHER_ORGANISATION
    ministry = UserFactory()
    assert session_save(actor=ministry, session=session).place == "Batumi"
    assert AuditEvent.objects.filter(target_id=str(session.pk)).count() == 2


def test_invitations_are_idempotent_and_stop_at_the_sessions_capacity():
    ministry = UserFactory()
    session = session_save(actor=ministry, session=_session(organisation=OrganisationFactory()))
    first, second, third = (DepartingApplicationFactory(pre_departure=True) for _ in range(3))
    assert len(session_invite(actor=ministry, session=session, applications=[first])) == 1
    assert len(session_invite(actor=ministry, session=session, applications=[first, second])) == 1
    with pytest.raises(ValidationError) as full:
        session_invite(actor=ministry, session=session, applications=[third])
    assert _messages(full.value) == ["The session has 2 places and 2 are taken."]
    assert session.attendances.count() == 2
    # Each person invited is told the date, place and organisation, once.
    notices = Notification.objects.filter(kind=NotificationKind.ORIENTATION)
    assert sorted(n.job_seeker_id for n in notices) == sorted(
        [first.job_seeker_id, second.job_seeker_id]
    )
    assert notices[0].context["place"] == "Kutaisi"


def test_only_people_preparing_to_leave_are_invited():
    ministry = UserFactory()
    session = OrientationSessionFactory(upcoming=True)
    with pytest.raises(ValidationError):
        session_invite(
            actor=ministry,
            session=session,
            applications=[DepartingApplicationFactory(stage=Stage.DEPARTED)],
        )
    assert not Attendance.objects.exists()


def test_attendance_is_marked_only_once_the_session_has_begun():
    attendance = AttendanceFactory(session=OrientationSessionFactory(upcoming=True))
    with pytest.raises(ValidationError) as refused:
        attendance_mark(actor=UserFactory(), attendance=attendance, attended=True)
    assert _messages(refused.value)[0].startswith("Attendance is marked once the session has")


def test_attending_issues_one_certificate_and_ticks_the_orientation_item():
    attendance = AttendanceFactory()
    officer = UserFactory()
    attendance = attendance_mark(actor=officer, attendance=attendance, attended=True)
    code = attendance.certificate_code
    assert len(code) == 10 and set(code) <= set(CODE_ALPHABET)
    assert attendance.certificate_issued_at is not None
    again = attendance_mark(actor=officer, attendance=attendance, attended=True)
    assert again.certificate_code == code
    orientation = ChecklistMark.objects.get(
        application=attendance.application, item=ChecklistItem.ORIENTATION
    )
    assert orientation.done_on == timezone.localtime(attendance.session.starts_at).date()
    with pytest.raises(ValidationError) as refused:
        attendance_mark(actor=officer, attendance=attendance, attended=False)
    assert _messages(refused.value) == [
        "A certificate has been issued for this attendance: it cannot be marked absent."
    ]


def test_an_absence_issues_no_certificate():
    attendance = attendance_mark(
        actor=UserFactory(), attendance=AttendanceFactory(), attended=False
    )
    assert attendance.attended is False and attendance.certificate_code is None
    assert not ChecklistMark.objects.exists()


def test_certificate_codes_differ():
    officer = UserFactory()
    codes = {
        attendance_mark(
            actor=officer, attendance=AttendanceFactory(), attended=True
        ).certificate_code
        for _ in range(5)
    }
    assert len(codes) == 5


def test_a_certificate_is_verified_by_its_code_as_typed_and_tells_only_initials_and_date():
    attendance = attendance_mark(actor=UserFactory(), attendance=AttendanceFactory(), attended=True)
    typed = display_code(attendance.certificate_code).lower()
    assert "-" in typed
    result = certificate_verify(f"  {typed} ")
    person = attendance.application.job_seeker
    assert result.valid
    assert result.initials == f"მ. {person.last_name[0]}. (M. K.)"
    assert result.session_date == attendance.session.starts_at.date()
    assert not certificate_verify("ABCDE-FGHJK").valid
    assert not certificate_verify("short").valid


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_certificate_pdf_names_the_person_session_topics_organisation_and_code():
    attendance = attendance_mark(actor=UserFactory(), attendance=AttendanceFactory(), attended=True)
    content = certificate_pdf(attendance)
    assert content.startswith(b"%PDF-") and b"FiraGO" in content
    text = _pdf_text(content)
    person = attendance.application.job_seeker
    session = attendance.session
    assert person.first_name in text and person.last_name in text
    assert person.last_name_latin in text
    assert session.organisation.name_ka in text and session.organisation.name_en in text
    assert "შრომის უფლებები" in text and "Labour rights" in text
    assert display_code(attendance.certificate_code) in text
    assert "Pre-departure orientation certificate" in text
