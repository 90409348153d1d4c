"""The wizard's step list: the initial screen, then the data screens in use under their
segment's heading, the screens with errors marked with the error icon (ui.icons)."""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from custmd_gui.catalog import catalog
from custmd_gui.ui import i18n, icons
from custmd_gui.ui.i18n import QT_TRANSLATE_NOOP
from custmd_gui.wizard.screens import SCREENS

# The translations belong to the window (context CustomerWizard), where they always were.
CONTEXT = "CustomerWizard"
SEGMENT_TITLES: dict[str, str] = {
    "general": QT_TRANSLATE_NOOP("CustomerWizard", "General data"),
    "company_code": QT_TRANSLATE_NOOP("CustomerWizard", "Company code data {code}"),
    "sales_area": QT_TRANSLATE_NOOP("CustomerWizard", "Sales area data {area}"),
}


def screen_title(screen: str) -> str:
    """The data screen's title in the UI language (catalog/screens.yaml); "" for the initial
    screen."""
    found = catalog().screens.get(screen)
    return found.title.get(i18n.language()) if found and found.segment else ""


def segment_title(segment: str, company_code: str, sales_area: str) -> str:
    return QCoreApplication.translate(CONTEXT, SEGMENT_TITLES[segment]).format(
        code=company_code, area=sales_area
    )


class StepList(QListWidget):
    """Chosen with the mouse or the keyboard, a step emits `chosen(screen)`."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("steps")
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setIconSize(QSize(16, 16))
        self.itemActivated.connect(self._item_chosen)
        self.itemClicked.connect(self._item_chosen)

    def _item_chosen(self, item: QListWidgetItem) -> None:
        screen = item.data(Qt.ItemDataRole.UserRole)
        if screen:
            self.chosen.emit(str(screen))

    def show_steps(
        self,
        active: Collection[str],
        current: str,
        errors: Collection[str],
        company_code: str,
        sales_area: str,
    ) -> None:
        self.blockSignals(True)
        self.clear()
        item = QListWidgetItem(QCoreApplication.translate("CustomerWizard", "Initial screen"))
        item.setIcon(icons.blank())
        item.setData(Qt.ItemDataRole.UserRole, "initial")
        self.addItem(item)
        last_segment = ""
        for screen, segment in SCREENS:
            if screen not in active:
                continue
            if segment != last_segment:
                last_segment = segment
                head = QListWidgetItem(segment_title(segment, company_code, sales_area))
                # A heading, not a step: enabled (so not greyed out) but not selectable.
                head.setFlags(Qt.ItemFlag.ItemIsEnabled)
                head.setForeground(self.palette().windowText())
                font = head.font()
                font.setBold(True)
                head.setFont(font)
                self.addItem(head)
            # Every step has an icon, a blank one without errors: the titles stay in line,
            # indented under their heading by the icon's width.
            entry = QListWidgetItem(screen_title(screen))
            entry.setData(Qt.ItemDataRole.UserRole, screen)
            entry.setIcon(icons.blank())
            if screen in errors:
                entry.setIcon(icons.icon("error"))
                entry.setForeground(Qt.GlobalColor.darkRed)
                entry.setToolTip(
                    QCoreApplication.translate("CustomerWizard", "This screen has errors")
                )
            self.addItem(entry)
        for i in range(self.count()):
            if self.item(i).data(Qt.ItemDataRole.UserRole) == current:
                self.setCurrentRow(i)
        self.blockSignals(False)
        self._fit(company_code, sales_area)

    def _fit(self, company_code: str, sales_area: str) -> None:
        """As wide as the longest step in the current language (never cut, never scrolled),
        and at least as wide as the longest one of the Chinese titles."""
        metrics = self.fontMetrics()
        texts = [self.item(i).text() for i in range(self.count())]
        widest = max((metrics.horizontalAdvance(t) for t in texts), default=0)
        bold = self.font()
        bold.setBold(True)
        widest = max(
            widest,
            QFontMetrics(bold).horizontalAdvance(
                segment_title("sales_area", company_code, sales_area)
            ),
        )
        frame = 2 * self.frameWidth() + self.verticalScrollBar().sizeHint().width()
        self.setFixedWidth(max(190, widest + self.iconSize().width() + frame + 20))
