"""The wizard's window title and header line: activity, customer, screen, and the blocks and
deletion flags of a stored customer in red."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication

from custmd_gui.domain.field_status import Activity
from custmd_gui.ui.wizard.steps import screen_title
from custmd_gui.wizard import Keys

TRANSACTIONS = {Activity.DISPLAY: "XD03", Activity.CHANGE: "XD02", Activity.CREATE: "XD01"}


def window_title_and_header(
    activity: Activity, keys: Keys | None, screen: str, name: str
) -> tuple[str, str]:
    """(window title, header rich text) for the keys (None: the initial screen), the screen
    shown and the customer's name as typed."""
    code = TRANSACTIONS[activity]
    if keys is None:
        if activity is Activity.DISPLAY:
            mode = QCoreApplication.translate("CustomerWizard", "Display customer: initial screen")
            title = QCoreApplication.translate("CustomerWizard", "Display customer (XD03)")
        elif activity is Activity.CHANGE:
            mode = QCoreApplication.translate("CustomerWizard", "Change customer: initial screen")
            title = QCoreApplication.translate("CustomerWizard", "Change customer (XD02)")
        else:
            mode = QCoreApplication.translate("CustomerWizard", "Create customer: initial screen")
            title = QCoreApplication.translate("CustomerWizard", "Create customer (XD01)")
    else:
        if activity is Activity.DISPLAY:
            mode = QCoreApplication.translate("CustomerWizard", "Display customer")
        elif activity is Activity.CHANGE:
            mode = QCoreApplication.translate("CustomerWizard", "Change customer")
        elif keys.extending:
            mode = QCoreApplication.translate("CustomerWizard", "Extend customer")
        else:
            mode = QCoreApplication.translate("CustomerWizard", "Create customer")
        title = f"{mode} ({code})"
        number = keys.number or QCoreApplication.translate("CustomerWizard", "(internal number)")
        mode = QCoreApplication.translate("CustomerWizard", "{mode}: {customer}").format(
            mode=mode, customer=f"{number} {name}"
        )
    shown = screen_title(screen)
    suffix = f" — {escape(shown)}" if shown else ""
    stored = activity is not Activity.CREATE
    marks = block_marks(keys) if stored and keys and keys.extending else []
    warning = (
        f'<br><span style="color:#c62828; font-weight:bold">{escape("  ".join(marks))}</span>'
        if marks
        else ""
    )
    return title, f"<b>{escape(mode)}</b>{suffix}{warning}"


def block_marks(keys: Keys) -> list[str]:
    """Blocks and deletion flags of the displayed customer and segments, for the header."""
    assert keys.extending is not None
    customer = keys.extending
    g = customer.general
    marks = []
    for value, text in (
        (g.order_block, QCoreApplication.translate("CustomerWizard", "Order block {code}")),
        (g.delivery_block, QCoreApplication.translate("CustomerWizard", "Delivery block {code}")),
        (g.billing_block, QCoreApplication.translate("CustomerWizard", "Billing block {code}")),
    ):
        if value:
            marks.append(text.format(code=value))
    if g.posting_block:
        marks.append(
            QCoreApplication.translate("CustomerWizard", "Posting block (all company codes)")
        )
    if g.deletion_flag:
        marks.append(QCoreApplication.translate("CustomerWizard", "Flagged for deletion"))
    cc = customer.company_code(keys.company_code) if keys.company_code else None
    if cc is not None and cc.posting_block:
        marks.append(
            QCoreApplication.translate("CustomerWizard", "Posting block in {code}").format(
                code=cc.company_code
            )
        )
    if cc is not None and cc.deletion_flag:
        marks.append(
            QCoreApplication.translate("CustomerWizard", "Flagged for deletion in {code}").format(
                code=cc.company_code
            )
        )
    sa = customer.sales_area(keys.sales_area_key) if keys.sales_area else None
    if sa is not None:
        for value, text in (
            (
                sa.order_block,
                QCoreApplication.translate("CustomerWizard", "Order block {code} in {area}"),
            ),
            (
                sa.delivery_block,
                QCoreApplication.translate("CustomerWizard", "Delivery block {code} in {area}"),
            ),
            (
                sa.billing_block,
                QCoreApplication.translate("CustomerWizard", "Billing block {code} in {area}"),
            ),
        ):
            if value:
                marks.append(text.format(code=value, area=sa.segment_key))
        if sa.deletion_flag:
            marks.append(
                QCoreApplication.translate(
                    "CustomerWizard", "Flagged for deletion in {area}"
                ).format(area=sa.segment_key)
            )
    return marks
