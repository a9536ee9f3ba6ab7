"""Benchmarks of the design-token server: ``bash bench/run`` (see README.md)."""
