"""Moves values between domain segments and table rows, field by field, via the catalog."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from custmd_gui.catalog import catalog


def row_values(table: str, model: BaseModel) -> dict[str, Any]:
    """Column -> value for the catalog fields of `table` found on `model`."""
    return {fd.column: getattr(model, fd.name) for fd in catalog().table(table)}


def model_values(table: str, row: Any) -> dict[str, Any]:
    """Python name -> value for a domain model, read from a table row."""
    return {fd.name: getattr(row, fd.column) for fd in catalog().table(table)}
