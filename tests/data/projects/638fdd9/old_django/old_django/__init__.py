"""old_django: a Django project."""
