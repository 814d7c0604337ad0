# Keyed by the client's address (behind proxies: set PROXY_HOPS, see security.py); the
# counts live in RATELIMIT_STORAGE_URI (redis://... shares them between workers).
limiter = Limiter(get_remote_address)
