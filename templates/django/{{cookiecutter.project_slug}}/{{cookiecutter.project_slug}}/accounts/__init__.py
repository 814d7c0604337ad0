"""User accounts: the custom user model{% if cookiecutter.auth %} and the sign-up, log-in and log-out pages{% endif %}."""
