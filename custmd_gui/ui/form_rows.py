"""Rows of a QFormLayout found by their widget, also where the widget sits in a nested layout
(a line edit with the text of its code beside it, ui/code_texts.py): QFormLayout's own
lookup finds only the widgets placed directly in it."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QWidget


def form_row(layout: QFormLayout, widget: QWidget) -> int:
    """The row of a form layout that holds `widget`, also inside a nested layout (a line edit
    with its text beside it); -1 if none."""
    for row in range(layout.rowCount()):
        for role in (QFormLayout.ItemRole.LabelRole, QFormLayout.ItemRole.FieldRole):
            item = layout.itemAt(row, role)
            if item is None:
                continue
            if item.widget() is widget:
                return row
            inner = item.layout()
            if inner is not None and inner.indexOf(widget) >= 0:
                return row
    return -1
