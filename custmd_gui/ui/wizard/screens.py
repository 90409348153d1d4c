"""The wizard's screens: the initial screen and the data screens built from their compiled
forms (the data screens when first shown), each bound to the catalog and scrolling when tall;
they show a session's document and hand back what was typed."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLineEdit, QScrollArea, QStackedWidget, QWidget

from custmd_gui.catalog import Catalog
from custmd_gui.domain.field_status import FieldStatus
from custmd_gui.ui.code_texts import CodeTexts
from custmd_gui.ui.field_binding import ScreenBinding
from custmd_gui.ui.form_rows import form_row
from custmd_gui.ui.forms import FORMS, Form
from custmd_gui.ui.forms.initial import Ui_InitialScreen
from custmd_gui.ui.length_guard import guard_field
from custmd_gui.ui.qtutils import set_flag
from custmd_gui.wizard import Document
from custmd_gui.wizard.screens import REFERENCE_AS

# Keys typed in upper case whatever the clerk typed (codes).
_UPPER = ("KNA1-KTOKD", "KNB1-BUKRS", "KNVV-VKORG")


def load_form(
    screen: str, ui: Form | None = None, parent: QWidget | None = None
) -> tuple[QWidget, Form]:
    """The screen's widget and its compiled form object (for retranslateUi)."""
    form = ui if ui is not None else FORMS[screen]()
    widget = QWidget(parent)
    widget.setObjectName(f"screen_{screen}")
    form.setupUi(widget)
    return widget, form


class ScreenStack(QStackedWidget):
    """The screens one above the other; `added` hears of every data screen built."""

    def __init__(
        self,
        cat: Catalog,
        language: Callable[[], str],
        statuses: Callable[[], Mapping[str, FieldStatus]],
        added: Callable[[ScreenBinding], None],
        parent: QWidget | None = None,
        texts: CodeTexts | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("screens")
        self.catalog = cat
        self._language = language
        self._statuses = statuses
        self._added = added
        self.texts = texts  # the texts beside the codes (ui/code_texts.py)
        self.pages: dict[str, QWidget] = {}
        self.forms: dict[str, Form] = {}
        self.scrolls: dict[str, QScrollArea] = {}
        self.bindings: dict[str, ScreenBinding] = {}
        self.initial = Ui_InitialScreen()
        self.add("initial", self.initial)
        self.reference_edits: dict[str, QLineEdit] = {
            "REF_KUNNR": self.initial.REF_KUNNR,
            "REF_BUKRS": self.initial.REF_BUKRS,
            "REF_VKORG": self.initial.REF_VKORG,
            "REF_VTWEG": self.initial.REF_VTWEG,
            "REF_SPART": self.initial.REF_SPART,
        }
        for name, edit in self.reference_edits.items():
            guard_field(edit, cat.field(REFERENCE_AS[name]))
        if texts is not None:
            for name, edit in self.reference_edits.items():
                texts.attach_edit(edit, cat.field(REFERENCE_AS[name]))

    def add(self, screen: str, ui: Form | None = None) -> ScreenBinding:
        # A tall screen scrolls rather than squeezing its fields on a small laptop screen.
        scroll = QScrollArea(self)
        scroll.setObjectName(f"scroll_{screen}")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        # The form is made inside the window, under its style sheet: made apart and then put
        # in, every widget of it would be polished again (the slowest part of a new screen).
        page, form = load_form(screen, ui, scroll.viewport())
        self.forms[screen] = form
        binding = ScreenBinding.bind(screen, page, self.catalog)
        binding.apply_texts(self._language(), self._statuses())
        if self.texts is not None:
            self.texts.attach(binding)
        scroll.setWidget(page)
        self.addWidget(scroll)
        self.pages[screen] = page
        self.scrolls[screen] = scroll
        self.bindings[screen] = binding
        if screen != "initial":
            self._added(binding)
        return binding

    def binding(self, screen: str) -> ScreenBinding:
        return self.bindings.get(screen) or self.add(screen)

    def current_screen(self) -> str:
        current = self.currentWidget()
        return next((s for s, scroll in self.scrolls.items() if scroll is current), "initial")

    def show_screen(self, screen: str) -> ScreenBinding:
        binding = self.binding(screen)
        self.setCurrentWidget(self.scrolls[screen])
        return binding

    # -- the initial screen -----------------------------------------------------------------

    def ask_for_stored_customer(self) -> None:
        """XD02 and XD03 ask only which customer and which segments: no account group and no
        reference."""
        layout = self.initial.layout_customer
        layout.setRowVisible(form_row(layout, self.initial.KNA1_KTOKD), False)
        self.initial.group_reference.hide()

    def initial_values(self) -> dict[str, str]:
        values = {k: str(v) for k, v in self.bindings["initial"].values().items()}
        for name, edit in self.reference_edits.items():
            values[name] = edit.text().strip().upper()
        for key in _UPPER:
            values[key] = values.get(key, "").upper()
        return values

    def set_initial(self, values: Mapping[str, str]) -> None:
        self.bindings["initial"].set_values(values)

    def clear_reference(self) -> None:
        for edit in self.reference_edits.values():
            edit.clear()

    # -- the data screens -------------------------------------------------------------------

    def apply_statuses(self, active: Iterable[str]) -> None:
        statuses = self._statuses()
        lang = self._language()
        for screen in active:
            binding = self.binding(screen)
            binding.apply_texts(lang, statuses)
            binding.apply_status(statuses)

    def show_document(self, active: Iterable[str], document: Document) -> None:
        """Fields on every screen in use that has them; grid rows on the grid's screen."""
        fields = {k: v for k, v in document.items() if not isinstance(v, list)}
        for screen in active:
            binding = self.binding(screen)
            binding.set_values(fields)
            for table, grid in binding.grids.items():
                if table in document:
                    grid.set_rows(document[table])

    def collect(self, active: Iterable[str]) -> Document:
        """Everything on the data screens: {field key: value} and grid rows per table."""
        values: Document = {}
        for screen in active:
            binding = self.binding(screen)
            values.update(binding.values())
            for table, grid in binding.grids.items():
                values[table] = grid.rows()
        return values

    def clear_data(self) -> None:
        for screen, binding in self.bindings.items():
            if screen != "initial":
                binding.clear()
                binding.mark_errors(set())

    def mark_errors(self, keys_by_screen: Mapping[str, set[str]], screens: Iterable[str]) -> None:
        for screen in screens:
            self.bindings[screen].mark_errors(keys_by_screen.get(screen, set()))
        for edit in self.reference_edits.values():
            set_flag(edit, "error", False)

    def retranslate(self) -> None:
        lang = self._language()
        for screen, binding in self.bindings.items():
            # The forms' own texts (group titles) first; it also puts back the forms' copies of
            # catalog labels, which apply_texts then sets in the chosen language.
            self.forms[screen].retranslateUi(self.pages[screen])
            binding.apply_texts(lang, self._statuses())
        for edit in self.reference_edits.values():
            edit.setToolTip(
                QCoreApplication.translate(
                    "CustomerWizard", "Reference: the data of this customer are copied"
                )
            )
