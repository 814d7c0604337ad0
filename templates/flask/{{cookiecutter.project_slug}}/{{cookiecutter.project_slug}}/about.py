{%- macro py(value) -%}
{#- A Python literal, quoted as ruff format quotes it: double quotes unless more escapes. -#}
{%- set text = value | py_str -%}
{%- if value.count('"') > value.count("'") -%}
'{{ text[1:-1] | replace('\\"', '"') | replace("'", "\\'") }}'
{%- else -%}
{{ text }}
{%- endif -%}
{%- endmacro -%}
"""The project's name and description, shown by its pages."""

PROJECT_NAME = {{ py(cookiecutter.project_name) }}
PROJECT_DESCRIPTION = {{ py(cookiecutter.description) }}
