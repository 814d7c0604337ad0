"""The project's name and description, shown by its pages."""

PROJECT_NAME = {{ cookiecutter.project_name | py_str }}
PROJECT_DESCRIPTION = {{ cookiecutter.description | py_str }}
