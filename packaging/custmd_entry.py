"""The frozen app's entry point (PyInstaller runs this file as its script): `custmd` as the
console script runs it, with a guard for the windowed Windows executable."""

import os
import sys

# The windowed Windows executable (custmd.exe) has no console: sys.stdout and sys.stderr are
# None there, and the command's final flush must not fail on that.
for _name in ("stdout", "stderr"):
    if getattr(sys, _name) is None:
        setattr(sys, _name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115

from custmd_gui.cli import main  # noqa: E402

raise SystemExit(main())
