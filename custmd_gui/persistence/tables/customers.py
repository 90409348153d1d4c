"""The customer's segments, one table per SAP segment (KNA1, KNBK, KNB1, KNVV, KNVI, KNVP),
and the search and find indexes kept beside KNA1.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from custmd_gui.persistence.tables.base import Base, char_column, flag_column, id_column


class Kna1(Base):
    """General data."""

    __tablename__ = "kna1"

    id: Mapped[uuid.UUID] = id_column()
    kunnr: Mapped[str] = mapped_column(String(10), nullable=False, unique=True)
    # begin: generated from the catalog
    ktokd: Mapped[str] = char_column(4)
    anred: Mapped[str] = char_column(15)
    name1: Mapped[str] = char_column(35)
    name2: Mapped[str] = char_column(35)
    name3: Mapped[str] = char_column(35)
    name4: Mapped[str] = char_column(35)
    sortl: Mapped[str] = char_column(10)
    stras: Mapped[str] = char_column(35)
    pstlz: Mapped[str] = char_column(10)
    ort01: Mapped[str] = char_column(35)
    land1: Mapped[str] = char_column(3)
    regio: Mapped[str] = char_column(3)
    spras: Mapped[str] = char_column(2)
    telf1: Mapped[str] = char_column(16)
    telfx: Mapped[str] = char_column(31)
    begru: Mapped[str] = char_column(4)
    brsch: Mapped[str] = char_column(4)
    altkn: Mapped[str] = char_column(10)
    stcd1: Mapped[str] = char_column(16)
    stcd5: Mapped[str] = char_column(60)
    stceg: Mapped[str] = char_column(20)
    niels: Mapped[str] = char_column(2)
    gform: Mapped[str] = char_column(2)
    aufsd: Mapped[str] = char_column(2)
    lifsd: Mapped[str] = char_column(2)
    faksd: Mapped[str] = char_column(2)
    sperr: Mapped[bool] = flag_column()
    loevm: Mapped[bool] = flag_column()
    # end: generated from the catalog
    # Optimistic concurrency: every committed change of the customer raises it.
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    created_by: Mapped[str] = char_column(64)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Knbk(Base):
    """Bank details."""

    __tablename__ = "knbk"
    __table_args__ = (UniqueConstraint("kunnr", "banks", "bankl", "bankn"),)

    id: Mapped[uuid.UUID] = id_column()
    kunnr: Mapped[str] = mapped_column(ForeignKey("kna1.kunnr"), nullable=False, index=True)
    # begin: generated from the catalog
    banks: Mapped[str] = char_column(3)
    bankl: Mapped[str] = char_column(15)
    bankn: Mapped[str] = char_column(18)
    koinh: Mapped[str] = char_column(60)
    bkref: Mapped[str] = char_column(20)
    # end: generated from the catalog


class Knb1(Base):
    """Company code data."""

    __tablename__ = "knb1"
    __table_args__ = (UniqueConstraint("kunnr", "bukrs"),)

    id: Mapped[uuid.UUID] = id_column()
    kunnr: Mapped[str] = mapped_column(ForeignKey("kna1.kunnr"), nullable=False)
    bukrs: Mapped[str] = mapped_column(String(4), nullable=False)
    # begin: generated from the catalog
    akont: Mapped[str] = char_column(10)
    zuawa: Mapped[str] = char_column(3)
    begru: Mapped[str] = char_column(4)
    zterm: Mapped[str] = char_column(4)
    sperr: Mapped[bool] = flag_column()
    loevm: Mapped[bool] = flag_column()
    # end: generated from the catalog


class Knvv(Base):
    """Sales area data."""

    __tablename__ = "knvv"
    __table_args__ = (UniqueConstraint("kunnr", "vkorg", "vtweg", "spart"),)

    id: Mapped[uuid.UUID] = id_column()
    kunnr: Mapped[str] = mapped_column(ForeignKey("kna1.kunnr"), nullable=False)
    vkorg: Mapped[str] = mapped_column(String(4), nullable=False)
    vtweg: Mapped[str] = mapped_column(String(2), nullable=False)
    spart: Mapped[str] = mapped_column(String(2), nullable=False)
    # begin: generated from the catalog
    bzirk: Mapped[str] = char_column(6)
    vkbur: Mapped[str] = char_column(4)
    vkgrp: Mapped[str] = char_column(3)
    kdgrp: Mapped[str] = char_column(2)
    begru: Mapped[str] = char_column(4)
    waers: Mapped[str] = char_column(5)
    konda: Mapped[str] = char_column(2)
    kalks: Mapped[str] = char_column(1)
    pltyp: Mapped[str] = char_column(2)
    versg: Mapped[str] = char_column(1)
    vsbed: Mapped[str] = char_column(2)
    vwerk: Mapped[str] = char_column(4)
    inco1: Mapped[str] = char_column(3)
    inco2: Mapped[str] = char_column(28)
    zterm: Mapped[str] = char_column(4)
    ktgrd: Mapped[str] = char_column(2)
    aufsd: Mapped[str] = char_column(2)
    lifsd: Mapped[str] = char_column(2)
    faksd: Mapped[str] = char_column(2)
    loevm: Mapped[bool] = flag_column()
    # end: generated from the catalog


class Knvi(Base):
    """Tax classification. Kept per sales area (SAP keeps it per customer and country) because
    the billing screen of each sales area maintains it and areas may differ."""

    __tablename__ = "knvi"
    __table_args__ = (
        UniqueConstraint("kunnr", "vkorg", "vtweg", "spart", "aland", "tatyp"),
        ForeignKeyConstraint(
            ["kunnr", "vkorg", "vtweg", "spart"],
            ["knvv.kunnr", "knvv.vkorg", "knvv.vtweg", "knvv.spart"],
            name="fk_knvi_knvv",
        ),
    )

    id: Mapped[uuid.UUID] = id_column()
    kunnr: Mapped[str] = mapped_column(String(10), nullable=False)
    vkorg: Mapped[str] = mapped_column(String(4), nullable=False)
    vtweg: Mapped[str] = mapped_column(String(2), nullable=False)
    spart: Mapped[str] = mapped_column(String(2), nullable=False)
    # begin: generated from the catalog
    aland: Mapped[str] = char_column(3)
    tatyp: Mapped[str] = char_column(4)
    taxkd: Mapped[str] = char_column(1)
    # end: generated from the catalog


class Knvp(Base):
    """Partner functions."""

    __tablename__ = "knvp"
    __table_args__ = (
        UniqueConstraint("kunnr", "vkorg", "vtweg", "spart", "parvw", "parza"),
        ForeignKeyConstraint(
            ["kunnr", "vkorg", "vtweg", "spart"],
            ["knvv.kunnr", "knvv.vkorg", "knvv.vtweg", "knvv.spart"],
            name="fk_knvp_knvv",
        ),
    )

    id: Mapped[uuid.UUID] = id_column()
    kunnr: Mapped[str] = mapped_column(String(10), nullable=False)
    vkorg: Mapped[str] = mapped_column(String(4), nullable=False)
    vtweg: Mapped[str] = mapped_column(String(2), nullable=False)
    spart: Mapped[str] = mapped_column(String(2), nullable=False)
    # begin: generated from the catalog
    parvw: Mapped[str] = char_column(2)
    parza: Mapped[str] = char_column(3)
    # end: generated from the catalog
    # By hand, so the generator leaves it out: indexed for "whose partner is this customer".
    kunn2: Mapped[str] = mapped_column(String(10), nullable=False, index=True)


class Kna1Search(Base):
    """Search tokens of a customer (name bigrams and key, tax numbers, telephones, USCC), made
    by custmd_gui.domain.names; the duplicate check and the search help look customers up here.

    Both indexes cover every column a search reads, so lookups never visit the table rows:
    (kind, token, kunnr) finds customers by token, (kunnr, kind, token) a customer's tokens."""

    __tablename__ = "kna1_search"
    __table_args__ = (
        Index("ix_kna1_search_kind_token_kunnr", "kind", "token", "kunnr"),
        Index("ix_kna1_search_kunnr_kind_token", "kunnr", "kind", "token"),
    )

    id: Mapped[uuid.UUID] = id_column()
    kunnr: Mapped[str] = mapped_column(ForeignKey("kna1.kunnr", ondelete="CASCADE"), nullable=False)
    # n name bigram, k whole name key, t tax number, p telephone, u USCC (domain.names)
    kind: Mapped[str] = mapped_column(String(1), nullable=False)
    token: Mapped[str] = mapped_column(String(64), nullable=False)


