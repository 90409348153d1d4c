"""Allows `python -m custmd_gui`."""

from custmd_gui.cli import main

raise SystemExit(main())
