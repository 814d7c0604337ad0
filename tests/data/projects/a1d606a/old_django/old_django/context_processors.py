"""Template context shared by every page."""

from django.http import HttpRequest

from old_django.project import DESCRIPTION, NAME


def project(request: HttpRequest) -> dict[str, str]:
    """The project's name and description (autoescaped like any template variable)."""
    return {"project_name": NAME, "project_description": DESCRIPTION}
