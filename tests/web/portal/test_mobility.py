import pytest

from gza.mobility.certificates import display_code
from gza.mobility.services import attendance_mark
from tests.core.factories import UserFactory
from tests.mobility.factories import AttendanceFactory
from tests.mobility.protection_factories import PlacementFactory

pytestmark = pytest.mark.django_db


def _worker(job_seeker):
    user = UserFactory(job_seeker=True)
    job_seeker.user = user
    job_seeker.save()
    return user


def test_a_worker_sees_their_placement_terms_and_downloads_their_certificate(client):
    placement = PlacementFactory()
    attendance = AttendanceFactory(application=placement.application)
    attendance = attendance_mark(actor=UserFactory(), attendance=attendance, attended=True)
    client.force_login(_worker(placement.job_seeker))
    html = client.get("/en/me/placement/").content.decode()
    assert "What you were promised" in html and "Grójec" in html
    assert display_code(attendance.certificate_code) in html
    pdf = client.get(f"/en/me/certificates/{attendance.pk}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert client.get("/ka/me/placement/").status_code == 200


def test_a_worker_sees_no_one_elses_placement_or_certificate(client):
    PlacementFactory()
    other = attendance_mark(actor=UserFactory(), attendance=AttendanceFactory(), attended=True)
    mine = PlacementFactory()
    client.force_login(_worker(mine.job_seeker))
    response = client.get("/en/me/placement/")
    assert list(response.context["placements"]) == [mine]
    assert client.get(f"/en/me/certificates/{other.pk}.pdf").status_code == 404


def test_staff_are_sent_to_the_workspace(client):
    client.force_login(UserFactory())
    assert client.get("/en/me/placement/").url == "/en/workspace/"


def test_anyone_verifies_a_certificate_code_and_learns_only_initials_and_date(client):
    attendance = attendance_mark(actor=UserFactory(), attendance=AttendanceFactory(), attended=True)
    assert client.get("/ka/certificates/verify/").status_code == 200
    response = client.post(
        "/en/certificates/verify/", {"code": display_code(attendance.certificate_code).lower()}
    )
    html = response.content.decode()
    person = attendance.application.job_seeker
    assert "Valid: issued to" in html and "(M. K.)" in html
    assert person.last_name not in html and person.personal_number not in html
    html = client.post("/en/certificates/verify/", {"code": "ABCDE-FGHJK"}).content.decode()
    assert "No certificate has this code." in html
