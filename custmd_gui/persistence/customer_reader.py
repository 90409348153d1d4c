"""Customers read whole from their rows: one customer (the repository's `get`) or a page of
them in six queries (`read_page`, for the exports, instead of six queries per customer)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from custmd_gui.domain.model import (
    BankDetail,
    CompanyCodeData,
    Customer,
    GeneralData,
    PartnerFunction,
    SalesAreaData,
    TaxClassification,
)
from custmd_gui.persistence.mapping import model_values
from custmd_gui.persistence.tables import Kna1, Knb1, Knbk, Knvi, Knvp, Knvv


def assemble(
    head: Kna1,
    banks: Iterable[Knbk],
    codes: Iterable[Knb1],
    areas: Iterable[Knvv],
    taxes: Sequence[Knvi],
    partners: Sequence[Knvp],
) -> Customer:
    """The customer of these rows (each segment's rows in key order)."""

    def area_of(row: Knvi | Knvp) -> tuple[str, str, str]:
        return (row.vkorg, row.vtweg, row.spart)

    sales_areas = []
    for a in areas:
        key = (a.vkorg, a.vtweg, a.spart)
        sales_areas.append(
            SalesAreaData(
                **model_values("KNVV", a),
                tax_classifications=[
                    TaxClassification(**model_values("KNVI", t)) for t in taxes if area_of(t) == key
                ],
                partners=[
                    PartnerFunction(**model_values("KNVP", p))
                    for p in partners
                    if area_of(p) == key
                ],
            )
        )
    return Customer(
        general=GeneralData(**model_values("KNA1", head)),
        bank_details=[BankDetail(**model_values("KNBK", b)) for b in banks],
        company_codes=[CompanyCodeData(**model_values("KNB1", c)) for c in codes],
        sales_areas=sales_areas,
        version=head.version,
    )


def read_page(session: Session, numbers: Sequence[str]) -> list[Customer]:
    """The customers with these numbers, in the order given (missing ones left out): one
    query per table for the whole page."""
    if not numbers:
        return []
    wanted = list(numbers)
    heads = {h.kunnr: h for h in session.scalars(select(Kna1).where(Kna1.kunnr.in_(wanted)))}
    banks: dict[str, list[Knbk]] = defaultdict(list)
    for b in session.scalars(
        select(Knbk).where(Knbk.kunnr.in_(wanted)).order_by(Knbk.banks, Knbk.bankl, Knbk.bankn)
    ):
        banks[b.kunnr].append(b)
    codes: dict[str, list[Knb1]] = defaultdict(list)
    for c in session.scalars(select(Knb1).where(Knb1.kunnr.in_(wanted)).order_by(Knb1.bukrs)):
        codes[c.kunnr].append(c)
    areas: dict[str, list[Knvv]] = defaultdict(list)
    for a in session.scalars(
        select(Knvv).where(Knvv.kunnr.in_(wanted)).order_by(Knvv.vkorg, Knvv.vtweg, Knvv.spart)
    ):
        areas[a.kunnr].append(a)
    taxes: dict[str, list[Knvi]] = defaultdict(list)
    for t in session.scalars(
        select(Knvi).where(Knvi.kunnr.in_(wanted)).order_by(Knvi.aland, Knvi.tatyp)
    ):
        taxes[t.kunnr].append(t)
    partners: dict[str, list[Knvp]] = defaultdict(list)
    for p in session.scalars(
        select(Knvp).where(Knvp.kunnr.in_(wanted)).order_by(Knvp.parvw, Knvp.parza)
    ):
        partners[p.kunnr].append(p)
    return [
        assemble(heads[n], banks[n], codes[n], areas[n], taxes[n], partners[n])
        for n in numbers
        if n in heads
    ]
