"""Settings: ``base`` is shared; ``development``, ``test`` and ``production`` build on it."""
