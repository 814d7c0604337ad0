        "API_RATE_LIMIT": os.environ.get("API_RATE_LIMIT", "100 per minute"),
        "API_PAGE_SIZE": 20,
        "API_MAX_PAGE_SIZE": 100,
{%- if cookiecutter.auth %}
        "API_TOKEN_MAX_AGE": int(os.environ.get("API_TOKEN_MAX_AGE", 24 * 3600)),
{%- endif %}
