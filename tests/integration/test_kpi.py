"""The master-data KPIs (services.kpi) on SQLite and PostgreSQL: a hand-made set of requests
with known step times, change documents and search keys gives exactly the expected figures;
months are China Standard Time months; bad months are refused naming the field."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from custmd_gui.cli.main import main
from custmd_gui.domain.authorization import DEFAULT_ROLES, Authorizations, Forbidden
from custmd_gui.domain.errors import DomainError
from custmd_gui.persistence import tables
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.kpi import Dimension, Duration, KpiRow, kpis, percentile

ROLES = {r.code: r for r in DEFAULT_ROLES}
AUDITOR = Actor.logged_in(Authorizations.of_roles("audit_hq", [ROLES["auditor"]]))
NOBODY = Actor.logged_in(Authorizations.of_roles("nobody", []))


def at(text: str) -> datetime:
    """A UTC time written 03-02 09:00 (2026)."""
    return datetime.strptime(f"2026-{text}", "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


def add_request(
    s: Session,
    number: str,
    kind: str,
    org_unit: str,
    customer: str,
    steps: list[tuple[str, str]],
    *,
    bukrs: str = "",
    parent: str | None = None,
) -> None:
    times = [at(t) for _, t in steps]
    s.add(
        tables.MaintenanceRequest(
            number=number,
            type=kind,
            status="activated" if steps[-1][0] == "activate" else "submitted",
            parent=parent,
            kunnr=customer,
            bukrs=bukrs,
            requester="wang_1038",
            org_unit=org_unit,
            document="{}",
            created_at=times[0],
            changed_at=times[-1],
            last_editor="wang_1038",
        )
    )
    s.flush()
    for seq, (action, t) in enumerate(steps, 1):
        s.add(
            tables.RequestStep(
                request_number=number,
                seq=seq,
                at=at(t),
                actor="x",
                action=action,
                to_status="submitted",
            )
        )


def add_change(s: Session, customer: str, when: str, field: str, request: str = "") -> None:
    header = tables.ChangeHeader(
        objectid=customer,
        username="x",
        udate=at(when),
        tcode="XD02",
        activity="U",
        origin="local",
        request_number=request,
    )
    s.add(header)
    s.flush()
    table, name = field.split("-")
    s.add(
        tables.ChangeItem(
            header_id=header.id,
            tabname=table,
            tabkey=customer,
            fname=name,
            chngind="U",
            value_old="a",
            value_new="b",
        )
    )


def seed(engine: Engine) -> None:
    with Session(engine) as s:
        for number in ("9000000001", "9000000002", "9000000003", "9000000009"):
            s.add(tables.Kna1(id=uuid.uuid4(), kunnr=number, created_at=at("01-01 00:00")))
        s.flush()
        # 9000000003 shares its unified social credit code with 9000000009: a duplicate.
        for number in ("9000000003", "9000000009"):
            s.add(tables.Kna1Search(kunnr=number, kind="u", token="91110000MA01ABCD1X"))
        s.add(tables.Kna1Search(kunnr="9000000001", kind="u", token="91110000MA01XXXX2Y"))
        # R1: straight through in 8 h (review after 2 h, approved 2 h later, active 4 h later)
        add_request(
            s,
            "0000000001",
            "create",
            "1038",
            "9000000001",
            [
                ("create", "03-01 23:00"),
                ("submit", "03-02 01:00"),
                ("review", "03-02 03:00"),
                ("approve", "03-02 05:00"),
                ("activate", "03-02 09:00"),
            ],
        )
        # R2: returned once and corrected: 36 h, review from the first start 32 h
        add_request(
            s,
            "0000000002",
            "change",
            "1038",
            "9000000002",
            [
                ("create", "03-02 23:00"),
                ("submit", "03-03 00:00"),
                ("review", "03-03 02:00"),
                ("return", "03-03 04:00"),
                ("edit", "03-03 06:00"),
                ("resubmit", "03-04 00:00"),
                ("review", "03-04 01:00"),
                ("approve", "03-04 10:00"),
                ("activate", "03-04 12:00"),
            ],
        )
        # R3: approved without a review step, a create of a duplicate
        add_request(
            s,
            "0000000003",
            "create",
            "2045",
            "9000000003",
            [
                ("create", "03-09 00:00"),
                ("submit", "03-10 00:00"),
                ("approve", "03-10 10:00"),
                ("activate", "03-11 00:00"),
            ],
        )
        # R4: edited before submission; submitted 03-31 17:00 UTC = April 1st in China
        add_request(
            s,
            "0000000004",
            "change",
            "2045",
            "9000000002",
            [("create", "03-31 15:00"), ("edit", "03-31 16:00"), ("submit", "03-31 17:00")],
        )
        # R5: R1's company code, filed submitted by the activation (no submit step)
        add_request(
            s,
            "0000000005",
            "extend_company_code",
            "1038",
            "9000000001",
            [("create", "03-02 09:00"), ("approve", "03-05 09:00"), ("activate", "03-05 10:00")],
            bukrs="F011",
            parent="0000000001",
        )
        # Change documents: the requests' own and their children's do not count, nor a
        # telephone number, nor a change after 30 days; R2's customer's name changed in time.
        add_change(s, "9000000001", "03-02 09:00", "KNA1-NAME1", "0000000001")
        add_change(s, "9000000001", "03-05 10:00", "KNB1-AKONT", "0000000005")
        add_change(s, "9000000001", "03-10 00:00", "KNA1-TELF1")
        add_change(s, "9000000002", "03-20 00:00", "KNA1-NAME1")
        add_change(s, "9000000003", "04-15 00:00", "KNA1-NAME1")
        s.commit()


def test_percentile_interpolates_between_ranks() -> None:
    assert percentile([1.0, 2.0, 4.0], 0.5) == 2.0
    assert percentile([1.0, 2.0, 4.0], 0.9) == pytest.approx(3.6)
    assert percentile([8.0], 0.9) == 8.0
    assert percentile([], 0.5) is None


def test_figures_per_branch_and_month(engine: Engine, uow_factory: UnitOfWorkFactory) -> None:
    seed(engine)
    report = kpis(uow_factory, AUDITOR, "2026-03", "2026-04")
    rows = {(r.month, r.unit): r for r in report.rows}
    assert sorted(rows) == [("2026-03", "1038"), ("2026-03", "2045"), ("2026-04", "2045")]
    assert rows[("2026-03", "1038")] == KpiRow(
        "2026-03",
        "1038",
        submitted=2,
        right_first_time=1,
        approved=3,
        approved_without_return=2,
        activated=3,
        changed_30d=1,
        creates_activated=1,
        duplicates=0,
        lead_time=Duration(2, 22.0, pytest.approx(33.2)),  # type: ignore[arg-type]
        to_review=Duration(2, 2.0, 2.0),
        review=Duration(2, 17.0, pytest.approx(29.0)),  # type: ignore[arg-type]
        activation=Duration(3, 2.0, pytest.approx(3.6)),  # type: ignore[arg-type]
    )
    assert rows[("2026-03", "2045")] == KpiRow(
        "2026-03",
        "2045",
        submitted=1,
        right_first_time=1,
        approved=1,
        approved_without_return=1,
        activated=1,
        changed_30d=0,
        creates_activated=1,
        duplicates=1,
        lead_time=Duration(1, 24.0, 24.0),
        to_review=Duration(),
        review=Duration(1, 10.0, 10.0),
        activation=Duration(1, 14.0, 14.0),
    )
    assert rows[("2026-04", "2045")] == KpiRow("2026-04", "2045", submitted=1, right_first_time=1)
    march, april = report.totals
    assert (march.month, march.submitted, march.activated, march.duplicates) == (
        "2026-03",
        3,
        4,
        1,
    )
    assert march.share_without_return == 0.75
    assert march.share_changed_30d == 0.25
    assert march.share_duplicates == 0.5
    assert march.unit == "*"
    assert march.lead_time == Duration(3, 24.0, pytest.approx(33.6))  # type: ignore[arg-type]
    assert (april.submitted, april.approved, april.share_without_return) == (1, 0, None)
    assert report.overall.month == "2026-03..2026-04"
    assert report.overall.submitted == 4


def test_company_code_dimension_and_month_boundary(
    engine: Engine, uow_factory: UnitOfWorkFactory
) -> None:
    seed(engine)
    report = kpis(uow_factory, AUDITOR, "2026-03", "2026-03", Dimension.COMPANY_CODE)
    rows = {r.unit: r for r in report.rows}
    assert sorted(rows) == ["", "F011"]
    assert (rows["F011"].approved, rows["F011"].activated, rows["F011"].submitted) == (1, 1, 0)
    assert rows["F011"].activation == Duration(1, 1.0, 1.0)
    # R4 was submitted on March 31st in UTC but April 1st in China: not in March
    assert rows[""].submitted == 3
    assert [t.month for t in report.totals] == ["2026-03"]


def test_bad_months_and_rights(uow_factory: UnitOfWorkFactory) -> None:
    with pytest.raises(DomainError) as bad:
        kpis(uow_factory, AUDITOR, "2026-13", "2026-12")
    assert bad.value.problems[0].field_key == "KPI-FROM"
    assert "YYYY-MM" in bad.value.problems[0].message.zh
    with pytest.raises(DomainError) as reversed_:
        kpis(uow_factory, AUDITOR, "2026-05", "2026-04")
    assert reversed_.value.problems[0].field_key == "KPI-TO"
    with pytest.raises(Forbidden):
        kpis(uow_factory, NOBODY, "2026-03", "2026-03")


def test_cli_json_and_csv(engine: Engine, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    seed(engine)
    args = ["kpi", "--from", "2026-03", "--to", "2026-04", "--db", db_url]
    assert main([*args, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["from"], doc["to"], doc["by"], doc["timezone"]) == (
        "2026-03",
        "2026-04",
        "branch",
        "UTC+08:00",
    )
    march = doc["months"][0]
    assert march["unit"] == "*"
    assert (march["approved"], march["approved_without_return"]) == (4, 3)
    assert march["share_without_return"] == 0.75
    assert (march["lead_time_median_h"], march["lead_time_p90_h"]) == (24.0, 33.6)
    assert [(r["month"], r["unit"]) for r in doc["rows"]] == [
        ("2026-03", "1038"),
        ("2026-03", "2045"),
        ("2026-04", "2045"),
    ]
    assert doc["rows"][0]["activation_p90_h"] == 3.6
    assert doc["overall"]["submitted"] == 4

    assert main([*args, "--format", "csv", "--by", "company_code"]) == 0
    lines = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert lines[0][:4] == ["level", "month", "unit", "submitted"]
    assert [line[:3] for line in lines[1:]] == [
        ["unit", "2026-03", ""],
        ["unit", "2026-03", "F011"],
        ["month", "2026-03", "*"],
        ["unit", "2026-04", ""],
        ["month", "2026-04", "*"],
        ["period", "2026-03..2026-04", "*"],
    ]
    f011 = dict(zip(lines[0], lines[2], strict=True))
    assert (f011["approved"], f011["share_without_return"], f011["lead_time_median_h"]) == (
        "1",
        "1.0",
        "",
    )


def test_cli_bad_month(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["kpi", "--from", "2026/03", "--to", "2026-04", "--db", db_url, "--lang", "zh"])
    assert code == 1
    captured = capsys.readouterr()
    assert "月份格式应为 YYYY-MM：2026/03" in captured.err
    assert captured.out == ""
    assert "Traceback" not in captured.err


def test_a_later_request_childs_change_counts_against_an_earlier_activation(
    engine: Engine, uow_factory: UnitOfWorkFactory
) -> None:
    """Only the request's own documents and its own children's are left out of "changed in
    30 days": a change written by another request's child (here R7, child of R6, within 30
    days of R1's and R5's activations on the same customer) makes those count as changed; R6
    itself does not, its child's document being its own."""
    seed(engine)
    with Session(engine) as s:
        add_request(
            s,
            "0000000006",
            "change",
            "3000",
            "9000000001",
            [("create", "03-12 00:00"), ("submit", "03-12 01:00"), ("activate", "03-14 00:00")],
        )
        add_request(
            s,
            "0000000007",
            "extend_company_code",
            "3000",
            "9000000001",
            [("create", "03-14 00:00"), ("activate", "03-15 01:00")],
            bukrs="F015",
            parent="0000000006",
        )
        add_change(s, "9000000001", "03-15 01:00", "KNA1-NAME1", "0000000007")
        s.commit()
    rows = {(r.month, r.unit): r for r in kpis(uow_factory, AUDITOR, "2026-03", "2026-03").rows}
    # R2 as before; now R1 and its child R5 too (activated on 9000000001 within 30 days before)
    assert rows[("2026-03", "1038")].changed_30d == 3
    assert (rows[("2026-03", "3000")].activated, rows[("2026-03", "3000")].changed_30d) == (2, 0)
