"""The field catalog: every customer-master field once, loaded from the YAML files beside this."""

from custmd_gui.catalog.loader import (
    FIELD_TYPES,
    SEARCH_KINDS,
    VALUE_TYPES,
    Catalog,
    CatalogError,
    FieldDef,
    FieldGroup,
    Text,
    catalog,
    load_catalog,
)

__all__ = [
    "FIELD_TYPES",
    "SEARCH_KINDS",
    "VALUE_TYPES",
    "Catalog",
    "CatalogError",
    "FieldDef",
    "FieldGroup",
    "Text",
    "catalog",
    "load_catalog",
]
