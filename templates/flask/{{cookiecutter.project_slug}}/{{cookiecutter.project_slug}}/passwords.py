{%- macro tr(s) %}{% if cookiecutter.i18n %}_("{{ s }}"){% else %}"{{ s }}"{% endif %}{% endmacro -%}
"""Change the password, or reset a forgotten one with a signed link sent by mail.

A reset link holds the user's id and a fingerprint of the current password hash, signed
with ``SECRET_KEY``: it stops working after ``PASSWORD_RESET_MAX_AGE`` seconds and once
the password changed (so it works once). Its host is the request's, which Flask checks
against ``TRUSTED_HOSTS`` (production requires it). A new password ends every session,
remember cookie{% if cookiecutter.rest_api %} and API token{% endif %} made with the old one; the session that changed it
stays logged in.
"""

from __future__ import annotations

import logging
import re

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
{%- if cookiecutter.i18n %}
from flask_babel import gettext as _
{%- endif %}
from flask_login import current_user, login_required, login_user
from flask_login.config import COOKIE_NAME
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from .auth import per_address, per_client
from .extensions import db
from .forms import PasswordChangeForm, PasswordResetForm, PasswordResetRequestForm
from .mail import send_mail
from .models import User

bp = Blueprint("passwords", __name__, url_prefix="/auth/password")

#: A reset link's token in a path, as a log line would show it.
RESET_TOKEN = re.compile(r"(/password/reset/)[^/?#\s\"]+")


class RedactResetTokens(logging.Filter):
    """Replaces password-reset tokens in the app's log lines with ``[token]``: Flask logs
    the path of a request that failed, and a reset link's path holds its token."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if RESET_TOKEN.search(message):
            record.msg, record.args = RESET_TOKEN.sub(r"\1[token]", message), None
        return True


def init_app(app: Flask) -> None:
    """The reset and change pages, and no reset token in the app's log."""
    app.register_blueprint(bp)
    app.logger.addFilter(RedactResetTokens())


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def reset_token(user: User) -> str:
    """A signed, single-use token for resetting ``user``'s password."""
    return _serializer().dumps([user.id, user.password_fingerprint()])


def user_for_token(token: str) -> User | None:
    """The user of a valid, unexpired, unused reset token; None otherwise."""
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    try:
        user_id, fingerprint = _serializer().loads(token, max_age=max_age)
    except (BadSignature, TypeError, ValueError):
        return None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or fingerprint != user.password_fingerprint():
        return None
    return user


@bp.route("/reset", methods=["GET", "POST"])
@per_client
@per_address
def reset_request() -> ResponseReturnValue:
    form = PasswordResetRequestForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.email == form.email.data))
        if user is not None and user.email:
            link = url_for(".reset", token=reset_token(user), _external=True)
            send_mail(
                user.email,
                {{ tr("Reset your password") }},
                f"{link}\n",
            )
        # The same answer whether or not the address is known.
        flash({{ tr("If an account has this address, a reset link is on its way.") }}, "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/password_reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str) -> ResponseReturnValue:
    user = user_for_token(token)
    if user is None:
        flash({{ tr("This reset link is invalid or has expired.") }}, "error")
        return redirect(url_for(".reset_request"))
    form = PasswordResetForm()
    if form.validate_on_submit():
        user.set_password(form.password.data)
        db.session.commit()
        flash({{ tr("Your password is changed. Please log in.") }}, "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/password_reset.html", form=form)


@bp.route("/change", methods=["GET", "POST"])
@login_required
def change() -> ResponseReturnValue:
    form = PasswordChangeForm()
    if form.validate_on_submit():
        user: User = current_user._get_current_object()
        if user.check_password(form.current.data):
            user.set_password(form.password.data)
            db.session.commit()
            # Every other session is over (their fingerprint is old); this one goes on.
            cookie = current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME)
            login_user(user, remember=cookie in request.cookies)
            flash({{ tr("Your password is changed.") }}, "success")
            return redirect(url_for("main.index"))
        form.current.errors.append({{ tr("Wrong password.") }})
    return render_template("auth/password_change.html", form=form)
