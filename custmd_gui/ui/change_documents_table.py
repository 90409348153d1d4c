"""XD04's table view: its look, the column widths fitted to what it lists, and a select-all
that takes in the lines the paged model has not made yet."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, Qt, Slot
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from custmd_gui.ui.change_documents_lines import (
    COLUMN_KEYS,
    COLUMNS,
    ChangeDocumentsModel,
    ListLine,
    _tr,
)
from custmd_gui.ui.window_layout import KeptWidths


class DocumentsTable(QTableView):
    def __init__(self, model: ChangeDocumentsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines_model = model
        self.setModel(model)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)
        self.setCornerButtonEnabled(False)
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(40)
        # Columns the user resized are no longer fitted, in later sessions neither.
        self.kept = KeptWidths(header, COLUMN_KEYS, "xd04")

    @property
    def dragged(self) -> set[int]:
        return self.kept.dragged

    @Slot()
    def selectAll(self) -> None:
        # Ctrl+A means every line of the list, as before it was paged, so Ctrl+C copies all.
        self.lines_model.fetch_all()
        super().selectAll()

    def moveCursor(
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        # Ctrl+End goes to the last line of the list, not of the lines made so far.
        if (
            cursorAction == QAbstractItemView.CursorAction.MoveEnd
            and modifiers & Qt.KeyboardModifier.ControlModifier
        ):
            self.lines_model.fetch_all()
        return super().moveCursor(cursorAction, modifiers)

    def fit_samples(self) -> None:
        """Starting widths from samples, until a customer's documents are listed (then
        fit_contents)."""
        metrics = self.horizontalHeader().fontMetrics()
        samples = {
            "when": "2024-01-15 09:30:00",
            "user": "zhangsan",
            "activity": "更改",
            "tcode": "XD02",
            "segment": "一般数据、公司代码 F011、销售范围 F011/10/01",  # a create's summary
            "field": "统一社会信用代码",
            "field_key": "KNVV-VSBED",
            "old": "东宁广告有限公司",
            "request": "0000000001",
        }
        for column, (key, title) in enumerate(COLUMNS):
            if key not in samples or column in self.dragged:
                continue
            width = max(
                metrics.horizontalAdvance(samples[key]), metrics.horizontalAdvance(_tr(title))
            )
            self.kept.resize(column, width + 24)

    def fit_contents(self) -> None:
        """Widths from what the list shows first, its first page (the user may drag them;
        those stay): measuring a long history whole would mean making all its lines, which
        the paged model avoids. The short columns get what their texts need; segment, field
        and the old and new values (a code with a long text) share the rest, the narrower
        taking all it needs first, the wider cut (their tooltips show them whole). A
        create's summary of segments gets only room the others and the comment (last, it
        stretches; its tooltip shows it whole) leave. Done once per
        customer and language: a filter does not make the columns jump."""
        lines = self.lines_model.lines[: self.lines_model.PAGE]
        if not lines:
            return
        # The request column only where a document was written by a request's activation:
        # a customer maintained directly looks as before requests existed.
        request = COLUMN_KEYS.index("request")
        self.setColumnHidden(request, not self.lines_model.has_requests)
        header = self.horizontalHeader()
        metrics, head_metrics = self.fontMetrics(), header.fontMetrics()
        items = [line for line in lines if line.field_key] or lines  # not the summaries

        def need(column: int, rows: Sequence[ListLine]) -> int:
            key, title = COLUMNS[column]
            texts = [metrics.horizontalAdvance(str(getattr(row, key))) for row in rows]
            return max(head_metrics.horizontalAdvance(_tr(title)), *texts) + 24

        shown = self.isVisible()
        room = self.viewport().width() if shown else self.window().width() - 40
        widths: dict[int, int] = {}
        shared: list[int] = []
        for column, key in enumerate(COLUMN_KEYS):
            if self.isColumnHidden(column):
                widths[column] = 0
                continue
            if column in self.dragged:
                widths[column] = header.sectionSize(column)
            elif key in ("segment", "field", "old", "new"):
                shared.append(column)
                continue
            elif column == len(COLUMNS) - 1:  # the comment: its header; it stretches
                widths[column] = head_metrics.horizontalAdvance(_tr(COLUMNS[column][1])) + 24
            else:
                widths[column] = need(column, lines)
            room -= widths[column]
        segment = COLUMN_KEYS.index("segment")
        wanted = {c: need(c, items if c == segment else lines) for c in shared}
        left = sorted(shared, key=lambda c: wanted[c])
        room = max(room, 0)
        while left:
            share = room // len(left)
            if wanted[left[0]] > share:
                for column in left:
                    widths[column] = max(share, 60)
                room = 0
                break
            column = left.pop(0)
            widths[column] = wanted[column]
            room -= wanted[column]
        last = len(COLUMNS) - 1
        if last not in self.dragged:  # the comments shown whole first, where they fit
            room -= max(0, min(need(last, lines) - widths[last], room))
        if segment in shared and room > 0:  # what the new values leave: the summaries
            widths[segment] = max(
                widths[segment], min(need(segment, lines), widths[segment] + room)
            )
        for column in range(len(COLUMNS) - 1):  # the last stretches over the rest
            if column not in self.dragged and not self.isColumnHidden(column):
                self.kept.resize(column, widths[column])
