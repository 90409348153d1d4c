"""The request form (services.request_form) as an A4 PDF: QPdfWriter and QPainter text in a
CJK font (embedded by Qt as a subset, so the Chinese is text a reader can search and copy),
the request number as text and as a QR code, the data in bordered label/value cells as on a
paper form, and the signature boxes of requester, reviewer and approver."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import segno
from PySide6.QtCore import QLineF, QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)

from custmd_gui.services.request_form import FormLine, RequestForm
from custmd_gui.ui.qtutils import CJK_FONTS

DPI = 300
MARGIN_MM = 15
FOOTER_MM = 8
LABEL_MM = 30  # the label cell of a data line
HEADER_LABEL_MM = 22
QR_MM = 24
SIGNATURE_MM = 30
_PAD_MM = 1.2
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_WRAP = int(Qt.TextFlag.TextWordWrap) | _LEFT
_LIGHT = QColor("#E7ECF3")
_LABEL_FILL = QColor("#F4F6F9")
_RULE = QColor("#7A869A")
_LABEL_INK = QColor("#3A4556")
_INK = QColor("black")


def _mm(value: float) -> float:
    return value * DPI / 25.4


def _family() -> str | None:
    installed = set(QFontDatabase.families())
    return next((f for f in CJK_FONTS if f in installed), None)


class _Pages:
    """Where the next block goes; a new page (with its footer) when it does not fit."""

    def __init__(self, writer: QPdfWriter, painter: QPainter, form: RequestForm) -> None:
        self.writer, self.painter, self.form = writer, painter, form
        self.width = float(writer.width())
        self.bottom = float(writer.height()) - _mm(FOOTER_MM)
        self.y = 0.0
        self.page = 1
        family = _family()
        self.families = [family] if family else []

    def font(self, points: float, bold: bool = False) -> QFont:
        font = QFont()
        if self.families:
            font.setFamilies(self.families)
        font.setPointSizeF(points)
        font.setBold(bold)
        return font

    def need(self, height: float) -> None:
        if self.y + height > self.bottom:
            self.footer()
            self.writer.newPage()
            self.page += 1
            self.y = 0.0

    def footer(self) -> None:
        p, labels = self.painter, self.form.labels
        p.setFont(self.font(8))
        p.setPen(QColor("#555555"))
        rect = QRectF(0, float(self.writer.height()) - _mm(5), self.width, _mm(5))
        left = f"{self.form.title}  {labels['number']} {self.form.number}"
        right = f"{labels['printed']} {self.form.printed_at}    " + labels["page"].format(
            n=self.page
        )
        p.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), left)
        p.drawText(rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), right)
        p.setPen(QColor("black"))

    def text_height(self, text: str, width: float, font: QFont) -> float:
        self.painter.setFont(font)
        box = self.painter.boundingRect(QRectF(0, 0, width, 1e6), _WRAP, text)
        return box.height()


def _cell(p: QPainter, rect: QRectF, text: str, fill: QColor | None, ink: QColor) -> None:
    if fill is not None:
        p.fillRect(rect, fill)
    p.setPen(QPen(_RULE, _mm(0.2)))
    p.drawRect(rect)
    p.setPen(ink)
    pad = _mm(_PAD_MM)
    p.drawText(rect.adjusted(pad, pad / 2, -pad, -pad / 2), _WRAP, text)


def _lines(pages: _Pages, lines: Sequence[FormLine], per_row: int, label_mm: float) -> None:
    """Label/value cells, `per_row` pairs a row; a long value wraps and the row grows."""
    p = pages.painter
    label_w = _mm(label_mm)
    pair_w = pages.width / per_row
    value_w = pair_w - label_w
    pad = _mm(_PAD_MM)
    label_font, value_font = pages.font(8.5), pages.font(9.5)
    for start in range(0, len(lines), per_row):
        row = lines[start : start + per_row]
        # A value alone in its row (the reason) takes the whole width.
        widths = [value_w if len(row) > 1 else pages.width - label_w for _ in row]
        height = max(
            max(
                pages.text_height(line.label, label_w - 2 * pad, label_font),
                pages.text_height(line.value, w - 2 * pad, value_font),
            )
            for line, w in zip(row, widths, strict=True)
        )
        height = max(height + pad, _mm(6.5))
        pages.need(height)
        x = 0.0
        for line, w in zip(row, widths, strict=True):
            p.setFont(label_font)
            _cell(p, QRectF(x, pages.y, label_w, height), line.label, _LABEL_FILL, _LABEL_INK)
            p.setFont(value_font)
            _cell(p, QRectF(x + label_w, pages.y, w, height), line.value, None, _INK)
            x += label_w + w
        pages.y += height


def _title(pages: _Pages) -> None:
    p, form = pages.painter, pages.form
    qr = _mm(QR_MM)
    p.setFont(pages.font(17, bold=True))
    p.drawText(
        QRectF(0, 0, pages.width - qr, _mm(12)),
        int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
        form.title,
    )
    p.setFont(pages.font(11))
    p.drawText(
        QRectF(0, _mm(12), pages.width - qr, _mm(8)),
        int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
        f"{form.labels['number']}{form.labels['colon']}{form.number}",
    )
    _qr(p, form.number, QRectF(pages.width - qr, 0, qr, qr))
    p.setFont(pages.font(8))
    p.drawText(
        QRectF(pages.width - qr - _mm(5), qr, qr + _mm(5), _mm(4)),
        int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop),
        form.number,
    )
    pages.y = qr + _mm(6)


def _qr(p: QPainter, text: str, rect: QRectF) -> None:
    """The number as a QR code (segno's module matrix, drawn as black squares)."""
    matrix = segno.make_qr(text, error="m").matrix
    border = 2  # modules of quiet zone: the rect is white around the code
    size = len(matrix) + 2 * border
    module = rect.width() / size
    p.fillRect(rect, QColor("white"))
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                # A hair wider than a module: no white seams between neighbours in a viewer.
                p.fillRect(
                    QRectF(
                        rect.x() + (c + border) * module,
                        rect.y() + (r + border) * module,
                        module * 1.02,
                        module * 1.02,
                    ),
                    QColor("black"),
                )


def _section_title(pages: _Pages, title: str) -> None:
    p = pages.painter
    height = _mm(7)
    pages.need(height + _mm(6.5))  # never a title alone at the foot of a page
    pages.y += _mm(2)
    rect = QRectF(0, pages.y, pages.width, height)
    p.fillRect(rect, _LIGHT)
    p.setPen(QPen(QColor("#7A869A"), _mm(0.2)))
    p.drawRect(rect)
    p.setFont(pages.font(10, bold=True))
    p.setPen(QColor("#1F3864"))
    p.drawText(rect.adjusted(_mm(2), 0, 0, 0), _WRAP, title)
    p.setPen(QColor("black"))
    pages.y += height


def _signatures(pages: _Pages) -> None:
    p, form = pages.painter, pages.form
    labels = form.labels
    height = _mm(SIGNATURE_MM)
    pages.need(height + _mm(6))
    pages.y += _mm(6)
    boxes = form.signatures
    gap = _mm(4)
    width = (pages.width - gap * (len(boxes) - 1)) / len(boxes)
    words = [f"{labels[k]}{labels['colon']}" for k in ("signature", "date")]
    p.setFont(pages.font(9.5))
    # The labels' column as wide as the wider label: "Signature: " is wider than "签名：".
    label_w = max(p.fontMetrics().horizontalAdvance(w) for w in words) + _mm(1)
    left = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    for i, box in enumerate(boxes):
        x = i * (width + gap)
        p.setPen(QPen(QColor("#404040"), _mm(0.3)))
        p.drawRect(QRectF(x, pages.y, width, height))
        head = QRectF(x, pages.y, width, _mm(7))
        p.fillRect(head.adjusted(_mm(0.15), _mm(0.15), -_mm(0.15), 0), _LIGHT)
        p.setFont(pages.font(10, bold=True))
        p.drawText(head, int(Qt.AlignmentFlag.AlignCenter), box.role)
        p.setFont(pages.font(9.5))
        value_x = x + _mm(3) + label_w
        for j, (word, value) in enumerate(zip(words, (box.name, box.at), strict=True)):
            line_y = pages.y + _mm(13 + j * 9)
            p.drawText(QRectF(x + _mm(3), line_y - _mm(5), label_w, _mm(5)), left, word)
            p.drawText(
                QRectF(value_x, line_y - _mm(5), x + width - _mm(3) - value_x, _mm(5)), left, value
            )
            p.setPen(QPen(QColor("#999999"), _mm(0.15)))
            p.drawLine(QLineF(value_x, line_y, x + width - _mm(3), line_y))
            p.setPen(QPen(QColor("#404040"), _mm(0.3)))
    pages.y += height


def write_pdf(form: RequestForm, target: Path) -> None:
    """Write the form to `target` (A4). Needs a QGuiApplication (fonts); OSError when the file
    cannot be written."""
    if QGuiApplication.instance() is None:
        raise RuntimeError("write_pdf needs a QGuiApplication")
    target = Path(target)
    tmp = target.with_name(f".{target.name}.part")
    writer = QPdfWriter(str(tmp))
    writer.setResolution(DPI)
    writer.setTitle(f"{form.title} {form.number}")
    writer.setCreator("custmd")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )
    )
    painter = QPainter()
    if not painter.begin(writer):
        tmp.unlink(missing_ok=True)
        raise OSError(f"cannot write {target}")
    try:
        pages = _Pages(writer, painter, form)
        _title(pages)
        # The number is the title's; the reason takes the whole width.
        header = [line for line in form.header if line.key not in ("number", "reason")]
        _lines(pages, header, 2, HEADER_LABEL_MM)
        _lines(pages, [line for line in form.header if line.key == "reason"], 1, HEADER_LABEL_MM)
        for section in form.sections:
            _section_title(pages, section.title)
            _lines(pages, section.lines, 2, LABEL_MM)
        _signatures(pages)
        pages.footer()
    finally:
        painter.end()
    # Whole or not at all: a reader never finds half a form under the name.
    tmp.replace(target)
