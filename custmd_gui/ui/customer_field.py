"""The customer number with its F4 search help, as XD04, XD05/XD06 and the usage register ask
for one customer: the number field (KNA1_KUNNR, ten digits), the F4 button beside it and the
customer's name after them.

What F4 offers is the dialog's choice (a search callable: value_help.customer_search for the
customers the user may see, flagged ones too); the one picked is put into the field, its name
shown, and `chosen` emitted. Enter in the field emits `confirmed`; the key still reaches the
dialog, so a dialog with a default button may let that button do the work instead. The label
in front ("客户(&C)：") stays the dialog's: it lines up with the dialog's other labels; the
dialog makes it the buddy of `edit`.

`pick_customer` is the search help alone, for a field of several numbers (the deletion run).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from custmd_gui.catalog import catalog
from custmd_gui.ui.i18n import QT_TRANSLATE_NOOP
from custmd_gui.ui.length_guard import guard_field
from custmd_gui.ui.value_help import Search, ValueHelpDialog

CONTEXT = "CustomerNumberField"

_TEXTS = {
    "customer": QT_TRANSLATE_NOOP("CustomerNumberField", "Customer"),
    "name": QT_TRANSLATE_NOOP("CustomerNumberField", "Name"),
    "city": QT_TRANSLATE_NOOP("CustomerNumberField", "City"),
    "search": QT_TRANSLATE_NOOP("CustomerNumberField", "Search for a customer (F4)"),
}


def _tr(key: str) -> str:
    return QCoreApplication.translate(CONTEXT, _TEXTS[key])


def pick_customer(
    parent: QWidget,
    search: Search,
    *,
    title: str = "",
    current: str = "",
    search_at_once: bool = False,
) -> tuple[str, str] | None:
    """The customer search help (F4), modal over `parent`'s window: (number, name) of the
    customer picked, None if none was. `title` defaults to 客户; `current` is searched for
    at once and selected; `search_at_once` searches before anything is typed."""
    dialog = ValueHelpDialog(
        title or _tr("customer"),
        current=current,
        search=search,
        headers=(_tr("customer"), _tr("name"), _tr("city")),
        search_at_once=search_at_once,
        parent=parent,
    )
    accepted = dialog.exec()
    parent.window().activateWindow()  # some window systems leave none active after a modal dialog
    number, name = dialog.chosen(), dialog.chosen_text()
    dialog.deleteLater()
    return (number, name) if accepted and number else None


class CustomerNumberField(QWidget):
    """A customer number (F4 searches) and the customer's name."""

    chosen = Signal(str)  # the number of the customer picked with F4, now in the field
    confirmed = Signal(str)  # Enter in the field: the number typed

    def __init__(
        self, search: Search, parent: QWidget | None = None, *, show_name: bool = True
    ) -> None:
        """`search`: the customers F4 offers. Without `show_name` the field is the number
        and its F4 button only (the usage register names no customer)."""
        super().__init__(parent)
        self.search = search
        self._help_title = ""
        self._help_tip = ""
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.edit = QLineEdit(self)
        self.edit.setObjectName("KNA1_KUNNR")
        guard_field(self.edit, catalog().field("KNA1-KUNNR"))
        self.edit.setFixedWidth(self.fontMetrics().horizontalAdvance("0000000000") + 24)
        self.setFocusProxy(self.edit)
        self.f4_button = QToolButton(self)
        self.f4_button.setObjectName("f4_button")
        self.f4_button.setText("…")
        self.f4_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # F4 is the keyboard's way
        self.f4_button.clicked.connect(self.search_customer)
        self.name_label = QLabel(self)
        self.name_label.setObjectName("customer_name")
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.edit)
        layout.addWidget(self.f4_button)
        if show_name:
            layout.addSpacing(8)
            layout.addWidget(self.name_label, 1)
        else:
            self.name_label.hide()

        f4 = QShortcut(QKeySequence(Qt.Key.Key_F4), self.edit)
        f4.setContext(Qt.ShortcutContext.WidgetShortcut)
        f4.activated.connect(self.search_customer)
        self.edit.returnPressed.connect(self._return_pressed)
        self.retranslate()

    # -- texts -------------------------------------------------------------------------------

    def set_help_texts(self, *, title: str = "", tip: str = "") -> None:
        """The dialog's own words for the search help's title and the F4 button's tooltip,
        translated already (the dialog's retranslate passes them again); empty: 客户 and
        搜索客户 (F4)."""
        self._help_title, self._help_tip = title, tip
        self.retranslate()

    def retranslate(self) -> None:
        self.f4_button.setToolTip(self._help_tip or _tr("search"))

    def changeEvent(self, event: QEvent) -> None:
        # The settings dialog installs the other language's translator: follow it.
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- the number --------------------------------------------------------------------------

    def number(self) -> str:
        return self.edit.text().strip()

    def set_number(self, number: str) -> None:
        self.edit.setText(number)

    def set_name(self, name: str) -> None:
        """The customer's name after the number (the dialog's read of the customer has it);
        empty clears it."""
        self.name_label.setText(name)

    # -- slots -------------------------------------------------------------------------------

    @Slot()
    def search_customer(self) -> None:
        """F4 on the customer number: the customer search help."""
        picked = pick_customer(self, self.search, title=self._help_title, current=self.number())
        if picked is None:
            return
        number, name = picked
        self.edit.setText(number)
        self.set_name(name)
        self.chosen.emit(number)

    @Slot()
    def _return_pressed(self) -> None:
        self.confirmed.emit(self.number())
