"""forms/payment.ui as compiled by uic, imported by name so the type checker sees its class."""

from custmd_gui.ui.generated.ui_payment import Ui_PaymentScreen

__all__ = ["Ui_PaymentScreen"]
