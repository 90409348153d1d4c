"""The Qt Designer forms: compiled code current, every catalog field on its screen once."""

from __future__ import annotations

import importlib
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtWidgets import QCheckBox, QLineEdit, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from custmd_gui.catalog import catalog
from custmd_gui.ui.forms_build import FORMS, GENERATED, compile_form

SCREENS = [s.id for s in catalog().data_screens()]
GRID_TABLES = {"KNBK", "KNVI", "KNVP"}
REFERENCE_FIELDS = {"REF_KUNNR", "REF_BUKRS", "REF_VKORG", "REF_VTWEG", "REF_SPART"}
FIELD_NAME = re.compile(r"^(KN[A-Z0-9]{2}_[A-Z0-9]+|REF_[A-Z]+|KNBK|KNVI|KNVP)$")


def _code(path: Path) -> list[str]:
    # The header names the uic version; what matters is the code below it.
    return [
        line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("##")
    ]


@pytest.mark.parametrize("ui", sorted(FORMS.glob("*.ui")), ids=lambda p: p.stem)
def test_generated_code_is_current(ui: Path, tmp_path: Path) -> None:
    fresh = tmp_path / f"ui_{ui.stem}.py"
    compile_form(ui, fresh)
    stored = GENERATED / f"ui_{ui.stem}.py"
    assert stored.exists() and _code(stored) == _code(fresh), (
        f"{stored.name} is stale: run python -m custmd_gui.ui.forms_build"
    )


def _widget_names(ui: Path) -> list[str]:
    root = ET.parse(ui).getroot()
    return [w.get("name", "") for w in root.iter("widget") if FIELD_NAME.match(w.get("name", ""))]


def _expected(screen: str) -> set[str]:
    cat = catalog()
    names = set()
    for f in cat:
        if cat.groups[f.field_group].screen == screen:
            names.add(f.table if f.table in GRID_TABLES else f.object_name)
    return names


@pytest.mark.parametrize("screen", SCREENS)
def test_every_catalog_field_has_one_widget_on_its_screen(screen: str) -> None:
    names = _widget_names(FORMS / f"{screen}.ui")
    assert len(names) == len(set(names)), "a field appears twice"
    assert set(names) == _expected(screen)


def test_initial_screen_has_the_keys_and_the_reference() -> None:
    names = set(_widget_names(FORMS / "initial.ui"))
    keys = {"KNA1_KTOKD", "KNA1_KUNNR", "KNB1_BUKRS", "KNVV_VKORG", "KNVV_VTWEG", "KNVV_SPART"}
    assert names == keys | REFERENCE_FIELDS


def test_every_field_widget_in_the_forms_is_known() -> None:
    keys = {f.object_name for f in catalog()} | REFERENCE_FIELDS | GRID_TABLES
    for ui in FORMS.glob("*.ui"):
        for name in _widget_names(ui):
            assert name in keys, f"{ui.name}: {name} is not in the catalog"


def test_no_block_field_on_a_create_screen() -> None:
    blocks = {f.object_name for f in catalog() if f.field_group == "blocks"}
    for ui in FORMS.glob("*.ui"):
        assert not blocks & set(_widget_names(ui)), ui.name


def _instantiate(qtbot: QtBot, screen: str) -> QWidget:
    module = importlib.import_module(f"custmd_gui.ui.generated.ui_{screen}")
    ui_class = next(getattr(module, n) for n in dir(module) if n.startswith("Ui_"))
    widget = QWidget()
    ui_class().setupUi(widget)
    qtbot.addWidget(widget)
    return widget


@pytest.mark.parametrize("screen", ["initial", *SCREENS])
def test_widgets_fit_the_catalog(qtbot: QtBot, screen: str) -> None:
    widget = _instantiate(qtbot, screen)
    cat = catalog()
    for edit in widget.findChildren(QLineEdit):
        name = edit.objectName()
        if name in REFERENCE_FIELDS:
            continue
        assert edit.maxLength() == cat.field(name.replace("_", "-", 1)).length, name
    for box in widget.findChildren(QCheckBox):
        assert cat.field(box.objectName().replace("_", "-", 1)).type == "FLAG"
    for table in widget.findChildren(QTableWidget):
        headers = [table.horizontalHeaderItem(i).text() for i in range(table.columnCount())]
        assert headers == [f.label.zh for f in cat.table(table.objectName())]


@pytest.mark.parametrize("screen", ["initial", *SCREENS])
def test_tab_order_visits_every_field_top_to_bottom(qtbot: QtBot, screen: str) -> None:
    widget = _instantiate(qtbot, screen)
    widget.resize(1100, 600)
    widget.show()
    qtbot.waitExposed(widget)
    fields = [w for w in widget.findChildren(QWidget) if FIELD_NAME.match(w.objectName())]
    order: list[QWidget] = []
    current = fields[0]
    for _ in range(len(fields) * 4):
        if current in fields and current not in order:
            order.append(current)
        current = current.nextInFocusChain()
    assert {w.objectName() for w in order} == {w.objectName() for w in fields}

    # Reading order: down the left column, then down the right one (columns are group boxes
    # side by side); the chain is a ring, so start at the first field in reading order.
    def place(w: QWidget) -> tuple[int, int]:
        pos = w.mapTo(widget, w.rect().topLeft())
        return (0 if pos.x() < widget.width() // 2 else 1, pos.y())

    places = [place(w) for w in order]
    first = places.index(min(places))
    assert places[first:] + places[:first] == sorted(places), "tab order jumps around"


@pytest.mark.parametrize("screen", ["initial", *SCREENS])
def test_screen_fits_beside_the_step_list_at_1366x768(qtbot: QtBot, screen: str) -> None:
    widget = _instantiate(qtbot, screen)
    hint = widget.minimumSizeHint()
    assert hint.width() <= 1366 - 220 and hint.height() <= 768 - 260, hint


@pytest.mark.parametrize("ui", sorted(FORMS.glob("*.ui")), ids=lambda p: p.stem)
def test_every_form_has_its_typed_module(ui: Path) -> None:
    """custmd_gui.ui.forms names each compiled form's class, so the type checker sees it."""
    from custmd_gui.ui.forms import FORMS as TYPED

    cls = f"Ui_{ET.parse(ui).getroot().findtext('class')}"
    module = importlib.import_module(f"custmd_gui.ui.forms.{ui.stem}")
    assert getattr(module, cls) is TYPED[ui.stem]
    generated = importlib.import_module(f"custmd_gui.ui.generated.ui_{ui.stem}")
    assert TYPED[ui.stem] is getattr(generated, cls)
    assert set(TYPED) == {p.stem for p in FORMS.glob("*.ui")}


def test_every_screen_of_the_catalog_has_its_form() -> None:
    """catalog/screens.yaml names each screen's form class; the forms are exactly those."""
    from custmd_gui.ui.forms import FORMS as TYPED

    forms = {s.id: s.form for s in catalog().screens.values() if s.form}
    assert set(forms) == {p.stem for p in FORMS.glob("*.ui")} == set(TYPED)
    for screen, cls in forms.items():
        assert ET.parse(FORMS / f"{screen}.ui").getroot().findtext("class") == cls, screen
