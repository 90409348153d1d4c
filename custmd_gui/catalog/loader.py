"""Reads and checks the field catalog (fields/*.yaml, field_groups.yaml, screens.yaml)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

CATALOG_DIR = Path(__file__).parent

# SAP data types the catalog knows. FLAG is SAP's 'X'/blank checkbox (XFELD).
FIELD_TYPES = frozenset({"CHAR", "NUMC", "LANG", "CUKY", "FLAG"})
# The field types (`value_type`), implemented in custmd_gui.domain.field_types: each owns the
# field's input normalisation, its check and its display. Per type: the SAP data types it may
# store in, and whether its values come from the field's value help (a code list).
VALUE_TYPES: dict[str, tuple[frozenset[str], bool]] = {
    "text": (frozenset({"CHAR"}), False),
    "identifier": (frozenset({"CHAR"}), False),
    "code": (frozenset({"CHAR"}), True),
    "account_group": (frozenset({"CHAR"}), True),
    "reconciliation_account": (frozenset({"CHAR"}), True),
    "language": (frozenset({"LANG"}), True),
    "currency": (frozenset({"CUKY"}), True),
    "numc": (frozenset({"NUMC"}), False),
    "flag": (frozenset({"FLAG"}), False),
    "customer_number": (frozenset({"CHAR"}), False),
    "partner": (frozenset({"CHAR"}), False),
    "postal_code": (frozenset({"CHAR"}), False),
    "phone": (frozenset({"CHAR"}), False),
    "uscc": (frozenset({"CHAR"}), False),
}
SEARCH_HELPS = frozenset({"customers"})
# What a field gives the customer list's search (custmd_gui.domain.search_terms, one kind of
# value each): names (the first also its pinyin initials), the search term, city, postal code,
# telephone numbers, account group, company codes, sales areas (their key fields in catalog
# order) and the central blocks and deletion flag the list filters by.
SEARCH_KINDS = frozenset(
    {
        "name",
        "search_term",
        "city",
        "postal_code",
        "phone",
        "account_group",
        "company_code",
        "sales_area",
        "blocked",
        "deletion_flag",
    }
)

_FIELD_ATTRS = frozenset(
    {
        "key",
        "name",
        "label",
        "type",
        "length",
        "field_group",
        "value_help",
        "value_help_parent",
        "search_help",
        "key_field",
        "value_type",
        "search",
        "heading",
        "stands_for_row",
        "row_status",
        "overflow",
        "help",
    }
)
_REQUIRED_ATTRS = frozenset(
    {"key", "name", "label", "type", "value_type", "length", "field_group", "help"}
)
_FILE_ATTRS = frozenset({"table", "segment", "fields"})
_GROUP_ATTRS = frozenset({"screen", "zh", "en"})
_SCREEN_ATTRS = frozenset({"screen", "segment", "title", "form"})
# What a data screen edits; the initial screen and the blocks edit no segment.
SCREEN_SEGMENTS = ("general", "company_code", "sales_area")
_FORM_RE = re.compile(r"^[A-Z][A-Za-z0-9]*$")
_KEY_RE = re.compile(r"^[A-Z][A-Z0-9]{1,15}-[A-Z][A-Z0-9_]{1,29}$")
_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class CatalogError(ValueError):
    """The catalog files are inconsistent; the message names the entry."""


@dataclass(frozen=True, slots=True)
class Text:
    """A text in the two UI languages."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang.startswith("en") else self.zh


@dataclass(frozen=True, slots=True)
class Screen:
    """A screen of XD01/XD02/XD03 (screens.yaml)."""

    id: str
    title: Text
    segment: str | None = None  # SCREEN_SEGMENTS; None for the initial screen and the blocks
    form: str | None = None  # the class of forms/<id>.ui


@dataclass(frozen=True, slots=True)
class FieldGroup:
    id: str
    screen: str
    label: Text


