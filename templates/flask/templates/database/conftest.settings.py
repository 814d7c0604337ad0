        "SQLALCHEMY_DATABASE_URI": database,
