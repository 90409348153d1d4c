"""SQLAlchemy tables: one per SAP segment, change documents, number ranges and customizing.

Columns carry SAP's field names in lower case so a consultant recognises them; every row has
a UUID so that rows made on an offline laptop can later be merged without key clashes.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    false,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Named constraints make migrations reproducible and batch-alterable on SQLite.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _id() -> Mapped[uuid.UUID]:
    return mapped_column(Uuid, primary_key=True, default=uuid.uuid4)


def _char(length: int) -> Mapped[str]:
    return mapped_column(String(length), nullable=False, default="", server_default="")


def _flag() -> Mapped[bool]:
    return mapped_column(Boolean, nullable=False, default=False, server_default=false())


# --- customer segments ----------------------------------------------------------------------


class Kna1(Base):
    """General data."""

    __tablename__ = "kna1"

    id: Mapped[uuid.UUID] = _id()
    kunnr: Mapped[str] = mapped_column(String(10), nullable=False, unique=True)
    # begin: generated from the catalog
    ktokd: Mapped[str] = _char(4)
    anred: Mapped[str] = _char(15)
    name1: Mapped[str] = _char(35)
    name2: Mapped[str] = _char(35)
    name3: Mapped[str] = _char(35)
    name4: Mapped[str] = _char(35)
    sortl: Mapped[str] = _char(10)
    stras: Mapped[str] = _char(35)
    pstlz: Mapped[str] = _char(10)
    ort01: Mapped[str] = _char(35)
    land1: Mapped[str] = _char(3)
    regio: Mapped[str] = _char(3)
    spras: Mapped[str] = _char(2)
    telf1: Mapped[str] = _char(16)
    telfx: Mapped[str] = _char(31)
    begru: Mapped[str] = _char(4)
    brsch: Mapped[str] = _char(4)
    altkn: Mapped[str] = _char(10)
    stcd1: Mapped[str] = _char(16)
    stcd5: Mapped[str] = _char(60)
    stceg: Mapped[str] = _char(20)
    niels: Mapped[str] = _char(2)
    gform: Mapped[str] = _char(2)
    aufsd: Mapped[str] = _char(2)
    lifsd: Mapped[str] = _char(2)
    faksd: Mapped[str] = _char(2)
    sperr: Mapped[bool] = _flag()
    loevm: Mapped[bool] = _flag()
    # end: generated from the catalog
    # Optimistic concurrency: every committed change of the customer raises it.
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    created_by: Mapped[str] = _char(64)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Knbk(Base):
    """Bank details."""

    __tablename__ = "knbk"
    __table_args__ = (UniqueConstraint("kunnr", "banks", "bankl", "bankn"),)

    id: Mapped[uuid.UUID] = _id()
    kunnr: Mapped[str] = mapped_column(ForeignKey("kna1.kunnr"), nullable=False, index=True)
    # begin: generated from the catalog
    banks: Mapped[str] = _char(3)
    bankl: Mapped[str] = _char(15)
    bankn: Mapped[str] = _char(18)
    koinh: Mapped[str] = _char(60)
    bkref: Mapped[str] = _char(20)
    # end: generated from the catalog


class Knb1(Base):
    """Company code data."""

    __tablename__ = "knb1"
    __table_args__ = (UniqueConstraint("kunnr", "bukrs"),)

    id: Mapped[uuid.UUID] = _id()
    kunnr: Mapped[str] = mapped_column(ForeignKey("kna1.kunnr"), nullable=False)
    bukrs: Mapped[str] = mapped_column(String(4), nullable=False)
    # begin: generated from the catalog
    akont: Mapped[str] = _char(10)
    zuawa: Mapped[str] = _char(3)
    begru: Mapped[str] = _char(4)
    zterm: Mapped[str] = _char(4)
    sperr: Mapped[bool] = _flag()
    loevm: Mapped[bool] = _flag()
    # end: generated from the catalog


class Knvv(Base):
    """Sales area data."""

    __tablename__ = "knvv"
    __table_args__ = (UniqueConstraint("kunnr", "vkorg", "vtweg", "spart"),)

    id: Mapped[uuid.UUID] = _id()
    kunnr: Mapped[str] = mapped_column(ForeignKey("kna1.kunnr"), nullable=False)
    vkorg: Mapped[str] = mapped_column(String(4), nullable=False)
    vtweg: Mapped[str] = mapped_column(String(2), nullable=False)
    spart: Mapped[str] = mapped_column(String(2), nullable=False)
    # begin: generated from the catalog
    bzirk: Mapped[str] = _char(6)
    vkbur: Mapped[str] = _char(4)
    vkgrp: Mapped[str] = _char(3)
    kdgrp: Mapped[str] = _char(2)
    begru: Mapped[str] = _char(4)
    waers: Mapped[str] = _char(5)
    konda: Mapped[str] = _char(2)
    kalks: Mapped[str] = _char(1)
    pltyp: Mapped[str] = _char(2)
    versg: Mapped[str] = _char(1)
    vsbed: Mapped[str] = _char(2)
    vwerk: Mapped[str] = _char(4)
    inco1: Mapped[str] = _char(3)
    inco2: Mapped[str] = _char(28)
    zterm: Mapped[str] = _char(4)
    ktgrd: Mapped[str] = _char(2)
    aufsd: Mapped[str] = _char(2)
    lifsd: Mapped[str] = _char(2)
    faksd: Mapped[str] = _char(2)
    loevm: Mapped[bool] = _flag()
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

    id: Mapped[uuid.UUID] = _id()
    kunnr: Mapped[str] = mapped_column(String(10), nullable=False)
    vkorg: Mapped[str] = mapped_column(String(4), nullable=False)
    vtweg: Mapped[str] = mapped_column(String(2), nullable=False)
    spart: Mapped[str] = mapped_column(String(2), nullable=False)
    # begin: generated from the catalog
    aland: Mapped[str] = _char(3)
    tatyp: Mapped[str] = _char(4)
    taxkd: Mapped[str] = _char(1)
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

    id: Mapped[uuid.UUID] = _id()
    kunnr: Mapped[str] = mapped_column(String(10), nullable=False)
    vkorg: Mapped[str] = mapped_column(String(4), nullable=False)
    vtweg: Mapped[str] = mapped_column(String(2), nullable=False)
    spart: Mapped[str] = mapped_column(String(2), nullable=False)
    # begin: generated from the catalog
    parvw: Mapped[str] = _char(2)
    parza: Mapped[str] = _char(3)
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

    id: Mapped[uuid.UUID] = _id()
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


# --- change documents -----------------------------------------------------------------------


class ChangeHeader(Base):
    """CDHDR: who changed which customer, when, in which activity, on which device."""

    __tablename__ = "cdhdr"

    id: Mapped[uuid.UUID] = _id()
    objectclas: Mapped[str] = mapped_column(String(15), nullable=False, default="DEBI")
    objectid: Mapped[str] = mapped_column(String(10), nullable=False, index=True)
    username: Mapped[str] = mapped_column(String(64), nullable=False)
    udate: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    tcode: Mapped[str] = mapped_column(String(20), nullable=False)
    activity: Mapped[str] = mapped_column(String(10), nullable=False)
    # Where the change was made: "local", "server" or the id of an offline device.
    origin: Mapped[str] = mapped_column(String(64), nullable=False)
    # Why, in the user's words: required for blocks and deletion flags, the request's reason
    # when a request was activated, XD02's reason (required or optional by customizing).
    comment: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    # The maintenance request whose activation wrote this document; "" for a direct change.
    request_number: Mapped[str] = _char(10)


class ChangeItem(Base):
    """CDPOS: one changed field with its old and new value."""

    __tablename__ = "cdpos"

    id: Mapped[uuid.UUID] = _id()
    header_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("cdhdr.id", ondelete="CASCADE"), nullable=False, index=True
    )
    tabname: Mapped[str] = mapped_column(String(10), nullable=False)
    tabkey: Mapped[str] = mapped_column(String(70), nullable=False)
    fname: Mapped[str] = mapped_column(String(10), nullable=False)
    chngind: Mapped[str] = mapped_column(String(1), nullable=False)  # I insert, U update, D delete
    value_old: Mapped[str | None] = mapped_column(Text)
    value_new: Mapped[str | None] = mapped_column(Text)


# --- edit locks -----------------------------------------------------------------------------


class EditLock(Base):
    """An edit lock (SAP's enqueue entry, SM12): one row per object being changed, with a lease.

    The holder renews the lease while it edits and deletes the row when it is done; a row whose
    lease has run out may be taken over by anyone, so a crashed client blocks no one for long.
    Its key is the locked object itself: the database refuses a second row, which is what makes
    taking a lock one atomic statement. Locks are not master data and are never merged between
    devices, hence no UUID of their own."""

    __tablename__ = "edit_lock"

    objectclas: Mapped[str] = mapped_column(String(15), primary_key=True)  # DEBI: a customer
    objectid: Mapped[str] = mapped_column(String(10), primary_key=True)
    # Changes with every acquisition; only the holder knows it, renews and releases with it.
    token: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    username: Mapped[str] = mapped_column(String(64), nullable=False)
    # Where the holder works: the application session (one per running app), host and process.
    client_session: Mapped[str] = _char(64)
    host: Mapped[str] = _char(255)
    pid: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    origin: Mapped[str] = _char(64)
    # Database time (see persistence.dbtime): every client compares against the same clock.
    acquired_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    renewed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


# --- usage register -------------------------------------------------------------------------


class UsageRegister(Base):
    """Business use of a customer per org unit as the ERP reports it (document count, last
    document date), filled from extracts by custmd_gui.services.usage; the app cannot see the
    ERP's documents, and a customer with use must not be deleted physically.

    Derived data, like kna1_find and edit_lock: a copy of the ERP's figures that the next
    extract replaces, never edited here and never merged between devices, so no UUID and no
    version counter; its natural key (customer, org unit kind, org unit) is the primary key,
    which is also what an upsert of a newer extract conflicts on. kunnr leads the key, so one
    customer's entries are one index range (the deletion check reads exactly that).

    org_kind is BUKRS (org_unit a company code, F011) or VKORG/VTWEG/SPART (org_unit a sales
    area, F011/10/01, the code of customizing list sales_areas). Deleting a customer cascades:
    only customers without business may be deleted, and their zero-count rows go with them."""

    __tablename__ = "usage_register"
    __table_args__ = (
        CheckConstraint("org_kind IN ('BUKRS', 'VKORG/VTWEG/SPART')", name="org_kind"),
        CheckConstraint("doc_count >= 0", name="doc_count"),
        # Documents have a date; only "no documents" may come without one.
        CheckConstraint("doc_count = 0 OR last_doc_date IS NOT NULL", name="last_doc_date"),
    )

    kunnr: Mapped[str] = mapped_column(
        ForeignKey("kna1.kunnr", ondelete="CASCADE"), primary_key=True
    )
    org_kind: Mapped[str] = mapped_column(String(17), primary_key=True)
    org_unit: Mapped[str] = mapped_column(String(10), primary_key=True)
    doc_count: Mapped[int] = mapped_column(Integer, nullable=False)
    last_doc_date: Mapped[date | None] = mapped_column(Date)
    # Database time (persistence.dbtime), as change documents carry it.
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    imported_by: Mapped[str] = _char(64)
    # The extract's file name without its folder (a path may name a user's private folders).
    source: Mapped[str] = _char(255)


# --- users, roles and the archive of departments and organizations --------------------------
#
# Not master data: kept per database (the shared server's users are its own), never merged
# between devices, so natural keys and no UUIDs. The PostgreSQL row-level security of the
# shared mode reads user_auth_group; "*" in a scope row means "all" (domain.authorization).


class Organization(Base):
    """An organization (机构) of the archive; parent_code makes the tree."""

    __tablename__ = "organization"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(80), nullable=False)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("organization.code"))


class Department(Base):
    """A department (部门) with a hierarchical code: 01, its child 0101 (Yonyou's archive)."""

    __tablename__ = "department"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(80), nullable=False)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("department.code"))
    organization_code: Mapped[str | None] = mapped_column(ForeignKey("organization.code"))


