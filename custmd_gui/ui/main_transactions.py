"""The transactions the main window opens on its list: XD01 to XD06, the mass block, and the
administrator's windows (users, the usage register, the physical deletion).

Each window is imported when first opened (the start-up imports none of them); each acts as
the signed-in user and reloads the list after a change, keeping its message in the status bar.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Slot

from custmd_gui.ui.main_list import CustomerListWindow
from custmd_gui.ui.main_texts import tr_
from custmd_gui.ui.qtutils import bring_up

if TYPE_CHECKING:
    from custmd_gui.domain.customizing import Customizing
    from custmd_gui.domain.model import Customer
    from custmd_gui.ui.startup import OpenedDatabase
    from custmd_gui.ui.wizard import CustomerWizard


def first_segments(customer: Customer | None) -> tuple[str, str]:
    """The customer's first company code and first sales area ("F011/10/01"), "" for none."""
    if customer is None:
        return "", ""
    company_code = min((c.company_code for c in customer.company_codes), default="")
    sales_area = min((s.segment_key for s in customer.sales_areas), default="")
    return company_code, sales_area


class TransactionsWindow(CustomerListWindow):
    """The list with the transactions on its customers; one wizard window per activity."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        # "create" (XD01), "display" (XD03), "change" (XD02)
        self.wizards: dict[str, CustomerWizard] = {}
        # XD01's window, made before the clerk's first XD01 (prepare_create_wizard).
        self.prepared: CustomerWizard | None = None
        self.table.activated.connect(self._display_current_row)  # Enter or double-click: XD03

    @Slot()
    def show_about(self) -> None:
        """帮助 → 关于: versions, the database in use and a copy button (ui.about)."""
        from custmd_gui.ui.about import open_about

        open_about(self, self.url, demo=bool(getattr(self, "demo", False)))

    @Slot()
    def create_customer(self) -> None:
        """XD01: the create wizard, one window kept for the next customer."""
        wizard = self._wizard_for("create")
        if wizard is not None:
            bring_up(wizard)

    @Slot()
    def display_customer(self, number: str = "") -> None:
        """XD03: the same screens read-only; with a number (Enter on the list, a duplicate
        opened) straight to all its data: as SAP's XD03 with the keys filled in, the
        customer's first company code and sales area (in code order) are taken, so that the
        company-code and sales screens show too, not only the general data."""
        viewer = self._wizard_for("display")
        if viewer is None:
            return
        if number:
            viewer.display(number, *first_segments(viewer.session.read(number)))
        bring_up(viewer)

    @Slot()
    def display_current_row_keys(self) -> None:
        """XD03 from the menu, the toolbar or the command field: the initial screen with the
        customer selected in the list filled in, as XD02 does (Enter on the list displays the
        customer straight away)."""
        viewer = self._wizard_for("display")
        if viewer is None:
            return
        number = self.current_number()
        if number and viewer.keys is None:
            viewer.bindings["initial"].set_values({"KNA1-KUNNR": number})
        bring_up(viewer)

    @Slot(str, str, str)
    def display_customer_segments(self, number: str, company_code: str, sales_area: str) -> None:
        """XD03 for a customer and segments (XD02 refused by an edit lock offers this)."""
        viewer = self._wizard_for("display")
        if viewer is None:
            return
        viewer.display(number, company_code, sales_area)
        bring_up(viewer)

    @Slot()
    def change_customer(self, number: str = "") -> None:
        """XD02: the initial screen (the customer number filled in when given); the edit lock
        is taken when the clerk goes on to the data."""
        editor = self._wizard_for("change")
        if editor is None:
            return
        if number and editor.keys is None:
            editor.bindings["initial"].set_values({"KNA1-KUNNR": number})
        bring_up(editor)

    @Slot()
    def _display_current_row(self) -> None:
        if number := self.current_number():
            self.display_customer(number)

    @Slot()
    def change_current_row(self) -> None:
        """XD02 from the menu: the customer selected in the list filled in."""
        self.change_customer(self.current_number())

    @Slot()
    def change_documents(self, number: str = "") -> None:
        """XD04: the change documents of `number`, else of the customer selected in the list."""
        if self.database is None:
            self.statusBar().showMessage(tr_("db.not_ready"))
            return
        from custmd_gui.ui.change_documents_dialog import open_change_documents

        open_change_documents(
            self, self.database.factory, number or self.current_number(), self.actor
        )

    @Slot()
    def block_customer(self, number: str = "") -> None:
        """XD05: the blocks of `number`, else of the customer selected in the list."""
        self._open_status("block", number)

    @Slot()
    def flag_customer(self, number: str = "") -> None:
        """XD06: the deletion flags of `number`, else of the customer selected in the list."""
        self._open_status("deletion", number)

    def _open_status(self, mode: str, number: str) -> None:
        database = self.database
        if database is None:
            self.statusBar().showMessage(tr_("db.not_ready"))
            return
        from custmd_gui.ui.status_dialog import open_status_dialog

        assert self.actor is not None
        open_status_dialog(
            self,
            database.factory,
            database.customizing,
            self.actor,
            "deletion" if mode == "deletion" else "block",
            number or self.current_number(),
            on_saved=self._saved,
        )

    @Slot()
    def mass_block(self) -> None:
        """Block or unblock the customers selected in the list, in one transaction."""
        database = self.database
        if database is None:
            self.statusBar().showMessage(tr_("db.not_ready"))
            return
        numbers = self._selected_numbers()
        if not numbers:
            self.statusBar().showMessage(tr_("mass.none"))
            return
        from custmd_gui.ui.mass_status_dialog import MassStatusDialog

        assert self.actor is not None
        dialog = MassStatusDialog(database.factory, database.customizing, self.actor, numbers, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.applied.connect(self._say)
        dialog.open()

    # The list reloads from customers_changed (ui.operations); these only say what was done.
    @Slot(str, str)
    def _saved(self, _number: str, message: str) -> None:
        self.statusBar().showMessage(message)

    @Slot(str)
    def _say(self, message: str) -> None:
        self.statusBar().showMessage(message)

    def prepare_create_wizard(self) -> None:
        """Make XD01's window while nobody waits for it (once the list is shown and the
        wizard's modules are imported: MainWindow), so that the first XD01 of a session only
        shows it: made when asked for, its first screen took about as long as the clerk
        notices (benchmarks/xd01_first_screen.py). It stays out of `wizards` and reads no
        proposal until XD01 takes it; a customizing changed meanwhile makes a new one then."""
        database = self.database
        if database is None or self.actor is None or self.prepared is not None:
            return
        if "create" in self.wizards:
            return
        self.prepared = self._new_wizard("create", database, database.customizing, ahead=True)

    def drop_prepared(self) -> None:
        """Let go of the window prepare_create_wizard made (another database, closing)."""
        if self.prepared is not None:
            self.prepared.deleteLater()
            self.prepared = None

    def _take_prepared(self, customizing: Customizing) -> CustomerWizard | None:
        prepared, self.prepared = self.prepared, None
        if prepared is None:
            return None
        if prepared.session.customizing is not customizing:
            prepared.deleteLater()
            return None
        prepared.propose()
        return prepared

    def _new_wizard(
        self,
        kind: str,
        database: OpenedDatabase,
        customizing: Customizing,
        *,
        ahead: bool = False,
    ) -> CustomerWizard:
        from custmd_gui.domain.field_status import Activity
        from custmd_gui.ui.wizard import CustomerWizard

        activity = {"display": Activity.DISPLAY, "change": Activity.CHANGE}.get(
            kind, Activity.CREATE
        )
        assert self.actor is not None  # the database is set with the actor
        wizard = CustomerWizard(
            database.factory, customizing, self.actor, activity=activity, ahead=ahead
        )
        wizard.saved.connect(self._saved)
        wizard.open_customer.connect(self.display_customer)
        wizard.display_requested.connect(self.display_customer_segments)
        return wizard

    def _wizard_for(self, kind: str) -> CustomerWizard | None:
        database = self.database
        if database is None:
            self.statusBar().showMessage(tr_("db.not_ready"))
            return None
        wizard = self.wizards.get(kind)
        customizing = database.customizing
        # The customizing changed (系统 → 定制, or another client): a wizard not on the screen
        # starts again with it; one in use keeps the copy it was opened with.
        if (
            wizard is not None
            and wizard.session.customizing is not customizing
            and not wizard.isVisible()
        ):
            del self.wizards[kind]
            wizard.deleteLater()
            wizard = None
        if wizard is None and kind == "create":
            wizard = self._take_prepared(customizing)
        if wizard is None:
            wizard = self._new_wizard(kind, database, customizing)
        self.wizards[kind] = wizard
        return wizard

    def show_admin(self, page: str) -> None:
        """系统 → 用户管理 / 部门与机构 (administrators only; the services check again)."""
        database = self.database
        if database is None or self.actor is None:
            self.statusBar().showMessage(tr_("db.not_ready"))
            return
        from custmd_gui.ui.admin.dialog import open_admin_dialog

        open_admin_dialog(self, database.factory, self.actor, page)

    def show_customizing(self) -> None:
        """系统 → 定制 (administrators only; the services and the server check again). What is
        saved there, the main window's next screens use at once."""
        database = self.database
        if database is None or self.actor is None:
            self.statusBar().showMessage(tr_("db.not_ready"))
            return
        from custmd_gui.ui.customizing.dialog import open_customizing_dialog

        open_customizing_dialog(
            self, database.factory, self.actor, on_changed=database.customizing_cache.refresh
        )

    @Slot()
    def show_usage(self) -> None:
        """系统 → 导入业务使用记录: import an ERP extract, look up a customer's register."""
        database = self.database
        if database is None or self.actor is None:
            self.statusBar().showMessage(tr_("db.not_ready"))
            return
        from custmd_gui.ui.usage_dialog import open_usage_dialog

        open_usage_dialog(
            self, database.factory, self.actor, on_imported=self.statusBar().showMessage
        )

    @Slot()
    def show_import(self) -> None:
        """系统 → 导入客户: customers from a filled template (ui.import_dialog)."""
        database = self.database
        if database is None or self.actor is None:
            self.statusBar().showMessage(tr_("db.not_ready"))
            return
        from custmd_gui.ui.import_dialog import open_import_dialog

        open_import_dialog(self, database.factory, self.actor)

    @Slot()
    def show_deletion(self) -> None:
        """系统 → 删除客户: the physical deletion run, with the customers selected in the list
        that carry the deletion flag filled in."""
        database = self.database
        if database is None or self.actor is None:
            self.statusBar().showMessage(tr_("db.not_ready"))
            return
        from custmd_gui.ui.deletion_dialog import open_deletion_dialog

        open_deletion_dialog(
            self,
            database.factory,
            self.actor,
            self.selected_flagged(),
            on_deleted=self._say,
        )
