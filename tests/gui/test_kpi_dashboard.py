"""系统 → 主数据 KPI (ui.kpi_dashboard) on SQLite and PostgreSQL: the window opens with the
figures of the hand-made requests of tests.integration.test_kpi in its table and charts, a bad
month is said in red with the typing kept, the XLSX export holds the same figures, the PDF is
one; the menu entry opens it for whoever may display."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.ui.kpi_dashboard import KpiDashboard, recent_months
from custmd_gui.ui.main import MainWindow
from tests.integration.test_kpi import AUDITOR, seed

WAIT_MS = 30_000


@pytest.fixture
def dashboard(
    qtbot: QtBot, engine: Engine, uow_factory: UnitOfWorkFactory
) -> Iterator[KpiDashboard]:
    seed(engine)
    window = KpiDashboard(uow_factory, AUDITOR, period=("2026-03", "2026-04"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    settle(window)
    yield window


def settle(window: KpiDashboard) -> None:
    """Until the window's reading in its worker thread has reported."""
    assert window.operation is not None
    window.operation.wait()


def cells(window: KpiDashboard) -> list[list[str]]:
    table = window.table
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_the_window_shows_the_figures(dashboard: KpiDashboard) -> None:
    table = dashboard.table
    headings = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headings[:8] == [
        "月份",
        "分公司",
        "首次提交数",
        "首次提交即完整率",
        "批准数",
        "一次通过率",
        "生效数",
        "提交→生效中位数（小时）",
    ]
    rows = cells(dashboard)
    assert [r[:2] for r in rows] == [
        ["2026-03", "1038"],
        ["2026-03", "2045"],
        ["2026-03", "（合计）"],
        ["2026-04", "2045"],
        ["2026-04", "（合计）"],
        ["2026-03..2026-04", "（合计）"],
    ]
    assert rows[0][2:10] == ["2", "50.0%", "3", "66.7%", "3", "22.0", "33.2", "2.0"]
    assert rows[2][5] == "75.0%"  # March: 3 of 4 approved without return
    assert rows[3][5] == "–"  # nothing approved in April
    assert dashboard.summary.text() == "2 个月：首次提交 4 个申请，批准 4 个，生效 4 个"
    assert dashboard.share_chart.categories == ["2026-03", "2026-04"]
    assert dashboard.share_chart.series[0] == ("一次通过率", [0.75, None])
    assert dashboard.lead_chart.series[0] == ("中位数", [24.0, None])
    assert not dashboard.error.isVisible()


def test_a_bad_month_is_said_and_kept(dashboard: KpiDashboard) -> None:
    before = cells(dashboard)
    dashboard.from_edit.setText("2026-3x")
    dashboard.refresh_button.click()
    settle(dashboard)
    assert dashboard.error.isVisible()
    assert "月份格式应为 YYYY-MM：2026-3x" in dashboard.error.text()
    assert dashboard.from_edit.text() == "2026-3x"
    assert cells(dashboard) == before


def test_company_codes_and_exports(dashboard: KpiDashboard, tmp_path: Path) -> None:
    dashboard.by_combo.setCurrentIndex(1)
    settle(dashboard)
    assert dashboard.table.horizontalHeaderItem(1).text() == "公司代码"
    assert [r[1] for r in cells(dashboard)][:3] == ["（无）", "F011", "（合计）"]
    xlsx = tmp_path / "kpi.xlsx"
    dashboard.export_xlsx(xlsx)
    sheet = load_workbook(xlsx).active
    assert sheet is not None
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][:3] == ["月份", "公司代码", "首次提交数"]
    assert values[2][:7] == ["2026-03", "F011", 0, None, 1, 1.0, 1]
    assert sheet.cell(row=4, column=6).number_format == "0.0%"
    pdf = tmp_path / "kpi.pdf"
    dashboard.export_pdf(pdf)
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_recent_months_wrap_the_year() -> None:
    from datetime import UTC, datetime

    assert recent_months(3, datetime(2026, 2, 10, tzinfo=UTC)) == ("2025-12", "2026-02")
    # 2026-03-31 20:00 UTC is April 1st in China
    assert recent_months(1, datetime(2026, 3, 31, 20, tzinfo=UTC)) == ("2026-04", "2026-04")