class AppUser(Base):
    """A user of the app. password_hash is an argon2id PHC string ($argon2id$v=19$...), never
    a password; NULL for a user who signs in to the shared PostgreSQL server instead."""

    __tablename__ = "app_user"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    display_name: Mapped[str] = _char(80)
    department_code: Mapped[str | None] = mapped_column(ForeignKey("department.code"))
    organization_code: Mapped[str | None] = mapped_column(ForeignKey("organization.code"))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    disabled: Mapped[bool] = _flag()
    failed_logins: Mapped[int] = mapped_column(
        Integer, nullable=False, default=0, server_default="0"
    )
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AppRole(Base):
    __tablename__ = "app_role"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    text_zh: Mapped[str] = _char(60)
    text_en: Mapped[str] = _char(60)


class AppRolePermission(Base):
    __tablename__ = "app_role_permission"

    role: Mapped[str] = mapped_column(
        ForeignKey("app_role.code", ondelete="CASCADE"), primary_key=True
    )
    permission: Mapped[str] = mapped_column(String(32), primary_key=True)


class UserRole(Base):
    __tablename__ = "user_role"

    username: Mapped[str] = mapped_column(
        ForeignKey("app_user.username", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(
        ForeignKey("app_role.code", ondelete="CASCADE"), primary_key=True
    )


class UserAuthGroup(Base):
    """Authorization groups (BEGRU) a user holds; "*": all."""

    __tablename__ = "user_auth_group"

    username: Mapped[str] = mapped_column(
        ForeignKey("app_user.username", ondelete="CASCADE"), primary_key=True
    )
    begru: Mapped[str] = mapped_column(String(4), primary_key=True)


class UserCompanyCode(Base):
    """Company codes a user may act in; "*": all."""

    __tablename__ = "user_company_code"

    username: Mapped[str] = mapped_column(
        ForeignKey("app_user.username", ondelete="CASCADE"), primary_key=True
    )
    bukrs: Mapped[str] = mapped_column(String(4), primary_key=True)


class UserSalesArea(Base):
    """Sales areas a user may act in; a part "*" matches every value (F011/*/*)."""

    __tablename__ = "user_sales_area"

    username: Mapped[str] = mapped_column(
        ForeignKey("app_user.username", ondelete="CASCADE"), primary_key=True
    )
    vkorg: Mapped[str] = mapped_column(String(4), primary_key=True)
    vtweg: Mapped[str] = mapped_column(String(2), primary_key=True)
    spart: Mapped[str] = mapped_column(String(2), primary_key=True)


class LoginAttempt(Base):
    """Every login attempt, successful or not; never the password. username is what was
    typed (no foreign key: attempts for unknown users are recorded too)."""

    __tablename__ = "login_attempt"

    id: Mapped[uuid.UUID] = _id()
    username: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    success: Mapped[bool] = mapped_column(Boolean, nullable=False)
    host: Mapped[str] = _char(255)
    reason: Mapped[str] = _char(40)


# --- number ranges --------------------------------------------------------------------------


class NumberRangeRow(Base):
    """NRIV: interval, kind and current level of a number range."""

    __tablename__ = "nriv"

    id: Mapped[uuid.UUID] = _id()
    nrrangenr: Mapped[str] = mapped_column(String(2), nullable=False, unique=True)
    kind: Mapped[str] = mapped_column(String(8), nullable=False)
    fromnumber: Mapped[str] = mapped_column(String(10), nullable=False)
    tonumber: Mapped[str] = mapped_column(String(10), nullable=False)
    rule: Mapped[str] = _char(10)
    text_zh: Mapped[str] = _char(60)
    text_en: Mapped[str] = _char(60)
    # Last number handed out (internal ranges); fromnumber - 1 before the first.
    nrlevel: Mapped[int] = mapped_column(BigInteger, nullable=False)


class NumberBlock(Base):
    """A block of internal numbers handed to one device (an offline laptop) to use alone."""

    __tablename__ = "nr_block"

    id: Mapped[uuid.UUID] = _id()
    nrrangenr: Mapped[str] = mapped_column(ForeignKey("nriv.nrrangenr"), nullable=False, index=True)
    device: Mapped[str] = mapped_column(String(64), nullable=False)
    first_number: Mapped[int] = mapped_column(BigInteger, nullable=False)
    last_number: Mapped[int] = mapped_column(BigInteger, nullable=False)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    # The user the block was handed to (on PostgreSQL the signed-in role, set by the server).
    issued_to: Mapped[str] = _char(64)


# --- customizing ----------------------------------------------------------------------------


class CodeListRow(Base):
    __tablename__ = "cust_list"

    id: Mapped[uuid.UUID] = _id()
    list_id: Mapped[str] = mapped_column(String(40), nullable=False, unique=True)
    parent_list: Mapped[str] = _char(40)
    label_zh: Mapped[str] = _char(60)
    label_en: Mapped[str] = _char(60)


class CodeValueRow(Base):
    __tablename__ = "cust_value"
    __table_args__ = (UniqueConstraint("list_id", "parent", "code"),)

    id: Mapped[uuid.UUID] = _id()
    list_id: Mapped[str] = mapped_column(ForeignKey("cust_list.list_id"), nullable=False)
    parent: Mapped[str] = _char(20)
    code: Mapped[str] = mapped_column(String(20), nullable=False)
    text_zh: Mapped[str] = _char(80)
    text_en: Mapped[str] = _char(80)
    attrs: Mapped[str] = mapped_column(Text, nullable=False, default="{}")  # JSON object
    source: Mapped[str] = _char(10)
    sort: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # A deactivated value is offered nowhere any more; customers that hold it keep it.
    active: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=True, server_default=true()
    )


class AccountGroupRow(Base):
    __tablename__ = "cust_ktokd"

    id: Mapped[uuid.UUID] = _id()
    ktokd: Mapped[str] = mapped_column(String(4), nullable=False, unique=True)
    text_zh: Mapped[str] = _char(40)
    text_en: Mapped[str] = _char(40)
    nrrangenr: Mapped[str] = mapped_column(ForeignKey("nriv.nrrangenr"), nullable=False)
    akont: Mapped[str] = _char(10)


class FieldStatusRow(Base):
    __tablename__ = "cust_field_status"
    __table_args__ = (UniqueConstraint("ktokd", "field_group", "activity"),)

    id: Mapped[uuid.UUID] = _id()
    ktokd: Mapped[str] = mapped_column(ForeignKey("cust_ktokd.ktokd"), nullable=False)
    field_group: Mapped[str] = mapped_column(String(40), nullable=False)
    activity: Mapped[str] = mapped_column(String(10), nullable=False)
    status: Mapped[str] = mapped_column(String(10), nullable=False)


class CustomizingChange(Base):
    """A change document of the customizing: who changed which field of which row, when, from
    what to what. On PostgreSQL a trigger of the customizing tables writes it (migration 0018),
    whatever the client; on SQLite the maintenance service does."""

    __tablename__ = "cust_change"
    __table_args__ = (Index("ix_cust_change_tabname_tabkey", "tabname", "tabkey"),)

    id: Mapped[uuid.UUID] = _id()
    changed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, index=True
    )
    username: Mapped[str] = mapped_column(String(64), nullable=False)
    tabname: Mapped[str] = mapped_column(String(30), nullable=False)
    tabkey: Mapped[str] = mapped_column(String(120), nullable=False)
    fname: Mapped[str] = mapped_column(String(30), nullable=False)
    chngind: Mapped[str] = mapped_column(String(1), nullable=False)  # I insert, U update, D delete
    value_old: Mapped[str | None] = mapped_column(Text)
    value_new: Mapped[str | None] = mapped_column(Text)


