"""The admin app, with our admin site as `admin.site`.

Listed in INSTALLED_APPS instead of "django.contrib.admin", so that `admin.site` and
`@admin.register` everywhere (ours, django-otp's, django-axes') use the site that asks
staff for a second factor.
"""

from __future__ import annotations

from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    default_site = "gc6portal.admin_site.StaffAdminSite"
