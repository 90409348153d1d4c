"""`custmd customer import`: customers from a filled template (XLSX or CSV), checked as the
wizard checks them, written through the create, extend and change services.

The run, in three steps:

1. read (import_reader) and group the rows into customers (import_rows);
2. check every customer, all at once, nothing written: the structure of its document
   (sap_document), the characters, the validator with the consistency rules, partners,
   the unified social credit code against the database (an error) and within the file,
   similar customers in the database (a warning, as XD01 asks); a customer the database
   already holds (by KNA1-ALTKN, else by KNA1-KUNNR) is updated or skipped as the mode says;
3. unless it is a dry run, or errors remain and good rows were not accepted: write each
   customer in its own transaction (the services'), so that a crash leaves whole customers
   only and a rerun of the same file skips or updates what was written (never a duplicate).

Change documents carry the origin `import` and the file's name as their comment. The failed
customers' rows go to FILE.errors.xlsx (the template's layout, a 错误 column) to be fixed and
imported again."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from custmd_gui.catalog import Text
from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.errors import DomainError, Problem, Severity, errors_only
from custmd_gui.domain.field_status import Activity
from custmd_gui.domain.model import Customer
from custmd_gui.domain.sap_document import from_document, to_document
from custmd_gui.domain.validation import Validator, input_problems
from custmd_gui.persistence.tables import Kna1
from custmd_gui.persistence.unit_of_work import UnitOfWork
from custmd_gui.services.change import change_customer, open_for_change
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer, extend_customer, validated_new
from custmd_gui.services.duplicates import DuplicateHit, find_duplicates_each, uscc_problems_many
from custmd_gui.services.locks import release_lock
from custmd_gui.services.partner_checks import customer_partner_problems
from custmd_gui.services.ports import UowFactory
from custmd_gui.services.transfer.import_errors import error_file_of, write_error_file
from custmd_gui.services.transfer.import_memory import Packer, give_back
from custmd_gui.services.transfer.import_partners import (
    file_partners,
    without_partners,
    write_order,
)
from custmd_gui.services.transfer.import_reader import ImportProblem, read_file
from custmd_gui.services.transfer.import_report import ImportReport, Mode, Outcome
from custmd_gui.services.transfer.import_rows import (
    FileCustomer,
    group_rows,
    locate,
    merged_document,
    new_document,
)
from custmd_gui.services.transfer.import_write import BATCH, create_batch

ORIGIN = "import"
PARTNER = "KNVP-KUNN2"
SIMILAR_CHUNK = 1_000  # customers checked, then packed, together
# New customers whose duplicate check shares one read: against a million stored customers,
# a read for 1,000 held some 280 MB of candidates at once, for 250 some 100 MB (10% more
# CPU; 100: 50 MB, 27% more).
DUPLICATE_CHUNK = 250
# The longest the check keeps its read transaction while it works without reading: well
# below the server's IDLE_IN_TRANSACTION_TIMEOUT_S, on a busy machine too.
READ_PAUSE_S = 2.0
_NO_PARTNERS: frozenset[str] = frozenset()  # one for the many customers without


@dataclass(slots=True)
class _Plan:
    source: FileCustomer
    number: str = ""  # the stored customer's number, when it exists
    # What is to be written and the stored customer: models while the plan is checked or
    # written, else packed (a large file's checked customers are all held in between).
    customer: Customer | None = None
    stored: Customer | None = None
    packed: tuple[bytes, bytes] | None = None  # (customer, stored or b"")
    outcome: Outcome = Outcome.CHECKED
    # partners that are new in the file
    waits_for: AbstractSet[str] = _NO_PARTNERS
    similar: ImportProblem | None = None  # the duplicate check's warning

    def pack(self, packer: Packer) -> None:
        """The models as compressed JSON (a model takes fifty times the memory)."""
        if self.customer is not None:
            stored = packer.pack(self.stored) if self.stored else b""
            self.packed = (packer.pack(self.customer), stored)
        self.customer = self.stored = None

    def unpack(self, packer: Packer) -> None:
        if self.packed is not None:
            customer, stored = self.packed
            self.customer = packer.unpack(customer)
            self.stored = packer.unpack(stored) if stored else None
            self.packed = None


Progress = Callable[[int, int], bool]  # (done, total) -> go on?


def import_customers(
    uow_factory: UowFactory,
    path: Path,
    actor: Actor,
    *,
    mode: Mode = Mode.UPSERT,
    dry_run: bool = False,
    accept_good_rows: bool = False,
    error_file: Path | None = None,
    progress: Progress | None = None,
    lang: str = "zh",
) -> ImportReport:
    """Import the customers of `path` (see the module). UnreadableFile when the file cannot
    be read at all; every other problem is in the report."""
    path = Path(path)
    clock, cpu = time.perf_counter(), time.process_time()
    read = read_file(path)
    give_back()  # the workbook's cells
    report = ImportReport(path, mode, dry_run)
    clock, cpu = report.lap("read", clock, cpu)
    customers, loose = group_rows(read)
    if not read.rows and not read.problems:
        loose.append(
            ImportProblem(
                path.name,
                None,
                "",
                "",
                Text(zh="文件中没有数据行，未导入任何客户", en="The file holds no data rows"),
                Severity.WARNING,
            )
        )
    if read.problems:
        where = {(r.sheet_name, r.number): c for c in customers for r in c.all_rows()}
        for problem in read.problems:
            owner = where.get((problem.sheet, problem.row or 0))
            if owner is not None:
                owner.problems.append(problem)
            else:
                loose.append(problem)
        del where
    laps = [clock, cpu]
    packer = Packer()

    def similar(plans: Sequence[_Plan]) -> None:
        """The duplicate check of a chunk of checked customers, timed as its own phase."""
        laps[:] = report.lap("validate", *laps)
        for i in range(0, len(plans), DUPLICATE_CHUNK):
            _similar(uow_factory, plans[i : i + DUPLICATE_CHUNK], actor)
        laps[:] = report.lap("duplicates", *laps)

    with uow_factory() as uow:
        cust = uow.customizing.load()
        plans = _check(uow, cust, customers, read.headers, mode, actor, similar, packer)
    clock, cpu = report.lap("validate", *laps)
    report.seconds.setdefault("duplicates", 0.0)
    report.cpu_seconds.setdefault("duplicates", 0.0)
    report.problems = loose + [p for plan in plans for p in plan.source.problems]
    blocked = any(p.severity is Severity.ERROR for p in loose) or (
        bool(report.errors) and not accept_good_rows
    )
    import_actor = dataclasses.replace(actor, origin=ORIGIN)
    comment = f"{ORIGIN} {path.name}"
    # A partner named in the same file is written before the customer naming it.
    ordered = write_order(plans, lambda p: p.source.kunnr, lambda p: p.waits_for)

    def one(plan: _Plan) -> None:
        _write(uow_factory, plan, import_actor, cust, comment)

    def new(plan: _Plan) -> bool:
        # Not stored: no number found for it (its models are packed, plan.stored is None).
        return not plan.number and plan.outcome is Outcome.CHECKED and not plan.source.failed

    done = 0
    # What report.problems holds, to ask in constant time (a file with many warnings).
    reported = set(report.problems)
    write = not (dry_run or blocked)
    for chunk in _chunks(ordered, new):
        for plan in chunk:
            if plan.source.failed:
                plan.outcome = Outcome.FAILED
            elif write:
                plan.unpack(packer)
        if write and len(chunk) > 1 and new(chunk[0]):
            stored = create_batch(uow_factory, chunk, import_actor, cust, comment, one)
            for plan, customer in zip(chunk, stored or [], strict=False):
                plan.number, plan.outcome = customer.number, Outcome.CREATED
        elif write and chunk[0].outcome is Outcome.CHECKED and not chunk[0].source.failed:
            one(chunk[0])
        go_on = True
        for plan in chunk:
            unseen = [p for p in plan.source.problems if p not in reported]
            report.problems += unseen
            reported.update(unseen)
            report.outcomes.append((plan.source.label, plan.outcome, plan.number))
            # Written or not, its models are not needed again.
            plan.customer = plan.stored = None
            plan.packed = None
            done += 1
            go_on = go_on and (progress is None or progress(done, len(plans)))
        if done // SIMILAR_CHUNK != (done - len(chunk)) // SIMILAR_CHUNK:
            give_back()  # the written customers' models and rows
        if not go_on:
            break
    report.lap("write", clock, cpu)
    failed = [p.source for p in plans if p.outcome is Outcome.FAILED]
    target = error_file or error_file_of(path)
    if failed or any(p.severity is Severity.ERROR for p in loose):
        report.error_file = write_error_file(target, read, failed, loose, lang)
    return report


def _chunks(plans: Sequence[_Plan], new: Callable[[_Plan], bool]) -> Iterator[list[_Plan]]:
    """Runs of new customers (written in one transaction each), every other plan alone. A run
    is as long as all new ones before it, up to BATCH (1, 1, 2, 4, ...): the first customers
    are stored, and the progress shown, at once, and a cancel is never a whole batch late."""
    run: list[_Plan] = []
    before = 0  # new customers in the runs so far
    for plan in plans:
        if new(plan):
            run.append(plan)
            if len(run) >= min(BATCH, max(1, before)):
                before += len(run)
                yield run
                run = []
            continue
        if run:
            before += len(run)
            yield run
            run = []
        yield [plan]
    if run:
        yield run


def _stored_numbers(uow: UnitOfWork, customers: Sequence[FileCustomer]) -> dict[str, str]:
    """Previous account number -> stored customer number, for the file's customers."""
    wanted = sorted({c.altkn for c in customers if c.altkn})
    found: dict[str, str] = {}
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        rows = uow.session.execute(select(Kna1.altkn, Kna1.kunnr).where(Kna1.altkn.in_(chunk)))
        for altkn, kunnr in rows:
            found.setdefault(altkn, kunnr)
    return found


