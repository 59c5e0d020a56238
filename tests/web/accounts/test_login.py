import pytest
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from gza.core.enums import AuditVerb
from gza.core.models import AuditEvent
from tests.core.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/ka/accounts/login/"


def _login(client, email, password=PASSWORD, url=LOGIN):
    return client.post(url, {"username": email, "password": password})


def test_sign_in_reaches_the_workspace_and_is_audited(client):
    officer = UserFactory()
    response = _login(client, officer.email)
    assert response.status_code == 302
    assert response.url == reverse("workspace:home")
    assert AuditEvent.objects.filter(actor=officer, verb=AuditVerb.LOGGED_IN).exists()
    assert client.get(response.url).status_code == 200


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (LOGIN, "ელფოსტის მისამართი, მობილურის ნომერი ან პაროლი არასწორია."),
        ("/en/accounts/login/", "The e-mail address, mobile number or password is not correct."),
    ],
)
def test_wrong_password_gets_one_generic_message_in_the_page_language(client, url, message):
    officer = UserFactory()
    for email in (officer.email, "nobody@example.ge"):
        response = _login(client, email, "wrong password", url=url)
        assert response.status_code == 200
        assert message in response.content.decode()


def test_repeated_wrong_passwords_lock_the_account_out(client, settings):
    officer = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, officer.email, "wrong password")
    response = _login(client, officer.email)  # even the right password is refused now
    assert response.status_code == 429
    assert "მცდელობ" in response.content.decode()


def test_staff_must_enrol_and_use_a_second_factor_when_required(client, settings):
    settings.REQUIRE_STAFF_2FA = True
    officer = UserFactory()
    response = _login(client, officer.email)
    assert response.url.startswith(reverse("accounts:otp_setup"))
    # The workspace stays closed until the second factor is given.
    assert client.get(reverse("workspace:home")).url.startswith(reverse("accounts:otp_setup"))

    page = client.get(reverse("accounts:otp_setup"))
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    wrong = client.post(reverse("accounts:otp_setup"), {"token": "000000"})
    assert wrong.status_code == 200
    # A wrong code throttles the device for a moment; the person waits, the test resets.
    device.refresh_from_db()
    device.throttle_reset()
    token = f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
    response = client.post(reverse("accounts:otp_setup"), {"token": token})
    assert response.status_code == 302
    assert client.get(reverse("workspace:home")).status_code == 200
    assert AuditEvent.objects.filter(actor=officer, verb=AuditVerb.TWO_FACTOR_ENROLLED).exists()


def test_job_seekers_do_not_need_a_second_factor(client, settings):
    settings.REQUIRE_STAFF_2FA = True
    person = UserFactory(job_seeker=True)
    response = _login(client, person.email)
    assert response.url == reverse("workspace:home")


def test_sign_out_is_a_post_and_is_audited(client):
    officer = UserFactory()
    client.force_login(officer)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert AuditEvent.objects.filter(actor=officer, verb=AuditVerb.LOGGED_OUT).exists()


def test_password_reset_sends_a_bilingual_link_only_to_real_accounts(
    client, django_capture_on_commit_callbacks
):
    officer = UserFactory()
    url = reverse("accounts:password_reset")
    with django_capture_on_commit_callbacks(execute=True):
        unknown = client.post(url, {"email": "nobody@example.ge"})
        known = client.post(url, {"email": officer.email.upper()})
    # Same answer either way, so the form does not reveal who has an account.
    assert [t.name for t in unknown.templates] == [t.name for t in known.templates]
    assert "registration/password_reset_sent.html" in [t.name for t in known.templates]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [officer.email]
    assert "პაროლი" in message.body and "password" in message.body
    link = next(line for line in message.body.splitlines() if "/accounts/reset/" in line)
    path = link[link.index("/ka/") :]
    confirm = client.get(path, follow=True)
    assert confirm.status_code == 200
    new_password = "a much longer new passphrase 2026"
    done = client.post(
        confirm.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password(new_password)
    assert AuditEvent.objects.filter(actor=officer, verb=AuditVerb.PASSWORD_CHANGED).exists()


def test_sessions_expire_when_idle(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_a_job_seeker_without_e_mail_signs_in_with_the_mobile_number_and_a_password(client):
    person = UserFactory(job_seeker=True, email=None, phone="+995599123456")
    response = _login(client, "599 12 34 56")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == person.pk
    client.logout()
    wrong = _login(client, "599 12 34 56", "wrong password", url="/en/accounts/login/")
    assert wrong.status_code == 200
    assert "The e-mail address, mobile number or password is not correct." in wrong.content.decode()
    # A number no account has gets the same answer.
    assert _login(client, "599 00 00 00", url="/en/accounts/login/").status_code == 200
