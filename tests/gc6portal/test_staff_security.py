"""Staff logins: a password and a code from an authenticator app, and failed-login throttling.

Codes are computed from the device's key as an authenticator app computes them; time
is frozen and moved with time-machine (django-otp makes a retry after a wrong code
wait a second).
"""

from __future__ import annotations

import re
from base64 import b32encode
from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

ADMIN = reverse("admin:index")
LOGIN = reverse("admin:login")
VERIFY = reverse("admin:otp_verify")
SETUP = reverse("admin:otp_setup")
CANCEL = reverse("admin:otp_cancel")
CHANGELIST = reverse("admin:submissions_submission_changelist")
PASSWORD = "a-long-test-password"  # the staff_user fixture's
# The start of a 30-second TOTP step, so that a few seconds later the code is the same.
START = datetime(2025, 3, 3, 9, 0, 0, tzinfo=UTC)


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


def _code(device: TOTPDevice, drift: int = 0) -> str:
    """What an authenticator app shows now for `device`."""
    value = totp(device.bin_key, device.step, device.t0, device.digits, drift)
    return f"{value:0{device.digits}d}"


def _wrong_code(device: TOTPDevice) -> str:
    """A code that none of the steps django-otp accepts now (the current one, ±1) gives."""
    accepted = {_code(device, drift) for drift in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in accepted)


def _log_in(client, username: str = "secretariat", password: str = PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, "next": ADMIN}, **extra)


def _admin_opens(client) -> bool:
    return client.get(CHANGELIST).status_code == 200


def test_a_right_password_alone_opens_no_admin_page(client, staff_user):
    response = _log_in(client)
    assert response.status_code == 302
    assert response.url == f"{SETUP}?next=%2Fadmin%2F"
    assert client.session["_auth_user_id"] == str(staff_user.pk)
    assert client.get(CHANGELIST).status_code == 302
    # Every admin page leads to the step the person is at.
    assert client.get(ADMIN, follow=True).redirect_chain[-1][0].startswith(SETUP)


def test_a_session_without_a_code_opens_no_admin_page(client, staff_user):
    client.force_login(staff_user)
    assert not _admin_opens(client)


def test_setup_shows_a_qr_code_and_the_key_without_inline_style_or_script(client, staff_user):
    _log_in(client)
    page = client.get(SETUP)
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=staff_user)
    assert not device.confirmed
    secret = b32encode(device.bin_key).decode()
    assert f'<code id="otp-secret">{secret}</code>' in page.text
    svg = page.text[page.text.index("<svg") : page.text.index("</svg>")]
    assert "<path" in svg
    assert "style=" not in svg
    assert re.search(r"<script(?![^>]*\bsrc=)", page.text) is None
    assert "unsafe-inline" not in page["Content-Security-Policy"]
    # Reloading shows the same key: the one the person may have scanned already.
    assert secret in client.get(SETUP).text
    assert TOTPDevice.objects.count() == 1


def test_setup_refuses_a_wrong_code_and_the_right_one_opens_the_admin(client, staff_user, frozen):
    _log_in(client)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=staff_user)

    wrong = client.post(SETUP, {"token": _wrong_code(device), "next": ADMIN})
    assert wrong.status_code == 200
    assert "This code is not right" in wrong.text
    device.refresh_from_db()
    assert not device.confirmed
    assert not _admin_opens(client)

    # django-otp's throttling: right after a wrong code, even the right one waits.
    too_soon = client.post(SETUP, {"token": _code(device), "next": ADMIN})
    assert "Too many wrong codes in a row. Wait 1 second" in too_soon.text
    assert not _admin_opens(client)

    frozen.shift(2)
    right = client.post(SETUP, {"token": _code(device), "next": ADMIN})
    assert right.status_code == 302
    assert right.url == ADMIN
    device.refresh_from_db()
    assert device.confirmed
    assert _admin_opens(client)


def test_a_user_with_a_device_is_asked_for_its_code(client, staff_user, frozen):
    device = TOTPDevice.objects.create(user=staff_user, name="phone", confirmed=True)
    response = _log_in(client)
    assert response.url == f"{VERIFY}?next=%2Fadmin%2F"
    page = client.get(response.url)
    assert "enter the 6-digit code your authenticator app shows" in page.text
    assert "otp-qr" not in page.text
    assert b32encode(device.bin_key).decode() not in page.text

    wrong = client.post(VERIFY, {"token": _wrong_code(device), "next": ADMIN})
    assert wrong.status_code == 200
    assert "This code is not right" in wrong.text
    assert not _admin_opens(client)

    frozen.shift(2)
    right = client.post(VERIFY, {"token": _code(device), "next": ADMIN})
    assert right.status_code == 302
    assert right.url == ADMIN
    assert _admin_opens(client)


def test_a_code_that_is_not_digits_is_refused_with_a_message(client, staff_user):
    TOTPDevice.objects.create(user=staff_user, name="phone", confirmed=True)
    _log_in(client)
    response = client.post(VERIFY, {"token": "12ab56"})
    assert "Enter the 6 digits your authenticator app shows." in response.text
    assert not _admin_opens(client)


def test_setup_is_closed_to_a_user_who_has_a_device(client, staff_user, frozen):
    TOTPDevice.objects.create(user=staff_user, name="phone", confirmed=True)
    _log_in(client)
    assert client.get(SETUP).url.startswith(VERIFY)
    # Someone who knows only the password cannot add a device of their own.
    intruder = TOTPDevice(user=staff_user)
    response = client.post(SETUP, {"token": _code(intruder)})
    assert response.url.startswith(VERIFY)
    assert TOTPDevice.objects.count() == 1
    assert not _admin_opens(client)


