"""帮助 → 快捷键: every key of the main window and of the XD01/XD02/XD03 window, listed from the
tables that make them (ui.main_actions.ACTIONS for the menus and shortcuts, handed in by the
action that opens this; ui.wizard_keys.KEYS for the wizard), so the list says what the keys do
in this version.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from custmd_gui.ui import wizard_keys
from custmd_gui.ui.main_texts import tr_


def key_text(key: str) -> str:
    """A key as the platform writes it (Ctrl is ⌘ on macOS); "A / B" for two keys; a key
    Qt cannot parse ("Enter (in a table cell)") as it is."""
    shown = []
    for part in key.split(" / "):
        native = QKeySequence(part).toString(QKeySequence.SequenceFormat.NativeText)
        shown.append(native or part)
    return " / ".join(shown)


def menu_text(text: str) -> str:
    """A menu entry without its accelerator: "创建…(&C) (XD01)" -> "创建… (XD01)"."""
    if "(&" in text:
        start = text.index("(&")
        end = text.find(")", start)
        if end > 0:
            text = text[:start] + text[end + 1 :]
    return text.replace("&", "").strip()


def accelerator(text: str) -> str:
    """The letter after "&" in a menu title ("文件(&F)" -> "F"), "" for none."""
    at = text.find("&")
    return text[at + 1].upper() if 0 <= at < len(text) - 1 else ""


class Action(Protocol):
    """What the list needs of a row of ui.main_actions.ACTIONS."""

    @property
    def menu(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def shortcut(self) -> str: ...


def main_window_keys(actions: Sequence[Action], menus: Sequence[str]) -> list[tuple[str, str]]:
    """(key, what it does) for the main window: the actions' shortcuts, then the menus'
    Alt keys."""
    rows = []
    for entry in actions:
        if not entry.shortcut:
            continue
        what = tr_(entry.text) if entry.text else tr_("keys.find")
        where = menu_text(tr_(f"menu.{entry.menu}")) if entry.menu else ""
        rows.append((key_text(entry.shortcut), f"{where} → {menu_text(what)}" if where else what))
    for key in menus:
        title = tr_(f"menu.{key}")
        letter = accelerator(title)
        if letter:
            rows.append((key_text(f"Alt+{letter}"), tr_("keys.menu").format(menu=menu_text(title))))
    return rows


def wizard_window_keys() -> list[tuple[str, str]]:
    return [(key_text(entry.key), entry.description()) for entry in wizard_keys.KEYS]


class ShortcutsDialog(QDialog):
    """The keys in two groups, in a tree (key, what it does)."""

    def __init__(
        self, actions: Sequence[Action], menus: Sequence[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("shortcuts_dialog")
        self.setWindowTitle(tr_("keys.title"))
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("shortcuts_tree")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([tr_("keys.key"), tr_("keys.does")])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setStyleSheet("QTreeView::item { padding: 2px 6px; }")
        for title, rows in (
            (tr_("keys.main_window"), main_window_keys(actions, menus)),
            (tr_("keys.wizard"), wizard_window_keys()),
        ):
            group = QTreeWidgetItem([title])
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setFirstColumnSpanned(True)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(group)
            group.setFirstColumnSpanned(True)
            for key, does in rows:
                group.addChild(QTreeWidgetItem([key, does]))
        self.tree.expandAll()
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)
        self.resize(760, 700)

    def rows(self) -> list[tuple[str, str, str]]:
        """(group, key, what it does) as listed (tests)."""
        listed = []
        for g in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(g)
            assert group is not None
            for c in range(group.childCount()):
                child = group.child(c)
                assert child is not None
                listed.append((group.text(0), child.text(0), child.text(1)))
        return listed


def open_shortcuts(
    parent: QWidget, actions: Sequence[Action], menus: Sequence[str]
) -> ShortcutsDialog:
    dialog = ShortcutsDialog(actions, menus, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
