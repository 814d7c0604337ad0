        "SQLALCHEMY_DATABASE_URI": database_url(
            os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
        ),
