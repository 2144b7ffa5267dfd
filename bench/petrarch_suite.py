"""Thin wrapper: `python bench/petrarch_suite.py [--json OUT]` = `communique bench petrarch-suite`.

Run from the repository root (the default inputs are in ../shared/data)."""

from communique.cli.bench_cmds import petrarch_suite

if __name__ == "__main__":
    petrarch_suite()
