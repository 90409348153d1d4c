"""系统 → 主数据 KPI: the master-data KPIs of the maintenance requests (services.kpi) per month
and branch or company code: a bar chart of the shares (completeness and accuracy), a line chart
of the lead time (median and p90 in hours), and the table of every figure (the columns of
`custmd kpi`, services.kpi_table), exported to XLSX (openpyxl) and PDF (QPdfWriter).

It opens on the last three months (China time) and reads them in a worker thread
(ui.operations): the window shows at once, the figures follow (with 100,000 requests some
0.3 to 0.5 s once the process is warm: benchmarks/kpi.py). A month typed wrong is said in red
under the fields, naming the field, the typing kept.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, Qt, Slot
from PySide6.QtGui import (
    QColor,
    QFont,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from custmd_gui.domain.errors import DomainError
from custmd_gui.services.kpi import CHINA, Dimension, KpiReport, kpis
from custmd_gui.services.kpi_table import COLUMNS, Column, table_rows, unit_heading, unit_text
from custmd_gui.ui import i18n
from custmd_gui.ui.i18n import QT_TRANSLATE_NOOP
from custmd_gui.ui.kpi_chart import KpiChart
from custmd_gui.ui.operations import Operation
from custmd_gui.ui.qtutils import bring_up, error_label

if TYPE_CHECKING:
    from custmd_gui.services.context import Actor
    from custmd_gui.services.ports import UowFactory

OBJECT_NAME = "kpi_dashboard"
CONTEXT = "KpiDashboard"
T: dict[str, str] = {
    "title": QT_TRANSLATE_NOOP("KpiDashboard", "Master data KPIs"),
    "from": QT_TRANSLATE_NOOP("KpiDashboard", "&From"),
    "to": QT_TRANSLATE_NOOP("KpiDashboard", "&To"),
    "by": QT_TRANSLATE_NOOP("KpiDashboard", "&By"),
    "by.branch": QT_TRANSLATE_NOOP("KpiDashboard", "Branch"),
    "by.company_code": QT_TRANSLATE_NOOP("KpiDashboard", "Company code"),
    "refresh": QT_TRANSLATE_NOOP("KpiDashboard", "&Refresh"),
    "xlsx": QT_TRANSLATE_NOOP("KpiDashboard", "Export &XLSX…"),
    "pdf": QT_TRANSLATE_NOOP("KpiDashboard", "Export &PDF…"),
    "shares": QT_TRANSLATE_NOOP("KpiDashboard", "Completeness and accuracy per month"),
    "lead": QT_TRANSLATE_NOOP("KpiDashboard", "Submit → active (hours)"),
    "median": QT_TRANSLATE_NOOP("KpiDashboard", "median"),
    "p90": QT_TRANSLATE_NOOP("KpiDashboard", "p90"),
    "summary": QT_TRANSLATE_NOOP(
        "KpiDashboard", "{n} months: {s} requests first submitted, {a} approved, {c} activated"
    ),
    "reading": QT_TRANSLATE_NOOP("KpiDashboard", "Reading {first} to {last}…"),
    "saved": QT_TRANSLATE_NOOP("KpiDashboard", "Exported {path}"),
    "not_saved": QT_TRANSLATE_NOOP("KpiDashboard", "Cannot write {path}: {error}"),
}
SHARE_KEYS = ("share_without_return", "share_right_first_time", "share_changed_30d")


def _t(key: str) -> str:
    return QCoreApplication.translate(CONTEXT, T[key])


def recent_months(count: int = 3, now: datetime | None = None) -> tuple[str, str]:
    """The first and last of the last `count` months, China time."""
    local = (now or datetime.now(UTC)) + CHINA
    year, month = local.year, local.month - (count - 1)
    while month < 1:
        year, month = year - 1, month + 12
    return f"{year:04d}-{month:02d}", f"{local.year:04d}-{local.month:02d}"


def _cell(column: Column, value: object, lang: str) -> str:
    if value is None:
        return "–"
    if column.kind == "share" and isinstance(value, float):
        return f"{value * 100:.1f}%"
    if column.kind == "hours" and isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


class KpiDashboard(QWidget):
    def __init__(
        self,
        uow_factory: UowFactory,
        actor: Actor,
        parent: QWidget | None = None,
        *,
        period: tuple[str, str] | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.factory, self.actor = uow_factory, actor
        self.report: KpiReport | None = None
        self.operation: Operation[KpiReport] | None = None
        self.setObjectName(OBJECT_NAME)
        self.setWindowTitle(_t("title"))
        first, last = period or recent_months()
        self.from_edit = QLineEdit(first, self)
        self.from_edit.setObjectName("kpi_from")
        self.to_edit = QLineEdit(last, self)
        self.to_edit.setObjectName("kpi_to")
        for edit in (self.from_edit, self.to_edit):
            edit.setInputMask("")
            edit.setPlaceholderText("YYYY-MM")
            edit.setMaximumWidth(90)
            edit.returnPressed.connect(self.refresh)
        self.by_combo = QComboBox(self)
        self.by_combo.setObjectName("kpi_by")
        self.by_combo.addItem(_t("by.branch"), Dimension.BRANCH)
        self.by_combo.addItem(_t("by.company_code"), Dimension.COMPANY_CODE)
        self.by_combo.currentIndexChanged.connect(self.refresh)
        self.refresh_button = QPushButton(_t("refresh"), self)
        self.refresh_button.clicked.connect(self.refresh)
        self.xlsx_button = QPushButton(_t("xlsx"), self)
        self.xlsx_button.clicked.connect(self._ask_xlsx)
        self.pdf_button = QPushButton(_t("pdf"), self)
        self.pdf_button.clicked.connect(self._ask_pdf)
        bar = QHBoxLayout()
        for key, widget in (("from", self.from_edit), ("to", self.to_edit), ("by", self.by_combo)):
            label = QLabel(_t(key), self)
            label.setBuddy(widget)
            # a short word's last glyph reaches past its advance ("To"): room so it is not cut
            label.setMinimumWidth(label.sizeHint().width() + 3)
            bar.addWidget(label)
            bar.addWidget(widget)
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)
        bar.addWidget(self.xlsx_button)
        bar.addWidget(self.pdf_button)
        self.error = error_label(self, "kpi_error")
        self.summary = QLabel(self)
        self.summary.setObjectName("kpi_summary")
        self.share_chart = KpiChart("bar", self)
        self.share_chart.setObjectName("kpi_share_chart")
        self.lead_chart = KpiChart("line", self)
        self.lead_chart.setObjectName("kpi_lead_chart")
        charts = QHBoxLayout()
        charts.addWidget(self.share_chart)
        charts.addWidget(self.lead_chart)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("kpi_table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.error)
        layout.addWidget(self.summary)
        layout.addLayout(charts, 2)
        layout.addWidget(self.table, 3)
        self.resize(1100, 720)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Read the KPIs of the months in the fields in a worker thread; a refusal in red,
        the fields kept."""
        dimension = Dimension(self.by_combo.currentData())
        first, last = self.from_edit.text(), self.to_edit.text()
        factory, actor = self.factory, self.actor
        self.summary.setText(_t("reading").format(first=first, last=last))
        self.operation = (
            Operation(self, lambda: kpis(factory, actor, first, last, dimension))
            .on_success(self._read)
            .on_failure(self._refused)
            .run()
        )

    def _read(self, report: KpiReport) -> None:
        self.error.hide()
        self.show_report(report)

    def _refused(self, error: DomainError) -> None:
        self.error.setText("\n".join(p.line(i18n.language()) for p in error.problems))
        self.error.show()
        if self.report is not None:
            self.show_report(self.report)

    def show_report(self, report: KpiReport) -> None:
        lang = i18n.language()
        self.report = report
        totals = report.totals
        months = [t.month for t in totals]
        by_key = {c.key: c for c in COLUMNS}
        self.share_chart.set_data(
            _t("shares"),
            months,
            [
                (by_key[k].heading.get(lang), [by_key[k].value(t) for t in totals])  # type: ignore[misc]
                for k in SHARE_KEYS
            ],
            percent=True,
        )
        self.lead_chart.set_data(
            _t("lead"),
            months,
            [
                (_t("median"), [t.lead_time.median_h for t in totals]),
                (_t("p90"), [t.lead_time.p90_h for t in totals]),
            ],
            percent=False,
        )
        o = report.overall
        self.summary.setText(
            _t("summary").format(n=len(totals), s=o.submitted, a=o.approved, c=o.activated)
        )
        headings = [c.heading.get(lang) for c in COLUMNS]
        headings[1] = unit_heading(report, lang)
        self.table.setHorizontalHeaderLabels(headings)
        rows = table_rows(report)
        self.table.setRowCount(len(rows))
        bold = QFont(self.table.font())
        bold.setBold(True)
        for r, row in enumerate(rows):
            for c, column in enumerate(COLUMNS):
                value = unit_text(row, lang) if column.key == "unit" else column.value(row)
                item = QTableWidgetItem(_cell(column, value, lang))
                if column.kind != "text":
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if row.unit == "*":
                    item.setFont(bold)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()

    # --- export ---------------------------------------------------------------------------

    def _ask_xlsx(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, _t("xlsx"), "kpi.xlsx", "Excel (*.xlsx)")
        if path:
            self._saved(path, self.export_xlsx)

    def _ask_pdf(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, _t("pdf"), "kpi.pdf", "PDF (*.pdf)")
        if path:
            self._saved(path, self.export_pdf)

    def _saved(self, path: str, write: object) -> None:
        try:
            write(Path(path))  # type: ignore[operator]
        except OSError as exc:
            self.error.setText(_t("not_saved").format(path=path, error=exc.strerror or exc))
            self.error.show()
            return
        self.error.hide()
        self.summary.setText(_t("saved").format(path=path))

    def export_xlsx(self, path: Path) -> None:
        """The table as a workbook: shares as percentages, hours with one decimal."""
        from openpyxl import Workbook
        from openpyxl.styles import Font

        assert self.report is not None
        lang = i18n.language()
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "KPI"
        headings = [c.heading.get(lang) for c in COLUMNS]
        headings[1] = unit_heading(self.report, lang)
        sheet.append(headings)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table_rows(self.report):
            sheet.append(
                [unit_text(row, lang) if c.key == "unit" else c.value(row) for c in COLUMNS]
            )
        for i, column in enumerate(COLUMNS, 1):
            fmt = {"share": "0.0%", "hours": "0.0"}.get(column.kind)
            if fmt:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=i, max_col=i):
                    cell.number_format = fmt
        sheet.freeze_panes = "C2"
        book.save(path)

    def export_pdf(self, path: Path) -> None:
        """A landscape A4 page: the title, both charts and the table."""
        assert self.report is not None
        lang = i18n.language()
        writer = QPdfWriter(str(path))
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setPageOrientation(QPageLayout.Orientation.Landscape)
        writer.setPageMargins(QMarginsF(10, 10, 10, 10), QPageLayout.Unit.Millimeter)
        writer.setResolution(150)
        painter = QPainter(writer)
        try:
            page = QRectF(painter.viewport())
            font = QFont(self.font())
            font.setPointSizeF(7)
            painter.setFont(font)
            line = painter.fontMetrics().height() * 1.2
            painter.drawText(
                QRectF(0, 0, page.width(), line * 1.5),
                Qt.AlignmentFlag.AlignLeft,
                f"{_t('title')}  {self.report.first_month} – {self.report.last_month}",
            )
            chart_h = page.height() * 0.38
            half = page.width() / 2
            self.share_chart.render_to(painter, QRectF(0, line * 1.5, half - 10, chart_h))
            self.lead_chart.render_to(painter, QRectF(half + 10, line * 1.5, half - 10, chart_h))
            y = line * 1.5 + chart_h + line
            painter.setPen(QColor("black"))
            width = page.width() / len(COLUMNS)
            headings = [c.heading.get(lang) for c in COLUMNS]
            headings[1] = unit_heading(self.report, lang)
            flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
            for i, heading in enumerate(headings):
                painter.drawText(QRectF(i * width, y, width, line * 3), flags, heading)
            y += line * 3
            for row in table_rows(self.report):
                if y + line > page.height():
                    writer.newPage()
                    y = 0.0
                for i, column in enumerate(COLUMNS):
                    value = unit_text(row, lang) if column.key == "unit" else column.value(row)
                    painter.drawText(
                        QRectF(i * width, y, width - 4, line),
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                        _cell(column, value, lang),
                    )
                y += line
        finally:
            painter.end()


def open_kpi_dashboard(
    parent: QWidget | None, uow_factory: UowFactory, actor: Actor
) -> KpiDashboard:
    """The KPI window (one per main window), shown with the last three months."""
    found = parent.findChild(KpiDashboard, OBJECT_NAME) if parent is not None else None
    if found is None or found.factory is not uow_factory or found.actor != actor:
        found = KpiDashboard(uow_factory, actor, parent)
        found.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    bring_up(found)
    return found
