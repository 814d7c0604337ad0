"""{{ cookiecutter.project_slug }}: a Django project."""
