FLASK_APP={{ cookiecutter.project_slug }}
