

def database_url(url: str) -> str:
    """The SQLAlchemy URL for ``url``{% if cookiecutter.database == 'postgresql' %}: plain ``postgresql://`` URLs go through psycopg 3{% endif %}."""
{%- if cookiecutter.database == 'postgresql' %}
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
{%- endif %}
    return url
