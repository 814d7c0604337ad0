

def test_health_reports_an_unreachable_database(tmp_path: Path) -> None:
    missing = tmp_path / "missing" / "no.sqlite3"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{missing}"})
    response = app.test_client().get("/health")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "unavailable"}
