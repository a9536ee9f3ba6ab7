"""The pure DTCG engine (Format, Color and Resolver modules 2025.10); see DESIGN.md."""
