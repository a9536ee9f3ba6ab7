"""Exporters: small pure functions turning resolved tokens into files (DTCG JSON, …)."""