@dataclass(frozen=True, slots=True)
class FieldDef:
    """One field: its SAP key, where it lives and how it is checked and explained."""

    key: str
    name: str
    label: Text
    type: str
    length: int
    field_group: str
    segment: str
    help: Text
    value_help: str | None = None
    value_help_parent: str | None = None
    # A search help over master data instead of a code list (F4 on a partner: "customers").
    search_help: str | None = None
    key_field: bool = False
    value_type: str = "text"  # VALUE_TYPES
    # Which values of the customer list's search the field gives (SEARCH_KINDS).
    search: tuple[str, ...] = ()
    # The column of an import or export file; the label unless the catalog says otherwise.
    heading: Text | None = None
    # A problem of a whole row of a table (repeated, undefined) is reported on this field.
    stands_for_row: bool = False
    # The account group's status of this field says whether the table needs at least one row
    # (a customer without any bank details); a missing row is reported on it.
    row_status: bool = False
    # A field of the same table that takes what goes beyond this one's length (SAP: the bank
    # account's digits beyond 18 go into the bank reference); named when too much is typed.
    overflow: str | None = None

    @property
    def table(self) -> str:
        return self.key.split("-", 1)[0]

    @property
    def column_heading(self) -> Text:
        """The column of an import or export file, in zh and en."""
        return self.heading or self.label

    @property
    def sap_name(self) -> str:
        """The SAP field name (NAME1): the JSON key and the import column."""
        return self.key.split("-", 1)[1]

    @property
    def column(self) -> str:
        """The database column: the SAP field name in lower case."""
        return self.sap_name.lower()

    @property
    def object_name(self) -> str:
        """objectName of the widget that edits the field (KNA1_NAME1)."""
        return self.key.replace("-", "_")


class Catalog:
    """All fields, indexed by key and by table."""

    def __init__(
        self,
        fields: list[FieldDef],
        groups: dict[str, FieldGroup],
        screens: dict[str, Screen] | None = None,
    ) -> None:
        self.groups = groups
        # In SAP's order (the order of screens.yaml).
        self.screens: dict[str, Screen] = screens or {}
        self._by_key = {f.key: f for f in fields}
        self._by_table: dict[str, list[FieldDef]] = {}
        for f in fields:
            self._by_table.setdefault(f.table, []).append(f)
        self._names: dict[str, tuple[tuple[str, str, str], ...]] = {}

    def __iter__(self) -> Iterator[FieldDef]:
        return iter(self._by_key.values())

    def __len__(self) -> int:
        return len(self._by_key)

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def field(self, key: str) -> FieldDef:
        try:
            return self._by_key[key]
        except KeyError:
            raise KeyError(f"field {key} is not in the catalog") from None

    def table(self, table: str) -> list[FieldDef]:
        return list(self._by_table.get(table, []))

    def names(self, table: str) -> tuple[tuple[str, str, str], ...]:
        """(python name, database column, SAP name) of the table's fields, in order, worked
        out once: writing and reading rows asks for them per row (an import, thousands)."""
        found = self._names.get(table)
        if found is None:
            found = self._names[table] = tuple(
                (f.name, f.column, f.sap_name) for f in self._by_table.get(table, [])
            )
        return found

    def tables(self) -> list[str]:
        return list(self._by_table)

    def data_screens(self) -> list[Screen]:
        """The screens that edit a segment, in order: the wizard's steps after the initial one."""
        return [s for s in self.screens.values() if s.segment is not None]

    def by_name(self, table: str, name: str) -> FieldDef:
        for f in self._by_table.get(table, []):
            if f.name == name:
                return f
        raise KeyError(f"no field named {name} in {table}")


def _text(value: Any, where: str) -> Text:
    if not isinstance(value, Mapping) or set(value) != {"zh", "en"}:
        raise CatalogError(f"{where}: expected a mapping with exactly zh and en")
    zh, en = value["zh"], value["en"]
    if not isinstance(zh, str) or not isinstance(en, str) or not zh.strip() or not en.strip():
        raise CatalogError(f"{where}: zh and en must be non-empty texts")
    return Text(zh=zh, en=en)


