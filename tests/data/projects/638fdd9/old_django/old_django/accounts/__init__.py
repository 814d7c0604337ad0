"""User accounts: the custom user model."""
