"""The test suite, a package so that its modules import their helpers as `tests.support.*`
(pyproject.toml's `pythonpath = ["."]` puts the repository root on sys.path for a bare `pytest` too)."""
