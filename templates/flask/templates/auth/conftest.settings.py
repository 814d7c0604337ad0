        "WTF_CSRF_ENABLED": False,
