"""TOTP second factor for the roles in ZHIBU_OTP_REQUIRED_ROLES: enrol, then verify at login."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role
from common.models import AuditEntry
from tests import factories as f

HOME = "portal:home"
ENROL = "accounts:otp.enrol"
VERIFY = "accounts:otp.verify"


@pytest.fixture
def otp_on(settings):
    settings.ZHIBU_OTP_REQUIRED_ROLES = ["committee_staff", "sysadmin", "secadmin", "auditadmin"]
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no back-off between the test's attempts
    return settings


@pytest.fixture
def staff(org):
    user = f.UserFactory(username="staff")
    f.RoleGrantFactory(user=user, unit=org.committee, role=Role.COMMITTEE_STAFF)
    return user


def login(client, username):
    return client.post(reverse("accounts:login"), {"username": username, "password": "Zhibu#2026"})


def token_for(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_a_required_role_without_a_device_enrols_with_a_server_drawn_qr_code_then_verifies(client, staff, otp_on):
    login(client, "staff")
    response = client.get(reverse(HOME))
    assert response.url == reverse(ENROL)
    page = client.get(reverse(ENROL))
    body = page.content.decode()
    assert "<svg" in body and "<script" not in body.split("<main", 1)[1]
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    secret = page.context["secret"].replace(" ", "")
    assert len(secret) == 32
    # A wrong code is refused in Chinese and audited.
    wrong = client.post(reverse(ENROL), {"token": "000000" if token_for(device) != "000000" else "111111"})
    assert "验证码不正确" in wrong.content.decode()
    assert AuditEntry.objects.get(action="accounts.auth.otp_failed").data["username"] == "staff"
    # The right code confirms the device and lets the user in.
    response = client.post(reverse(ENROL), {"token": token_for(device)})
    assert response.status_code == 302 and response.url == reverse(HOME)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse(HOME)).status_code == 200
    assert AuditEntry.objects.filter(action="accounts.auth.otp_enrolled", actor=staff).exists()

    # Next login: a verify step, not a new enrolment.
    client.post(reverse("accounts:logout"))
    device.last_t = -1  # a new 30-second step: the code may be used again
    device.save()
    login(client, "staff")
    assert client.get(reverse(HOME)).url == reverse(VERIFY)
    assert client.get(reverse(ENROL)).url == reverse(VERIFY)
    assert client.post(reverse(VERIFY), {"token": token_for(device)}).url == reverse(HOME)
    assert client.get(reverse(HOME)).status_code == 200
    assert AuditEntry.objects.filter(action="accounts.auth.otp_verified", actor=staff).exists()


def test_users_without_a_required_role_are_not_asked(client, personas, otp_on):
    login(client, "secretary_a")
    assert client.get(reverse(HOME)).status_code == 200
    assert client.get(reverse(ENROL)).url == reverse(HOME)


def test_the_second_factor_is_off_by_default(client, staff):
    login(client, "staff")
    assert client.get(reverse(HOME)).status_code == 200


def test_the_gate_keeps_every_other_page_closed_until_verified(client, staff, otp_on):
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    login(client, "staff")
    for name in ("members:member.list", "accounts:audit.list", "accounts:password_change"):
        assert client.get(reverse(name)).url == reverse(VERIFY)
    assert client.post(reverse("accounts:logout")).status_code == 302


def test_repeated_wrong_codes_lock_the_second_factor_and_end_the_session(client, staff, otp_on, settings):
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    login(client, "staff")
    right = token_for(device)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert "验证码不正确" in client.post(reverse(VERIFY), {"token": wrong}).content.decode()
    response = client.post(reverse(VERIFY), {"token": wrong})
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    assert AuditEntry.objects.filter(action="accounts.auth.otp_failed").count() == settings.AXES_FAILURE_LIMIT
    assert AuditEntry.objects.filter(action="accounts.auth.otp_locked").exists()
    # Logged out; and after logging in again, even the right code is refused while locked.
    assert client.get(reverse(HOME)).status_code == 302
    login(client, "staff")
    response = client.post(reverse(VERIFY), {"token": right}, follow=True)
    assert "错误次数过多" in response.content.decode()
    assert client.get(reverse(HOME)).status_code == 302


def test_an_issued_password_is_changed_after_the_second_factor(client, admins, otp_on):
    from accounts import services

    issued = services.reset_password(admins.secadmin, actor=admins.sysadmin)
    client.post(reverse("accounts:login"), {"username": "secadmin", "password": issued})
    assert client.get(reverse(HOME)).url == reverse(ENROL)
    client.get(reverse(ENROL))
    device = TOTPDevice.objects.get(user=admins.secadmin)
    assert client.post(reverse(ENROL), {"token": token_for(device)}).url == reverse("accounts:password_change")


def test_otp_pages_answer_405_to_other_methods(client, staff, otp_on):
    login(client, "staff")
    assert client.put(reverse(ENROL)).status_code == 405
    assert client.delete(reverse(VERIFY)).status_code == 405