def test_the_page_asked_for_is_reached_after_the_code(client, staff_user, frozen):
    device = TOTPDevice.objects.create(user=staff_user, name="phone", confirmed=True)
    to_login = client.get(CHANGELIST)
    assert to_login.url == f"{LOGIN}?{urlencode({'next': CHANGELIST}, safe='/')}"
    response = client.post(
        to_login.url, {"username": "secretariat", "password": PASSWORD, "next": CHANGELIST}
    )
    assert response.url == f"{VERIFY}?{urlencode({'next': CHANGELIST})}"
    done = client.post(response.url, {"token": _code(device), "next": CHANGELIST})
    assert done.url == CHANGELIST


def test_an_address_elsewhere_is_not_followed_after_the_code(client, staff_user, frozen):
    device = TOTPDevice.objects.create(user=staff_user, name="phone", confirmed=True)
    _log_in(client)
    done = client.post(VERIFY, {"token": _code(device), "next": "https://evil.example/"})
    assert done.url == ADMIN


def test_one_can_log_out_from_the_second_step(client, staff_user):
    _log_in(client)
    response = client.post(CANCEL)
    assert response.url == LOGIN
    assert "_auth_user_id" not in client.session
    assert client.get(CANCEL).status_code in (302, 405)


def test_the_sixth_login_after_five_wrong_passwords_is_refused_even_when_right(client, staff_user):
    statuses = [_log_in(client, password="wrong-password").status_code for _ in range(5)]
    # The fifth failure reaches the limit: its answer is already the lockout page.
    assert statuses == [200, 200, 200, 200, 429]
    response = _log_in(client)
    assert response.status_code == 429
    assert "Too many failed logins for this account" in response.text
    assert "blocked for 30 minutes" in response.text
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_speaks_the_users_language(client, staff_user, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    for _ in range(5):
        _log_in(client, password="wrong-password")
    response = _log_in(client)
    assert response.status_code == 429
    assert '<html lang="fr"' in response.text
    # The admin's header, in French (the catalog puts a no-break space before the colon).
    assert "Contributions GC6\N{NO-BREAK SPACE}: secrétariat" in response.text


def test_the_failure_limit_comes_from_the_settings(client, staff_user, settings):
    settings.AXES_FAILURE_LIMIT = 2
    assert [_log_in(client, password="wrong").status_code for _ in range(2)] == [200, 429]


def test_the_throttle_counts_per_client_address_from_the_projects_header(
    client, staff_user, settings
):
    settings.GC6_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    settings.GC6_TRUSTED_PROXIES = ["127.0.0.1"]  # the test client stands for our proxy
    for _ in range(5):
        _log_in(client, password="wrong-password", HTTP_X_REAL_IP="203.0.113.7")
    assert _log_in(client, HTTP_X_REAL_IP="203.0.113.7").status_code == 429
    assert _log_in(client, HTTP_X_REAL_IP="198.51.100.9").status_code == 302
    # As for submissions, the address is kept only as a keyed pseudonym.
    attempt = AccessAttempt.objects.get()
    assert attempt.ip_address not in ("203.0.113.7", "127.0.0.1")
    assert ":" in attempt.ip_address


def test_a_successful_login_resets_the_count(client, staff_user):
    for _ in range(4):
        assert _log_in(client, password="wrong-password").status_code == 200
    assert _log_in(client).status_code == 302
    client.logout()
    statuses = [_log_in(client, password="wrong-password").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 200]


def test_a_non_staff_user_gets_nothing(client, django_user_model, verified_login):
    user = django_user_model.objects.create_user("public", password=PASSWORD)
    response = _log_in(client, username="public")
    assert response.status_code == 200
    assert "staff account" in response.text
    assert "_auth_user_id" not in client.session
    client.force_login(user)
    assert client.get(SETUP).url.startswith(LOGIN)
    assert client.get(VERIFY).url.startswith(LOGIN)
    assert not TOTPDevice.objects.exists()
    # Not even with a device and a verified session.
    verified_login(client, user)
    assert not _admin_opens(client)


def test_without_staff_2fa_a_password_opens_the_admin(client, staff_user, settings):
    settings.GC6_STAFF_2FA = False
    response = _log_in(client)
    assert response.url == ADMIN
    assert _admin_opens(client)
    assert client.get(SETUP).url == ADMIN


def test_a_superuser_removes_a_lost_device_and_its_owner_sets_up_a_new_one(
    client, staff_user, django_user_model, verified_login
):
    owner = django_user_model.objects.create_user("triage", password=PASSWORD, is_staff=True)
    lost = TOTPDevice.objects.create(user=owner, name="lost phone", confirmed=True)
    verified_login(client, staff_user)
    change = client.get(reverse("admin:otp_totp_totpdevice_change", args=[lost.pk]))
    assert change.status_code == 200
    assert lost.key not in change.text  # the admin never shows a device's secret
    delete = reverse("admin:otp_totp_totpdevice_delete", args=[lost.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(pk=lost.pk).exists()

    client.logout()
    assert _log_in(client, username="triage").url.startswith(SETUP)


def test_the_demo_admin_enrols_at_its_first_login(client, db, capsys):
    call_command("load_demo")
    assert "at the first login, scan the QR code" in capsys.readouterr().out
    response = _log_in(client, username="admin", password="gc6-demo-password")
    assert response.url.startswith(SETUP)
    assert "otp-qr" in client.get(response.url).text
