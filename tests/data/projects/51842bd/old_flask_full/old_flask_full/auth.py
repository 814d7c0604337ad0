"""Register, log in and log out; the ``flask create-user`` command; API tokens.

A session, a remember cookie and an API token hold a fingerprint of the user's password
hash (``User.get_id``): once the password changes, those made before stop working.
Log-in, sign-up and reset requests are rate limited (Flask-Limiter, counted in
``RATELIMIT_STORAGE_URI``): ``AUTH_RATE_LIMIT`` per client address,
``ACCOUNT_RATE_LIMIT`` per account name (log-ins) or mail address (reset requests).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

import click
from flask import (
    Blueprint,
    Request,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from werkzeug.security import check_password_hash

from . import models
from .extensions import db, limiter, login_manager
from .forms import LoginForm, RegisterForm
from .models import User

# cli_group=None: the command is `flask create-user`, not `flask auth create-user`.
bp = Blueprint("auth", __name__, url_prefix="/auth", cli_group=None)


def field_key(field: str) -> Callable[[], str]:
    """A rate-limit key: the request's ``field`` (form or JSON), lower-cased."""

    def key() -> str:
        data = request.get_json(silent=True) if request.is_json else request.form
        value = data.get(field) if isinstance(data, Mapping) else None
        return f"{field}:{value.strip().lower() if isinstance(value, str) else ''}"

    return key


def _auth_limit() -> str:
    return str(current_app.config["AUTH_RATE_LIMIT"])


def _account_limit() -> str:
    return str(current_app.config["ACCOUNT_RATE_LIMIT"])


# Only POSTs count; each counter is one atomic increment in the shared store.
# override_defaults=False keeps limits set elsewhere (the API's) as well.
per_client = limiter.limit(_auth_limit, methods=["POST"], override_defaults=False)
per_account = limiter.shared_limit(
    _account_limit,
    scope="login-account",
    key_func=field_key("username"),
    methods=["POST"],
    override_defaults=False,
)
per_address = limiter.shared_limit(
    _account_limit, scope="reset-address", key_func=field_key("email"), methods=["POST"]
)


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The user of a session or remember cookie made with the current password."""
    user_id, _sep, fingerprint = session_id.partition(":")
    try:
        user = db.session.get(User, int(user_id))
    except ValueError:
        return None
    if user is None or not hmac.compare_digest(fingerprint, user.password_fingerprint()):
        return None
    return user


def _token_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="api-token")


def make_token(user: User) -> str:
    """A signed bearer token for ``user`` (valid for ``API_TOKEN_MAX_AGE`` seconds, and
    until the password changes)."""
    return _token_serializer().dumps([user.id, user.password_fingerprint()])


@login_manager.request_loader
def load_user_from_token(req: Request) -> User | None:
    """The user of an ``Authorization: Bearer <token>`` header, if the token is valid."""
    scheme, _sep, token = req.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    try:
        user_id, fingerprint = _token_serializer().loads(
            token.strip(), max_age=current_app.config["API_TOKEN_MAX_AGE"]
        )
    except (BadSignature, TypeError, ValueError):
        return None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not isinstance(fingerprint, str):
        return None
    return user if hmac.compare_digest(fingerprint, user.password_fingerprint()) else None


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username))


def _dummy_hash() -> str:
    """A password hash made like real ones (once per app), to check unknown names against."""
    found: str | None = current_app.extensions.get("dummy_password_hash")
    if found is None:
        found = models.generate_password_hash("not anyone's password")
        current_app.extensions["dummy_password_hash"] = found
    return found


def authenticate(username: str, password: str) -> User | None:
    """The user with these credentials, or None; an unknown name costs as much time as a
    wrong password, so answers do not tell which names exist."""
    user = find_user(username)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    return user if user.check_password(password) else None


def _safe_next(target: str | None) -> str:
    """Only redirect to a path on this site after logging in."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("main.index")


@bp.route("/register", methods=["GET", "POST"])
@per_client
def register() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        email = form.email.data or None
        if find_user(form.username.data) is not None:
            form.username.errors.append(_("This username is taken."))
        elif email and db.session.scalar(select(User).where(User.email == email)) is not None:
            form.email.errors.append(_("This email address is taken."))
        else:
            user = User(username=form.username.data, email=email)
            user.set_password(form.password.data)
            db.session.add(user)
            db.session.commit()
            login_user(user)
            flash(_("Welcome! Your account is ready."), "success")
            return redirect(url_for("main.index"))
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@per_client
@per_account
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.username.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            flash(_("You are logged in."), "success")
            return redirect(_safe_next(request.args.get("next")))
        flash(_("Wrong username or password."), "error")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    logout_user()
    flash(_("You are logged out."), "success")
    return redirect(url_for("main.index"))


@bp.cli.command("create-user")
@click.argument("username")
@click.password_option(help="The password (asked for when not given).")
@click.option("--email", default=None, help="Where password-reset links go.")
@click.option("--admin", "is_admin", is_flag=True, help="Make the user an administrator.")
def create_user(username: str, password: str, email: str | None, is_admin: bool) -> None:
    """Create a user (--admin: an administrator)."""
    if find_user(username) is not None:
        raise click.ClickException(f"user {username!r} already exists")
    user = User(username=username, email=email, is_admin=is_admin)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"Created user {username!r}{' (administrator)' if is_admin else ''}.")