def _load_screens(path: Path) -> dict[str, Screen]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, list):
        raise CatalogError(f"{path.name}: expected a list of screens")
    screens: dict[str, Screen] = {}
    for i, entry in enumerate(raw):
        where = f"{path.name} entry {i + 1}"
        if not isinstance(entry, Mapping):
            raise CatalogError(f"{where}: expected a mapping")
        unknown = set(entry) - _SCREEN_ATTRS
        if unknown:
            raise CatalogError(f"{where}: unknown attributes {sorted(unknown)}")
        sid = entry.get("screen")
        if not isinstance(sid, str) or not _NAME_RE.match(sid):
            raise CatalogError(f"{where}: screen must be a lower-case identifier")
        if sid in screens:
            raise CatalogError(f"screen {sid}: listed twice")
        segment, form = entry.get("segment"), entry.get("form")
        if segment not in (None, *SCREEN_SEGMENTS):
            raise CatalogError(f"screen {sid}: segment must be one of {list(SCREEN_SEGMENTS)}")
        if form is not None and (not isinstance(form, str) or not _FORM_RE.match(form)):
            raise CatalogError(f"screen {sid}: form must be a class name")
        if segment is not None and form is None:
            raise CatalogError(f"screen {sid}: a data screen needs its form")
        screens[sid] = Screen(
            id=sid,
            title=_text(entry.get("title"), f"screen {sid} title"),
            segment=segment,
            form=form,
        )
    return screens


def _load_groups(path: Path, screens: Mapping[str, Screen]) -> dict[str, FieldGroup]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, Mapping):
        raise CatalogError(f"{path.name}: expected a mapping of field groups")
    groups: dict[str, FieldGroup] = {}
    for gid, entry in raw.items():
        if not isinstance(entry, Mapping):
            raise CatalogError(f"field group {gid}: expected a mapping")
        unknown = set(entry) - _GROUP_ATTRS
        if unknown:
            raise CatalogError(f"field group {gid}: unknown attributes {sorted(unknown)}")
        if entry.get("screen") not in screens:
            raise CatalogError(f"field group {gid}: unknown screen {entry.get('screen')!r}")
        groups[str(gid)] = FieldGroup(
            id=str(gid),
            screen=str(entry["screen"]),
            label=_text({"zh": entry.get("zh"), "en": entry.get("en")}, f"field group {gid}"),
        )
    return groups


def _parse_field(
    entry: Any, table: str, segment: str, groups: Mapping[str, FieldGroup], where: str
) -> FieldDef:
    if not isinstance(entry, Mapping):
        raise CatalogError(f"{where}: expected a mapping")
    key = entry.get("key")
    name = f"{where} ({key})" if key else where
    unknown = set(entry) - _FIELD_ATTRS
    if unknown:
        raise CatalogError(f"{name}: unknown attributes {sorted(unknown)}")
    missing = _REQUIRED_ATTRS - set(entry)
    if missing:
        raise CatalogError(f"{name}: missing attributes {sorted(missing)}")
    if not isinstance(key, str) or not _KEY_RE.match(key):
        raise CatalogError(f"{name}: key must look like TABLE-FIELD")
    if key.split("-", 1)[0] != table:
        raise CatalogError(f"{key}: belongs to {key.split('-', 1)[0]}, not to file {table}")
    if not isinstance(entry["name"], str) or not _NAME_RE.match(entry["name"]):
        raise CatalogError(f"{key}: name must be a lower-case Python identifier")
    if entry["type"] not in FIELD_TYPES:
        raise CatalogError(f"{key}: unknown type {entry['type']!r}")
    length = entry["length"]
    if not isinstance(length, int) or isinstance(length, bool) or length <= 0:
        raise CatalogError(f"{key}: length must be a positive integer")
    if entry["field_group"] not in groups:
        raise CatalogError(f"{key}: unknown field group {entry['field_group']!r}")
    value_help = entry.get("value_help")
    if value_help is not None and not isinstance(value_help, str):
        raise CatalogError(f"{key}: value_help must be a list id")
    search_help = entry.get("search_help")
    if search_help not in (None, *SEARCH_HELPS):
        raise CatalogError(f"{key}: unknown search_help {search_help!r}")
    key_field = entry.get("key_field", False)
    if not isinstance(key_field, bool):
        raise CatalogError(f"{key}: key_field must be true or false")
    value_type = entry["value_type"]
    if value_type not in VALUE_TYPES:
        raise CatalogError(f"{key}: unknown value_type {value_type!r}")
    data_types, listed = VALUE_TYPES[value_type]
    if entry["type"] not in data_types:
        raise CatalogError(f"{key}: value_type {value_type} is not stored as {entry['type']}")
    if listed != bool(value_help):
        need = "needs" if listed else "takes no"
        raise CatalogError(f"{key}: value_type {value_type} {need} value_help")
    search = entry.get("search", [])
    if isinstance(search, str):
        search = [search]
    if not isinstance(search, list) or not set(search) <= SEARCH_KINDS:
        raise CatalogError(f"{key}: search must be some of {sorted(SEARCH_KINDS)}")
    flags = {a: entry.get(a, False) for a in ("stands_for_row", "row_status")}
    for attr, flag in flags.items():
        if not isinstance(flag, bool):
            raise CatalogError(f"{key}: {attr} must be true or false")
    heading = entry.get("heading")
    return FieldDef(
        key=key,
        name=entry["name"],
        label=_text(entry["label"], f"{key} label"),
        type=entry["type"],
        length=length,
        field_group=entry["field_group"],
        segment=segment,
        help=_text(entry["help"], f"{key} help"),
        value_help=value_help,
        value_help_parent=entry.get("value_help_parent"),
        search_help=search_help,
        key_field=key_field,
        value_type=value_type,
        search=tuple(search),
        heading=None if heading is None else _text(heading, f"{key} heading"),
        stands_for_row=flags["stands_for_row"],
        row_status=flags["row_status"],
        overflow=entry.get("overflow"),
    )


