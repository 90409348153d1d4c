"""One-time bootstrap: writes forms/*.ui for the XD01 screens from the field catalog.

Afterwards the .ui files are the source, edited in Qt Designer; run this again only to start a
screen over (it overwrites). Labels in the forms are the Chinese catalog labels; the app sets
labels, tooltips and F1 help from the catalog at run time anyway.
"""

from __future__ import annotations

import sys
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from custmd_gui.catalog import FieldDef, catalog

FORMS = Path(__file__).resolve().parents[1] / "forms"

# The group boxes of each data screen: (title, field groups). Which screens, in which order and
# with which form class, says the catalog (catalog/screens.yaml).
SECTIONS: dict[str, list[tuple[str, list[str]]]] = {
    "address": [
        (
            "Name",
            [
                "address.title",
                "address.name",
                "address.english_name",
                "address.invoice_title",
                "address.name_additional",
            ],
        ),
        ("Search terms", ["address.search_term"]),
        (
            "Street address",
            ["address.street", "address.postal_city", "address.country", "address.region"],
        ),
        ("Communication", ["address.language", "communication.telephone", "communication.fax"]),
    ],
    "control": [
        ("Account control", ["control.authorization", "control.industry"]),
        ("Tax information", ["control.tax_numbers", "control.vat"]),
    ],
    "payment": [("Bank details", ["payment.bank_details"])],
    "marketing": [("Classification", ["marketing.nielsen", "marketing.legal_status"])],
    "account": [
        (
            "Accounting information",
            ["account.reconciliation", "account.sort_key", "account.authorization"],
        )
    ],
    "cc_payment": [("Payment data", ["cc_payment.terms"])],
    "sales": [
        (
            "Sales order",
            [
                "sales.district",
                "sales.office",
                "sales.group",
                "sales.customer_group",
                "sales.authorization",
                "sales.currency",
            ],
        ),
        (
            "Pricing/Statistics",
            [
                "sales.price_group",
                "sales.pricing_procedure",
                "sales.price_list",
                "sales.statistics_group",
            ],
        ),
    ],
    "shipping": [("Shipping", ["shipping.conditions", "shipping.plant"])],
    "billing": [
        ("Delivery and payment terms", ["billing.incoterms", "billing.payment_terms"]),
        ("Accounting", ["billing.account_assignment"]),
        ("Taxes", ["billing.tax_classification"]),
    ],
    "partner": [("Partner functions", ["partner.functions"])],
}

# Tables edited as a grid on their screen: widget name = table name.
GRID_TABLES = {"KNBK", "KNVI", "KNVP"}

INITIAL_REFERENCE = [
    ("REF_KUNNR", "Customer", 10),
    ("REF_BUKRS", "Company code", 4),
    ("REF_VKORG", "Sales organization", 4),
    ("REF_VTWEG", "Distribution channel", 2),
    ("REF_SPART", "Division", 2),
]


def _string(name: str, value: str, *, translate: bool = True) -> str:
    # Catalog texts are set by the app from the catalog in the user's language; marking the
    # form's copies notr keeps them out of the translation file.
    notr = "" if translate else ' notr="true"'
    return f'<property name="{name}"><string{notr}>{escape(value)}</string></property>'


def _max_width(length: int) -> str:
    # As in SAP, a field is as wide as what it takes rather than as the window: a 2-character
    # code does not stretch over 1000 pixels. Logical pixels, 8 per character (digits and Latin
    # letters of a 9-10 pt UI font take 6-8, Chinese characters 12: names scroll after ~25).
    width = max(64, 24 + 8 * min(length, 40))
    return (
        '<property name="maximumSize"><size><width>'
        f"{width}</width><height>16777215</height></size></property>"
    )


