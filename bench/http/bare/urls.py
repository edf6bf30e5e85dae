from __future__ import annotations

from django.urls import path

from bare import views

urlpatterns = [
    path("hello/", views.hello),
    path("list/", views.posted_list),
    path("upload/", views.upload),
]
