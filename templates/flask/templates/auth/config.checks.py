    if not config.get("TRUSTED_HOSTS"):
        raise ConfigError(
            "APP_ENV=production needs TRUSTED_HOSTS (the site's host names, comma-separated, "
            "e.g. example.com): password-reset links are built from the request's host"
        )
    if not config.get("MAIL_SERVER"):
        raise ConfigError(
            "APP_ENV=production needs MAIL_SERVER (and MAIL_PORT, MAIL_USERNAME, MAIL_PASSWORD, "
            "MAIL_FROM): password resets are mailed; printing mail is for development only"
        )
