

def database_for_tests(tmp_path_factory: pytest.TempPathFactory) -> str:
    """TEST_DATABASE_URL, else a SQLite file in a temporary folder (never the development data)."""
    url = os.environ.get("TEST_DATABASE_URL")
    return database_url(url or f"sqlite:///{tmp_path_factory.mktemp('database') / 'test.sqlite3'}")
