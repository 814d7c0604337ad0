    app.register_blueprint({% if cookiecutter.__has_database %}api_items{% else %}api_memory{% endif %}.bp)
{%- if cookiecutter.auth %}
    # The API takes JSON only (a cross-site form cannot send it) and tokens; see api.py.
    csrf.exempt(api_items.bp)
{%- endif %}
