from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("GC6 submissions: Secretariat")
admin.site.site_title = _("GC6 submissions")
admin.site.index_title = _("Triage")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("submissions.urls")),
]
