"""The project's name and description, written once here and shown by its pages{% if cookiecutter.rest_api %} and API schema{% endif %}."""

NAME = {{ cookiecutter.project_name | py_str }}
DESCRIPTION = {{ cookiecutter.description | py_str }}
