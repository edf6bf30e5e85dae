"""The admin app, with our admin site as `admin.site`.

Listed in INSTALLED_APPS instead of "django.contrib.admin", so that `admin.site` and
`@admin.register` everywhere (ours, django-otp's, django-axes') use the site that asks
staff for a second factor.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    default_site = "gc6portal.admin_site.StaffAdminSite"

    def ready(self) -> None:
        super().ready()
        # The staff-login packages' sections under plain names wherever the admin names
        # them (home page, their pages, breadcrumbs). An app's verbose name is not in
        # its migrations, so this changes nothing in the database.
        from gc6portal.admin_site import SECTION_NAMES

        for label, name in SECTION_NAMES.items():
            try:
                apps.get_app_config(label).verbose_name = name
            except LookupError:
                continue  # not installed here
