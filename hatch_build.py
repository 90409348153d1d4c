"""Hatch build hook: compile the Qt Designer forms before the package is built or installed."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class FormsBuildHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        path = Path(self.root) / "custmd_gui" / "ui" / "forms_build.py"
        spec = importlib.util.spec_from_file_location("_custmd_forms_build", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.compile_all(Path(self.root) / "forms", Path(self.root) / "custmd_gui/ui/generated")