class CustomizingVersion(Base):
    """One row whose counter every change of the customizing raises (triggers of migration
    0018 on both databases): a client compares it with the version it loaded to know that
    its copy of the customizing is stale."""

    __tablename__ = "cust_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, nullable=False)


SEGMENT_TABLES: dict[str, type[Base]] = {
    "KNA1": Kna1,
    "KNBK": Knbk,
    "KNB1": Knb1,
    "KNVV": Knvv,
    "KNVI": Knvi,
    "KNVP": Knvp,
}


# --- maintenance requests (issue 18) --------------------------------------------------------


class MaintenanceRequest(Base):
    """A maintenance request (客户主数据维护申请): the proposed customer as a SAP-shaped JSON
    document, its status and routing keys. Its history is request_steps."""

    __tablename__ = "requests"

    number: Mapped[str] = mapped_column(String(10), primary_key=True)
    type: Mapped[str] = mapped_column(String(24), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    parent: Mapped[str | None] = mapped_column(ForeignKey("requests.number"), index=True)
    kunnr: Mapped[str] = _char(10)  # the customer, once it has a number
    bukrs: Mapped[str] = _char(4)  # a company-code request's company code
    sales_area: Mapped[str] = _char(14)  # a sales-area request's VKORG/VTWEG/SPART
    # The proposed general data's authorization group (KNA1-BEGRU): PostgreSQL shows a
    # request, as a customer, only to who holds it (and to its requester).
    begru: Mapped[str] = _char(4)
    requester: Mapped[str] = mapped_column(String(64), nullable=False)
    org_unit: Mapped[str] = _char(20)  # the requester's department when he filed it
    reason: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    document: Mapped[str] = mapped_column(Text, nullable=False)  # JSON as `customer show`
    base_version: Mapped[int] = mapped_column(
        Integer, nullable=False, default=0, server_default="0"
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    last_editor: Mapped[str] = mapped_column(String(64), nullable=False)
    # Raised by every update: a client can tell that the request moved on since it read it.
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")


class RequestStep(Base):
    """One step of a request's history: time, actor, action, statuses, comment."""

    __tablename__ = "request_steps"

    id: Mapped[uuid.UUID] = _id()
    request_number: Mapped[str] = mapped_column(
        ForeignKey("requests.number", ondelete="CASCADE"), nullable=False, index=True
    )
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    actor: Mapped[str] = mapped_column(String(64), nullable=False)
    action: Mapped[str] = mapped_column(String(16), nullable=False)
    from_status: Mapped[str] = _char(16)
    to_status: Mapped[str] = mapped_column(String(16), nullable=False)
    comment: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")

    __table_args__ = (UniqueConstraint("request_number", "seq"),)


class RequestAttachment(Base):
    """A file attached to a request (a scan of the business licence), kept in the database;
    its size is limited by the services (domain.requests.MAX_ATTACHMENT_BYTES) and here."""

    __tablename__ = "request_attachments"

    id: Mapped[uuid.UUID] = _id()
    request_number: Mapped[str] = mapped_column(
        ForeignKey("requests.number", ondelete="CASCADE"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    mime: Mapped[str] = mapped_column(String(100), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    content: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    added_by: Mapped[str] = mapped_column(String(64), nullable=False)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)

    __table_args__ = (CheckConstraint("size > 0 AND size <= 5242880", name="size_limit"),)


# --- offline laptops (issue 19) -------------------------------------------------------------
#
# On both databases (one schema everywhere); the server uses change_feed and offline_op, a
# replica (services.offline_checkout) the replica_* tables, the outbox and the conflicts.


class ChangeFeed(Base):
    """The server's change feed: one row per customer whose general-data row (whose version
    every change raises) was inserted, updated or deleted, with the transaction that did it
    last. On PostgreSQL a trigger of kna1 keeps it (migration 0019); xid holds the 64-bit
    transaction id (xid8) that a pull compares with its snapshot (services.offline_sync).
    No foreign key: the row outlives a customer deleted physically, so the replicas learn it."""

    __tablename__ = "change_feed"

    kunnr: Mapped[str] = mapped_column(String(10), primary_key=True)
    xid: Mapped[int] = mapped_column(BigInteger, nullable=False)
    deleted: Mapped[bool] = _flag()


class OfflineOperation(Base):
    """An offline operation the server applied: written in the same transaction as the change
    it made, so that a push repeated after a lost answer finds it and applies nothing twice.
    result is the JSON of what the push answered (the fields left as conflicts)."""

    __tablename__ = "offline_op"

    op_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    device: Mapped[str] = mapped_column(String(64), nullable=False)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    username: Mapped[str] = mapped_column(String(64), nullable=False)
    kunnr: Mapped[str] = mapped_column(String(10), nullable=False)
    applied_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    result: Mapped[str] = mapped_column(Text, nullable=False, default="{}")


class ReplicaMeta(Base):
    """A replica's facts: server URL (without password), device id, user, sync position."""

    __tablename__ = "replica_meta"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)


class ReplicaNumberBlock(Base):
    """A block of internal numbers the server reserved for this replica (nr_block on the
    server), and the last one used here."""

    __tablename__ = "replica_block"

    id: Mapped[uuid.UUID] = _id()
    nrrangenr: Mapped[str] = mapped_column(String(2), nullable=False, index=True)
    first_number: Mapped[int] = mapped_column(BigInteger, nullable=False)
    last_number: Mapped[int] = mapped_column(BigInteger, nullable=False)
    # Last number drawn from the block; first_number - 1 before the first.
    level: Mapped[int] = mapped_column(BigInteger, nullable=False)


class OutboxRow(Base):
    """One change made offline, waiting for the server: written in the transaction of the
    change itself, deleted once the server confirmed it. fields is JSON: a list of
    [table, key, field, indicator, base, new] as the change document's items."""

    __tablename__ = "outbox"

    op_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, nullable=False, unique=True)
    device: Mapped[str] = mapped_column(String(64), nullable=False)
    kunnr: Mapped[str] = mapped_column(String(10), nullable=False, index=True)
    activity: Mapped[str] = mapped_column(String(10), nullable=False)  # create or change
    tcode: Mapped[str] = mapped_column(String(20), nullable=False)
    segments: Mapped[str] = mapped_column(Text, nullable=False)  # the segment keys touched
    fields: Mapped[str] = mapped_column(Text, nullable=False)
    base_version: Mapped[int] = mapped_column(Integer, nullable=False)
    comment: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class OfflineConflict(Base):
    """A field (or a whole operation) the server did not take: base, mine and theirs, until
    the user resolves it (services.offline_conflicts)."""

    __tablename__ = "offline_conflict"

    id: Mapped[uuid.UUID] = _id()
    op_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    kunnr: Mapped[str] = mapped_column(String(10), nullable=False, index=True)
    # field: both sides changed it; status: blocked, flagged or deleted on the server;
    # create: an offline create the server refused (number, USCC, duplicate)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)
    tabname: Mapped[str] = _char(10)
    tabkey: Mapped[str] = _char(70)
    fname: Mapped[str] = _char(10)
    base: Mapped[str | None] = mapped_column(Text)
    mine: Mapped[str | None] = mapped_column(Text)
    theirs: Mapped[str | None] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