def test_the_menu_entry_opens_it(qtbot: QtBot, db_url: str) -> None:
    window = MainWindow(db_url, actor=AUDITOR)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.database_state == "ready", timeout=WAIT_MS)
    try:
        assert window.kpi_action.text() == "主数据 KPI(&K)…"
        assert window.kpi_action in window.system_menu.actions()
        assert window.kpi_action.isEnabled()
        window.kpi_action.trigger()
        found = window.findChild(KpiDashboard, "kpi_dashboard")
        assert found is not None and found.isVisible()
        assert found.actor == AUDITOR
        settle(found)
        assert found.report is not None
        found.close()
    finally:
        window.dispose()


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_the_english_ui_shows_the_dashboard_and_the_work_list_in_english(
    qtbot: QtBot, engine: Engine, uow_factory: UnitOfWorkFactory
) -> None:
    """The dashboard's and the work list's labels come from the .ts/.qm files: Chinese by
    default, the English sources in the English UI (not a word of Chinese there)."""
    from PySide6.QtWidgets import QAbstractButton, QLabel

    from custmd_gui.ui import i18n
    from custmd_gui.ui.requests.work_list import RequestWorkList
    from tests.integration.test_requests import ASSISTANT

    seed(engine)
    i18n.set_language("en")
    try:
        window = KpiDashboard(uow_factory, AUDITOR, period=("2026-03", "2026-04"))
        qtbot.addWidget(window)
        window.show()
        settle(window)
        work = RequestWorkList(uow_factory, ASSISTANT)
        qtbot.addWidget(work)
        work.show()
        qtbot.waitUntil(lambda: work.operation is not None and not work.operation.running)
        texts = [window.windowTitle(), work.windowTitle()]
        for shown in (window, work):
            texts += [w.text() for w in shown.findChildren(QLabel) if w.isVisible()]
            texts += [b.text() for b in shown.findChildren(QAbstractButton) if b.isVisible()]
        texts += [window.by_combo.itemText(i) for i in range(window.by_combo.count())]
        texts += [work.tabs.tabText(i) for i in range(work.tabs.count())]
        header = work.table.horizontalHeaderItem
        texts += [header(c).text() for c in range(work.table.columnCount())]
        assert [t for t in texts if _cjk(t)] == []
        assert window.windowTitle() == "Master data KPIs"
        assert window.refresh_button.text() == "&Refresh"
        assert window.summary.text().startswith("2 months: 4 requests first submitted")
        assert work.tabs.tabText(0).startswith("My requests (")
        assert work.correct_button.text() == "Correct (&M)…"
    finally:
        i18n.set_language("zh")
    # and Chinese again, from the same .qm
    again = RequestWorkList(uow_factory, ASSISTANT)
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.operation is not None and not again.operation.running)
    assert again.windowTitle() == "维护申请" and again.correct_button.text() == "修改(&M)…"


def test_every_label_of_the_dashboard_and_the_request_screens_is_translated(
    qtbot: QtBot,
) -> None:
    """Each marked English source has its Chinese in the shipped .qm (a key added without
    running translations_build would show English in the Chinese UI)."""
    from PySide6.QtCore import QCoreApplication

    from custmd_gui.ui import kpi_dashboard
    from custmd_gui.ui.requests import texts

    for context, table in ((kpi_dashboard.CONTEXT, kpi_dashboard.T), (texts.CONTEXT, texts.T)):
        untranslated = [
            key
            for key, source in table.items()
            if QCoreApplication.translate(context, source) == source
        ]
        assert untranslated == [], context
