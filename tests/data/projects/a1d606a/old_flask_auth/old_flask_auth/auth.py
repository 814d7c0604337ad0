"""Register, log in and log out; the ``flask create-user`` command."""

from __future__ import annotations

from urllib.parse import urlsplit

import click
from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from .extensions import db, login_manager
from .forms import LoginForm, RegisterForm
from .models import User

# cli_group=None: the command is `flask create-user`, not `flask auth create-user`.
bp = Blueprint("auth", __name__, url_prefix="/auth", cli_group=None)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    try:
        return db.session.get(User, int(user_id))
    except ValueError:
        return None


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username))


def _safe_next(target: str | None) -> str:
    """Only redirect to a path on this site after logging in."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("main.index")


@bp.route("/register", methods=["GET", "POST"])
def register() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        if find_user(form.username.data) is not None:
            form.username.errors.append("This username is taken.")
        else:
            user = User(username=form.username.data)
            user.set_password(form.password.data)
            db.session.add(user)
            db.session.commit()
            login_user(user)
            flash("Welcome! Your account is ready.", "success")
            return redirect(url_for("main.index"))
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = find_user(form.username.data)
        if user is not None and user.check_password(form.password.data):
            login_user(user, remember=form.remember.data)
            flash("You are logged in.", "success")
            return redirect(_safe_next(request.args.get("next")))
        flash("Wrong username or password.", "error")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    logout_user()
    flash("You are logged out.", "success")
    return redirect(url_for("main.index"))


@bp.cli.command("create-user")
@click.argument("username")
@click.password_option(help="The password (asked for when not given).")
def create_user(username: str, password: str) -> None:
    """Create a user."""
    if find_user(username) is not None:
        raise click.ClickException(f"user {username!r} already exists")
    user = User(username=username)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"Created user {username!r}.")
