"""The customizing window's transport: export the customizing (or the code list shown) to a
YAML file, import one after a preview of what it changes (services.customizing_transport)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from custmd_gui.domain.errors import DomainError
from custmd_gui.services.customizing_transport import (
    ImportPlan,
    export_customizing,
    import_customizing,
)
from custmd_gui.ui import i18n
from custmd_gui.ui.customizing.texts import problem_lines, tr_

if TYPE_CHECKING:
    from custmd_gui.services.context import Actor
    from custmd_gui.services.ports import UowFactory

MAX_PREVIEW_LINES = 200


class Transport:
    """Export and import for one window; `say` reports to its status line."""

    def __init__(
        self,
        parent: QWidget,
        factory: UowFactory,
        actor: Actor,
        say: Callable[[str], object],
        imported: Callable[[], object],
    ) -> None:
        self.parent, self.factory, self.actor = parent, factory, actor
        self.say, self.imported = say, imported

    def ask_export(self, list_id: str) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.parent, tr_("export_title"), "customizing.yaml", tr_("yaml_filter")
        )
        if path:
            self.export_to(Path(path), [list_id] if list_id else None)

    def export_to(self, path: Path, lists: list[str] | None = None) -> bool:
        """The customizing (only `lists`, without number ranges and account groups, if given)
        into `path`."""
        try:
            text = export_customizing(self.factory, self.actor, lists, structure=lists is None)
            path.write_text(text, encoding="utf-8")
        except DomainError as exc:
            self.say(problem_lines(exc.problems))
            return False
        except OSError as exc:
            self.say(tr_("file_failed").format(file=path, error=exc))
            return False
        self.say(tr_("exported").format(file=path))
        return True

    def ask_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.parent, tr_("import_title"), "", tr_("yaml_filter")
        )
        if path:
            self.import_from(Path(path), self._confirm)

    def import_from(self, path: Path, confirm: Callable[[ImportPlan], bool]) -> bool:
        """Preview the file's changes, and import them when `confirm` agrees; True if done."""
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.say(tr_("file_failed").format(file=path, error=exc))
            return False
        try:
            plan = import_customizing(self.factory, self.actor, text, dry_run=True)
            if not plan.changes:
                self.say(plan.summary(i18n.language()))
                return False
            if not confirm(plan):
                return False
            done = import_customizing(self.factory, self.actor, text)
        except DomainError as exc:
            self.say(problem_lines(exc.problems))
            return False
        self.say(done.summary(i18n.language()))
        self.imported()
        return True

    def _confirm(self, plan: ImportPlan) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            tr_("import_title"),
            tr_("import_question").format(summary=plan.summary(i18n.language())),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self.parent,
        )
        box.setObjectName("customizing_import_preview")
        lines = [c.line() for c in plan.changes[:MAX_PREVIEW_LINES]]
        if len(plan.changes) > MAX_PREVIEW_LINES:
            lines.append("…")
        box.setDetailedText("\n".join(lines))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes
