

def database_for_tests(tmp_path_factory: pytest.TempPathFactory) -> str:
    """TEST_DATABASE_URL, else DATABASE_URL's database with ``_test`` appended; created when missing.

    The tests empty their database: it must never be the development one.
    """
    if url := os.environ.get("TEST_DATABASE_URL"):
        url = database_url(url)
    else:
        development = make_url(database_url(os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL))
        url = development.set(database=f"{development.database}_test").render_as_string(
            hide_password=False
        )
    create_database(url)
    return url


def create_database(url: str) -> None:
    """Create the test database when it does not exist (as pytest-django does)."""
    target = make_url(url)
    server = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": target.database},
            )
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    except OperationalError as error:
        pytest.exit(
            f"cannot create the test database {target.database!r} ({error.orig}): create it "
            "yourself (createdb), or set TEST_DATABASE_URL to a database the tests may empty",
            returncode=1,
        )
    finally:
        server.dispose()
