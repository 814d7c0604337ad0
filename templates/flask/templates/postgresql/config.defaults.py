DEFAULT_DATABASE_URL = "postgresql+psycopg://localhost/{{ cookiecutter.project_slug }}"
