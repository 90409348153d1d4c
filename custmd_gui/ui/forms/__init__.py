"""The compiled Qt Designer forms, one importable module per form.

The code uic writes lives in custmd_gui/ui/generated/ (git-ignored, written by the build hook
from forms/*.ui); each module here names its form's class, so that the type checker sees the
`Ui_…` class and its widgets where a string import would give it nothing to check.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QWidget

from custmd_gui.ui.forms import (
    account,
    address,
    billing,
    cc_payment,
    control,
    initial,
    marketing,
    partner,
    payment,
    sales,
    shipping,
)


class Form(Protocol):
    """What every compiled form offers: build the widgets, set the translated texts."""

    def setupUi(self, widget: QWidget, /) -> None: ...

    def retranslateUi(self, widget: QWidget, /) -> None: ...


# screen -> its form's class (forms/<screen>.ui).
FORMS: dict[str, type[Form]] = {
    "initial": initial.Ui_InitialScreen,
    "address": address.Ui_AddressScreen,
    "control": control.Ui_ControlScreen,
    "payment": payment.Ui_PaymentScreen,
    "marketing": marketing.Ui_MarketingScreen,
    "account": account.Ui_AccountScreen,
    "cc_payment": cc_payment.Ui_CompanyPaymentScreen,
    "sales": sales.Ui_SalesScreen,
    "shipping": shipping.Ui_ShippingScreen,
    "billing": billing.Ui_BillingScreen,
    "partner": partner.Ui_PartnerScreen,
}
