        # Shared by all workers: redis://host:6379/0 (production refuses to guess).
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI")
        or ("" if production else "memory://"),
