"""The field catalog: every customer-master field once and the screens they live on, loaded from
the YAML files beside this."""

from custmd_gui.catalog.loader import (
    FIELD_TYPES,
    SCREEN_SEGMENTS,
    SEARCH_KINDS,
    VALUE_TYPES,
    Catalog,
    CatalogError,
    FieldDef,
    FieldGroup,
    Screen,
    Text,
    catalog,
    load_catalog,
)

__all__ = [
    "FIELD_TYPES",
    "SCREEN_SEGMENTS",
    "SEARCH_KINDS",
    "VALUE_TYPES",
    "Catalog",
    "CatalogError",
    "FieldDef",
    "FieldGroup",
    "Screen",
    "Text",
    "catalog",
    "load_catalog",
]
