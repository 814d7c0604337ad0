"""URL configuration: admin, health check and pages."""

from django.contrib import admin
from django.urls import path

from old_django import views
from old_django.project import NAME

# The admin carries the project's name, and its "View site" link leads back to the home page.
admin.site.site_header = NAME
admin.site.site_title = NAME
admin.site.site_url = "/"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", views.health, name="health"),
    path("favicon.ico", views.favicon),
    path("", views.HomeView.as_view(), name="home"),
]
