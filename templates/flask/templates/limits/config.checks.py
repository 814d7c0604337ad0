    storage = config.get("RATELIMIT_STORAGE_URI") or ""
    if not storage:
        raise ConfigError(
            "APP_ENV=production needs RATELIMIT_STORAGE_URI: redis://host:6379/0 shares the "
            "rate limits between workers (memory:// only for a single worker)"
        )
    if storage.startswith("memory://"):
        logging.getLogger(__name__).warning(
            "RATELIMIT_STORAGE_URI=memory://: rate limits are counted per worker process"
        )
