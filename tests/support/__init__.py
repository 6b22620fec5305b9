"""What the tests share that is not a fixture: the fixture files' paths (`paths`), the loopback servers
(`fixture_site`, `fixture_web`, `watch_web`, `fault_server`, `redis_server`), the browser (`browser`, a
pytest plugin) and the fixed values the golden renderer tests render (`reports`). See tests/README.md."""
