"""帮助 → 用户手册 (F1 in the main window): the user guide shipped with the app, in the UI
language, with its contents on the left and a search field above.

The guide is Markdown (resources/help/guide.zh.md and guide.en.md, packaged with the other
resources), rendered by QTextBrowser.setMarkdown: no web engine. The contents list is made from
the rendered document's headings, so it always matches the text. The search finds as it is
typed (Chinese as well: the document is searched as Unicode text), marks every match and
moves between them with Enter / F3 (next) and Shift+Enter / Shift+F3 (previous), wrapping
around; Esc empties the field, and closes the window when it is empty.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import (
    QColor,
    QImageReader,
    QKeyEvent,
    QKeySequence,
    QShortcut,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextImageFormat,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from custmd_gui.resources import resource_dir
from custmd_gui.ui import i18n
from custmd_gui.ui.qtutils import bring_up

MAX_MARKS = 2000  # matches marked at once; a search for one letter stays quick
BLOCK_ROLE = Qt.ItemDataRole.UserRole  # a contents entry's block number in the document


def guide_path(language: str) -> Path:
    """The guide in `language` ("zh", "en")."""
    return resource_dir() / "help" / f"guide.{language}.md"


class HelpWindow(QWidget):
    """The user guide: contents, text and search."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("user_guide")
        self.language = ""
        self.matches: list[QTextCursor] = []
        self.current = -1

        self.search = QLineEdit(self)
        self.search.setObjectName("guide_search")
        self.search.setClearButtonEnabled(True)
        self.search_label = QLabel(self)
        self.search_label.setBuddy(self.search)
        self.previous_button = QPushButton(self)
        self.next_button = QPushButton(self)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("guide_count")
        bar = QHBoxLayout()
        bar.addWidget(self.search_label)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.previous_button)
        bar.addWidget(self.next_button)
        bar.addWidget(self.count_label)

        self.contents = QTreeWidget(self)
        self.contents.setObjectName("guide_contents")
        self.contents.setHeaderHidden(True)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("guide_text")
        self.browser.setOpenExternalLinks(True)
        splitter = QSplitter(self)
        splitter.addWidget(self.contents)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 870])

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)

        self.search.textChanged.connect(self.find_all)
        self.search.installEventFilter(self)
        self.browser.viewport().installEventFilter(self)  # pictures follow the text's width
        self.next_button.clicked.connect(self.find_next)
        self.previous_button.clicked.connect(self.find_previous)
        self.contents.itemActivated.connect(self._go_to_heading)
        self.contents.itemClicked.connect(self._go_to_heading)
        for key, slot in (
            (QKeySequence.StandardKey.FindNext, self.find_next),
            (QKeySequence.StandardKey.FindPrevious, self.find_previous),
            (QKeySequence.StandardKey.Find, self.focus_search),
        ):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.activated.connect(slot)
        self.retranslate()
        self.resize(1220, 780)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("User guide - custmd"))
        self.search_label.setText(self.tr("&Find:"))
        self.search.setPlaceholderText(self.tr("Search the guide"))
        self.previous_button.setText(self.tr("&Previous"))
        self.next_button.setText(self.tr("&Next"))
        self.show_language(i18n.language())
        self._show_count()

    def changeEvent(self, event: QEvent) -> None:
        # The settings switch the language while the app runs (new translators installed).
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- the guide ---------------------------------------------------------------------------

    def show_language(self, language: str) -> None:
        """Load the guide in `language` unless it is shown already; the search stays."""
        if language == self.language:
            return
        self.language = language
        path = guide_path(language)
        self.browser.setSearchPaths([str(path.parent)])  # the guide's pictures beside it
        self.browser.setMarkdown(path.read_text(encoding="utf-8"))
        self.fit_pictures()
        self._fill_contents()
        self.find_all(self.search.text())

    def pictures(self) -> list[tuple[QTextCursor, QTextImageFormat]]:
        """The pictures of the guide: a cursor selecting each, and its format."""
        found = []
        block = self.browser.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                if fragment.isValid() and fragment.charFormat().isImageFormat():
                    cursor = QTextCursor(self.browser.document())
                    cursor.setPosition(fragment.position())
                    cursor.setPosition(
                        fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor
                    )
                    found.append((cursor, fragment.charFormat().toImageFormat()))
                it += 1
            block = block.next()
        return found

    def fit_pictures(self) -> None:
        """Screenshots are 1366 pixels wide: each is shown at most as wide as the text."""
        room = max(200, self.browser.viewport().width() - 24)
        folder = guide_path(self.language).parent
        for cursor, image in self.pictures():
            natural = QImageReader(str(folder / image.name())).size()
            if natural.isEmpty():
                continue
            width = min(natural.width(), room)
            if round(image.width()) == width:
                continue
            image.setWidth(width)
            image.setHeight(natural.height() * width / natural.width())
            cursor.setCharFormat(image)

    def headings(self) -> list[tuple[int, str, QTextBlock]]:
        """The rendered document's headings: (level, text, block), in order."""
        found = []
        block = self.browser.document().begin()
        while block.isValid():
            level = block.blockFormat().headingLevel()
            if level > 0:
                found.append((level, block.text(), block))
            block = block.next()
        return found

    def _fill_contents(self) -> None:
        self.contents.clear()
        parents: list[tuple[int, QTreeWidgetItem]] = []
        for level, text, block in self.headings():
            while parents and parents[-1][0] >= level:
                parents.pop()
            item = QTreeWidgetItem([text])
            item.setToolTip(0, text)  # a long heading is elided in a narrow contents list
            item.setData(0, BLOCK_ROLE, block.blockNumber())
            if parents:
                parents[-1][1].addChild(item)
            else:
                self.contents.addTopLevelItem(item)
            parents.append((level, item))
        self.contents.expandToDepth(1)

    def _go_to_heading(self, item: QTreeWidgetItem) -> None:
        block = self.browser.document().findBlockByNumber(int(item.data(0, BLOCK_ROLE)))
        self.scroll_to(QTextCursor(block))

    def scroll_to(self, cursor: QTextCursor) -> None:
        """Put `cursor`'s line at the top of the view (a heading opens its section)."""
        self.browser.setTextCursor(cursor)
        layout = self.browser.document().documentLayout()
        top = layout.blockBoundingRect(cursor.block()).top()
        self.browser.verticalScrollBar().setValue(int(top))

    # -- the search --------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def find_all(self, text: str) -> None:
        """Mark every match of `text` and go to the first one."""
        self.matches = []
        self.current = -1
        document = self.browser.document()
        if text:
            cursor = document.find(text, 0)
            while not cursor.isNull() and len(self.matches) < MAX_MARKS:
                self.matches.append(cursor)
                cursor = document.find(text, cursor)
        if self.matches:
            self._select(0)
        else:
            self._mark()

    def find_next(self) -> None:
        if self.matches:
            self._select((self.current + 1) % len(self.matches))

    def find_previous(self) -> None:
        if self.matches:
            self._select((self.current - 1) % len(self.matches))

    def _select(self, index: int) -> None:
        self.current = index
        self._mark()
        match = self.matches[index]
        self.browser.setTextCursor(match)
        self.browser.ensureCursorVisible()

    def _mark(self) -> None:
        marks = []
        for i, match in enumerate(self.matches):
            mark = QTextEdit.ExtraSelection()
            mark.cursor = match
            style = QTextCharFormat()
            style.setBackground(QColor("#ff9632") if i == self.current else QColor("#fff176"))
            mark.format = style
            marks.append(mark)
        self.browser.setExtraSelections(marks)
        self._show_count()

    def _show_count(self) -> None:
        if not self.search.text():
            self.count_label.setText("")
        elif not self.matches:
            self.count_label.setText(self.tr("Not found"))
        else:
            self.count_label.setText(
                self.tr("{current} of {total}").format(
                    current=self.current + 1, total=len(self.matches)
                )
            )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.browser.viewport() and event.type() == QEvent.Type.Resize:
            if self.language:
                self.fit_pictures()
            return False
        if watched is self.search and isinstance(event, QKeyEvent):
            if event.type() == QEvent.Type.KeyPress and event.key() in (
                Qt.Key.Key_Return,
                Qt.Key.Key_Enter,
            ):
                if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                    self.find_previous()
                else:
                    self.find_next()
                return True
            if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
                if self.search.text():
                    self.search.clear()
                else:
                    self.close()
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)


def open_user_guide(parent: QWidget) -> HelpWindow:
    """Show the guide (one window per main window), in the current UI language."""
    window = parent.findChild(HelpWindow, "user_guide")
    if window is None:
        window = HelpWindow(parent)
    window.show_language(i18n.language())
    bring_up(window)
    return window
