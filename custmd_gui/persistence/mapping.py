"""Moves values between domain segments and table rows, field by field, via the catalog."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from custmd_gui.catalog import catalog


def row_values(table: str, model: BaseModel) -> dict[str, Any]:
    """Column -> value for the catalog fields of `table` found on `model`."""
    return {column: getattr(model, name) for name, column, _ in catalog().names(table)}


def model_values(table: str, row: Any) -> dict[str, Any]:
    """Python name -> value for a domain model, read from a table row."""
    return {name: getattr(row, column) for name, column, _ in catalog().names(table)}
