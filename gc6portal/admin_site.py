"""The admin site: a password, then a code from an authenticator app.

The steps, all pages under /admin/:

1. `login/` (Django's, throttled by django-axes): username and password.
2. `two-factor/`: the 6-digit code of the staff member's TOTP device (django-otp);
   or, for a staff member who has none yet, `two-factor/setup/`: a QR code and the
   key as text, and one code to confirm the new device.

Until the code is given, `has_permission()` is False, so every admin page sends the
person back to the step they are at. `settings.GC6_STAFF_2FA = False` turns the
second step off; it is read at each request.
"""

from __future__ import annotations

import math
from base64 import b32encode
from collections.abc import Callable
from functools import wraps

import django_otp
import segno
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

View = Callable[..., HttpResponse]


def second_factor_pending(user) -> bool:
    """Has `user` given a staff account's password, but not yet a code that is required?"""
    if not (user.is_active and user.is_staff) or not settings.GC6_STAFF_2FA:
        return False
    # Right after the password, auth.login() leaves a plain User in request.user,
    # without OTPMiddleware's is_verified(): not verified yet.
    is_verified = getattr(user, "is_verified", None)
    return not (is_verified and is_verified())


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())  # "123 456" as some apps show it
        if not (token.isascii() and token.isdigit()):
            raise forms.ValidationError(
                _("Enter the 6 digits your authenticator app shows."), code="not_digits"
            )
        return token


def check_token(request: HttpRequest, device: TOTPDevice, form: TokenForm) -> TOTPDevice | None:
    """The device, fresh from the database, if the form's code is right; else a form error.

    Side effects: django-otp records the attempt on the device (its last used step,
    or one more failure, which makes the next attempt wait 1, 2, 4, 8... seconds).
    """
    allowed, details = device.verify_is_allowed()
    if not allowed:
        until = (details or {}).get("locked_until") or timezone.now()
        seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
        message = ngettext(
            "Too many wrong codes in a row. Wait %(seconds)d second, then try again.",
            "Too many wrong codes in a row. Wait %(seconds)d seconds, then try again.",
            seconds,
        )
        form.add_error("token", message % {"seconds": seconds})
        return None
    token = form.cleaned_data["token"]
    verified = django_otp.verify_token(request.user, device.persistent_id, token)
    if verified is None:
        form.add_error(
            "token",
            gettext(
                "This code is not right. Enter the code the app shows now (it changes "
                "every 30 seconds); if it keeps failing, check that the phone's clock is right."
            ),
        )
    return verified


# Plain names for the sections other packages add to the admin (their own names are
# technical: "OTP_TOTP", "TOTP devices", "AXES"), by app label and model name.
SECTION_NAMES = {
    "otp_totp": _("Staff authenticator apps"),
    "axes": _("Failed staff logins"),
}
MODEL_NAMES = {
    ("otp_totp", "totpdevice"): _("Authenticator apps of staff members"),
    ("axes", "accessattempt"): _("Failing logins (locked out after too many)"),
    ("axes", "accesslog"): _("Staff logins"),
    ("axes", "accessfailurelog"): _("Wrong passwords"),
}


def plain_names(app_list: list[dict]) -> list[dict]:
    """The admin's list of apps with plain names for the technical sections."""
    for app in app_list:
        label = app["app_label"]
        if label in SECTION_NAMES:
            app["name"] = SECTION_NAMES[label]
        for model in app.get("models", []):
            name = MODEL_NAMES.get((label, model["object_name"].lower()))
            if name is not None:
                model["name"] = name
    return app_list


