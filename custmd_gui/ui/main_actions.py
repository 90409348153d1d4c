"""The main window's actions as one table: the menus, the toolbar, the list's context menu,
the keyboard shortcuts, the icons and the rights that enable them are built from `ACTIONS`;
`by_tcode` finds one by its transaction code (XD01…) for SAP's command field in the toolbar
(ui.command_field), which offers the codes the user may run.

Permissions are the values of domain.authorization.Permission as plain strings: the table is
read before the window shows, when the domain must not be imported yet (ui.startup).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLineEdit, QMenu, QToolBar

from custmd_gui.ui.command_field import CommandField
from custmd_gui.ui.icons import icon
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
    separator_before: bool = False  # in its menu, the toolbar and the list's context menu
    icon: str = ""  # a key of ui.icons.ICONS; "" for none
    toolbar: bool = False  # also a button of the toolbar, after the command field


ACTIONS: tuple[MenuAction, ...] = (
    MenuAction(
        "settings_action",
        "file",
        "menu.settings",
        lambda w: w.show_settings(),
        shortcut="Ctrl+,",
        role=QAction.MenuRole.PreferencesRole,
        icon="settings",
    ),
    # Offline laptops (issue 19): a replica of the shared server, and its sync (ui.offline).
    MenuAction(
        "offline_action",
        "file",
        "menu.offline",
        lambda w: _offline(w, "checkout"),
        permissions=("display",),
        needs_user=True,
        separator_before=True,
        icon="offline",
    ),
    MenuAction(
        "sync_action",
        "file",
        "menu.sync",
        lambda w: _offline(w, "sync"),
        permissions=("display",),
        needs_user=True,
        icon="sync",
    ),
    MenuAction(
        "exit_action",
        "file",
        "menu.exit",
        lambda w: w.close(),
        shortcut="Ctrl+Q",
        role=QAction.MenuRole.QuitRole,
        separator_before=True,
        icon="exit",
    ),
    MenuAction(
        "create_action",
        "customer",
        "menu.create",
        lambda w: w.create_customer(),
        tcode="XD01",
        shortcut="Ctrl+N",
        permissions=("create", "extend"),
        icon="create",
        toolbar=True,
    ),
    MenuAction(
        "display_action",
        "customer",
        "menu.display",
        lambda w: w.display_current_row_keys(),
        tcode="XD03",
        shortcut="Ctrl+D",
        permissions=("display",),
        icon="display",
        toolbar=True,
    ),
    MenuAction(
        "change_action",
        "customer",
        "menu.change",
        lambda w: w.change_current_row(),
        tcode="XD02",
        shortcut="Ctrl+E",
        permissions=CHANGE,
        icon="change",
        toolbar=True,
    ),
    MenuAction(
        "change_documents_action",
        "customer",
        "menu.change_documents",
        lambda w: w.change_documents(),
        tcode="XD04",
        shortcut="Ctrl+H",
        permissions=("display",),
        icon="change_documents",
        toolbar=True,
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
        icon="block",
        toolbar=True,
    ),
    MenuAction(
        "deletion_flags_action",
        "customer",
        "menu.deletion_flags",
        lambda w: w.flag_customer(),
        tcode="XD06",
        shortcut="Ctrl+L",
        permissions=("flag",),
        icon="deletion_flags",
        toolbar=True,
    ),
    MenuAction(
        "mass_block_action",
        "customer",
        "menu.mass_block",
        lambda w: w.mass_block(),
        shortcut="Ctrl+Shift+B",
        permissions=BLOCK,
        icon="mass_block",
        toolbar=True,
    ),
    MenuAction(
        "export_list_action",
        "customer",
        "menu.export_list",
        lambda w: _export_list(w),
        shortcut="Ctrl+Shift+E",
        permissions=("display",),
        separator_before=True,
        icon="export_list",
        toolbar=True,
    ),
    MenuAction(
        "users_action",
        "system",
        "menu.users",
        lambda w: w.show_admin("users"),
        permissions=("admin",),
        needs_user=True,
        icon="users",
    ),
    MenuAction(
        "archive_action",
        "system",
        "menu.archive",
        lambda w: w.show_admin("archive"),
        permissions=("admin",),
        needs_user=True,
        icon="archive",
    ),
    MenuAction(
        "customizing_action",
        "system",
        "menu.customizing",
        lambda w: w.show_customizing(),
        permissions=("admin",),
        needs_user=True,
        icon="customizing",
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
        icon="import",
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
        icon="usage",
    ),
    MenuAction(
        "delete_customers_action",
        "system",
        "menu.delete_customers",
        lambda w: w.show_deletion(),
        permissions=("delete",),
        needs_user=True,
        icon="delete_customers",
    ),
    # The work list of the maintenance requests (issue 18): my requests and those waiting
    # for me; what each user sees in it the services decide.
    MenuAction(
        "requests_action",
        "customer",
        "menu.requests",
        lambda w: _show_requests(w),
        shortcut="Ctrl+R",
        permissions=("request", "display"),
        needs_user=True,
        separator_before=True,
        icon="requests",
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
        icon="kpi",
    ),
    MenuAction(
        "backup_action",
        "system",
        "menu.backup",
        lambda w: w.show_backup("backup"),
        permissions=("admin",),
        needs_user=True,
        separator_before=True,
        icon="backup",
    ),
    MenuAction(
        "restore_action",
        "system",
        "menu.restore",
        lambda w: w.show_backup("restore"),
        permissions=("admin",),
        needs_user=True,
        icon="restore",
    ),
    # F1 opens the guide here; in the XD01 window F1 is the field's help (ui.wizard_keys).
    MenuAction(
        "user_guide_action",
        "help",
        "menu.user_guide",
        lambda w: _open_help(w, "guide"),
        shortcut="F1",
    ),
    MenuAction("shortcuts_action", "help", "menu.shortcuts", lambda w: _open_help(w, "shortcuts")),
    MenuAction(
        "about_action",
        "help",
        "menu.about",
        lambda w: w.show_about(),
        role=QAction.MenuRole.AboutRole,
        separator_before=True,
        icon="about",
    ),
    MenuAction("find_action", "", "", lambda w: w.focus_search(), shortcut="Ctrl+F"),
    # SAP's key for its command field.
    MenuAction("command_action", "", "", lambda w: w.focus_command(), shortcut="Ctrl+/"),
)


def _export_list(window: MainWindow) -> None:
    from custmd_gui.ui import list_export  # loads no service before it runs

    list_export.start(window)


def _open_help(window: MainWindow, what: str) -> None:
    from custmd_gui.ui import help_window, shortcuts_dialog  # loaded when first asked for

    if what == "guide":
        help_window.open_user_guide(window)
    else:
        shortcuts_dialog.open_shortcuts(window, ACTIONS, MENUS)


def _offline(window: MainWindow, what: str) -> None:
    from custmd_gui.ui import offline  # loaded when first asked for

    if what == "checkout":
        offline.start_checkout(window)
    else:
        offline.start_sync(window)


def _show_kpi(window: MainWindow) -> None:
    database, actor = window.database, window.actor
    if database is None or actor is None:
        window.statusBar().showMessage(tr_("db.not_ready"))
        return
    from custmd_gui.ui.kpi_dashboard import open_kpi_dashboard  # loaded when it opens

    open_kpi_dashboard(window, database.factory, actor)


def _show_requests(window: MainWindow) -> None:
    database, actor = window.database, window.actor
    if database is None or actor is None:
        window.statusBar().showMessage(tr_("db.not_ready"))
        return
    from custmd_gui.ui.requests.work_list import open_work_list  # loaded when it opens

    open_work_list(window, database.factory, actor)


BY_TCODE: dict[str, MenuAction] = {a.tcode: a for a in ACTIONS if a.tcode}


def by_tcode(tcode: str) -> MenuAction | None:
    """The action of a transaction code as typed ("xd01 " finds XD01), None when unknown."""
    return BY_TCODE.get(tcode.strip().upper())


def build(window: MainWindow) -> tuple[dict[str, QMenu], dict[str, QAction]]:
    """The menus (also window.<key>_menu) and every action (also window.<name>) of the table,
    by key and by name; the shortcuts outside the menus are added to the window. Then the
    toolbar with the command field (window.toolbar, window.command_field) and the list's
    context menu (window.list_menu) from the same actions."""
    menus = {key: window.menuBar().addMenu("") for key in MENUS}
    for key, menu in menus.items():
        setattr(window, f"{key}_menu", menu)
    actions: dict[str, QAction] = {}
    for entry in ACTIONS:
        action = QAction(window)
        action.setObjectName(entry.name)
        if entry.icon:
            action.setIcon(icon(entry.icon))
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
    _build_toolbar(window, actions)
    _build_list_menu(window, actions)
    return menus, actions


def _build_toolbar(window: MainWindow, actions: dict[str, QAction]) -> None:
    """SAP's layout: the command field first, then the buttons of the table's toolbar
    actions (the same QActions as the menus', so they follow the rights)."""
    toolbar = QToolBar(window)
    toolbar.setObjectName("toolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    field = CommandField(toolbar)
    field.addAction(icon("command"), QLineEdit.ActionPosition.LeadingPosition)
    field.entered.connect(lambda code: run_command(window, code))
    toolbar.addWidget(field)
    tools = [entry for entry in ACTIONS if entry.toolbar]
    for entry in tools:
        if entry is tools[0] or entry.separator_before:
            toolbar.addSeparator()
        toolbar.addAction(actions[entry.name])
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
    window.toolbar = toolbar
    window.command_field = field


def _build_list_menu(window: MainWindow, actions: dict[str, QAction]) -> None:
    """Right-click on the list (or the context-menu key): the 客户 menu's actions, on the
    customer under the mouse, which the click made the current one."""
    menu = QMenu(window.table)
    menu.setObjectName("list_menu")
    for entry in ACTIONS:
        if entry.menu == "customer":
            if entry.separator_before:
                menu.addSeparator()
            menu.addAction(actions[entry.name])
    table = window.table
    table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def show(pos: QPoint) -> None:
        menu.popup(table.viewport().mapToGlobal(pos))

    table.customContextMenuRequested.connect(show)
    window.list_menu = menu


def plain_text(text: str) -> str:
    """A menu text without its mnemonic and ellipsis, for a toolbar button ("创建(&C)… (XD01)"
    → "创建 (XD01)"); Qt's own stripping leaves "创建(C)…"."""
    return re.sub(r"\(&\w\)|&(?=\w)|…", "", text).replace("  ", " ").strip()


def retranslate(window: MainWindow) -> None:
    """The menus' and actions' texts (and the toolbar's) in the current language."""
    for key in MENUS:
        window.menus[key].setTitle(tr_(f"menu.{key}"))
    for entry in ACTIONS:
        if entry.text:
            action = window.menu_actions[entry.name]
            action.setText(tr_(entry.text))
            action.setIconText(plain_text(action.text()))
            if entry.shortcut:
                shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                action.setToolTip(f"{action.iconText()}  {shortcut}")
    window.toolbar.setWindowTitle(tr_("toolbar.title"))
    field = window.command_field
    field.setPlaceholderText(tr_("command.placeholder"))
    field.setToolTip(tr_("command.tooltip"))
    # The placeholder uncut in either language, besides the icon and the clear button.
    metrics = field.fontMetrics()
    wide = max(
        metrics.horizontalAdvance(field.placeholderText()), metrics.horizontalAdvance("/nXD02 ") * 2
    )
    field.setFixedWidth(wide + 3 * metrics.height() + 8)


def apply_rights(window: MainWindow, rights: Authorizations | None) -> None:
    """Actions the user may not use are disabled (the services refuse them anyway). With no
    one signed in only the administrator's actions are disabled."""
    actions = window.menu_actions
    if rights is None:
        for entry in ACTIONS:
            if entry.needs_user:
                actions[entry.name].setEnabled(False)
    else:
        from custmd_gui.domain.authorization import Permission

        for entry in ACTIONS:
            if entry.permissions:
                allowed = any(rights.has(Permission(p)) for p in entry.permissions)
                actions[entry.name].setEnabled(allowed)
    # Only a replica is synchronized; ui.offline sets the rest of the offline state.
    database = getattr(window, "database", None)
    if database is None or database.offline is None:
        actions["sync_action"].setEnabled(False)
    # The command field completes the codes the user may run.
    window.command_field.set_codes(
        e.tcode for e in ACTIONS if e.tcode and actions[e.name].isEnabled()
    )


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


def run_command(window: MainWindow, code: str) -> bool:
    """Enter in the command field: run `code`; an unknown code, or one the user may not run,
    is said in the status bar and stays in the field to be corrected."""
    if by_tcode(code) is None:
        window.statusBar().showMessage(tr_("command.unknown").format(code=code))
        return False
    if not trigger(window, code):
        window.statusBar().showMessage(tr_("command.refused").format(code=code))
        return False
    window.command_field.done()
    return True
