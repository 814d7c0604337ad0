    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memory://")
