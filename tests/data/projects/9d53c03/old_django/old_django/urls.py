"""URL configuration: admin, health check and pages."""

from django.contrib import admin
from django.urls import path

from old_django import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", views.health, name="health"),
    path("", views.HomeView.as_view(), name="home"),
]
