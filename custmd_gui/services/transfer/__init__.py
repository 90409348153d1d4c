"""Data transfer use cases: templates (and later import and export) of customer files."""
