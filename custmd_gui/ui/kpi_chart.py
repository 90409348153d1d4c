"""Bar and line charts drawn with QPainter for the KPI dashboard (ui.kpi_dashboard).

Why not QtCharts: it lives in the PySide6-Addons wheel (175 MB download, 434 MB installed for
6.11.3, of which QtCharts itself is some 3 MB plus QtOpenGLWidgets); importing it and showing a
first chart took 10-30 ms, so the start-up budget would not have decided it, the install size
did. Two simple charts (grouped bars of shares, lines of hours per month) are a paint event.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

COLORS = ("#2f6db5", "#e08a1e", "#3b9a57", "#b5403a", "#7a56b0")
Series = tuple[str, Sequence[float | None]]


def nice_top(value: float) -> float:
    """A round upper end of the value axis (1, 2, 2.5 or 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    power: float = 10.0 ** math.floor(math.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if value <= step * power:
            return step * power
    return 10.0 * power


class KpiChart(QWidget):
    """A titled chart of one value per category (month) and series: bars or lines."""

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind  # "bar" or "line"
        self.title = ""
        self.categories: list[str] = []
        self.series: list[Series] = []
        self.percent = False
        self.setMinimumSize(360, 220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(
        self, title: str, categories: Sequence[str], series: Sequence[Series], *, percent: bool
    ) -> None:
        self.title = title
        self.categories = list(categories)
        self.series = list(series)
        self.percent = percent
        self.update()

    def _label(self, value: float) -> str:
        return f"{value * 100:.0f}%" if self.percent else f"{value:g}"

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            self.render_to(painter, QRectF(self.rect()))
        finally:
            painter.end()

    def render_to(self, painter: QPainter, area: QRectF) -> None:
        """Draw the chart into `area` (the widget, or a page of the PDF export)."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(area, QColor("white"))
        font = QFont(painter.font())
        metrics = QFontMetrics(font, painter.device())
        line = metrics.height()
        bold = QFont(font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(QColor("#222222"))
        painter.drawText(
            QRectF(area.left(), area.top() + 2, area.width(), line),
            Qt.AlignmentFlag.AlignHCenter,
            self.title,
        )
        painter.setFont(font)
        # The legend under the title.
        x = area.left() + 8
        legend_y = area.top() + line + 6
        for i, (name, _values) in enumerate(self.series):
            color = QColor(COLORS[i % len(COLORS)])
            painter.fillRect(QRectF(x, legend_y + line / 4, line / 2, line / 2), color)
            x += line * 0.7
            painter.setPen(QColor("#333333"))
            width = metrics.horizontalAdvance(name)
            painter.drawText(QPointF(x, legend_y + metrics.ascent()), name)
            x += width + line
        values = [v for _, vs in self.series for v in vs if v is not None]
        top = nice_top(max(values, default=0.0))
        axis_w = max(metrics.horizontalAdvance(self._label(top * k / 4)) for k in range(5)) + 8
        plot = QRectF(
            area.left() + axis_w,
            legend_y + line * 1.5,
            area.width() - axis_w - 10,
            area.height() - (legend_y - area.top()) - line * 3.2,
        )
        if plot.width() <= 0 or plot.height() <= 0:
            return
        grid = QPen(QColor("#dddddd"))
        for k in range(5):
            y = plot.bottom() - plot.height() * k / 4
            painter.setPen(grid)
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(QColor("#555555"))
            painter.drawText(
                QRectF(area.left(), y - line / 2, axis_w - 4, line),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                self._label(top * k / 4),
            )
        if not self.categories:
            return
        slot = plot.width() / len(self.categories)
        for i, category in enumerate(self.categories):
            painter.setPen(QColor("#555555"))
            painter.drawText(
                QRectF(plot.left() + i * slot, plot.bottom() + 2, slot, line),
                Qt.AlignmentFlag.AlignHCenter,
                category,
            )

        def y_of(value: float) -> float:
            return plot.bottom() - plot.height() * value / top

        if self.kind == "bar":
            count = max(len(self.series), 1)
            bar = slot * 0.8 / count
            for s, (_name, vs) in enumerate(self.series):
                color = QColor(COLORS[s % len(COLORS)])
                for i, v in enumerate(vs):
                    if v is None:
                        continue
                    left = plot.left() + i * slot + slot * 0.1 + s * bar
                    painter.fillRect(
                        QRectF(left, y_of(v), bar * 0.9, plot.bottom() - y_of(v)), color
                    )
            return
        for s, (_name, vs) in enumerate(self.series):
            pen = QPen(QColor(COLORS[s % len(COLORS)]), 2)
            painter.setPen(pen)
            previous: QPointF | None = None
            for i, v in enumerate(vs):
                if v is None:
                    previous = None
                    continue
                point = QPointF(plot.left() + (i + 0.5) * slot, y_of(v))
                if previous is not None:
                    painter.drawLine(previous, point)
                painter.drawEllipse(point, 3, 3)
                previous = point
