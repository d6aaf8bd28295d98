"""Math engine (placeholder docstring, completed below)."""
