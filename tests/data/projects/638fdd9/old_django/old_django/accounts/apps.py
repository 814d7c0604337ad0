from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "old_django.accounts"
    label = "accounts"
    verbose_name = "Accounts"
