

def test_production_refuses_rate_limits_without_a_shared_store(
    production: pytest.MonkeyPatch,
) -> None:
    production.delenv("RATELIMIT_STORAGE_URI")
    with pytest.raises(ConfigError, match="RATELIMIT_STORAGE_URI"):
        create_app()


def test_memory_rate_limits_are_refused_with_several_workers() -> None:
    # gunicorn.conf.py runs this with the number of workers gunicorn starts.
    with pytest.raises(ConfigError, match="2 workers"):
        check_workers({"RATELIMIT_STORAGE_URI": "memory://"}, 2)
    check_workers({"RATELIMIT_STORAGE_URI": "memory://"}, 1)
    check_workers({"RATELIMIT_STORAGE_URI": "redis://localhost:6379/0"}, 4)