def _check(
    uow: UnitOfWork,
    cust: Customizing,
    customers: Sequence[FileCustomer],
    headers: dict[str, list[str]],
    mode: Mode,
    actor: Actor,
    similar: Callable[[Sequence[_Plan]], None],
    packer: Packer,
) -> list[_Plan]:
    """The plan of every customer, its problems found; `similar` is the duplicate check of
    a chunk of checked new customers. The models are packed a chunk at a time."""
    by_altkn = _stored_numbers(uow, customers)
    existing = uow.customers.existing(c.kunnr for c in customers if c.kunnr)
    # External numbers of customers the file adds: partners of others in the file.
    in_file = {c.kunnr for c in customers if c.kunnr and c.kunnr not in existing}
    in_file -= {c.kunnr for c in customers if c.altkn in by_altkn}
    # a file's customers repeat most values; migrated customers keep their numbers
    validator = Validator(cust, remember=True, keep_numbers=True)
    plans: list[_Plan] = []
    began = time.monotonic()
    done = 0  # plans whose chunk is checked against the database and packed
    for source in customers:
        if len(plans) - done >= SIMILAR_CHUNK:
            _check_chunk(uow, plans[done:], actor, similar, packer)
            done = len(plans)
        if time.monotonic() - began > READ_PAUSE_S:
            # Checking new customers reads nothing: PostgreSQL would end a transaction
            # that idles through tens of thousands of them (idle_in_transaction_session_
            # timeout). Nothing read so far depends on staying in one transaction.
            uow.session.rollback()
            began = time.monotonic()
        plan = _Plan(source)
        plans.append(plan)
        number = by_altkn.get(source.altkn, "") if source.altkn else ""
        if not number and source.kunnr in existing:
            number = source.kunnr
        if number and source.kunnr and source.kunnr != number:
            source.problems.append(
                locate(
                    Problem(
                        "KNA1-KUNNR",
                        "",
                        Text(
                            zh=f"原客户编号 {source.altkn} 属于已有客户 {number}，"
                            f"不是客户 {source.kunnr}",
                            en=f"Previous account number {source.altkn} belongs to customer "
                            f"{number}, not to {source.kunnr}",
                        ),
                    ),
                    source,
                )
            )
            continue
        plan.number = number
        if number and mode is Mode.INSERT:
            plan.outcome = Outcome.SKIPPED
            continue
        if not number and mode is Mode.UPDATE:
            source.problems.append(
                locate(
                    Problem(
                        "KNA1-ALTKN" if source.altkn else "KNA1-KUNNR",
                        "",
                        Text(
                            zh=f"客户 {source.label} 不存在（更新模式只更新已有的客户）",
                            en=f"Customer {source.label} does not exist (update mode only "
                            "updates stored customers)",
                        ),
                    ),
                    source,
                )
            )
            continue
        problems = _customer_problems(uow, cust, validator, plan, headers, in_file)
        source.problems += [locate(p, source) for p in problems]
    _check_chunk(uow, plans[done:], actor, similar, packer)
    _failed_file_partners(plans)
    return plans


