from django.urls import path

from submissions import views

app_name = "submissions"

urlpatterns = [
    path("", views.home, name="home"),
    path("calls/<slug:slug>/", views.call_detail, name="call"),
    path("calls/<slug:slug>/submit/", views.submit, name="submit"),
    path("calls/<slug:slug>/submissions/", views.posted_list, name="posted_list"),
    path("calls/<slug:slug>/submissions/<int:number>/", views.posted_detail, name="posted"),
    path("calls/<slug:slug>/submissions/<int:number>/file/", views.posted_file, name="posted_file"),
    path("status/<str:token>/", views.status, name="status"),
]
