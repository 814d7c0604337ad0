"""This template's escaping filters: stackpick's one module for both bundled templates.

cookiecutter loads ``local_extensions.EscapeFilters`` (``_extensions`` in cookiecutter.json);
the filters themselves are ``stackpick.template_filters``, shared with the other template.
"""

from stackpick.template_filters import (  # noqa: F401 - what this template uses
    FILTERS,
    EscapeFilters,
    html_text,
    json_str,
    one_line,
    py_str,
    toml_str,
    yaml_str,
)
