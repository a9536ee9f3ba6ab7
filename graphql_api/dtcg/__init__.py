"""The pure DTCG engine (Format, Color and Resolver modules 2025.10); see docs/architecture.md."""
