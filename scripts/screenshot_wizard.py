"""Screenshots of every screen of the XD01 wizard in Chinese and English (offscreen, 1366x768).

    python scripts/screenshot_wizard.py [--out screenshots/wizard] [--switch-language]
                                        [--only roles]

Runs on a temporary SQLite database holding the shipped demo customer 东宁广告有限公司
(2110380001). Per language a fresh wizard creates customer 2110380002 of account group 1110 in
company code F011 and sales area F011/10/01 with 2110380001 as reference, and the screens are
filled with its data. Writes NN_<screen>_<lang>.png: the initial screen, every data screen,
the address screen with errors after Ctrl+S (postal code 2000000, no city), the F4 value help
of the region and of the customer search, the duplicate dialog, XD03 of a blocked customer and
the main window's customer list searched for 东宁 in company code F011, XD05, XD06, the
mass block dialog, the usage register import (refused, then a customer's register), the
deletion run (refused, the confirmation, done), XD04 of a customer whose payment terms were
changed and who was blocked (codes with their texts), and the roles tab of 系统 → 用户管理 (a
permission ticked but not saved; the refusal to take admin from the only administering role);
--only roles takes just those. With --switch-language
one wizard is switched from Chinese to English by retranslate() (as a language change at run
time would) instead of a fresh wizard being opened in English. Needs a CJK font (for example
fonts-wqy-microhei) where it runs, or Chinese renders as boxes.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QWidget  # noqa: E402

from custmd_gui.domain import uscc  # noqa: E402
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory  # noqa: E402
from custmd_gui.services.context import Actor  # noqa: E402
from custmd_gui.services.demo import create_demo_customers  # noqa: E402
from custmd_gui.ui import i18n, main  # noqa: E402
from custmd_gui.ui.duplicate_dialog import DuplicateDialog  # noqa: E402
from custmd_gui.ui.qtutils import use_cjk_font  # noqa: E402
from custmd_gui.ui.value_help import ValueHelpDialog  # noqa: E402
from custmd_gui.ui.wizard import CustomerWizard  # noqa: E402

SIZE = (1366, 768)
REFERENCE = "2110380001"  # the demo customer

# The initial screen: keys of the new customer and the demo customer as reference.
INITIAL = {
    "KNA1_KTOKD": "1110",
    "KNA1_KUNNR": "2110380002",  # SD02 rule: 2 + 11 (F011) + 038 (responsibility center) + 0002
    "KNB1_BUKRS": "F011",
    "KNVV_VKORG": "F011",
    "KNVV_VTWEG": "10",
    "KNVV_SPART": "01",
    "REF_KUNNR": REFERENCE,
    "REF_BUKRS": "F011",
    "REF_VKORG": "F011",
    "REF_VTWEG": "10",
    "REF_SPART": "01",
}

# General data of the new customer: a sister company of the demo customer, so that the
# duplicate check finds the demo customer by its similar name.
GENERAL: dict[str, str] = {
    "KNA1-ANRED": "公司",
    "KNA1-NAME1": "东宁广告传媒有限公司",
    "KNA1-NAME2": "Dongning Ad Media Co., Ltd.",
    "KNA1-NAME3": "东宁广告传媒有限公司",
    "KNA1-NAME4": "长宁营业部",
    "KNA1-SORTL": "东宁传媒",
    "KNA1-STRAS": "上海市长宁路262号火炬旅馆5楼",
    "KNA1-PSTLZ": "200050",
    "KNA1-ORT01": "上海",
    "KNA1-LAND1": "CN",
    "KNA1-REGIO": "020",
    "KNA1-SPRAS": "ZH",
    "KNA1-TELF1": "021-62401234",
    "KNA1-TELFX": "021-62401235",
    "KNA1-BEGRU": "4002",
    "KNA1-BRSCH": "0021",
    "KNA1-STCD1": "310105MA1FL3K2X",
    "KNA1-STCD5": "91310105MA1FL3K2X" + uscc.check_character("91310105MA1FL3K2X"),
    "KNA1-STCEG": "CN310105MA1FL3K2X",
    "KNA1-NIELS": "01",
    "KNA1-GFORM": "01",
}

BANK = {
    "bank_country": "CN",
    "bank_key": "F011",
    # A 20-digit account: SAP keeps the digits beyond BANKN's 18 in the reference details.
    "bank_account": "622202100012345678",
    "account_holder": "东宁广告传媒有限公司",
    "reference_details": "90",
}


def build_database(path: Path) -> UnitOfWorkFactory:
    from custmd_gui.persistence.engine import make_engine
    from custmd_gui.services.customizing import upgrade_database

    engine = make_engine(f"sqlite:///{path}")
    upgrade_database(engine)
    factory = UnitOfWorkFactory(engine)
    for failure in create_demo_customers(factory):
        print(f"{failure.file}: {failure.text('zh')}", file=sys.stderr)
    return factory


def settle(app: QApplication, rounds: int = 10) -> None:
    """Let Qt lay out and paint."""
    for _ in range(rounds):
        app.processEvents()
        time.sleep(0.01)


class Shooter:
    """Numbers the screenshots of one language and writes them."""

    def __init__(self, app: QApplication, out: Path, lang: str) -> None:
        self.app = app
        self.out = out
        self.lang = lang
        self.index = 0
        self.written: list[Path] = []

    def shoot(self, widget: QWidget, name: str) -> Path:
        settle(self.app)
        target = self.out / f"{self.index:02d}_{name}_{self.lang}.png"
        self.index += 1
        if not widget.grab().save(str(target)):
            raise SystemExit(f"could not write {target}")
        size = widget.size()
        print(f"{target} ({size.width()}x{size.height()}, title {widget.windowTitle()!r})")
        self.written.append(target)
        return target


@contextmanager
def shown(dialog: QWidget, app: QApplication) -> Iterator[QWidget]:
    """A dialog shown without exec() (which would block), closed afterwards."""
    dialog.show()
    settle(app)
    try:
        yield dialog
    finally:
        dialog.close()
        dialog.deleteLater()
        settle(app, 2)


def fill_screens(wizard: CustomerWizard) -> None:
    """What the user types over the reference's data: the new customer's general data."""
    for screen in wizard.active:
        wizard.binding(screen).set_values(GENERAL)
    # Bank details are not copied from a reference: the new customer's own account.
    wizard.binding("payment").grids["KNBK"].set_rows([BANK])


def fill_initial(wizard: CustomerWizard) -> None:
    page = wizard.pages["initial"]
    for name, value in INITIAL.items():
        edit = page.findChild(QLineEdit, name)
        if edit is None:
            raise SystemExit(f"initial screen has no field {name}")
        edit.setText(value)


def open_wizard(app: QApplication, factory: UnitOfWorkFactory) -> CustomerWizard:
    with factory() as uow:
        customizing = uow.customizing.load()
    wizard = CustomerWizard(factory, customizing, Actor("demo"))
    wizard.show()
    wizard.resize(*SIZE)
    settle(app)
    return wizard


def shoot_language(app: QApplication, wizard: CustomerWizard, lang: str, out: Path) -> list[Path]:
    """Every screen and dialog in `lang`; leaves `wizard` on its initial screen."""
    factory = wizard.factory
    i18n.set_language(lang)
    wizard.retranslate()
    wizard.show_initial()
    if (wizard.width(), wizard.height()) != SIZE:
        print(f"note: window is {wizard.width()}x{wizard.height()}", file=sys.stderr)
    shots = Shooter(app, out, lang)

    fill_initial(wizard)
    shots.shoot(wizard, "initial")
    if not wizard.enter_data():
        problems = "; ".join(p.line(lang) for p in wizard.messages.problems)
        raise SystemExit(f"the initial screen was not accepted: {problems}")
    fill_screens(wizard)
    wizard.session.mark_clean(wizard.collect())
    for screen in wizard.active:
        wizard.show_screen(screen)
        shots.shoot(wizard, screen)

    # Ctrl+S with a wrong postal code and no city: the message panel and the marked fields.
    address = wizard.binding("address")
    address.set_values({"KNA1-PSTLZ": "2000000", "KNA1-ORT01": ""})
    if wizard.save():
        raise SystemExit("the wizard saved a customer without city")
    shots.shoot(wizard, f"{wizard.current_screen()}_errors")
    address.set_values({"KNA1-PSTLZ": GENERAL["KNA1-PSTLZ"], "KNA1-ORT01": GENERAL["KNA1-ORT01"]})
    wizard.show_screen("address")
    wizard.enter()  # clears the marks of the address screen
    settle(app)

    # F4 on the region (a code list) and on a partner number (the customer search).
    wizard.show_screen("address")
    region = wizard.catalog.field("KNA1-REGIO")
    title = wizard.tr("Value help: {field}")
    dialog = ValueHelpDialog(
        title.format(field=region.label.get(lang)),
        wizard.help.entries(region, address),
        current=GENERAL["KNA1-REGIO"],
        parent=wizard,
    )
    with shown(dialog, app):
        shots.shoot(dialog, "value_help_region")
    partner = wizard.catalog.field("KNVP-KUNN2")
    dialog = ValueHelpDialog(
        title.format(field=partner.label.get(lang)),
        current="东宁",
        search=wizard.help.search_customers,
        headers=(wizard.tr("Customer"), wizard.tr("Name"), wizard.tr("City")),
        parent=wizard,
    )
    with shown(dialog, app):
        shots.shoot(dialog, "value_help_customer")

    # The duplicate check's dialog, as Ctrl+S opens it for this customer.
    from custmd_gui.services.duplicates import find_duplicates

    hits = find_duplicates(factory, wizard.build())
    if not hits:
        print("note: the duplicate check found nothing", file=sys.stderr)
    with shown(DuplicateDialog(hits, lang, wizard), app) as duplicates:
        shots.shoot(duplicates, "duplicates")

    wizard.keys = None  # no "unsaved data" question
    wizard.show_initial()
    return shots.written


def shoot_display(app: QApplication, factory: UnitOfWorkFactory, lang: str, out: Path) -> Path:
    """XD03 of a customer with an order block and a posting block: the marks at the top."""
    from custmd_gui.domain.errors import NotFound
    from custmd_gui.domain.field_status import Activity
    from custmd_gui.domain.sap_document import from_document
    from custmd_gui.services.create import create_customer, read_customer

    number = "2110380003"
    try:
        read_customer(factory, number)
    except NotFound:
        document = json.loads((REPO / "resources" / "demo" / "dongning.json").read_text("utf-8"))
        document["KNA1"].update({"KUNNR": number, "AUFSD": "01", "SPERR": "X"})
        for partner in document["KNVV"][0]["KNVP"]:
            partner["KUNN2"] = number
        create_customer(factory, from_document(document), Actor("demo"))
    with factory() as uow:
        customizing = uow.customizing.load()
    viewer = CustomerWizard(factory, customizing, Actor("demo"), activity=Activity.DISPLAY)
    viewer.resize(1366, 768)
    viewer.show()
    settle(app)
    viewer.display(number, "F011", "F011/10/01")
    viewer.show_screen("sales")
    settle(app)
    shots = Shooter(app, out, lang)
    shots.index = 15  # after the XD01 screens
    path = shots.shoot(viewer, "display_blocked")
    close(app, viewer)
    return path


def shoot_change(app: QApplication, factory: UnitOfWorkFactory, lang: str, out: Path) -> list[Path]:
    """XD02: a changed field on the address screen, then the refusal when another user holds
    the edit lock (its message box, shown without exec)."""
    from custmd_gui.domain.field_status import Activity
    from custmd_gui.services.locks import acquire_lock, locked_text, release_lock

    number = "2110380003"  # made by shoot_display
    with factory() as uow:
        customizing = uow.customizing.load()
    editor = CustomerWizard(factory, customizing, Actor("demo"), activity=Activity.CHANGE)
    editor.resize(1366, 768)
    editor.show()
    settle(app)
    shots = Shooter(app, out, lang)
    shots.index = 16
    editor.display(number, "F011", "F011/10/01")
    street = editor.findChild(QLineEdit, "KNA1_STRAS")
    assert street is not None
    street.setText("长宁路 88 号")
    street.setFocus()
    shots.shoot(editor, "change_address")
    editor.keys = None
    editor.show_initial()  # gives the lock back
    other = acquire_lock(factory, number, Actor("lisi"))
    # The refusal's box, as _offer_display shows it, without blocking in exec().
    box = QMessageBox(
        QMessageBox.Icon.Information,
        editor.tr("Customer locked"),
        locked_text(number, other.user).get(lang),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        editor,
    )
    box.setInformativeText(editor.tr("Display the customer instead?"))
    with shown(box, app):
        shots.shoot(box, "change_locked")
    release_lock(factory, other)
    close(app, editor)
    return shots.written


def shoot_list_search(app: QApplication, factory: UnitOfWorkFactory, lang: str, out: Path) -> Path:
    """The main window: the list searched for 东宁 in company code F011 (a blocked one among
    them), the search settled."""
    url = factory.engine.url.render_as_string(hide_password=False)
    window = main.MainWindow(url)
    window.resize(*SIZE)
    window.show()
    deadline = time.monotonic() + 30
    while window.database_state != "ready" and time.monotonic() < deadline:
        settle(app, 1)
    bar = window.search_bar
    bar.text.setText("东宁")
    bar.company_code.setCurrentIndex(max(bar.company_code.findData("F011"), 0))
    bar.flush()
    while (bar.pending or window.searcher.busy) and time.monotonic() < deadline:
        settle(app, 1)
    window.table.setFocus()
    window.table.selectRow(0)
    shots = Shooter(app, out, lang)
    shots.index = 18  # after XD02
    path = shots.shoot(window, "list_search")
    window.dispose()
    window.close()
    window.deleteLater()
    settle(app, 2)
    return path


def shoot_status(app: QApplication, factory: UnitOfWorkFactory, lang: str, out: Path) -> list[Path]:
    """XD05 with blocks chosen (not saved), XD06 with the central flag ticked and the mass
    block dialog for two customers, each with a comment typed."""
    from custmd_gui.services.context import Actor
    from custmd_gui.ui.mass_status_dialog import MassStatusDialog
    from custmd_gui.ui.status_dialog import StatusDialog

    with factory() as uow:
        customizing = uow.customizing.load()
    shots = Shooter(app, out, lang)
    shots.index = 19  # after the list
    actor = Actor("screenshot")
    comment = "客户逾期未付款" if lang == "zh" else "Overdue payments"
    xd05 = StatusDialog(factory, customizing, actor, mode="block")
    with shown(xd05, app):
        xd05.load("2110380001")
        xd05.central_reasons["order"].set_value("01")
        for reasons in xd05.area_reasons.values():
            reasons["delivery"].set_value("03")
        xd05.comment_edit.setText(comment)
        xd05.comment_edit.setFocus()
        shots.shoot(xd05, "xd05_block")
    xd06 = StatusDialog(factory, customizing, actor, mode="deletion")
    with shown(xd06, app):
        xd06.load("2110380001")
        assert xd06.central_deletion is not None
        xd06.central_deletion.setChecked(True)
        xd06.comment_edit.setText(comment)
        xd06.comment_edit.setFocus()
        shots.shoot(xd06, "xd06_deletion_flags")
    mass = MassStatusDialog(factory, customizing, actor, ["2110380001", "2110380002"])
    with shown(mass, app):
        mass.reasons["order"].set_value("01")
        mass.posting_box.setChecked(True)
        mass.comment_edit.setText(comment)
        shots.shoot(mass, "mass_block")
    return shots.written


def shoot_usage_and_deletion(
    app: QApplication, factory: UnitOfWorkFactory, lang: str, out: Path, folder: Path
) -> list[Path]:
    """系统 → 导入业务使用记录: an extract with bad rows (nothing imported), then the register of
    the demo customer after its good rows were imported; 系统 → 删除客户: a refusal (the demo
    customer is not flagged and has business), the confirmation and the summary of deleting
    2110380003 (flagged here; shoot_display creates it again for the next language)."""
    from custmd_gui.services.status import StatusEdit, change_status
    from custmd_gui.ui.deletion_dialog import DeletionDialog
    from custmd_gui.ui.usage_dialog import UsageDialog

    shots = Shooter(app, out, lang)
    shots.index = 22  # after the mass block
    actor = Actor("screenshot")
    extract = folder / "usage_2024-06.csv"
    extract.write_text(
        "KUNNR,BUKRS,VKORG,VTWEG,SPART,DOC_COUNT,LAST_DOC_DATE\n"
        "2110380001,F011,,,,12,2024-05-01\n"
        "2110380001,,F011,10,01,7,2024/4/30\n"
        "2110380009,F011,,,,-5,2024-05-01\n"
        "2110380003,F099,,,,3,2024-13-01\n",
        encoding="utf-8",
    )
    usage = UsageDialog(factory, actor)
    with shown(usage, app):
        usage.file_edit.setText(str(extract))
        usage.run_import()
        shots.shoot(usage, "usage_import_refused")
        usage.accept_box.setChecked(True)
        usage.run_import()
        usage.tabs.setCurrentIndex(1)
        usage.number_edit.setText("2110380001")
        usage.show_register()
        shots.shoot(usage, "usage_register")

    number = "2110380003"  # made by shoot_display
    change_status(factory, [number], [StatusEdit(deletion=True)], actor, "screenshot")
    archive = folder / "archive"
    comment = "重复建档" if lang == "zh" else "Created twice"
    deletion = DeletionDialog(factory, actor, archive_folder=archive)
    # The question is shot on its own (exec() would wait for an answer); the runs get a yes.
    deletion.confirm = lambda _numbers, _folder: True  # type: ignore[method-assign]
    with shown(deletion, app):
        deletion.numbers_edit.setText(f"2110380001, {number}")
        deletion.comment_edit.setText(comment)
        deletion.run()  # refused: 2110380001 is not flagged and has business
        shots.shoot(deletion, "delete_refused")
        deletion.set_numbers([number])
        with shown(deletion.confirmation([number], archive), app) as box:
            shots.shoot(box, "delete_confirm")
        deletion.run()
        shots.shoot(deletion, "delete_done")
    return shots.written


def shoot_change_documents(
    app: QApplication, factory: UnitOfWorkFactory, lang: str, out: Path
) -> Path:
    """XD04 of customer 2110380004: created, its payment terms changed 0001 -> Z030 and its
    shipping conditions 11 -> 20 (XD02), then blocked for orders (01) and postings (XD05)."""
    from custmd_gui.domain.errors import NotFound
    from custmd_gui.domain.sap_document import from_document
    from custmd_gui.services.change import change_customer, open_for_change
    from custmd_gui.services.create import create_customer, read_customer
    from custmd_gui.services.locks import release_lock
    from custmd_gui.services.status import StatusEdit, change_status
    from custmd_gui.ui.change_documents_dialog import ChangeDocumentsDialog

    number = "2110380004"
    try:
        read_customer(factory, number)
    except NotFound:
        document = json.loads((REPO / "resources" / "demo" / "dongning.json").read_text("utf-8"))
        document["KNA1"].update({"KUNNR": number})
        for partner in document["KNVV"][0]["KNVP"]:
            partner["KUNN2"] = number
        create_customer(factory, from_document(document), Actor("zhangsan"))
        lisi = Actor("lisi")
        lock, customer = open_for_change(factory, number, lisi)
        customer.company_codes[0].payment_terms = "Z030"
        customer.sales_areas[0].shipping_conditions = "20"
        change_customer(factory, number, customer, lisi, expected_version=1, lock=lock)
        release_lock(factory, lock)
        edit = StatusEdit(order="01", posting=True)
        change_status(factory, [number], [edit], Actor("wangwu"), "客户逾期未付款")
    shots = Shooter(app, out, lang)
    shots.index = 27  # after the deletion run
    xd04 = ChangeDocumentsDialog(factory)
    with shown(xd04, app):
        xd04.load(number)
        xd04.table.setFocus()
        path = shots.shoot(xd04, "xd04_change_documents")
    return path


def shoot_roles(app: QApplication, factory: UnitOfWorkFactory, lang: str, out: Path) -> list[Path]:
    """系统 → 用户管理 → 角色 at the admin window's own size: a permission ticked for the
    auditor and not saved (the tab marked), then, after 还原, admin unticked for the
    administrator and refused by 保存. Nothing is stored."""
    from PySide6.QtCore import Qt

    from custmd_gui.domain.authorization import Permission
    from custmd_gui.ui.admin.dialog import AdminDialog

    shots = Shooter(app, out, lang)
    shots.index = 28  # after XD04
    dialog = AdminDialog(factory, Actor("screenshot"))
    dialog.reload()
    dialog.tabs.setCurrentWidget(dialog.roles_page)
    page = dialog.roles_page
    columns = [p.value for p in Permission]

    def toggle(role: str, permission: Permission) -> None:
        row, column = [r.code for r in page.roles].index(role), columns.index(permission.value)
        item = page.grid.item(row, column)
        checked = item.checkState() == Qt.CheckState.Checked
        item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)
        page.grid.setCurrentCell(row, column)

    with shown(dialog, app):
        page.grid.setFocus()
        toggle("auditor", Permission.CHANGE_GENERAL)
        page.grid.setCurrentCell(page.grid.currentRow(), page.grid.currentColumn() + 1)
        shots.shoot(dialog, "roles_unsaved")
        page.revert()
        toggle("administrator", Permission.ADMIN)
        page.save()
        shots.shoot(dialog, "roles_refused")
        page.revert()
    return shots.written


def close(app: QApplication, wizard: CustomerWizard) -> None:
    wizard.keys = None
    wizard.close()
    wizard.deleteLater()
    settle(app, 2)


def main_(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "screenshots" / "wizard")
    parser.add_argument(
        "--switch-language",
        action="store_true",
        help="switch one wizard from zh to en instead of opening a new one per language",
    )
    parser.add_argument("--only", choices=["roles"], help="only the shots of the roles tab")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    font = use_cjk_font(app)
    print(f"font: {font or 'Qt default'}")
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        factory = build_database(Path(tmp) / "wizard.sqlite")
        wizard: CustomerWizard | None = None
        for lang in ("zh", "en"):
            if args.only == "roles":
                i18n.set_language(lang)
                written += shoot_roles(app, factory, lang, out)
                continue
            if wizard is None or not args.switch_language:
                if wizard is not None:
                    close(app, wizard)
                i18n.set_language(lang)
                wizard = open_wizard(app, factory)
            written += shoot_language(app, wizard, lang, out)
            written.append(shoot_display(app, factory, lang, out))
            written += shoot_change(app, factory, lang, out)
            written.append(shoot_list_search(app, factory, lang, out))
            written += shoot_status(app, factory, lang, out)
            written += shoot_usage_and_deletion(app, factory, lang, out, Path(tmp))
            written.append(shoot_change_documents(app, factory, lang, out))
            written += shoot_roles(app, factory, lang, out)
        if wizard is not None:
            close(app, wizard)
        factory.engine.dispose()
    print(f"{len(written)} screenshots in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main_())
