        # Log-in, sign-up and reset-request attempts per client address (each form its own)...
        "AUTH_RATE_LIMIT": os.environ.get("AUTH_RATE_LIMIT", "10 per minute;50 per hour"),
        # ...and log-ins per account name ({% if cookiecutter.rest_api %}the form and /api/tokens together{% else %}whatever the address{% endif %}), reset requests per address.
        "ACCOUNT_RATE_LIMIT": os.environ.get("ACCOUNT_RATE_LIMIT", "10 per hour"),
        # Mail (password resets): production needs MAIL_SERVER; development prints the mail.
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "587")),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "true").lower() == "true",
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "webmaster@localhost"),
        "PASSWORD_RESET_MAX_AGE": int(os.environ.get("PASSWORD_RESET_MAX_AGE", "3600")),
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
