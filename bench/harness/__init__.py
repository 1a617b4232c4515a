"""Driving the real service from outside, for the tests and the benchmarks alike: free ports,
`awards serve` and `awards worker` processes, a seeded database, and the candidacy a client
sends over HTTP (draft, upload, submit).

It lives in `bench/` because a benchmark runs as `python bench/<script>.py`, which puts
`bench/` first on `sys.path`: the scripts import `harness` as they import each other. The
tests reach it through pytest's `pythonpath` (pyproject.toml), mypy through `mypy_path`; no
module changes `sys.path`. What only tests use (fixtures, the in-thread SMTP server) stays
in `tests/conftest.py`.
"""
