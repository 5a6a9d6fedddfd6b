"""Command-line entry points (``make demo``: :mod:`.demo`)."""
