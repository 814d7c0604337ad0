"""``stackpick serve``: the page, the HTTP API and starter zips (the ``serve`` extra)."""
