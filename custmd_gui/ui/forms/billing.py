"""forms/billing.ui as compiled by uic, imported by name so the type checker sees its class."""

from custmd_gui.ui.generated.ui_billing import Ui_BillingScreen

__all__ = ["Ui_BillingScreen"]
