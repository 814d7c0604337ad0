"""Sending mail: through SMTP when MAIL_SERVER is set, else printed to the console.

Printing is for development only: production refuses to start without MAIL_SERVER
(config.py), so a reset link never lands in a server log. In the tests (``TESTING``)
messages are kept in ``app.extensions["outbox"]`` instead.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app


def send_mail(to: str, subject: str, body: str) -> None:
    """Send a plain-text message to ``to``."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    if config.get("TESTING"):
        current_app.extensions.setdefault("outbox", []).append(message)
    elif config["MAIL_SERVER"]:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    elif config["APP_ENV"] != "production":
        # The console backend: development without a mail server.
        print(f"--- mail (MAIL_SERVER unset: not sent) ---\n{message}", flush=True)
    else:
        raise RuntimeError("APP_ENV=production without MAIL_SERVER: the mail is not sent")
