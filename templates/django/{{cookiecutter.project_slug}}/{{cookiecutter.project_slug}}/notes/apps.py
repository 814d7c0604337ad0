from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "{{ cookiecutter.project_slug }}.notes"
    label = "notes"
    verbose_name = "Notes"
