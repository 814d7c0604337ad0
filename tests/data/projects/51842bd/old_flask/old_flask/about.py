"""The project's name and description, shown by its pages."""

PROJECT_NAME = "Old flask"
PROJECT_DESCRIPTION = "A new web application."
