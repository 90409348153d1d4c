"""Translations: the .ts files hold every visible string of the code and the forms, all
translated; the shipped .qm files are compiled from them; the Chinese UI shows no English."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QWidget

from custmd_gui.ui import i18n
from custmd_gui.ui.translations_build import TS, TS_EN, release, update
from custmd_gui.ui.wizard import CustomerWizard
from tests.gui.wizard_steps import EXAMPLE_INITIAL, enter_initial

TS_FILES = [pytest.param(TS, False, "zh_CN", id="zh_CN"), pytest.param(TS_EN, True, "en", id="en")]


def _messages(ts: Path) -> list[tuple[str, str, str]]:
    """(context, source, state) of every message."""
    out = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            state = translation.get("type", "") if translation is not None else "missing"
            out.append((name, message.findtext("source") or "", state))
    return out


@pytest.mark.parametrize(("ts", "plurals_only", "language"), TS_FILES)
def test_ts_file_is_current_and_complete(
    ts: Path, plurals_only: bool, language: str, tmp_path: Path
) -> None:
    fresh = tmp_path / ts.name
    shutil.copyfile(ts, fresh)
    update(fresh, plurals_only=plurals_only, language=language)
    # lupdate adds new strings as unfinished and drops vanished ones: nothing may change.
    assert _messages(fresh) == _messages(ts), "run: python -m custmd_gui.ui.translations_build"
    unfinished = [m for m in _messages(ts) if m[2]]
    assert unfinished == []
    assert len(_messages(ts)) > (2 if plurals_only else 100)


@pytest.mark.parametrize("ts", [TS, TS_EN], ids=["zh_CN", "en"])
def test_qm_file_is_compiled_from_the_ts(ts: Path, tmp_path: Path) -> None:
    fresh = tmp_path / ts.with_suffix(".qm").name
    release(ts, fresh)
    assert fresh.read_bytes() == ts.with_suffix(".qm").read_bytes()


def test_english_plurals(wizard: CustomerWizard) -> None:
    i18n.set_language("en")
    try:
        assert wizard.tr("%n entries", "", 1) != wizard.tr("%n entries", "", 2)
        from custmd_gui.ui.value_help import HelpEntry, ValueHelpDialog

        dialog = ValueHelpDialog("t", [HelpEntry("01", "one")])
        assert dialog.count.text() == "1 entry"
    finally:
        i18n.set_language("zh")


# Words that stay as they are in the Chinese UI: keys, transaction codes, code values.
ALLOWED = {"Ctrl", "PgUp", "PgDown", "Enter", "XD01", "Esc", "F4", "F1", "F3"}


def _english_words(text: str) -> list[str]:
    words = re.findall(r"[A-Za-z][A-Za-z]{2,}", re.sub(r"<[^>]+>|&\w+;", " ", text))
    return [w for w in words if w not in ALLOWED]


def _visible_texts(window: QWidget) -> list[tuple[str, str]]:
    texts = []
    for label in window.findChildren(QLabel):
        if label.isVisible():
            texts.append((label.objectName(), label.text()))
    for button in window.findChildren(QAbstractButton):
        if button.isVisible():
            texts.append((button.objectName(), button.text()))
    for box in window.findChildren(QGroupBox):
        if box.isVisible():
            texts.append((box.objectName(), box.title()))
    return texts


def test_chinese_wizard_shows_no_english(wizard: CustomerWizard) -> None:
    enter_initial(wizard, dict(EXAMPLE_INITIAL))
    seen: list[tuple[str, str]] = [("title", wizard.windowTitle())]
    for screen in ["initial", *wizard.active]:
        if screen == "initial":
            continue
        wizard.show_screen(screen)
        seen += [(f"{screen}:{name}", text) for name, text in _visible_texts(wizard)]
    steps = [wizard.steps.item(i).text() for i in range(wizard.steps.count())]
    seen += [("step", text) for text in steps]
    english = [(name, text) for name, text in seen if _english_words(text)]
    assert english == []
    assert len(seen) > 60


def test_switching_to_english_retranslates_the_forms(wizard: CustomerWizard) -> None:
    i18n.set_language("en")
    try:
        wizard.retranslate()
        enter_initial(wizard, dict(EXAMPLE_INITIAL))
        wizard.show_screen("address")
        boxes = [b.title() for b in wizard.findChildren(QGroupBox) if b.isVisible()]
        assert boxes and all(not re.search(r"[\u4e00-\u9fff]", t) for t in boxes), boxes
        labels = [lbl.text() for lbl in wizard.findChildren(QLabel) if lbl.isVisible()]
        assert any("Name" in t for t in labels)
    finally:
        i18n.set_language("zh")
        wizard.retranslate()