class Kna1Find(Base):
    """Tokens the customer list finds a customer by (characters and character pairs of names
    and search term, pinyin initials, city, postal code, telephone suffixes, account group,
    company codes, sales areas, block and deletion flags), made by
    custmd_gui.domain.search_terms.

    The primary key (kind, token, kunnr) is the search: the customers holding a token come out
    of it in number order, so a page is one short range however common the token is. On SQLite
    the table is that index (WITHOUT ROWID). (kunnr, kind, token) checks whether one customer
    holds a token and finds its tokens to replace them. Derived data, rebuilt from the
    segments at will: no UUID, never synchronized."""

    __tablename__ = "kna1_find"
    __table_args__ = (
        Index("ix_kna1_find_kunnr_kind_token", "kunnr", "kind", "token"),
        {"sqlite_with_rowid": False},
    )

    kind: Mapped[str] = mapped_column(String(1), primary_key=True)
    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    kunnr: Mapped[str] = mapped_column(
        ForeignKey("kna1.kunnr", ondelete="CASCADE"), primary_key=True
    )


SEGMENT_TABLES: dict[str, type[Base]] = {
    "KNA1": Kna1,
    "KNBK": Knbk,
    "KNB1": Knb1,
    "KNVV": Knvv,
    "KNVI": Knvi,
    "KNVP": Knvp,
}
