"""forms/marketing.ui as compiled by uic, imported by name so the type checker sees its class."""

from custmd_gui.ui.generated.ui_marketing import Ui_MarketingScreen

__all__ = ["Ui_MarketingScreen"]