class Form:
    def __init__(self, cls: str) -> None:
        self.cls = cls
        self.parts: list[str] = []
        self.tabstops: list[str] = []

    def field_rows(
        self, fields: list[tuple[str, str, int, bool]], *, catalog_labels: bool = True
    ) -> str:
        rows = []
        for i, (name, label, length, flag) in enumerate(fields):
            rows.append(
                f'<item row="{i}" column="0"><widget class="QLabel" name="label_{name}">'
                f"{_string('text', label, translate=not catalog_labels)}"
                f'<property name="buddy"><cstring>{name}</cstring></property></widget></item>'
            )
            if flag:
                widget = f'<widget class="QCheckBox" name="{name}"/>'
            else:
                widget = (
                    f'<widget class="QLineEdit" name="{name}"><property name="maxLength">'
                    f"<number>{length}</number></property>{_max_width(length)}</widget>"
                )
            rows.append(f'<item row="{i}" column="1">{widget}</item>')
            self.tabstops.append(name)
        return "".join(rows)

    def group(self, ident: str, title: str, inner: str, layout: str = "QFormLayout") -> None:
        self.parts.append(
            f'<item><widget class="QGroupBox" name="group_{ident}">{_string("title", title)}'
            f'<layout class="{layout}" name="layout_{ident}">{inner}</layout></widget></item>'
        )

    def grid(self, table: str, columns: list[FieldDef]) -> str:
        headers = "".join(
            f"<column>{_string('text', c.label.zh, translate=False)}</column>" for c in columns
        )
        self.tabstops.append(table)
        return (
            f'<item><widget class="QTableWidget" name="{table}">'
            f'<property name="columnCount"><number>{len(columns)}</number></property>'
            f"{headers}</widget></item>"
        )

    def xml(self, columns: int = 1) -> str:
        tabstops = "".join(f"<tabstop>{t}</tabstop>" for t in self.tabstops)
        if columns > 1:
            # Side by side, so that tall screens fit beside the step list at 1366x768;
            # the tab order runs down the left column, then down the right one.
            per = -(-len(self.parts) // columns)
            cols = [self.parts[i : i + per] for i in range(0, len(self.parts), per)]
            self.parts = [
                '<item><layout class="QHBoxLayout" name="columns">'
                + "".join(
                    f'<item><layout class="QVBoxLayout" name="column_{i}">{"".join(c)}'
                    f'<item><spacer name="column_spacer_{i}"><property name="orientation">'
                    "<enum>Qt::Orientation::Vertical</enum></property></spacer></item>"
                    "</layout></item>"
                    for i, c in enumerate(cols)
                )
                + "</layout></item>"
            ]
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<ui version="4.0">\n'
            f" <class>{self.cls}</class>\n"
            f' <widget class="QWidget" name="{self.cls}">\n'
            '  <property name="geometry"><rect><x>0</x><y>0</y><width>860</width>'
            "<height>520</height></rect></property>\n"
            f'  <layout class="QVBoxLayout" name="layout_{self.cls}">\n   '
            + "\n   ".join(self.parts)
            + '\n   <item><spacer name="bottom_spacer"><property name="orientation">'
            "<enum>Qt::Orientation::Vertical</enum></property></spacer></item>\n"
            "  </layout>\n </widget>\n"
            f" <tabstops>{tabstops}</tabstops>\n <resources/>\n <connections/>\n</ui>\n"
        )


def _line(fd: FieldDef) -> tuple[str, str, int, bool]:
    return (fd.object_name, fd.label.zh, fd.length, fd.type == "FLAG")


def initial_form() -> str:
    cat = catalog()
    form = Form(cat.screens["initial"].form or "InitialScreen")
    keys = ["KNA1-KTOKD", "KNA1-KUNNR", "KNB1-BUKRS"]
    form.group("customer", "Customer", form.field_rows([_line(cat.field(k)) for k in keys]))
    area = ["KNVV-VKORG", "KNVV-VTWEG", "KNVV-SPART"]
    form.group("sales_area", "Sales area", form.field_rows([_line(cat.field(k)) for k in area]))
    form.group(
        "reference",
        "Reference",
        form.field_rows(
            [(name, label, length, False) for name, label, length in INITIAL_REFERENCE],
            catalog_labels=False,
        ),
    )
    return form.xml()


def screen_form(cls: str, sections: list[tuple[str, list[str]]], columns: int = 1) -> str:
    cat = catalog()
    form = Form(cls)
    for i, (title, groups) in enumerate(sections):
        fields = [f for g in groups for f in cat if f.field_group == g]
        lines = [_line(f) for f in fields if f.table not in GRID_TABLES]
        grids = sorted({f.table for f in fields if f.table in GRID_TABLES})
        if lines:
            form.group(f"s{i}", title, form.field_rows(lines))
        for table in grids:
            form.group(f"s{i}_{table}", title, form.grid(table, cat.table(table)), "QVBoxLayout")
    return form.xml(columns)


def main() -> None:
    FORMS.mkdir(exist_ok=True)
    (FORMS / "initial.ui").write_text(initial_form(), encoding="utf-8")
    screens = catalog().data_screens()
    for screen in screens:
        sections = SECTIONS[screen.id]
        columns = 2 if len(sections) > 2 else 1
        ui = screen_form(screen.form or "", sections, columns)
        (FORMS / f"{screen.id}.ui").write_text(ui, encoding="utf-8")
    print(f"wrote {len(screens) + 1} forms to {FORMS}")


if __name__ == "__main__":
    main()
