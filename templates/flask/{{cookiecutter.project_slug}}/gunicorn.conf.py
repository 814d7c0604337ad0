{#- A feature's parts of this file are in templates/<feature>/ (features.jinja). -#}
{%- from "features.jinja" import features with context -%}
"""gunicorn's settings for this project: gunicorn reads ./gunicorn.conf.py by itself.

- It refuses to start when rate limits would be counted per worker process
  (``RATELIMIT_STORAGE_URI=memory://`` with more than one worker): the check reads the
  number of workers gunicorn really starts (``-w``, ``WEB_CONCURRENCY`` or this file).
{% for feature in features %}{% include feature ~ "/gunicorn.docstring.py" ignore missing %}{% endfor -%}
"""

from __future__ import annotations

{% if cookiecutter.auth %}import re
{% endif %}from typing import Any

from dotenv import load_dotenv
{%- if cookiecutter.auth %}
from gunicorn.glogging import Logger
{%- endif %}

from {{ cookiecutter.project_slug }}.config import check_workers, load_config


def on_starting(server: Any) -> None:
    """Before any worker starts: a ConfigError stops gunicorn with its message (exit 1)."""
    load_dotenv()
    check_workers(load_config(), server.cfg.workers)
{% for feature in features %}{% include feature ~ "/gunicorn.conf.py" ignore missing %}{% endfor -%}
