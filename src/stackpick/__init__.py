"""stackpick: a cited Flask-or-Django decision and a starter project that works on the first try."""

__version__ = "0.3.0"
