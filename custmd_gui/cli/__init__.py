"""The `custmd` command (`custmd_gui.cli:main`): main parses and dispatches, common holds what
every command shares, and one module per command group (db, customers, usage, status,
changes, users) adds its sub-commands and runs them."""

from custmd_gui.cli.main import main

__all__ = ["main"]
