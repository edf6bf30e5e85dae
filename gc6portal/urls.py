from django.contrib import admin
from django.urls import include, path

# admin.site is gc6portal.admin_site.StaffAdminSite (its titles and its two-factor
# steps are there), installed by gc6portal.apps.StaffAdminConfig.
urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("submissions.urls")),
]