def _check_chunk(
    uow: UnitOfWork,
    plans: Sequence[_Plan],
    actor: Actor,
    similar: Callable[[Sequence[_Plan]], None],
    packer: Packer,
) -> None:
    """The credit codes held by other customers (an error) and similar stored customers (a
    warning) of a chunk of checked customers, each in one read; then their models packed."""
    checked = [p for p in plans if p.customer is not None]
    held = uscc_problems_many(uow, [p.customer for p in checked if p.customer], actor)
    for plan, problems in zip(checked, held, strict=True):
        plan.source.problems += [locate(p, plan.source) for p in problems]
    similar([p for p in checked if p.stored is None and not p.source.failed])
    for plan in plans:
        plan.pack(packer)
    give_back()  # the chunk's models and the duplicate check's candidates


def _failed_file_partners(plans: Sequence[_Plan]) -> None:
    """A customer whose partner of the file has errors cannot be written either."""
    failed = {p.source.kunnr for p in plans if p.source.failed and p.source.kunnr}
    more = True
    while more:
        more = False
        for plan in plans:
            bad = sorted(plan.waits_for & failed)
            if not bad or plan.source.failed:
                continue
            for number in bad:
                text = Text(
                    zh=f"合伙人 {number} 是本文件中的新客户，但该客户有错误，不能导入",
                    en=f"Partner {number} is a new customer of this file that has errors",
                )
                plan.source.problems.append(locate(Problem(PARTNER, "", text), plan.source))
            if plan.similar is not None:
                # The duplicate check ran before the partners' errors were known: as
                # for every failed customer, it has nothing to say.
                plan.source.problems.remove(plan.similar)
                plan.similar = None
            if plan.source.kunnr:
                failed.add(plan.source.kunnr)
            more = True


