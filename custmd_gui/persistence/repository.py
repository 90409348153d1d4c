"""Repositories: the customer aggregate and the customizing (number ranges: number_ranges;
change documents: change_documents)."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Table,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from custmd_gui.catalog import Text
from custmd_gui.domain.change_document import TABLE_ORDER, RowChange
from custmd_gui.domain.customizing import (
    AccountGroup,
    CodeList,
    CodeValue,
    Customizing,
    NumberRange,
)
from custmd_gui.domain.field_status import FieldStatus
from custmd_gui.domain.model import (
    BankDetail,
    CompanyCodeData,
    Customer,
    SalesAreaData,
)
from custmd_gui.domain.search_terms import customer_tokens, indexed, segment_tokens
from custmd_gui.persistence.bulk_insert import insert_rows
from custmd_gui.persistence.customer_reader import assemble, read_page
from custmd_gui.persistence.find_index import FindIndex
from custmd_gui.persistence.mapping import row_values
from custmd_gui.persistence.search_index import SearchIndex
from custmd_gui.persistence.tables import (
    SEGMENT_TABLES,
    AccountGroupRow,
    Base,
    CodeListRow,
    CodeValueRow,
    FieldStatusRow,
    Kna1,
    Knb1,
    Knbk,
    Knvi,
    Knvp,
    Knvv,
    NumberRangeRow,
)


class CustomerRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def existing(self, numbers: Iterable[str]) -> set[str]:
        wanted = sorted(set(numbers))
        if not wanted:
            return set()
        return set(self.session.scalars(select(Kna1.kunnr).where(Kna1.kunnr.in_(wanted))))

    def exists(self, number: str) -> bool:
        return bool(self.existing([number]))

    def auth_groups(self, numbers: Iterable[str]) -> dict[str, str]:
        """KNA1-BEGRU of each of the numbers that exists."""
        wanted = sorted(set(numbers))
        if not wanted:
            return {}
        rows = self.session.execute(select(Kna1.kunnr, Kna1.begru).where(Kna1.kunnr.in_(wanted)))
        return {number: group for number, group in rows}

    def names(self, numbers: Iterable[str]) -> dict[str, str]:
        """NAME1 of each of the numbers that exists."""
        wanted = sorted(set(numbers))
        if not wanted:
            return {}
        rows = self.session.execute(select(Kna1.kunnr, Kna1.name1).where(Kna1.kunnr.in_(wanted)))
        return {number: name for number, name in rows}

    def add_many(self, customers: Sequence[Customer], user: str, now: datetime) -> None:
        """Write new customers, each table's rows of all of them in one flush (an import's
        batch; a create is a batch of one)."""
        self.session.flush()  # what the session holds goes first, as a flush would order it
        _insert(
            self.session,
            Kna1,
            [
                {**row_values("KNA1", c.general), "created_by": user, "created_at": now}
                for c in customers
            ],
        )
        # Indexed in the same transaction: a customer is findable exactly when it exists.
        SearchIndex(self.session).index_new([c.general for c in customers])
        FindIndex(self.session).index_new(
            {c.general.number: customer_tokens(indexed(c)) for c in customers}
        )
        self._add_segments(
            [(c.general.number, c.bank_details) for c in customers],
            [(c.general.number, c.company_codes) for c in customers],
            [(c.general.number, c.sales_areas) for c in customers],
        )

    def add_segments(
        self,
        number: str,
        company_codes: Sequence[CompanyCodeData],
        sales_areas: Sequence[SalesAreaData],
        now: datetime,
    ) -> None:
        """Extend a stored customer; raises the version so concurrent edits notice."""
        head = self.session.scalars(select(Kna1).where(Kna1.kunnr == number)).one()
        head.changed_at = now  # the version counter rises with this update
        self.session.flush()
        self._add_segments([], [(number, company_codes)], [(number, sales_areas)])
        # The list finds the customer under its new company codes and sales areas at once.
        FindIndex(self.session).add(number, segment_tokens(company_codes, sales_areas))

    def _add_segments(
        self,
        banks: Sequence[tuple[str, Sequence[BankDetail]]],
        company_codes: Sequence[tuple[str, Sequence[CompanyCodeData]]],
        sales_areas: Sequence[tuple[str, Sequence[SalesAreaData]]],
    ) -> None:
        """Segments by customer number, each table in one statement, in SAP's table order."""
        s = self.session
        s.flush()  # the head row an extension updated goes first
        _insert(s, Knbk, [{"kunnr": n, **row_values("KNBK", b)} for n, bs in banks for b in bs])
        _insert(
            s, Knb1, [{"kunnr": n, **row_values("KNB1", c)} for n, cs in company_codes for c in cs]
        )
        _insert(
            s,
            Knvv,
            [{"kunnr": n, **row_values("KNVV", a)} for n, areas in sales_areas for a in areas],
        )
        keyed = [(_area_key(n, a), a) for n, areas in sales_areas for a in areas]
        _insert(
            s,
            Knvi,
            [{**k, **row_values("KNVI", t)} for k, a in keyed for t in a.tax_classifications],
        )
        _insert(s, Knvp, [{**k, **row_values("KNVP", p)} for k, a in keyed for p in a.partners])

    def get(self, number: str, *, for_update: bool = False) -> Customer | None:
        """The stored customer; `for_update` also locks its general-data row until the
        transaction ends (PostgreSQL; SQLite's writer already holds the database), so that
        what a change compares with cannot move under it."""
        s = self.session
        stmt = select(Kna1).where(Kna1.kunnr == number)
        if for_update:
            stmt = stmt.with_for_update()
        head = s.scalars(stmt).one_or_none()
        if head is None:
            return None
        banks = s.scalars(
            select(Knbk).where(Knbk.kunnr == number).order_by(Knbk.banks, Knbk.bankl, Knbk.bankn)
        )
        codes = s.scalars(select(Knb1).where(Knb1.kunnr == number).order_by(Knb1.bukrs))
        areas = s.scalars(
            select(Knvv).where(Knvv.kunnr == number).order_by(Knvv.vkorg, Knvv.vtweg, Knvv.spart)
        ).all()
        taxes = s.scalars(
            select(Knvi).where(Knvi.kunnr == number).order_by(Knvi.aland, Knvi.tatyp)
        ).all()
        partners = s.scalars(
            select(Knvp).where(Knvp.kunnr == number).order_by(Knvp.parvw, Knvp.parza)
        ).all()
        return assemble(head, banks, codes, areas, taxes, partners)

    def get_page(self, numbers: Sequence[str], *, for_update: bool = False) -> list[Customer]:
        """The customers with these numbers, in that order, in one query per table (exports
        read a page at a time). `for_update` locks their general-data rows first, as get
        does, in the order of their numbers (two such pages cannot deadlock each other)."""
        if for_update and numbers:
            self.session.execute(
                select(Kna1.kunnr)
                .where(Kna1.kunnr.in_(list(numbers)))
                .order_by(Kna1.kunnr)
                .with_for_update()
            ).all()
        return read_page(self.session, numbers)

    def partner_of(self, number: str) -> list[tuple[str, str, str]]:
        """Where another customer names `number` as a partner: (customer, sales area, PARVW)."""
        rows = self.session.execute(
            select(Knvp.kunnr, Knvp.vkorg, Knvp.vtweg, Knvp.spart, Knvp.parvw)
            .where(Knvp.kunn2 == number, Knvp.kunnr != number)
            .order_by(Knvp.kunnr, Knvp.parvw)
        )
        return [(r.kunnr, f"{r.vkorg}/{r.vtweg}/{r.spart}", r.parvw) for r in rows]

    def remove(self, number: str) -> None:
        """Physically delete a customer with every segment and its derived rows (search
        indexes, usage register, lock); its change documents stay: the audit outlives it.
        Children first, so that no foreign key depends on ON DELETE CASCADE."""
        from custmd_gui.persistence import tables

        s = self.session
        children: tuple[Any, ...] = (
            Knvp,
            Knvi,
            Knvv,
            Knb1,
            Knbk,
            tables.Kna1Find,
            tables.Kna1Search,
            tables.UsageRegister,
        )
        for table in children:
            s.execute(delete(table).where(table.kunnr == number))
        s.execute(
            delete(tables.EditLock).where(
                tables.EditLock.objectclas == "DEBI", tables.EditLock.objectid == number
            )
        )
        s.execute(delete(Kna1).where(Kna1.kunnr == number))
        s.flush()

    def count(self) -> int:
        return int(self.session.scalar(select(func.count()).select_from(Kna1)) or 0)

    def apply_changes(
        self, number: str, changes: Sequence[RowChange], now: datetime, *, expected_version: int
    ) -> int:
        """Write a change of a stored customer: only the changed columns of changed rows,
        inserted and deleted rows; the version rises by one. Returns the new version.

        The general-data row is updated with `WHERE version = expected_version` (the version
        the user opened) in the database itself: if anyone saved in between, no row matches
        and StaleDataError is raised before anything else is written."""
        s = self.session
        k = _segment_table("KNA1")
        general = {f.column: f.new for c in changes if c.table == "KNA1" for f in c.fields}
        done = s.execute(
            update(k)
            .where(k.c.kunnr == number, k.c.version == expected_version)
            .values({**general, "changed_at": now, "version": k.c.version + 1})
        )
        if getattr(done, "rowcount", 0) != 1:
            raise StaleDataError(f"KNA1 {number}: version {expected_version} is not the stored one")
        order = {t: i for i, t in enumerate(TABLE_ORDER)}
        rows = [c for c in changes if c.table != "KNA1"]
        # Children before parents when deleting, parents before children when inserting.
        for change in sorted(
            (c for c in rows if c.indicator == "D"), key=lambda c: -order[c.table]
        ):
            table = _segment_table(change.table)
            done = s.execute(delete(table).where(*_row_is(table, number, change)))
            _exactly_one(done, change)
        for change in (c for c in rows if c.indicator == "U"):
            table = _segment_table(change.table)
            done = s.execute(
                update(table)
                .where(*_row_is(table, number, change))
                .values({f.column: f.new for f in change.fields})
            )
            _exactly_one(done, change)
        for change in sorted((c for c in rows if c.indicator == "I"), key=lambda c: order[c.table]):
            table = _segment_table(change.table)
            values: dict[str, Any] = {"kunnr": number, **dict(change.identity)}
            values.update({f.column: f.new for f in change.fields})
            s.execute(insert(table).values(values))
        # The statements above went around the ORM: rows it loaded before are out of date.
        s.expire_all()
        return expected_version + 1


