"""XD01: create a customer, or extend one to a new company code or sales area.

The initial screen takes the account group, the number, the company code, the sales area and
an optional reference; then a QStackedWidget walks through the screens in XD01 order, with a
step list to jump, a message panel for every problem at once and the keyboard of SAP:
Enter = check and next, F4 = value help, F1 = help, Ctrl+S = save, F3/Esc = back.

Every screen keeps what was typed until the user saves or confirms leaving: checks only mark.
"""

from __future__ import annotations

import functools
import importlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QFontMetrics, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from custmd_gui.catalog import FieldDef, Text, catalog
from custmd_gui.domain import reference as ref
from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.errors import DatabaseBusy, DomainError, Problem, Severity
from custmd_gui.domain.field_status import Activity, FieldStatus
from custmd_gui.domain.model import (
    PARTNER_FUNCTIONS_DEFAULT,
    BankDetail,
    CompanyCodeData,
    Customer,
    GeneralData,
    PartnerFunction,
    SalesAreaData,
    TaxClassification,
)
from custmd_gui.domain.number_range import number_problems
from custmd_gui.domain.validation import Validator, effective_status
from custmd_gui.ui import i18n
from custmd_gui.ui.duplicate_dialog import DuplicateChoice, DuplicateDialog
from custmd_gui.ui.edit_history import EditHistory
from custmd_gui.ui.field_binding import ScreenBinding, Value, set_flag
from custmd_gui.ui.i18n import QT_TRANSLATE_NOOP
from custmd_gui.ui.message_panel import MessagePanel
from custmd_gui.ui.value_help import HelpEntry, ValueHelpDialog, customer_entries

if TYPE_CHECKING:
    from custmd_gui.persistence.unit_of_work import UnitOfWork
    from custmd_gui.services.context import Actor
    from custmd_gui.services.duplicates import DuplicateHit
    from custmd_gui.services.locks import EditLock

UowFactory = Callable[..., "UnitOfWork"]

log = logging.getLogger(__name__)


# (screen, segment, title) in XD01 order.
SCREENS: tuple[tuple[str, str, str], ...] = (
    ("address", "general", QT_TRANSLATE_NOOP("CustomerWizard", "Address")),
    ("control", "general", QT_TRANSLATE_NOOP("CustomerWizard", "Control data")),
    ("payment", "general", QT_TRANSLATE_NOOP("CustomerWizard", "Payment transactions")),
    ("marketing", "general", QT_TRANSLATE_NOOP("CustomerWizard", "Marketing")),
    ("account", "company_code", QT_TRANSLATE_NOOP("CustomerWizard", "Account management")),
    (
        "cc_payment",
        "company_code",
        QT_TRANSLATE_NOOP("CustomerWizard", "Payment transactions (company code)"),
    ),
    ("sales", "sales_area", QT_TRANSLATE_NOOP("CustomerWizard", "Sales")),
    ("shipping", "sales_area", QT_TRANSLATE_NOOP("CustomerWizard", "Shipping")),
    ("billing", "sales_area", QT_TRANSLATE_NOOP("CustomerWizard", "Billing documents")),
    ("partner", "sales_area", QT_TRANSLATE_NOOP("CustomerWizard", "Partner functions")),
)
SEGMENT_TITLES = {
    "general": QT_TRANSLATE_NOOP("CustomerWizard", "General data"),
    "company_code": QT_TRANSLATE_NOOP("CustomerWizard", "Company code data {code}"),
    "sales_area": QT_TRANSLATE_NOOP("CustomerWizard", "Sales area data {area}"),
}
_SCREEN_SEGMENT = {s: seg for s, seg, _ in SCREENS}
_FORM_CLASSES = {
    "initial": "InitialScreen",
    "address": "AddressScreen",
    "control": "ControlScreen",
    "payment": "PaymentScreen",
    "marketing": "MarketingScreen",
    "account": "AccountScreen",
    "cc_payment": "CompanyPaymentScreen",
    "sales": "SalesScreen",
    "shipping": "ShippingScreen",
    "billing": "BillingScreen",
    "partner": "PartnerScreen",
}
_REFERENCE_FIELDS = ("REF_KUNNR", "REF_BUKRS", "REF_VKORG", "REF_VTWEG", "REF_SPART")
# Reference fields borrow the catalog field whose values they take (for F4 and length).
_REFERENCE_AS = {
    "REF_KUNNR": "KNA1-KUNNR",
    "REF_BUKRS": "KNB1-BUKRS",
    "REF_VKORG": "KNVV-VKORG",
    "REF_VTWEG": "KNVV-VTWEG",
    "REF_SPART": "KNVV-SPART",
}

STYLE = """
QLineEdit[required="true"], QTableWidget[required="true"] { background: #fffbe6; }
QLineEdit[display="true"] { background: #f0f0f0; color: #333; }
QLineEdit[error="true"], QTableWidget[error="true"], QCheckBox[error="true"] {
    border: 2px solid #c62828; background: #fdecea; }
"""


def load_form(screen: str) -> tuple[QWidget, Any]:
    """The screen's widget and its generated Ui object (for retranslateUi)."""
    module = importlib.import_module(f"custmd_gui.ui.generated.ui_{screen}")
    ui = getattr(module, f"Ui_{_FORM_CLASSES[screen]}")()
    widget = QWidget()
    widget.setObjectName(f"screen_{screen}")
    ui.setupUi(widget)
    return widget, ui


def _in_cell_editor(widget: QWidget | None) -> bool:
    """True for the editor a grid opens in a cell (not for the grid itself)."""
    if widget is None or isinstance(widget, QTableWidget):
        return False
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QTableWidget):
            return True
        parent = parent.parentWidget()
    return False


@dataclass(frozen=True)
class Keys:
    """What the initial screen decided."""

    account_group: str
    number: str
    company_code: str
    sales_area: tuple[str, str, str] | None
    extending: Customer | None  # the stored customer when the number exists

    @property
    def sales_area_key(self) -> str:
        return "/".join(self.sales_area) if self.sales_area else ""


