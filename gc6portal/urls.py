from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from gc6portal import health, metrics

# admin.site is gc6portal.admin_site.StaffAdminSite (its titles and its two-factor
# steps are there), installed by gc6portal.apps.StaffAdminConfig.
urlpatterns = [
    path("admin/", admin.site.urls),
    # Without a CSRF token, so that public pages carry none and can be cached
    # (submissions/public_cache.py); a forged switch only changes a language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("health/", health.health_view, name="health"),
    path("health/live/", health.live_view, name="health-live"),
    path("metrics/", metrics.metrics_view, name="metrics"),
    path("", include("submissions.urls")),
]