def _insert(session: Session, model: type[Base], rows: list[dict[str, Any]]) -> None:
    """New rows of a customer table in one executemany (persistence.bulk_insert): an import's
    batch has thousands, and ORM objects for them cost more than the statement."""
    insert_rows(session, cast(Table, model.__table__), rows)


def _area_key(number: str, area: SalesAreaData) -> dict[str, str]:
    """The key columns a tax or partner row shares with its sales area."""
    return {
        "kunnr": number,
        "vkorg": area.sales_org,
        "vtweg": area.distribution_channel,
        "spart": area.division,
    }


def _segment_table(name: str) -> Table:
    table = SEGMENT_TABLES[name].__table__
    assert isinstance(table, Table)
    return table


def _row_is(table: Table, number: str, change: RowChange) -> list[ColumnElement[bool]]:
    return [table.c.kunnr == number, *(table.c[col] == value for col, value in change.identity)]


def _exactly_one(result: Any, change: RowChange) -> None:
    # The general-data row is locked and its version checked; a child row that is not there
    # (or twice) means the stored customer is not the one the change was made from.
    if getattr(result, "rowcount", 1) != 1:
        raise StaleDataError(f"{change.table} {change.key}: {result.rowcount} rows, expected 1")


def _complete_attrs(row: CodeValueRow, shipped: Mapping[str, str]) -> int:
    """Add the shipped attribute keys the stored value lacks; 1 if the row changed."""
    attrs = json.loads(row.attrs or "{}")
    missing = {k: v for k, v in shipped.items() if k not in attrs}
    if not missing:
        return 0
    row.attrs = json.dumps({**attrs, **missing}, ensure_ascii=False, sort_keys=True)
    return 1


class CustomizingRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def load(self, only: Collection[str] | None = None) -> Customizing:
        """The customizing; with `only` just those code lists (no number ranges, no account
        groups): a reader of a few settings need not read the whole."""
        s = self.session
        lists: dict[str, CodeList] = {}
        list_rows = select(CodeListRow)
        value_rows = select(CodeValueRow).order_by(CodeValueRow.list_id, CodeValueRow.sort)
        if only is not None:
            list_rows = list_rows.where(CodeListRow.list_id.in_(only))
            value_rows = value_rows.where(CodeValueRow.list_id.in_(only))
        for lr in s.scalars(list_rows):
            lists[lr.list_id] = CodeList(
                lr.list_id, Text(zh=lr.label_zh, en=lr.label_en), lr.parent_list or None, {}
            )
        for v in s.scalars(value_rows):
            lists[v.list_id].values[(v.parent, v.code)] = CodeValue(
                v.list_id,
                v.code,
                Text(zh=v.text_zh, en=v.text_en),
                v.parent,
                json.loads(v.attrs or "{}"),
                v.source,
                v.active,
            )
        if only is not None:
            return Customizing(lists=lists, number_ranges={}, account_groups={})
        ranges = {
            r.nrrangenr: NumberRange(
                r.nrrangenr,
                r.kind,
                r.fromnumber,
                r.tonumber,
                Text(zh=r.text_zh, en=r.text_en),
                r.rule or None,
            )
            for r in s.scalars(select(NumberRangeRow))
        }
        statuses: dict[str, dict[tuple[str, str], FieldStatus]] = {}
        for fs in s.scalars(select(FieldStatusRow)):
            statuses.setdefault(fs.ktokd, {})[(fs.field_group, fs.activity)] = FieldStatus(
                fs.status
            )
        groups = {
            g.ktokd: AccountGroup(
                g.ktokd,
                Text(zh=g.text_zh, en=g.text_en),
                g.nrrangenr,
                g.akont,
                statuses.get(g.ktokd, {}),
            )
            for g in s.scalars(select(AccountGroupRow))
        }
        return Customizing(lists=lists, number_ranges=ranges, account_groups=groups)

    def seed(
        self,
        lists: dict[str, CodeList],
        ranges: dict[str, NumberRange],
        groups: dict[str, AccountGroup],
    ) -> int:
        """Insert whatever shipped customizing the database lacks; returns the rows added or
        completed. Existing rows are left alone: a company's own changes win over the shipped
        values. Only an attribute key a stored value lacks is added (a relation a newer
        release ships, such as a sales organization's plants); a stored attribute keeps its
        value."""
        s = self.session
        added = 0
        have_lists = set(s.scalars(select(CodeListRow.list_id)))
        have_values = {(r.list_id, r.parent, r.code): r for r in s.scalars(select(CodeValueRow))}
        for lst in lists.values():
            if lst.id not in have_lists:
                s.add(
                    CodeListRow(
                        list_id=lst.id,
                        parent_list=lst.parent or "",
                        label_zh=lst.label.zh,
                        label_en=lst.label.en,
                    )
                )
                added += 1
        s.flush()
        for lst in lists.values():
            for sort, v in enumerate(lst.values.values()):
                stored = have_values.get((lst.id, v.parent, v.code))
                if stored is not None:
                    added += _complete_attrs(stored, v.attrs)
                else:
                    s.add(
                        CodeValueRow(
                            list_id=lst.id,
                            parent=v.parent,
                            code=v.code,
                            text_zh=v.text.zh,
                            text_en=v.text.en,
                            attrs=json.dumps(dict(v.attrs), ensure_ascii=False, sort_keys=True),
                            source=v.source,
                            sort=sort,
                            active=v.active,
                        )
                    )
                    added += 1
        have_ranges = set(s.scalars(select(NumberRangeRow.nrrangenr)))
        for r in ranges.values():
            if r.id not in have_ranges:
                s.add(
                    NumberRangeRow(
                        nrrangenr=r.id,
                        kind=r.kind,
                        fromnumber=r.from_number,
                        tonumber=r.to_number,
                        rule=r.rule or "",
                        text_zh=r.text.zh,
                        text_en=r.text.en,
                        nrlevel=int(r.from_number) - 1,
                    )
                )
                added += 1
        s.flush()
        have_groups = set(s.scalars(select(AccountGroupRow.ktokd)))
        have_status = {
            (r.ktokd, r.field_group, r.activity)
            for r in s.execute(
                select(FieldStatusRow.ktokd, FieldStatusRow.field_group, FieldStatusRow.activity)
            )
        }
        for g in groups.values():
            if g.code not in have_groups:
                s.add(
                    AccountGroupRow(
                        ktokd=g.code,
                        text_zh=g.text.zh,
                        text_en=g.text.en,
                        nrrangenr=g.number_range,
                        akont=g.reconciliation_account,
                    )
                )
                added += 1
        s.flush()
        for g in groups.values():
            for (fg, act), st in g.statuses.items():
                if (g.code, fg, act) not in have_status:
                    s.add(
                        FieldStatusRow(ktokd=g.code, field_group=fg, activity=act, status=st.value)
                    )
                    added += 1
        s.flush()
        return added
