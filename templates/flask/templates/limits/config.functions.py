

def check_workers(config: Mapping[str, Any], workers: int) -> None:
    """Refuse per-process rate-limit counts with several server workers (gunicorn.conf.py)."""
    storage = config.get("RATELIMIT_STORAGE_URI") or ""
    if storage.startswith("memory://") and workers > 1:
        raise ConfigError(
            f"RATELIMIT_STORAGE_URI=memory:// with {workers} workers: each worker would count "
            "alone; use redis://host:6379/0 (or one worker)"
        )