def _check_table(table: str, fields: list[FieldDef]) -> None:
    for attr in ("stands_for_row", "row_status"):
        marked = [fd.key for fd in fields if getattr(fd, attr)]
        if len(marked) > 1:
            raise CatalogError(f"{table}: {attr} on more than one field ({', '.join(marked)})")
    for lang in ("zh", "en"):
        headings: dict[str, str] = {}
        for fd in fields:
            heading = fd.column_heading.get(lang)
            if heading in headings:
                raise CatalogError(
                    f"{fd.key}: column heading {heading!r} also of {headings[heading]}"
                )
            headings[heading] = fd.key


def load_catalog(directory: Path = CATALOG_DIR) -> Catalog:
    """Load and check the catalog; raises CatalogError naming the offending entry."""
    screens = _load_screens(directory / "screens.yaml")
    groups = _load_groups(directory / "field_groups.yaml", screens)
    fields: list[FieldDef] = []
    seen: dict[str, str] = {}
    for path in sorted((directory / "fields").glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(raw, Mapping):
            raise CatalogError(f"{path.name}: expected a mapping")
        unknown = set(raw) - _FILE_ATTRS
        if unknown:
            raise CatalogError(f"{path.name}: unknown attributes {sorted(unknown)}")
        table, segment = raw.get("table"), raw.get("segment")
        if not isinstance(table, str) or not isinstance(segment, str):
            raise CatalogError(f"{path.name}: table and segment are required")
        names: set[str] = set()
        in_file: list[FieldDef] = []
        for i, entry in enumerate(raw.get("fields") or []):
            fd = _parse_field(entry, table, segment, groups, f"{path.name} entry {i + 1}")
            if fd.key in seen:
                raise CatalogError(f"{fd.key}: duplicate key (also in {seen[fd.key]})")
            if fd.name in names:
                raise CatalogError(f"{fd.key}: duplicate name {fd.name!r} in {table}")
            seen[fd.key] = path.name
            names.add(fd.name)
            in_file.append(fd)
        _check_table(table, in_file)
        fields.extend(in_file)
    for fd in fields:
        if fd.value_help_parent is not None and fd.value_help_parent not in seen:
            raise CatalogError(f"{fd.key}: value_help_parent {fd.value_help_parent} is unknown")
        overflow = fd.overflow
        if overflow is not None and (overflow not in seen or overflow.split("-")[0] != fd.table):
            raise CatalogError(f"{fd.key}: overflow {fd.overflow} is not a field of {fd.table}")
    return Catalog(fields, groups, screens)


@functools.cache
def catalog() -> Catalog:
    """The shipped catalog, loaded once per process."""
    return load_catalog()