class StaffAdminSite(admin.AdminSite):
    site_header = _("GC6 submissions: Secretariat")
    site_title = _("GC6 submissions")
    index_title = _("Triage")
    login_template = "admin/staff/login.html"
    # Three models to go to, listed on the home page: the work queue gets the width.
    enable_nav_sidebar = False

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and not second_factor_pending(request.user)

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list:
        return plain_names(super().get_app_list(request, app_label))

    def get_urls(self) -> list[URLPattern | URLResolver]:
        steps = [
            path("two-factor/", self._second_step(self.otp_verify), name="otp_verify"),
            path("two-factor/setup/", self._second_step(self.otp_setup), name="otp_setup"),
            path(
                "two-factor/cancel/",
                self._second_step(require_POST(self.otp_cancel)),
                name="otp_cancel",
            ),
        ]
        return steps + super().get_urls()

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        if request.method == "GET" and second_factor_pending(request.user):
            return self._to_second_step(request)
        context = {"staff_2fa": settings.GC6_STAFF_2FA, **(extra_context or {})}
        response = super().login(request, context)
        if second_factor_pending(request.user):
            # The password was right: on to the code, keeping where the person was going.
            return self._to_second_step(request)
        return response

    # The second step's views. Only for an active staff account whose code is pending.

    def otp_verify(self, request: HttpRequest) -> HttpResponse:
        device = _devices(request.user, confirmed=True).first()
        if device is None:
            return self._to_second_step(request)
        form = TokenForm(request.POST) if request.method == "POST" else TokenForm()
        if form.is_valid() and (verified := check_token(request, device, form)):
            django_otp.login(request, verified)
            return HttpResponseRedirect(self._next_url(request))
        return self._render(
            request, "admin/staff/otp_verify.html", form, title=gettext("Enter your code")
        )

    def otp_setup(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if _devices(user, confirmed=True).exists():
            # A new device only for someone who has none: knowing a password must not
            # be enough to add one's own.
            return self._to_second_step(request)
        # The same unconfirmed device on every visit, so the QR code stays the one scanned.
        device = _devices(user, confirmed=False).first() or TOTPDevice.objects.create(
            user=user, name="authenticator app", confirmed=False
        )
        form = TokenForm(request.POST) if request.method == "POST" else TokenForm()
        if form.is_valid() and (verified := check_token(request, device, form)):
            verified.confirmed = True
            verified.save(update_fields=["confirmed"])
            _devices(user, confirmed=False).delete()
            django_otp.login(request, verified)
            return HttpResponseRedirect(self._next_url(request))
        qr = segno.make(device.config_url, error="m").svg_inline(
            scale=5, light="#fff", svgclass="otp-qr", title=gettext("QR code to scan")
        )
        return self._render(
            request,
            "admin/staff/otp_setup.html",
            form,
            title=gettext("Set up two-factor authentication"),
            # segno draws it from the QR matrix alone and escapes the title.
            qr_svg=mark_safe(qr),  # noqa: S308
            secret=b32encode(device.bin_key).decode(),
        )

    def otp_cancel(self, request: HttpRequest) -> HttpResponse:
        logout(request)
        return HttpResponseRedirect(reverse("admin:login", current_app=self.name))

    # Helpers.

    def _second_step(self, view: View) -> View:
        @wraps(view)
        def inner(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            request.current_app = self.name
            user = request.user
            if not (user.is_active and user.is_staff):
                login_url = reverse("admin:login", current_app=self.name)
                return redirect_to_login(request.get_full_path(), login_url)
            if not second_factor_pending(user):
                return HttpResponseRedirect(self._next_url(request))
            return view(request, *args, **kwargs)

        return csrf_protect(never_cache(inner))

    def _to_second_step(self, request: HttpRequest) -> HttpResponseRedirect:
        has_device = _devices(request.user, confirmed=True).exists()
        step = "admin:otp_verify" if has_device else "admin:otp_setup"
        url = reverse(step, current_app=self.name)
        query = urlencode({REDIRECT_FIELD_NAME: self._next_url(request)})
        return HttpResponseRedirect(f"{url}?{query}")

    def _next_url(self, request: HttpRequest) -> str:
        url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
        if url and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return url
        return reverse("admin:index", current_app=self.name)

    def _render(
        self, request: HttpRequest, template: str, form: TokenForm, **context
    ) -> HttpResponse:
        return render(
            request,
            template,
            {
                **self.each_context(request),
                "form": form,
                "next": self._next_url(request),
                **context,
            },
        )


def _devices(user, *, confirmed: bool):
    return TOTPDevice.objects.devices_for_user(user, confirmed=confirmed).order_by("pk")
