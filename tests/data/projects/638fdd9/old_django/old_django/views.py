"""Views of the project itself: the home page, the health check and the favicon."""

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView


class HomeView(TemplateView):
    """The front page."""

    template_name = "home.html"


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """Answer 200 when the application and its database work, 503 when the database does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_safe
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's): send the SVG one."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))
