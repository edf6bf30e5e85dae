from django.contrib import admin
from django.urls import include, path

from gc6portal import health, metrics

# admin.site is gc6portal.admin_site.StaffAdminSite (its titles and its two-factor
# steps are there), installed by gc6portal.apps.StaffAdminConfig.
urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("health/", health.health_view, name="health"),
    path("health/live/", health.live_view, name="health-live"),
    path("metrics/", metrics.metrics_view, name="metrics"),
    path("", include("submissions.urls")),
]
