"""Data transfer files (template, import, export): the sheets and columns of a customer file,
generated from the field catalog, and how a customer spreads over their rows."""
