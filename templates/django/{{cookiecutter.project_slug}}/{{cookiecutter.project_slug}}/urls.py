"""URL configuration: admin, health check{% if cookiecutter.rest_api %}, API{% endif %} and pages{% if cookiecutter.i18n %} (pages under a language prefix){% endif %}."""

{% if cookiecutter.i18n %}from django.conf.urls.i18n import i18n_patterns
{% endif %}from django.contrib import admin
from django.urls import {% if cookiecutter.auth or cookiecutter.rest_api or cookiecutter.i18n %}include, {% endif %}path
{%- if cookiecutter.rest_api %}
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
{%- endif %}

from {{ cookiecutter.project_slug }} import views
from {{ cookiecutter.project_slug }}.project import NAME

# The admin carries the project's name, and its "View site" link leads back to the home page.
admin.site.site_header = NAME
admin.site.site_title = NAME
admin.site.site_url = "/"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", views.health, name="health"),
    path("favicon.ico", views.favicon),
{%- if cookiecutter.rest_api %}
    path("api/", include("{{ cookiecutter.project_slug }}.notes.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
{%- endif %}
{%- if cookiecutter.i18n %}
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
{%- if cookiecutter.auth %}
    path("accounts/", include("{{ cookiecutter.project_slug }}.accounts.urls")),
{%- endif %}
)
{%- else %}
    path("", views.HomeView.as_view(), name="home"),
{%- if cookiecutter.auth %}
    path("accounts/", include("{{ cookiecutter.project_slug }}.accounts.urls")),
{%- endif %}
]
{%- endif %}