def _customer_problems(
    uow: UnitOfWork,
    cust: Customizing,
    validator: Validator,
    plan: _Plan,
    headers: dict[str, list[str]],
    in_file: set[str],
) -> list[Problem]:
    source = plan.source
    stored = uow.customers.get(plan.number) if plan.number else None
    try:
        if stored is not None:
            customer = from_document(merged_document(to_document(stored), source, headers))
            customer = customer.with_number(stored.number)
        else:
            customer = from_document(new_document(source))
    except DomainError as exc:
        return exc.problems
    if unseen := input_problems(customer):
        return unseen
    if stored is not None:
        plan.stored, plan.customer = stored, customer
        found = validator.validate(customer, Activity.CHANGE, before=stored, check_number=False)
        problems = errors_only(found)
        plan.waits_for = frozenset(file_partners(customer, in_file)) or _NO_PARTNERS
        checked = without_partners(customer, plan.waits_for)
        problems += errors_only(customer_partner_problems(uow, checked))
        return problems
    prepared, problems = validated_new(customer, cust, validator)
    plan.customer = prepared
    plan.waits_for = frozenset(file_partners(prepared, in_file)) or _NO_PARTNERS
    checked = without_partners(prepared, plan.waits_for)
    problems += errors_only(customer_partner_problems(uow, checked))
    return problems


