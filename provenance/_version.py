"""The version, apart from everything else: the CLI's `--version` and the User-Agent read it without
importing the library."""

__version__ = "0.2.0"
