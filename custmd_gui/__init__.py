"""custmd: customer master data maintenance in the manner of SAP's XD01 family."""

__version__ = "0.1.0"
