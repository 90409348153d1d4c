"""The main window's actions as one table: the menus, the keyboard shortcuts and the rights
that enable them are built from `ACTIONS`; `by_tcode` finds one by its transaction code (XD01…),
as SAP's command field does.

Permissions are the values of domain.authorization.Permission as plain strings: the table is
read before the window shows, when the domain must not be imported yet (ui.startup).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from custmd_gui.ui.main_texts import tr_

if TYPE_CHECKING:
    from custmd_gui.domain.authorization import Authorizations
    from custmd_gui.ui.main import MainWindow

# The menu bar, left to right: the window's attribute is f"{key}_menu", its text f"menu.{key}".
MENUS = ("file", "customer", "system", "help")

# Any of them lets a user change a customer (domain.authorization.CHANGE_PERMISSIONS).
CHANGE = ("change_general", "change_company_code", "change_sales_area")
BLOCK = ("block", "unblock")


@dataclass(frozen=True)
class MenuAction:
    """One action of the main window."""

    name: str  # the window's attribute and the QAction's object name
    menu: str  # one of MENUS; "" for a keyboard shortcut outside the menus
    text: str  # a key of main_texts.TEXTS; "" for none (a shortcut outside the menus)
    handler: Callable[[MainWindow], object]
    tcode: str = ""  # SAP's transaction code, for the command field
    shortcut: str = ""  # QKeySequence text (portable: "Ctrl" is Cmd on macOS)
    # Enabled when the user holds any of these permissions; () leaves it always enabled.
    permissions: tuple[str, ...] = ()
    # Disabled while no one is signed in (the administrator's batch work); the customer
    # actions stay enabled then and say that the database is not open yet.
    needs_user: bool = False
    role: QAction.MenuRole | None = None  # where macOS moves it (Preferences, Quit, About)
    separator_before: bool = False


ACTIONS: tuple[MenuAction, ...] = (
    MenuAction(
        "settings_action",
        "file",
        "menu.settings",
        lambda w: w.show_settings(),
        shortcut="Ctrl+,",
        role=QAction.MenuRole.PreferencesRole,
    ),
    MenuAction(
        "exit_action",
        "file",
        "menu.exit",
        lambda w: w.close(),
        shortcut="Ctrl+Q",
        role=QAction.MenuRole.QuitRole,
        separator_before=True,
    ),
    MenuAction(
        "create_action",
        "customer",
        "menu.create",
        lambda w: w.create_customer(),
        tcode="XD01",
        shortcut="Ctrl+N",
        permissions=("create", "extend"),
    ),
    MenuAction(
        "display_action",
        "customer",
        "menu.display",
        lambda w: w.display_customer(),
        tcode="XD03",
        shortcut="Ctrl+D",
        permissions=("display",),
    ),
    MenuAction(
        "change_action",
        "customer",
        "menu.change",
        lambda w: w.change_current_row(),
        tcode="XD02",
        shortcut="Ctrl+E",
        permissions=CHANGE,
    ),
    MenuAction(
        "change_documents_action",
        "customer",
        "menu.change_documents",
        lambda w: w.change_documents(),
        tcode="XD04",
        shortcut="Ctrl+H",
        permissions=("display",),
    ),
    MenuAction(
        "block_action",
        "customer",
        "menu.block",
        lambda w: w.block_customer(),
        tcode="XD05",
        shortcut="Ctrl+B",
        permissions=BLOCK,
        separator_before=True,
    ),
    MenuAction(
        "deletion_flags_action",
        "customer",
        "menu.deletion_flags",
        lambda w: w.flag_customer(),
        tcode="XD06",
        shortcut="Ctrl+L",
        permissions=("flag",),
    ),
    MenuAction(
        "mass_block_action",
        "customer",
        "menu.mass_block",
        lambda w: w.mass_block(),
        shortcut="Ctrl+Shift+B",
        permissions=BLOCK,
    ),
    MenuAction(
        "export_list_action",
        "customer",
        "menu.export_list",
        lambda w: _export_list(w),
        shortcut="Ctrl+Shift+E",
        permissions=("display",),
        separator_before=True,
    ),
    MenuAction(
        "users_action",
        "system",
        "menu.users",
        lambda w: w.show_admin("users"),
        permissions=("admin",),
        needs_user=True,
    ),
    MenuAction(
        "archive_action",
        "system",
        "menu.archive",
        lambda w: w.show_admin("archive"),
        permissions=("admin",),
        needs_user=True,
    ),
    # The data conversion: customers from a filled template (`custmd customer import`).
    MenuAction(
        "import_action",
        "system",
        "menu.import",
        lambda w: w.show_import(),
        permissions=("create",),
        needs_user=True,
        separator_before=True,
    ),
    # The register of business and the physical deletion that asks it: batch work of the
    # administrator, not the clerk's daily XD transactions of the 客户 menu.
    MenuAction(
        "usage_action",
        "system",
        "menu.usage",
        lambda w: w.show_usage(),
        permissions=("import_usage",),
        needs_user=True,
        separator_before=True,
    ),
    MenuAction(
        "delete_customers_action",
        "system",
        "menu.delete_customers",
        lambda w: w.show_deletion(),
        permissions=("delete",),
        needs_user=True,
    ),
    # The KPIs of the maintenance requests (issue 18): figures for whoever may display.
    MenuAction(
        "kpi_action",
        "system",
        "menu.kpi",
        lambda w: _show_kpi(w),
        permissions=("display",),
        needs_user=True,
        separator_before=True,
    ),
    MenuAction(
        "backup_action",
        "system",
        "menu.backup",
        lambda w: w.show_backup("backup"),
        permissions=("admin",),
        needs_user=True,
        separator_before=True,
    ),
    MenuAction(
        "restore_action",
        "system",
        "menu.restore",
        lambda w: w.show_backup("restore"),
        permissions=("admin",),
        needs_user=True,
    ),
    MenuAction(
        "about_action",
        "help",
        "menu.about",
        lambda w: w.show_about(),
        role=QAction.MenuRole.AboutRole,
    ),
    MenuAction("find_action", "", "", lambda w: w.focus_search(), shortcut="Ctrl+F"),
)


def _export_list(window: MainWindow) -> None:
    from custmd_gui.ui import list_export  # loads no service before it runs

    list_export.start(window)


def _show_kpi(window: MainWindow) -> None:
    database, actor = window.database, window.actor
    if database is None or actor is None:
        window.statusBar().showMessage(tr_("db.not_ready"))
        return
    from custmd_gui.ui.kpi_dashboard import open_kpi_dashboard  # loaded when it opens

    open_kpi_dashboard(window, database.factory, actor)


BY_TCODE: dict[str, MenuAction] = {a.tcode: a for a in ACTIONS if a.tcode}


def by_tcode(tcode: str) -> MenuAction | None:
    """The action of a transaction code as typed ("xd01 " finds XD01), None when unknown."""
    return BY_TCODE.get(tcode.strip().upper())


def build(window: MainWindow) -> tuple[dict[str, QMenu], dict[str, QAction]]:
    """The menus (also window.<key>_menu) and every action (also window.<name>) of the table,
    by key and by name; the shortcuts outside the menus are added to the window."""
    menus = {key: window.menuBar().addMenu("") for key in MENUS}
    for key, menu in menus.items():
        setattr(window, f"{key}_menu", menu)
    actions: dict[str, QAction] = {}
    for entry in ACTIONS:
        action = QAction(window)
        action.setObjectName(entry.name)
        if entry.shortcut:
            action.setShortcut(QKeySequence(entry.shortcut))
        if entry.role is not None:
            action.setMenuRole(entry.role)
        # The handler takes the window only: triggered's `checked` must not reach a handler
        # such as display_customer(number="").
        action.triggered.connect(lambda *_, handler=entry.handler: handler(window))
        if entry.menu:
            if entry.separator_before:
                menus[entry.menu].addSeparator()
            menus[entry.menu].addAction(action)
        else:
            window.addAction(action)
        setattr(window, entry.name, action)
        actions[entry.name] = action
    return menus, actions


def retranslate(window: MainWindow) -> None:
    """The menus' and actions' texts in the current language."""
    for key in MENUS:
        window.menus[key].setTitle(tr_(f"menu.{key}"))
    for entry in ACTIONS:
        if entry.text:
            window.menu_actions[entry.name].setText(tr_(entry.text))


def apply_rights(window: MainWindow, rights: Authorizations | None) -> None:
    """Actions the user may not use are disabled (the services refuse them anyway). With no
    one signed in only the administrator's actions are disabled."""
    actions = window.menu_actions
    if rights is None:
        for entry in ACTIONS:
            if entry.needs_user:
                actions[entry.name].setEnabled(False)
        return
    from custmd_gui.domain.authorization import Permission

    for entry in ACTIONS:
        if entry.permissions:
            allowed = any(rights.has(Permission(p)) for p in entry.permissions)
            actions[entry.name].setEnabled(allowed)


def trigger(window: MainWindow, tcode: str) -> bool:
    """Run the transaction `tcode` as its menu entry would; False when it is unknown or the
    user may not use it (its action is disabled)."""
    entry = by_tcode(tcode)
    if entry is None:
        return False
    action = window.menu_actions[entry.name]
    if not action.isEnabled():
        return False
    action.trigger()
    return True