def _similar(uow_factory: UowFactory, plans: Sequence[_Plan], actor: Actor) -> None:
    """Similar stored customers: a warning, as XD01's duplicate check asks (the same credit
    code is an error, reported by the check); a chunk of customers in one read."""
    found = find_duplicates_each(
        uow_factory, [p.customer for p in plans if p.customer is not None], limit=3, actor=actor
    )
    for plan, hits in zip(plans, found, strict=True):
        if hits:
            _warn_similar(plan, hits)


def _warn_similar(plan: _Plan, hits: Sequence[DuplicateHit]) -> None:
    zh = "、".join(f"{h.number}（{h.name}，{h.reason_text('zh')}）" for h in hits)
    en = ", ".join(f"{h.number} ({h.name}, {h.reason_text('en')})" for h in hits)
    problem = Problem(
        "KNA1-NAME1",
        "",
        Text(zh=f"可能是重复的客户：相似的已有客户 {zh}", en=f"Possibly a duplicate of {en}"),
        Severity.WARNING,
    )
    plan.similar = locate(problem, plan.source)
    plan.source.problems.append(plan.similar)


def _write(
    uow_factory: UowFactory, plan: _Plan, actor: Actor, cust: Customizing, comment: str
) -> None:
    """One customer, each service call its own transaction; a refusal fails the customer."""
    assert plan.customer is not None
    if plan.stored is not None and to_document(plan.customer) == to_document(plan.stored):
        # A rerun of the same file: nothing to lock, check or write.
        plan.outcome = Outcome.UNCHANGED
        return
    try:
        if plan.stored is None:
            created = create_customer(
                uow_factory,
                plan.customer,
                actor,
                customizing=cust,
                comment=comment,
                keep_number=True,
            )
            plan.number, plan.outcome = created.number, Outcome.CREATED
            return
        plan.outcome = _update(uow_factory, plan.stored, plan.customer, actor, cust, comment)
    except DomainError as exc:
        plan.source.problems += [locate(p, plan.source) for p in exc.problems]
        plan.outcome = Outcome.FAILED


def _update(
    uow_factory: UowFactory,
    stored: Customer,
    customer: Customer,
    actor: Actor,
    cust: Customizing,
    comment: str,
) -> Outcome:
    """Change what the stored segments hold (XD02), then add the new segments (extend)."""
    number = stored.number
    codes = {c.company_code for c in stored.company_codes}
    areas = {a.segment_key for a in stored.sales_areas}
    new_codes = [c for c in customer.company_codes if c.company_code not in codes]
    new_areas = [a for a in customer.sales_areas if a.segment_key not in areas]
    changed = customer.model_copy(deep=True)
    changed.company_codes = [c for c in changed.company_codes if c.company_code in codes]
    changed.sales_areas = [a for a in changed.sales_areas if a.segment_key in areas]
    outcome = Outcome.UNCHANGED
    lock, current = open_for_change(uow_factory, number, actor)
    try:
        result = change_customer(
            uow_factory,
            number,
            changed,
            actor,
            expected_version=current.version,
            lock=lock,
            customizing=cust,
            release=True,
            comment=comment,
        )
    except BaseException:
        release_lock(uow_factory, lock)
        raise
    if result.changed:  # the lock went back with the save (release=True)
        outcome = Outcome.UPDATED
    if new_codes or new_areas:
        extend_customer(
            uow_factory,
            number,
            actor,
            company_codes=new_codes,
            sales_areas=new_areas,
            customizing=cust,
            comment=comment,
        )
        outcome = Outcome.UPDATED
    return outcome
