from django.urls import path

from submissions import open_data, status_views, views

app_name = "submissions"

urlpatterns = [
    path("", views.home, name="home"),
    path("calls/<slug:slug>/", views.call_detail, name="call"),
    path("calls/<slug:slug>/submit/", views.submit, name="submit"),
    path("calls/<slug:slug>/submissions/", views.posted_list, name="posted_list"),
    path("calls/<slug:slug>/submissions/<int:number>/", views.posted_detail, name="posted"),
    path("calls/<slug:slug>/submissions/<int:number>/file/", views.posted_file, name="posted_file"),
    path("calls/<slug:slug>/submissions/<int:number>/pdf/", views.posted_pdf, name="posted_pdf"),
    path("calls/<slug:slug>/statistics/", open_data.statistics, name="statistics"),
    path("calls/<slug:slug>/feed/", open_data.PostedFeed(), name="feed"),
    path("calls/<slug:slug>/submissions.zip", open_data.download_all, name="zip"),
    path("api/calls/<slug:slug>/submissions/", open_data.api_submissions, name="api"),
    path("status/<str:token>/", status_views.status, name="status"),
    path("status/<str:token>/state.json", status_views.status_state, name="status_state"),
    path("status/<str:token>/version/", status_views.status_version, name="status_version"),
    path("status/<str:token>/withdraw/", status_views.status_withdraw, name="status_withdraw"),
]