class CustomerWizard(QMainWindow):
    """The XD01 window. `saved` carries the status message after a successful save."""

    saved = Signal(str, str)  # number, message
    open_customer = Signal(str)  # number the user wants to see (duplicate dialog)
    # XD02 refused by an edit lock, the user chose to display: number, company code, area.
    display_requested = Signal(str, str, str)

    def __init__(
        self,
        uow_factory: UowFactory,
        customizing: Customizing,
        actor: Actor,
        parent: QWidget | None = None,
        *,
        activity: Activity = Activity.CREATE,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("customer_wizard")
        # CREATE: XD01 (create or extend); DISPLAY: XD03, the same screens read-only;
        # CHANGE: XD02, the same screens with the field status of a change, under an edit lock.
        self.activity = activity
        self.factory = uow_factory
        self.customizing = customizing
        self.actor = actor
        self.catalog = catalog()
        self.validator = Validator(customizing, self.catalog)
        self.keys: Keys | None = None
        self.snapshot: dict[str, Any] | None = None
        self.statuses: dict[str, FieldStatus] = {}
        self.active: list[str] = []  # data screens in use for the current keys
        self.error_screens: set[str] = set()
        self.acknowledged: set[tuple[str, str, str]] = set()  # warnings shown once already
        # XD02: the edit lock while a customer is open for change, renewed by lock_timer.
        self.lock: EditLock | None = None
        self.lock_timer = QTimer(self)
        self.lock_timer.timeout.connect(self._renew_lock)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.setStyleSheet(STYLE)

        central = QWidget(self)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(8, 8, 8, 4)
        self.header = QLabel(central)
        self.header.setObjectName("wizard_header")
        self.header.setTextFormat(Qt.TextFormat.RichText)
        outer.addWidget(self.header)

        splitter = QSplitter(Qt.Orientation.Vertical, central)
        top = QWidget(splitter)
        row = QHBoxLayout(top)
        row.setContentsMargins(0, 0, 0, 0)
        self.steps = QListWidget(top)
        self.steps.setObjectName("steps")
        self.steps.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.steps.itemActivated.connect(self._step_chosen)
        self.steps.itemClicked.connect(self._step_chosen)
        row.addWidget(self.steps)
        self.stack = QStackedWidget(top)
        self.stack.setObjectName("screens")
        row.addWidget(self.stack, 1)
        splitter.addWidget(top)
        self.messages = MessagePanel(splitter)
        self.messages.chosen.connect(self.jump_to_problem)
        splitter.addWidget(self.messages)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([560, 110])
        outer.addWidget(splitter, 1)

        buttons = QHBoxLayout()
        self.back_button = QPushButton(central)
        self.back_button.setObjectName("back")
        self.next_button = QPushButton(central)
        self.next_button.setObjectName("next")
        self.save_button = QPushButton(central)
        self.save_button.setObjectName("save")
        for b in (self.back_button, self.next_button, self.save_button):
            b.setAutoDefault(False)
            b.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.back_button.clicked.connect(self.previous_screen)
        self.next_button.clicked.connect(self.enter)
        self.save_button.clicked.connect(self.save)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.save_button)
        outer.addLayout(buttons)
        self.setCentralWidget(central)
        self.statusBar()  # from the start: the layout must not jump at the first message

        # Screens: the initial one now, the data screens when first shown (start-up speed).
        self.history = EditHistory(self, lambda b: self.show_screen(b.screen, focus=False))
        self.pages: dict[str, QWidget] = {}
        self.forms: dict[str, Any] = {}
        self.scrolls: dict[str, QScrollArea] = {}
        self.bindings: dict[str, ScreenBinding] = {}
        self._add_screen("initial")
        self.reference_edits = {
            name: self.pages["initial"].findChild(QLineEdit, name) for name in _REFERENCE_FIELDS
        }
        if self.displaying or self.changing:
            # XD02 and XD03 ask only which customer and which segments.
            initial = self.bindings["initial"]
            group_field = initial.editors["KNA1-KTOKD"]
            initial._set_row_visible(group_field, initial.labels.get("KNA1-KTOKD"), False)
            box = self.pages["initial"].findChild(QWidget, "group_reference")
            if box is not None:
                box.hide()
        if self.displaying:
            self.save_button.hide()

        for key, slot in (
            ("F4", self.value_help),
            ("F1", self.field_help),
            ("Ctrl+S", self.save),
            ("F3", self.back),
            ("Ctrl+PgDown", self.next_screen_unchecked),
            ("Ctrl+PgUp", self.previous_screen),
            ("Ctrl+H", self.change_documents),
        ):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)
        self.retranslate()
        self.show_initial()
        self.resize(1200, 720)

    # -- construction -----------------------------------------------------------------------

    def _add_screen(self, screen: str) -> ScreenBinding:
        page, ui = load_form(screen)
        self.forms[screen] = ui
        binding = ScreenBinding.bind(screen, page, self.catalog)
        binding.apply_texts(i18n.language(), self.statuses)
        # A tall screen scrolls rather than squeezing its fields on a small laptop screen.
        scroll = QScrollArea(self.stack)
        scroll.setObjectName(f"scroll_{screen}")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(page)
        self.stack.addWidget(scroll)
        self.pages[screen] = page
        self.scrolls[screen] = scroll
        self.bindings[screen] = binding
        if screen != "initial":
            self.history.watch(binding)
        return binding

    def binding(self, screen: str) -> ScreenBinding:
        return self.bindings.get(screen) or self._add_screen(screen)

    @property
    def displaying(self) -> bool:
        return self.activity is Activity.DISPLAY

    @property
    def changing(self) -> bool:
        return self.activity is Activity.CHANGE

    @property
    def stored(self) -> bool:
        """XD02 and XD03 work on a stored customer; XD01 makes one."""
        return self.activity is not Activity.CREATE

    def display(self, number: str, company_code: str = "", sales_area: str = "") -> bool:
        """XD03 (XD02 in a change window) for `number` (and, if given, a company code and a
        sales area "F011/10/01"): fills the initial screen and presses Enter for the user."""
        org, channel, division = [*sales_area.split("/"), "", "", ""][:3]
        self.show_initial()
        self.bindings["initial"].set_values(
            {
                "KNA1-KUNNR": number,
                "KNB1-BUKRS": company_code,
                "KNVV-VKORG": org,
                "KNVV-VTWEG": channel,
                "KNVV-SPART": division,
            }
        )
        return self.enter_data()

    def retranslate(self) -> None:
        self.back_button.setText(self.tr("Previous screen (Ctrl+PgUp)"))
        self.next_button.setText(self.tr("Check / next (Enter)"))
        self.save_button.setText(self.tr("Save (Ctrl+S)"))
        self.messages.retranslate()
        lang = i18n.language()
        for screen, binding in self.bindings.items():
            # The forms' own texts (group titles) first; it also puts back the forms' copies of
            # catalog labels, which apply_texts then sets in the chosen language.
            self.forms[screen].retranslateUi(self.pages[screen])
            binding.apply_texts(lang, self.statuses)
        for name, edit in self.reference_edits.items():
            if edit is not None:
                edit.setToolTip(self.tr("Reference: the data of this customer are copied"))
                edit.setMaxLength(self.catalog.field(_REFERENCE_AS[name]).length)
        self._update_steps()
        self._update_header()

    # -- state ------------------------------------------------------------------------------

    def current_screen(self) -> str:
        current = self.stack.currentWidget()
        return next((s for s, scroll in self.scrolls.items() if scroll is current), "initial")

    def show_screen(self, screen: str, focus: bool = True) -> None:
        binding = self.binding(screen)
        self.stack.setCurrentWidget(self.scrolls[screen])
        self._update_steps()
        self._update_header()
        self.back_button.setEnabled(screen != "initial")
        self.save_button.setEnabled(screen != "initial")
        if focus:
            self._focus_first(binding)

    def _focus_first(self, binding: ScreenBinding) -> None:
        if binding.screen == "initial":
            first = binding.editors.get("KNA1-KUNNR" if self.stored else "KNA1-KTOKD")
            if first is not None:
                first.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        for editor in binding.editors.values():
            if (
                editor.isVisible()
                and editor.isEnabled()
                and not (isinstance(editor, QLineEdit) and editor.isReadOnly())
            ):
                editor.setFocus(Qt.FocusReason.TabFocusReason)
                return
        for grid in binding.grids.values():
            if grid.table.isVisible() and not grid.read_only:
                grid.table.setFocus(Qt.FocusReason.TabFocusReason)
                grid.table.setCurrentCell(0, 0)
                return
        self.next_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_steps(self) -> None:
        self.steps.blockSignals(True)
        self.steps.clear()
        current = self.current_screen()
        item = QListWidgetItem(self.tr("Initial screen"))
        item.setData(Qt.ItemDataRole.UserRole, "initial")
        self.steps.addItem(item)
        last_segment = ""
        for screen, segment, title in SCREENS:
            if screen not in self.active:
                continue
            if segment != last_segment:
                last_segment = segment
                head = QListWidgetItem(self._segment_title(segment))
                # A heading, not a step: enabled (so not greyed out) but not selectable.
                head.setFlags(Qt.ItemFlag.ItemIsEnabled)
                head.setForeground(self.palette().windowText())
                font = head.font()
                font.setBold(True)
                head.setFont(font)
                self.steps.addItem(head)
            text = "    " + self.tr(title)
            if screen in self.error_screens:
                text += "  ⚠"
            entry = QListWidgetItem(text)
            entry.setData(Qt.ItemDataRole.UserRole, screen)
            if screen in self.error_screens:
                entry.setForeground(Qt.GlobalColor.darkRed)
                entry.setToolTip(self.tr("This screen has errors"))
            self.steps.addItem(entry)
        for i in range(self.steps.count()):
            if self.steps.item(i).data(Qt.ItemDataRole.UserRole) == current:
                self.steps.setCurrentRow(i)
        self.steps.blockSignals(False)
        self._fit_steps()

    def _fit_steps(self) -> None:
        """As wide as the longest step in the current language (never cut, never scrolled),
        and at least as wide as the longest one of the Chinese titles."""
        metrics = self.steps.fontMetrics()
        texts = [self.steps.item(i).text() for i in range(self.steps.count())]
        widest = max((metrics.horizontalAdvance(t) for t in texts), default=0)
        bold = self.steps.font()
        bold.setBold(True)
        widest = max(
            widest, QFontMetrics(bold).horizontalAdvance(self._segment_title("sales_area"))
        )
        frame = 2 * self.steps.frameWidth() + self.steps.verticalScrollBar().sizeHint().width()
        self.steps.setFixedWidth(max(190, widest + frame + 16))

    def _segment_title(self, segment: str) -> str:
        keys = self.keys
        return self.tr(SEGMENT_TITLES[segment]).format(
            code=keys.company_code if keys else "", area=keys.sales_area_key if keys else ""
        )

    def _update_header(self) -> None:
        keys = self.keys
        code = {Activity.DISPLAY: "XD03", Activity.CHANGE: "XD02"}.get(self.activity, "XD01")
        if keys is None:
            if self.displaying:
                mode = self.tr("Display customer: initial screen")
                self.setWindowTitle(self.tr("Display customer (XD03)"))
            elif self.changing:
                mode = self.tr("Change customer: initial screen")
                self.setWindowTitle(self.tr("Change customer (XD02)"))
            else:
                mode = self.tr("Create customer: initial screen")
                self.setWindowTitle(self.tr("Create customer (XD01)"))
        else:
            if self.displaying:
                mode = self.tr("Display customer")
            elif self.changing:
                mode = self.tr("Change customer")
            elif keys.extending:
                mode = self.tr("Extend customer")
            else:
                mode = self.tr("Create customer")
            self.setWindowTitle(f"{mode} ({code})")
            name = self._general_value("KNA1-NAME1")
            number = keys.number or self.tr("(internal number)")
            mode = self.tr("{mode}: {customer}").format(mode=mode, customer=f"{number} {name}")
        screen = self.current_screen()
        title = next((t for s, _, t in SCREENS if s == screen), "")
        suffix = f" — {escape(self.tr(title))}" if title else ""
        marks = self._block_marks() if self.stored and keys and keys.extending else []
        warning = (
            f'<br><span style="color:#c62828; font-weight:bold">{escape("  ".join(marks))}</span>'
            if marks
            else ""
        )
        self.header.setText(f"<b>{escape(mode)}</b>{suffix}{warning}")

    def _block_marks(self) -> list[str]:
        """Blocks and deletion flags of the displayed customer and segments, for the header."""
        keys = self.keys
        assert keys is not None and keys.extending is not None
        customer = keys.extending
        g = customer.general
        marks = []
        for value, text in (
            (g.order_block, self.tr("Order block {code}")),
            (g.delivery_block, self.tr("Delivery block {code}")),
            (g.billing_block, self.tr("Billing block {code}")),
        ):
            if value:
                marks.append(text.format(code=value))
        if g.posting_block:
            marks.append(self.tr("Posting block (all company codes)"))
        if g.deletion_flag:
            marks.append(self.tr("Flagged for deletion"))
        cc = customer.company_code(keys.company_code) if keys.company_code else None
        if cc is not None and cc.posting_block:
            marks.append(self.tr("Posting block in {code}").format(code=cc.company_code))
        if cc is not None and cc.deletion_flag:
            marks.append(self.tr("Flagged for deletion in {code}").format(code=cc.company_code))
        sa = customer.sales_area(keys.sales_area_key) if keys.sales_area else None
        if sa is not None:
            for value, text in (
                (sa.order_block, self.tr("Order block {code} in {area}")),
                (sa.delivery_block, self.tr("Delivery block {code} in {area}")),
                (sa.billing_block, self.tr("Billing block {code} in {area}")),
            ):
                if value:
                    marks.append(text.format(code=value, area=sa.segment_key))
            if sa.deletion_flag:
                marks.append(self.tr("Flagged for deletion in {area}").format(area=sa.segment_key))
        return marks

    def _general_value(self, key: str) -> str:
        binding = self.bindings.get("address")
        if binding is not None and key in binding.editors:
            return str(binding.values().get(key, ""))
        return ""

    # -- the initial screen -----------------------------------------------------------------

    def show_initial(self) -> None:
        self._release_lock()
        self.acknowledged = set()
        self.keys = None
        self.active = []
        self.snapshot = None
        self.error_screens = set()
        self.statuses = {}
        self.messages.show_problems([], i18n.language())
        for screen, binding in self.bindings.items():
            if screen != "initial":
                binding.clear()
                binding.mark_errors(set())
        self.history.reset([])
        self.show_screen("initial")

    def initial_values(self) -> dict[str, str]:
        values = {k: str(v) for k, v in self.bindings["initial"].values().items()}
        for name, edit in self.reference_edits.items():
            values[name] = edit.text().strip().upper() if edit is not None else ""
        for key in ("KNA1-KTOKD", "KNB1-BUKRS", "KNVV-VKORG"):
            values[key] = values.get(key, "").upper()
        return values

    def _read(self, number: str) -> Customer | None:
        from custmd_gui.services.create import read_customer

        try:
            return read_customer(self.factory, number, self.actor)
        except DomainError:
            return None

    def check_initial(self) -> tuple[Keys | None, Customer | None, list[Problem]]:
        v = self.initial_values()
        if self.stored:
            shown, display_problems = self._check_display(v)
            if shown is not None and self.changing:
                return self._lock_for_change(shown)
            return shown, None, display_problems
        problems: list[Problem] = []
        cust = self.customizing

        def p(key: str, zh: str, en: str) -> None:
            problems.append(Problem(key, "", Text(zh=zh, en=en)))

        group_code = v.get("KNA1-KTOKD", "")
        number = v.get("KNA1-KUNNR", "")
        company_code = v.get("KNB1-BUKRS", "")
        area_parts = (v.get("KNVV-VKORG", ""), v.get("KNVV-VTWEG", ""), v.get("KNVV-SPART", ""))
        existing = self._read(number) if number else None
        if existing is not None:
            group_code = group_code or existing.general.account_group
            if group_code != existing.general.account_group:
                p(
                    "KNA1-KTOKD",
                    f"客户 {number} 属于科目组 {existing.general.account_group}",
                    f"Customer {number} belongs to account group {existing.general.account_group}",
                )
        group = cust.account_group(group_code)
        if not group_code:
            p("KNA1-KTOKD", "请输入科目组（必输字段）", "Account group is required")
        elif group is None:
            p(
                "KNA1-KTOKD",
                f"科目组 {group_code} 不存在，请按 F4 选择",
                f"Account group {group_code} does not exist; press F4 to choose",
            )
        if company_code and not cust.has("company_codes", company_code):
            p(
                "KNB1-BUKRS",
                f"公司代码 {company_code} 不存在，请按 F4 选择",
                f"Company code {company_code} does not exist; press F4 to choose",
            )
        area: tuple[str, str, str] | None = None
        if any(area_parts):
            area_key = "/".join(area_parts)
            if not all(area_parts):
                p(
                    "KNVV-VKORG",
                    "销售范围需要销售组织、分销渠道和产品组三项",
                    "A sales area needs sales organization, distribution channel and division",
                )
            elif not cust.has("sales_areas", area_key):
                p(
                    "KNVV-VKORG",
                    f"销售范围 {area_key} 未定义",
                    f"Sales area {area_key} is not defined",
                )
            else:
                area = area_parts
        if existing is not None:
            if company_code and existing.company_code(company_code):
                p(
                    "KNB1-BUKRS",
                    f"客户 {number} 已在公司代码 {company_code} 中创建",
                    f"Customer {number} already exists in company code {company_code}",
                )
            if area and existing.sales_area("/".join(area)):
                p(
                    "KNVV-VKORG",
                    f"客户 {number} 已在销售范围 {'/'.join(area)} 中创建",
                    f"Customer {number} already exists in sales area {'/'.join(area)}",
                )
            if not company_code and not area:
                p(
                    "KNB1-BUKRS",
                    f"客户 {number} 已存在；请输入要扩展的公司代码或销售范围",
                    f"Customer {number} exists; enter the company code or sales area to extend to",
                )
        elif group is not None:
            draft = Customer(general=GeneralData(number=number, account_group=group_code))
            problems += number_problems(draft, cust)
        reference, ref_problems = self._check_reference(v, company_code, area)
        problems += ref_problems
        if problems:
            return None, None, problems
        keys = Keys(group_code, number, company_code, area, existing)
        return keys, reference, []

    def _check_display(self, v: dict[str, str]) -> tuple[Keys | None, list[Problem]]:
        number = v.get("KNA1-KUNNR", "")
        company_code = v.get("KNB1-BUKRS", "")
        parts = (v.get("KNVV-VKORG", ""), v.get("KNVV-VTWEG", ""), v.get("KNVV-SPART", ""))
        if not number:
            return None, [Problem("KNA1-KUNNR", "", Text(zh="请输入客户", en="Enter the customer"))]
        customer = self._read(number)
        if customer is None:
            text = Text(zh=f"客户 {number} 不存在", en=f"Customer {number} does not exist")
            return None, [Problem("KNA1-KUNNR", "", text)]
        problems: list[Problem] = []
        if company_code and customer.company_code(company_code) is None:
            text = Text(
                zh=f"客户 {number} 未在公司代码 {company_code} 中创建",
                en=f"Customer {number} does not exist in company code {company_code}",
            )
            problems.append(Problem("KNB1-BUKRS", "", text))
        area = "/".join(parts)
        if any(parts) and customer.sales_area(area) is None:
            text = Text(
                zh=f"客户 {number} 未在销售范围 {area} 中创建",
                en=f"Customer {number} does not exist in sales area {area}",
            )
            problems.append(Problem("KNVV-VKORG", "", text))
        if problems:
            return None, problems
        keys = Keys(
            customer.general.account_group,
            number,
            company_code,
            parts if any(parts) else None,
            customer,
        )
        return keys, []

    def _lock_for_change(self, keys: Keys) -> tuple[Keys | None, Customer | None, list[Problem]]:
        """XD02: take the edit lock, then read the customer again (the version a save is
        checked against is the one read under the lock). Locked by someone else: say who and
        offer to display it instead."""
        from custmd_gui.services.change import open_for_change
        from custmd_gui.services.locks import CustomerLocked

        try:
            lock, customer = open_for_change(self.factory, keys.number, self.actor)
        except CustomerLocked as exc:
            self._offer_display(keys, exc)
            return None, None, list(exc.problems)
        except DomainError as exc:
            return None, None, list(exc.problems)
        self.lock = lock
        self.lock_timer.start(int(lock.renew_every * 1000))
        fresh = Keys(
            customer.general.account_group,
            keys.number,
            keys.company_code,
            keys.sales_area,
            customer,
        )
        return fresh, None, []

    def _offer_display(self, keys: Keys, exc: DomainError) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.tr("Customer locked"),
            exc.problems[0].message.get(i18n.language()),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("locked_offer_display")
        box.setInformativeText(self.tr("Display the customer instead?"))
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        if self._modal(box) == QMessageBox.StandardButton.Yes:
            self.display_requested.emit(
                keys.number, keys.company_code, keys.sales_area_key if keys.sales_area else ""
            )

    @Slot()
    def _renew_lock(self) -> None:
        """The lease's heartbeat; a lock taken over (after this client was unreachable for a
        whole lease) is said at once: the typing stays, but a save will be refused."""
        from custmd_gui.services.locks import LockLost, renew_lock

        lock = self.lock
        if lock is None:
            self.lock_timer.stop()
            return
        try:
            self.lock = renew_lock(self.factory, lock)
        except LockLost as exc:
            self.lock_timer.stop()
            self._show_problems(exc.problems, all_screens=False)
        except Exception:  # the server unreachable for a moment: the lease bridges the gap
            log.warning("renewing the edit lock on %s failed", lock.number, exc_info=True)

    def _release_lock(self) -> None:
        self.lock_timer.stop()
        lock, self.lock = self.lock, None
        if lock is None:
            return
        from custmd_gui.services.locks import release_lock

        try:
            release_lock(self.factory, lock)
        except Exception:  # the lease frees it soon enough
            log.warning("releasing the edit lock on %s failed", lock.number, exc_info=True)

    def _check_reference(
        self, v: dict[str, str], company_code: str, area: tuple[str, str, str] | None
    ) -> tuple[Customer | None, list[Problem]]:
        number = v.get("REF_KUNNR", "")
        problems: list[Problem] = []
        if not number:
            if any(v.get(f) for f in _REFERENCE_FIELDS[1:]):
                problems.append(
                    Problem(
                        "KNA1-KUNNR",
                        "",
                        Text(zh="请输入参考客户", en="Enter the reference customer"),
                    )
                )
            return None, problems
        reference = self._read(number)
        if reference is None:
            problems.append(
                Problem(
                    "KNA1-KUNNR",
                    "",
                    Text(
                        zh=f"参考客户 {number} 不存在",
                        en=f"Reference customer {number} does not exist",
                    ),
                )
            )
            return None, problems
        ref_code = v.get("REF_BUKRS", "")
        if ref_code and reference.company_code(ref_code) is None:
            problems.append(
                Problem(
                    "KNB1-BUKRS",
                    "",
                    Text(
                        zh=f"参考客户 {number} 未在公司代码 {ref_code} 中创建",
                        en=f"Reference customer {number} does not exist in company code {ref_code}",
                    ),
                )
            )
        ref_area = "/".join(v.get(f, "") for f in _REFERENCE_FIELDS[2:])
        if ref_area != "//" and reference.sales_area(ref_area) is None:
            problems.append(
                Problem(
                    "KNVV-VKORG",
                    "",
                    Text(
                        zh=f"参考客户 {number} 未在销售范围 {ref_area} 中创建",
                        en=f"Reference customer {number} does not exist in sales area {ref_area}",
                    ),
                )
            )
        return reference, problems

    def enter_data(self) -> bool:
        """Leave the initial screen for the data screens (Enter on the initial screen)."""
        keys, reference, problems = self.check_initial()
        self._show_problems(problems)
        if keys is None:
            return False
        self.keys = keys
        self.statuses = self._statuses(keys)
        self.active = [
            s
            for s, segment, _ in SCREENS
            if (
                segment == "general"
                or (segment == "company_code" and keys.company_code)
                or (segment == "sales_area" and keys.sales_area)
            )
            and not self._all_suppressed(s)
        ]
        self._apply_statuses()
        self._prefill(keys, reference)
        self.snapshot = self.collect()
        self.history.reset([self.binding(s) for s in self.active])
        self.show_screen(self.active[0])
        if keys.extending is not None and not self.stored:
            # General data exist already: start at the first screen of a new segment.
            first_new = next(
                (s for s in self.active if _SCREEN_SEGMENT[s] != "general"), self.active[0]
            )
            self.show_screen(first_new)
        if reference is not None:
            from custmd_gui.services.partner_checks import reference_warnings

            # Copying from a blocked or flagged customer is allowed; the clerk should know.
            if warnings := reference_warnings(reference):
                self.messages.show_problems(warnings, i18n.language())
        return True

    def _statuses(self, keys: Keys) -> dict[str, FieldStatus]:
        group = self.customizing.account_group(keys.account_group)
        changeable = self._changeable_tables(keys) if self.changing else None
        statuses: dict[str, FieldStatus] = {}
        for fd in self.catalog:
            status = effective_status(fd, group, self.activity)
            if keys.extending is not None and not self.stored and fd.table in ("KNA1", "KNBK"):
                status = FieldStatus.DISPLAY  # extending: general data are shown, not changed
            if (
                changeable is not None
                and fd.table not in changeable
                and status in (FieldStatus.REQUIRED, FieldStatus.OPTIONAL)
            ):
                status = FieldStatus.DISPLAY  # XD02: a segment the user may not change
            statuses[fd.key] = status
        return statuses

    def _changeable_tables(self, keys: Keys) -> frozenset[str]:
        """XD02: the tables whose fields the actor may change in the segments on the screens
        (the rules of services.authorization.change_refusal: the permission of the segment,
        its company code or sales area, and the segment's authorization group). The service
        refuses the rest anyway; the screens only show it."""
        from custmd_gui.domain.authorization import Permission
        from custmd_gui.services.authorization import (
            COMPANY_CODE_TABLES,
            GENERAL_TABLES,
            SALES_AREA_TABLES,
        )

        rights = self.actor.rights
        stored = keys.extending
        tables: set[str] = set()
        general_group = stored.general.authorization_group if stored else ""
        if rights.allows(Permission.CHANGE_GENERAL, auth_group=general_group):
            tables |= GENERAL_TABLES
        if keys.company_code:
            cc = stored.company_code(keys.company_code) if stored else None
            if rights.allows(
                Permission.CHANGE_COMPANY_CODE,
                company_code=keys.company_code,
                auth_group=cc.authorization_group if cc else "",
            ):
                tables |= COMPANY_CODE_TABLES
        if keys.sales_area:
            sa = stored.sales_area(keys.sales_area_key) if stored else None
            if rights.allows(
                Permission.CHANGE_SALES_AREA,
                sales_area=keys.sales_area_key,
                auth_group=sa.authorization_group if sa else "",
            ):
                tables |= SALES_AREA_TABLES
        return frozenset(tables)

    def _all_suppressed(self, screen: str) -> bool:
        """A screen whose every field the account group hides is skipped, as SAP does."""
        keys = [
            fd.key for fd in self.catalog if self.catalog.groups[fd.field_group].screen == screen
        ]
        return bool(keys) and all(self.statuses[k] is FieldStatus.SUPPRESSED for k in keys)

    def _apply_statuses(self) -> None:
        lang = i18n.language()
        for screen in self.active:
            binding = self.binding(screen)
            binding.apply_texts(lang, self.statuses)
            binding.apply_status(self.statuses)

    def _prefill(self, keys: Keys, reference: Customer | None) -> None:
        v = self.initial_values()
        general: dict[str, Value] = {}
        banks: list[dict[str, str]] = []
        source = keys.extending or reference
        if keys.extending is not None:
            general = dict(keys.extending.general.model_dump())
            banks = [b.model_dump() for b in keys.extending.bank_details]
        elif reference is not None:
            general = dict(ref.general_from(reference.general))
        else:
            general = {"country": "CN", "language": "ZH"}
        self._set_table_values("KNA1", general)
        self._set_grid("payment", "KNBK", banks)
        shown = keys.extending if self.stored else None
        if keys.company_code:
            ref_code = v.get("REF_BUKRS", "")
            ref_cc = reference.company_code(ref_code) if reference and ref_code else None
            stored_cc = shown.company_code(keys.company_code) if shown else None
            if stored_cc is not None:
                cc = stored_cc
            elif ref_cc is not None:
                cc = ref.company_code_from(ref_cc, keys.company_code)
            else:
                cc = CompanyCodeData(company_code=keys.company_code)
            group = self.customizing.account_group(keys.account_group)
            if not cc.reconciliation_account and group and group.reconciliation_account:
                cc.reconciliation_account = group.reconciliation_account
            self._set_table_values("KNB1", cc.model_dump())
        if keys.sales_area:
            ref_key = "/".join(v.get(f, "") for f in _REFERENCE_FIELDS[2:])
            ref_sa = reference.sales_area(ref_key) if reference and ref_key != "//" else None
            own = keys.number
            stored_sa = shown.sales_area(keys.sales_area_key) if shown else None
            if stored_sa is not None:
                sa = stored_sa
            elif ref_sa is not None and reference is not None:
                sa = ref.sales_area_from(
                    ref_sa, keys.sales_area, reference_number=reference.number, number=own
                )
            else:
                org, channel, division = keys.sales_area
                sa = SalesAreaData(sales_org=org, distribution_channel=channel, division=division)
            # Proposals are for a new segment; a stored one is shown as it is.
            if not sa.tax_classifications and stored_sa is None:
                sa.tax_classifications = self._default_taxes(source)
            if not sa.partners and stored_sa is None:
                sa.partners = [
                    PartnerFunction(partner_function=fn, partner=own)
                    for fn in PARTNER_FUNCTIONS_DEFAULT
                ]
            values = sa.model_dump()
            self._set_table_values("KNVV", values)
            self._set_grid("billing", "KNVI", [t.model_dump() for t in sa.tax_classifications])
            self._set_grid("partner", "KNVP", [p.model_dump() for p in sa.partners])

    def _default_taxes(self, source: Customer | None) -> list[TaxClassification]:
        # SAP proposes one line per tax category of the customer's country; the clerk enters
        # the classification.
        country = (source.general.country if source else "") or "CN"
        return [
            TaxClassification(country=country, tax_category=c.code)
            for c in self.customizing.values("tax_categories")
            if c.attrs.get("country") in (None, "", country)
        ]

    def _set_grid(self, screen: str, table: str, rows: list[dict[str, Any]]) -> None:
        if screen in self.active:
            self.binding(screen).grids[table].set_rows(rows)

    def _set_table_values(self, table: str, values: dict[str, Any]) -> None:
        by_key = {}
        for fd in self.catalog.table(table):
            if fd.name in values and fd.field_group != "key":
                by_key[fd.key] = values[fd.name]
        for screen in self.active:
            self.binding(screen).set_values(by_key)

    # -- reading the screens ----------------------------------------------------------------

    def collect(self) -> dict[str, Any]:
        """Everything on the data screens: {field key: value} and grid rows per table."""
        values: dict[str, Any] = {}
        for screen in self.active:
            binding = self.binding(screen)
            values.update(binding.values())
            for table, grid in binding.grids.items():
                values[table] = grid.rows()
        return values

    def build(self) -> Customer:
        """The customer (with the new segments only, when extending) from the screens."""
        keys = self.keys
        assert keys is not None
        values = self.collect()

        def table(name: str) -> dict[str, Value]:
            return {
                fd.name: values[fd.key]
                for fd in self.catalog.table(name)
                if fd.key in values and fd.field_group != "key"
            }

        general = GeneralData.model_validate(
            {**table("KNA1"), "number": keys.number, "account_group": keys.account_group}
        )
        customer = Customer(
            general=general,
            bank_details=[BankDetail.model_validate(r) for r in values.get("KNBK", [])],
        )
        if keys.company_code:
            customer.company_codes = [
                CompanyCodeData.model_validate({**table("KNB1"), "company_code": keys.company_code})
            ]
        if keys.sales_area:
            org, channel, division = keys.sales_area
            sa = SalesAreaData.model_validate(
                {
                    **table("KNVV"),
                    "sales_org": org,
                    "distribution_channel": channel,
                    "division": division,
                }
            )
            sa.tax_classifications = [
                TaxClassification.model_validate(r) for r in values.get("KNVI", [])
            ]
            sa.partners = [
                PartnerFunction.model_validate({**r, "counter": r.get("counter") or "000"})
                for r in values.get("KNVP", [])
            ]
            customer.sales_areas = [sa]
        return customer

    def changed_customer(self) -> Customer:
        """XD02: the stored customer with what the screens show put in its place (general
        data, bank details, the company code and sales area opened)."""
        keys = self.keys
        assert keys is not None and keys.extending is not None
        shown = self.build()
        merged = keys.extending.model_copy(deep=True)
        merged.general = shown.general
        merged.bank_details = shown.bank_details
        for cc in shown.company_codes:
            merged.company_codes = [
                cc if c.company_code == cc.company_code else c for c in merged.company_codes
            ]
        for sa in shown.sales_areas:
            merged.sales_areas = [
                sa if a.segment_key == sa.segment_key else a for a in merged.sales_areas
            ]
        return merged

    def problems(self, screen: str | None = None) -> list[Problem]:
        """Every problem of what is on the screens (the new segments only, when extending),
        warnings (a blocked partner) included: see `blocking`. With `screen`, that screen's
        only (the partners are looked up in the database for the partner screen alone)."""
        problems = self._field_problems()
        if screen in (None, "partner"):
            problems += self._partner_checks()
        if screen is None:
            return problems
        return [p for p in problems if self.screen_of(p) == screen]

    def _partner_checks(self) -> list[Problem]:
        """Partners on the screen that do not exist, are blocked or flagged (errors and
        warnings of services.partner_checks); in XD02 only those typed in this change."""
        keys = self.keys
        if keys is None or not keys.sales_area or "partner" not in self.active:
            return []
        from custmd_gui.services.partner_checks import partner_problems

        shown = self.build()
        area = shown.sales_areas[0]
        stored = keys.extending.sales_area(area.segment_key) if keys.extending else None
        before = {(p.segment_key, p.partner) for p in stored.partners} if stored else set()
        pairs = [(area, p) for p in area.partners if (p.segment_key, p.partner) not in before]
        if not pairs:
            return []
        with self.factory() as uow:
            return partner_problems(uow, keys.number, pairs)

    def blocking(self, problems: Sequence[Problem]) -> bool:
        """Whether these problems stop Enter or the save: any error does; warnings do once,
        as in SAP (the clerk reads them, the same key again goes past them)."""
        if any(p.severity is Severity.ERROR for p in problems):
            return True
        warnings = {(p.field_key, p.segment, p.message.zh) for p in problems}
        if warnings <= self.acknowledged:
            return False
        self.acknowledged |= warnings
        return True

    def _field_problems(self) -> list[Problem]:
        keys = self.keys
        assert keys is not None
        if self.changing:
            assert keys.extending is not None
            shown = {"", keys.company_code, keys.sales_area_key if keys.sales_area else ""}
            return [
                p
                for p in self.validator.validate(
                    self.changed_customer(),
                    Activity.CHANGE,
                    before=keys.extending,
                    check_number=False,
                )
                if p.segment in shown
            ]
        customer = self.build()
        if keys.extending is None:
            return self.validator.validate(customer, Activity.CREATE)
        merged = keys.extending.model_copy(deep=True)
        merged.company_codes += customer.company_codes
        merged.sales_areas += customer.sales_areas
        new = {c.company_code for c in customer.company_codes} | {
            s.segment_key for s in customer.sales_areas
        }
        return [
            p
            for p in self.validator.validate(merged, Activity.CREATE, check_number=False)
            if p.segment in new
        ]

    def screen_of(self, problem: Problem) -> str:
        if problem.field_key not in self.catalog:
            return "initial"
        fd = self.catalog.field(problem.field_key)
        screen = self.catalog.groups[fd.field_group].screen
        return screen if screen in self.active else "initial"

    def is_dirty(self) -> bool:
        return self.snapshot is not None and self.collect() != self.snapshot

    # -- checking and moving ----------------------------------------------------------------

    def _show_problems(self, problems: Sequence[Problem], *, all_screens: bool = True) -> None:
        lang = i18n.language()
        self.messages.show_problems(problems, lang)
        keys_by_screen: dict[str, set[str]] = {}
        for p in problems:
            keys_by_screen.setdefault(self.screen_of(p), set()).add(p.field_key)
        if all_screens:
            self.error_screens = {s for s in keys_by_screen if s != "initial"}
        for screen, binding in self.bindings.items():
            if all_screens or screen == self.current_screen():
                binding.mark_errors(keys_by_screen.get(screen, set()))
        for edit in self.reference_edits.values():
            if edit is not None:
                set_flag(edit, "error", False)
        self._update_steps()
        if problems:
            self.statusBar().showMessage(
                self.tr("%n problem(s): choose a message to go to its field", "", len(problems))
            )

    @Slot()
    def enter(self) -> None:
        """Enter: check the current screen; without errors go on to the next one."""
        screen = self.current_screen()
        if screen == "initial":
            self.enter_data()
            return
        if self.displaying:
            self.next_screen_unchecked()
            return
        problems = self.problems(screen)
        self.messages.show_problems(problems, i18n.language())
        binding = self.binding(screen)
        binding.mark_errors({p.field_key for p in problems if p.severity is Severity.ERROR})
        if problems and not self.blocking(problems):
            problems = []  # warnings read: go on
        elif problems and not any(p.severity is Severity.ERROR for p in problems):
            self._update_steps()
            self.statusBar().showMessage(
                self.tr("Please check the warnings; press Enter again to continue")
            )
            return
        if problems:
            self.error_screens.add(screen)
            self._update_steps()
            self.jump_to_problem(problems[0])
            self.statusBar().showMessage(self.tr("%n problem(s) on this screen", "", len(problems)))
            return
        self.error_screens.discard(screen)
        index = self.active.index(screen)
        if index + 1 < len(self.active):
            self.show_screen(self.active[index + 1])
            self.statusBar().clearMessage()
        else:
            self._update_steps()
            self.statusBar().showMessage(self.tr("Last screen checked; press Ctrl+S to save"))

    @Slot()
    def next_screen_unchecked(self) -> None:
        screen = self.current_screen()
        if screen in self.active and self.active.index(screen) + 1 < len(self.active):
            self.show_screen(self.active[self.active.index(screen) + 1])

    @Slot()
    def previous_screen(self) -> None:
        screen = self.current_screen()
        if screen in self.active and self.active.index(screen) > 0:
            self.show_screen(self.active[self.active.index(screen) - 1])

    @Slot(QListWidgetItem)
    def _step_chosen(self, item: QListWidgetItem) -> None:
        screen = item.data(Qt.ItemDataRole.UserRole)
        if not screen or screen == self.current_screen():
            return
        if screen == "initial":
            self.back()
        else:
            self.show_screen(str(screen))

    @Slot(object)
    def jump_to_problem(self, problem: Problem) -> None:
        screen = self.screen_of(problem)
        self.show_screen(screen, focus=False)
        widget = self.binding(screen).widget_for(problem.field_key)
        if widget is None:
            return
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        grid = self.binding(screen).grid_of(widget)
        if grid is not None:
            column = (
                grid.column(problem.field_key)
                if problem.field_key in {fd.key for fd in grid.columns}
                else 0
            )
            grid.table.setCurrentCell(0, column)

    # -- saving -----------------------------------------------------------------------------

    @Slot()
    def save(self) -> bool:
        """Ctrl+S: check all screens, look for duplicates, store in one transaction."""
        keys = self.keys
        if keys is None or self.displaying:
            return False
        problems = self.problems()
        if problems and self.blocking(problems):
            self._show_problems(problems)
            if any(p.severity is Severity.ERROR for p in problems):
                self.jump_to_problem(problems[0])
            else:
                self.statusBar().showMessage(
                    self.tr("Please check the warnings; press Ctrl+S again to save")
                )
            return False
        if self.changing:
            return self._save_change(keys)
        customer = self.build()
        if keys.extending is None:
            from custmd_gui.services.duplicates import check_before_save

            # A credit code held by another customer is an error, not a possible duplicate:
            # say so before asking anything (the create service checks it again).
            taken, hits = check_before_save(self.factory, customer, actor=self.actor)
            if taken:
                self._show_problems(taken)
                self.jump_to_problem(taken[0])
                return False
            if hits and not self._duplicates_accepted(hits):
                return False
        from custmd_gui.services.create import create_customer, created_message, extend_customer

        lang = i18n.language()
        try:
            if keys.extending is None:
                stored = create_customer(
                    self.factory, customer, self.actor, customizing=self.customizing
                )
                message = created_message(stored, lang)
            else:
                extend_customer(
                    self.factory,
                    keys.number,
                    self.actor,
                    company_codes=customer.company_codes,
                    sales_areas=customer.sales_areas,
                    customizing=self.customizing,
                )
                stored = customer.with_number(keys.number)
                message = created_message(stored, lang)
        except DatabaseBusy as exc:
            # Not the data's fault: stay on the screen with everything typed; Ctrl+S again.
            self._show_problems(exc.problems)
            self.statusBar().showMessage(exc.problems[0].message.get(lang))
            return False
        except DomainError as exc:
            self._show_problems(exc.problems)
            if exc.problems:
                self.jump_to_problem(exc.problems[0])
            return False
        self.saved.emit(stored.number, message)
        self._after_save(keys)
        self.statusBar().showMessage(message)
        return True

    def _save_change(self, keys: Keys) -> bool:
        """XD02's save: only what changed, one change document, under the edit lock and the
        version read with it. Refused (stale, lock lost): the typing stays on the screens."""
        from custmd_gui.services.change import change_customer, changed_message

        assert keys.extending is not None
        try:
            result = change_customer(
                self.factory,
                keys.number,
                self.changed_customer(),
                self.actor,
                expected_version=keys.extending.version,
                lock=self.lock,
                customizing=self.customizing,
            )
        except DomainError as exc:
            self._show_problems(exc.problems)
            if exc.problems and self.screen_of(exc.problems[0]) != "initial":
                self.jump_to_problem(exc.problems[0])
            return False
        message = changed_message(result, i18n.language())
        if not result.changed:
            self.statusBar().showMessage(message)  # SAP stays on the screen
            return True
        self.saved.emit(keys.number, message)
        # As SAP: back to the initial screen, the customer's number kept for the next change.
        self.show_initial()
        self.bindings["initial"].set_values({"KNA1-KUNNR": keys.number})
        self.statusBar().showMessage(message)
        return True

    def _after_save(self, keys: Keys) -> None:
        """Back to the initial screen for the next customer, keeping the organisation."""
        self.show_initial()
        initial = self.bindings["initial"]
        initial.set_values({"KNA1-KUNNR": ""})
        for edit in self.reference_edits.values():
            if edit is not None:
                edit.clear()

    def _duplicates_accepted(self, hits: Sequence[DuplicateHit]) -> bool:
        dialog = DuplicateDialog(hits, i18n.language(), self)
        self._modal(dialog)
        if dialog.choice is DuplicateChoice.OPEN:
            self.open_customer.emit(dialog.selected_number())
            return False
        return dialog.choice is DuplicateChoice.CONTINUE

    # -- keyboard ---------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Line edits and check boxes pass Enter and Esc on to their window. A grid's cell
        # editor passes Enter on too, before its (queued) commit: that Enter only commits.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if _in_cell_editor(QApplication.focusWidget()):
                event.accept()
                return
            self.enter()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.back()
            return
        super().keyPressEvent(event)

    @Slot()
    def back(self) -> None:
        """F3 / Esc: from the data screens back to the initial screen, from there close."""
        if self.keys is None:
            self.close()
            return
        if self.is_dirty() and not self._confirm_loss():
            return
        self.show_initial()

    def _modal(self, dialog: QDialog) -> int:
        result = dialog.exec()
        # Some window systems leave no window active after a modal dialog: the clerk's next
        # key must reach the wizard.
        self.activateWindow()
        return result

    def _confirm_loss(self) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Unsaved data"),
            self.tr("Unsaved data will be lost. Leave anyway?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("confirm_loss")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return self._modal(box) == QMessageBox.StandardButton.Yes

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.keys is not None and self.is_dirty() and not self._confirm_loss():
            event.ignore()
            return
        self._release_lock()
        super().closeEvent(event)

    # -- F4 and F1 --------------------------------------------------------------------------

    def _focused_field(self) -> tuple[FieldDef | None, QWidget | None]:
        focus = self.focusWidget()
        for name, edit in self.reference_edits.items():
            if edit is not None and focus is edit:
                return self.catalog.field(_REFERENCE_AS[name]), edit
        binding = self.bindings.get(self.current_screen())
        if binding is None or focus is None:
            return None, None
        return binding.field_of(focus), focus

    @Slot()
    def value_help(self) -> None:
        fd, widget = self._focused_field()
        if fd is None or widget is None:
            self.statusBar().showMessage(self.tr("No value help for this field"))
            return
        if isinstance(widget, QLineEdit) and widget.isReadOnly():
            return
        binding = self.bindings[self.current_screen()]
        grid = binding.grid_of(widget)
        if grid is not None and grid.read_only:
            return
        current = widget.text() if isinstance(widget, QLineEdit) else ""
        if grid is not None:
            current = grid.cell(grid.table.currentRow(), grid.table.currentColumn())
        lang = i18n.language()
        title = self.tr("Value help: {field}").format(field=fd.label.get(lang))
        if fd.search_help == "customers":
            dialog = ValueHelpDialog(
                title,
                current=current,
                # Which customer to open (XD02/XD03) may be one flagged for deletion; one to
                # name as partner or reference may not.
                search=functools.partial(
                    self._search_customers,
                    include_flagged=self.stored and widget is binding.editors.get("KNA1-KUNNR"),
                ),
                headers=(self.tr("Customer"), self.tr("Name"), self.tr("City")),
                parent=self,
            )
        elif fd.value_help:
            entries = self._entries(fd, binding)
            if not entries:
                self.statusBar().showMessage(self.tr("No value help for this field"))
                return
            dialog = ValueHelpDialog(title, entries, current=current, parent=self)
        else:
            self.statusBar().showMessage(self.tr("No value help for this field"))
            return
        if self._modal(dialog) and dialog.chosen():
            self._put(widget, grid, dialog.chosen())

    def _put(self, widget: QWidget, grid: Any, value: str) -> None:
        if grid is not None:
            table = grid.table
            row, column = max(table.currentRow(), 0), max(table.currentColumn(), 0)
            table.closePersistentEditor(table.item(row, column))
            if isinstance(widget, QLineEdit) and widget is not table:
                widget.setText(value)
            grid.set_cell(row, column, value)
            table.setFocus(Qt.FocusReason.OtherFocusReason)
            table.setCurrentCell(row, column)
        elif isinstance(widget, QLineEdit):
            widget.setText(value)
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def _entries(self, fd: FieldDef, binding: ScreenBinding) -> list[HelpEntry]:
        lang = i18n.language()
        if fd.value_help == "account_groups":
            groups = self.customizing.account_groups.values()
            return [HelpEntry(g.code, g.text.get(lang)) for g in groups]
        parent: str | None = None
        if fd.value_help_parent:
            parent = str(binding.values().get(fd.value_help_parent, "")) or None
        if fd.value_help == "sales_orgs" or fd.value_help == "distribution_channels":
            parent = None
        return [
            HelpEntry(v.code, v.text.get(lang), v.parent)
            for v in self.customizing.values(fd.value_help or "", parent)
        ]

    def _search_customers(self, text: str, *, include_flagged: bool = False) -> list[HelpEntry]:
        from custmd_gui.services.listing import search_customers

        with self.factory() as uow:
            rows = search_customers(
                uow, text, 50, include_flagged=include_flagged, rights=self.actor.rights
            )
        return customer_entries(rows)

    @Slot()
    def change_documents(self) -> None:
        """Ctrl+H: XD04 for the customer on the screens (or typed on the initial screen)."""
        from custmd_gui.ui.change_documents_dialog import open_change_documents

        number = self.keys.number if self.keys else self.initial_values().get("KNA1-KUNNR", "")
        open_change_documents(self, self.factory, number, self.actor)

    @Slot()
    def field_help(self) -> None:
        fd, _widget = self._focused_field()
        if fd is None:
            return
        lang = i18n.language()
        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.tr("Help: {field}").format(field=fd.label.get(lang)),
            fd.help.get(lang),
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setObjectName("field_help")
        box.setInformativeText(f"{fd.key} · {fd.type} {fd.length}")
        self._modal(box)
