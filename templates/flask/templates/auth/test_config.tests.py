

@pytest.mark.parametrize("name", ["TRUSTED_HOSTS", "MAIL_SERVER"])
def test_production_refuses_to_start_without_hosts_or_mail(
    production: pytest.MonkeyPatch, name: str
) -> None:
    # Without a mail server the reset links would be printed into the server's log.
    production.delenv(name)
    with pytest.raises(ConfigError, match=name):
        create_app()
