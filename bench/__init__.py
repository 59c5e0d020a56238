"""Gza's benchmarks: `make bench` runs every module in this package that defines `run()`, on
generated data, and writes a readable report to var/bench/report.md."""
