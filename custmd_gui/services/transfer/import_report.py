"""What an import did (services.transfer.import_file): its mode, each customer's outcome, the
problems, the time of each phase; the one line the window and the command tell."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from custmd_gui.domain.errors import Severity
from custmd_gui.services.transfer.import_sheet import ImportProblem


class Mode(StrEnum):
    INSERT = "insert"  # new customers only; those already stored are skipped
    UPDATE = "update"  # stored customers only; a new one is an error
    UPSERT = "upsert"  # both


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"  # stored already (insert mode)
    FAILED = "failed"
    CHECKED = "checked"  # good, but not written (dry run, or errors elsewhere)


@dataclass(slots=True)
class ImportReport:
    file: Path
    mode: Mode
    dry_run: bool
    problems: list[ImportProblem] = field(default_factory=list)
    outcomes: list[tuple[str, Outcome, str]] = field(default_factory=list)  # label, outcome, no.
    error_file: Path | None = None
    # Seconds by phase (read, validate, duplicates, write), for the benchmark.
    seconds: dict[str, float] = field(default_factory=dict)
    # The same phases' CPU seconds of this process: on a busy machine wall times mislead.
    cpu_seconds: dict[str, float] = field(default_factory=dict)

    def lap(self, phase: str, wall: float, cpu: float) -> tuple[float, float]:
        """Record the phase that began at (wall, cpu), added to what it took before (the
        check's phases take turns); the clocks' readings now."""
        now, now_cpu = time.perf_counter(), time.process_time()
        self.seconds[phase] = self.seconds.get(phase, 0.0) + now - wall
        self.cpu_seconds[phase] = self.cpu_seconds.get(phase, 0.0) + now_cpu - cpu
        return now, now_cpu

    @property
    def errors(self) -> list[ImportProblem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    def count(self, outcome: Outcome) -> int:
        return sum(1 for _, o, _ in self.outcomes if o is outcome)

    @property
    def written(self) -> int:
        return self.count(Outcome.CREATED) + self.count(Outcome.UPDATED)

    def summary(self, lang: str = "zh", *, error_file: bool = True) -> str:
        """One line of counts; `error_file`: with where the failed rows went."""
        c = {o: self.count(o) for o in Outcome}
        if lang == "en":
            head = "Dry run, nothing written: " if self.dry_run else ""
            text = (
                f"{head}{len(self.outcomes)} customers read: {c[Outcome.CREATED]} created, "
                f"{c[Outcome.UPDATED]} updated, {c[Outcome.UNCHANGED]} unchanged, "
                f"{c[Outcome.SKIPPED]} skipped (already stored), {c[Outcome.FAILED]} with "
                f"errors, {c[Outcome.CHECKED]} checked and not written; {len(self.errors)} errors"
            )
            if self.error_file and error_file:
                text += f"; failed rows in {self.error_file}"
            return text
        head = "试运行，未写入任何数据：" if self.dry_run else ""
        text = (
            f"{head}读取 {len(self.outcomes)} 个客户：创建 {c[Outcome.CREATED]} 个，"
            f"更新 {c[Outcome.UPDATED]} 个，未变 {c[Outcome.UNCHANGED]} 个，"
            f"跳过（已存在）{c[Outcome.SKIPPED]} 个，有错误 {c[Outcome.FAILED]} 个，"
            f"已检查未写入 {c[Outcome.CHECKED]} 个；错误 {len(self.errors)} 条"
        )
        if self.error_file and error_file:
            text += f"；出错的行已写入 {self.error_file}"
        return text
