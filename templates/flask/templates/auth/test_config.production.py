    monkeypatch.setenv("TRUSTED_HOSTS", "example.com")
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.com")
