"""The project's name and description, written once here and shown by its pages."""

NAME = "Old django"
DESCRIPTION = "A new web application."
