"""`custmd customer create FILE` fed malformed documents, on both databases: each one is
refused with a message naming the field (or the file), never a traceback, and no row of any
table changes. And the documents that only look unusual (full-width digits, a spaced credit
code, a byte-order mark, 𠀋 and emoji) are accepted and stored normalised.

Each malformed document is given to the real command in its own process. So that some 80
documents on two databases take a minute and not three, the processes of one database run a
few at a time against one database, made as `db_url` makes it (a copy of the migrated
template); its rows are counted before and after every one. As none may write anything, a
row written by any of them shows as changed counts.
"""

from __future__ import annotations

import codecs
import json
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, func, inspect, select, table

from custmd_gui.domain import uscc
from tests.conftest import BACKENDS, PostgresServer, example_document
from tests.e2e.test_cli import custmd

# The module's fixture is costly: under pytest-xdist its tests share one worker (--dist loadgroup).
pytestmark = pytest.mark.xdist_group("malformed_documents")

Doc = dict[str, Any]
FILE = "FILE"  # the problem names the file, not a field


@dataclass(frozen=True)
class Case:
    id: str
    data: bytes | None  # None: no file at all
    names: str  # what stderr must name: a field key, or FILE


def _doc(change: Callable[[Doc], object]) -> bytes:
    doc = example_document()
    change(doc)
    return json.dumps(doc, ensure_ascii=False).encode()


def _set(path: str, value: object) -> Callable[[Doc], None]:
    """A change setting `value` at "KNA1.NAME1", "KNVV.0.KNVP.1.KUNN2" and the like."""

    def change(doc: Doc) -> None:
        *parents, last = path.split(".")
        target: Any = doc
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value

    return change


def _drop(path: str) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        *parents, last = path.split(".")
        target: Any = doc
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        del target[last]

    return change


def field(id: str, path: str, value: object, names: str) -> Case:
    return Case(id, _doc(_set(path, value)), names)


def raw(id: str, text: str, names: str = FILE) -> Case:
    return Case(id, text.encode(), names)


EXAMPLE = json.dumps(example_document(), ensure_ascii=False)
NESTED = "[" * 100_000 + "]" * 100_000

MALFORMED = [
    # Control characters in free text (NUL: SQLite stored it, PostgreSQL raised a traceback).
    *(
        field(f"{name}-{key}", f"KNA1.{key}", f"东宁{char}广告有限公司", f"KNA1-{key}")
        for key in ("NAME1", "STRAS")
        for name, char in (
            ("BEL", "\x07"),
            ("TAB", "\t"),
            ("LF", "\n"),
            ("CR", "\r"),
            ("NUL", "\x00"),
            ("DEL", "\x7f"),
        )
    ),
    # Bidirectional controls and zero-width characters.
    field("RLO-NAME1", "KNA1.NAME1", "东宁\u202e广告", "KNA1-NAME1"),
    field("RLM-NAME1", "KNA1.NAME1", "东宁\u200f广告", "KNA1-NAME1"),
    field("ZWSP-NAME1", "KNA1.NAME1", "东宁\u200b广告", "KNA1-NAME1"),
    field("RLO-STRAS", "KNA1.STRAS", "长宁路\u202e262号", "KNA1-STRAS"),
    field("LRI-NAME2", "KNA1.NAME2", "Dong\u2066ning", "KNA1-NAME2"),
    field("ALM-NAME3", "KNA1.NAME3", "东宁\u061c广告", "KNA1-NAME3"),
    field("ZWJ-SORTL", "KNA1.SORTL", "东宁\u200d广告", "KNA1-SORTL"),
    field("WJ-ORT01", "KNA1.ORT01", "上\u2060海", "KNA1-ORT01"),
    field("BOM-char-ORT01", "KNA1.ORT01", "\ufeff上海", "KNA1-ORT01"),
    raw(
        "lone-surrogate-NAME1",
        EXAMPLE.replace('"NAME1": "东宁广告有限公司"', '"NAME1": "东宁\\ud800"'),
        "KNA1-NAME1",
    ),
    # ... in other tables, and in fields that are looked up before the validator has spoken.
    field("NUL-KOINH", "KNBK.0.KOINH", "工商\x00银行", "KNBK-KOINH"),
    field("TAB-INCO2", "KNVV.0.INCO2", "Shang\thai", "KNVV-INCO2"),
    field("NUL-KUNN2", "KNVV.0.KNVP.1.KUNN2", "2110380001\x00", "KNVP-KUNN2"),
    field("NUL-STCD5", "KNA1.STCD5", "91310000MA1FL4XQ3B\x00", "KNA1-STCD5"),
    field("NUL-KUNNR", "KNA1.KUNNR", "21103\x0080001", "KNA1-KUNNR"),
    field("NUL-TELF1", "KNA1.TELF1", "021\x0012345678", "KNA1-TELF1"),
    field("ZWSP-PSTLZ", "KNA1.PSTLZ", "200\u200b000", "KNA1-PSTLZ"),
    # A flag is "X" or "".
    field("flag-true", "KNA1.SPERR", True, "KNA1-SPERR"),
    field("flag-false", "KNA1.LOEVM", False, "KNA1-LOEVM"),
    field("flag-1", "KNA1.SPERR", 1, "KNA1-SPERR"),
    field("flag-Y-KNB1", "KNB1.0.SPERR", "Y", "KNB1-SPERR"),
    field("flag-null-KNVV", "KNVV.0.LOEVM", None, "KNVV-LOEVM"),
    # Strings are strings.
    field("number-NAME1", "KNA1.NAME1", 5, "KNA1-NAME1"),
    raw(
        "5000-digits-KUNNR",
        EXAMPLE.replace('"KUNNR": "2110380001"', '"KUNNR": ' + "9" * 5000),
        "KNA1-KUNNR",
    ),
    field("number-PSTLZ", "KNA1.PSTLZ", 200000, "KNA1-PSTLZ"),
    field("float-NAME1", "KNA1.NAME1", 1.5, "KNA1-NAME1"),
    raw("NaN-ORT01", EXAMPLE.replace('"ORT01": "上海"', '"ORT01": NaN'), "KNA1-ORT01"),
    field("number-BUKRS", "KNB1.0.BUKRS", 1011, "KNB1-BUKRS"),
    field("number-VTWEG", "KNVV.0.VTWEG", 10, "KNVV-VTWEG"),
    field("number-PARZA", "KNVV.0.KNVP.0.PARZA", 0, "KNVP-PARZA"),
    field("null-NAME1", "KNA1.NAME1", None, "KNA1-NAME1"),
    field("list-NAME1", "KNA1.NAME1", ["东宁"], "KNA1-NAME1"),
    field("object-STRAS", "KNA1.STRAS", {"zh": "长宁路"}, "KNA1-STRAS"),
    field("true-ORT01", "KNA1.ORT01", True, "KNA1-ORT01"),
    # Objects are objects, lists are lists; tables and fields by their SAP names only.
    raw("document-list", "[" + EXAMPLE + "]", "KNA1"),
    raw("document-string", '"KNA1"', "KNA1"),
    raw("document-number", "42", "KNA1"),
    raw("document-null", "null", "KNA1"),
    field("KNA1-list", "KNA1", [example_document()["KNA1"]], "KNA1"),
    field("KNBK-object", "KNBK", {"BANKS": "CN"}, "KNBK"),
    field("KNB1-numbers", "KNB1", [1, 2], "KNB1"),
    field("KNVV-string", "KNVV", "F011/10/01", "KNVV"),
    field("KNVI-object", "KNVV.0.KNVI", {"ALAND": "CN"}, "KNVI"),
    field("KNVP-strings", "KNVV.0.KNVP", ["AG"], "KNVP"),
    field("unknown-table", "KNA2", {"NAME1": "x"}, "KNA2"),
    field("unknown-field-KNA1", "KNA1.NAMEX", "?", "KNA1-NAMEX"),
    field("unknown-field-KNB1", "KNB1.0.ZWELS", "T", "KNB1-ZWELS"),
    field("unknown-field-KNVP", "KNVV.0.KNVP.0.KNREF", "x", "KNVP-KNREF"),
    field("KNVI-in-KNA1", "KNA1.KNVI", [], "KNA1-KNVI"),
    raw("repeated-NAME1", EXAMPLE.replace('"NAME1": ', '"NAME1": "甲", "NAME1": '), "KNA1-NAME1"),
    field("internal-VERSION", "VERSION", 7, "VERSION"),
    # Files that are no JSON document, or not UTF-8.
    raw("not-json", "KNA1: NAME1=东宁"),
    raw("empty-file", ""),
    raw("blank-file", " \n\t\n"),
    raw("truncated", EXAMPLE[:-40]),
    raw("trailing-comma", EXAMPLE[:-1] + ",}"),
    raw("nested-100000", NESTED),
    raw("nested-100000-in-NAME1", EXAMPLE.replace('"NAME1": ', '"NAME1": ' + NESTED + ", "), FILE),
    Case("GBK", EXAMPLE.encode("gbk"), FILE),
    Case("UTF-16-BOM", EXAMPLE.encode("utf-16"), FILE),
    Case("UTF-16LE", EXAMPLE.encode("utf-16-le"), FILE),
    Case("UTF-32", EXAMPLE.encode("utf-32"), FILE),
    Case("binary", bytes(range(256)) * 4, FILE),
    Case("no-such-file", None, FILE),
    # Well-formed, but not a valid customer: the validator names the field.
    field("too-long-NAME1", "KNA1.NAME1", "东" * 36, "KNA1-NAME1"),
    field("too-long-KUNNR", "KNA1.KUNNR", "21103800011", "KNA1-KUNNR"),
    field("too-long-STRAS-100k", "KNA1.STRAS", "路" * 100_000, "KNA1-STRAS"),
    Case("missing-NAME1", _doc(_drop("KNA1.NAME1")), "KNA1-NAME1"),
    Case("missing-KTOKD", _doc(_drop("KNA1.KTOKD")), "KNA1-KTOKD"),
    Case("missing-BUKRS", _doc(_drop("KNB1.0.BUKRS")), "KNB1-BUKRS"),
    field("bad-country", "KNA1.LAND1", "XX", "KNA1-LAND1"),
    field("bad-region", "KNA1.REGIO", "999", "KNA1-REGIO"),
    field("bad-postal-code", "KNA1.PSTLZ", "2000000", "KNA1-PSTLZ"),
    field("arabic-digits-PSTLZ", "KNA1.PSTLZ", "٢٠٠٠٠٠", "KNA1-PSTLZ"),
    field("bad-USCC", "KNA1.STCD5", "91310000MA1FL4XQ3C", "KNA1-STCD5"),
    field("bad-sales-area", "KNVV.0.VTWEG", "99", "KNVV-VTWEG"),
    field("bad-telephone", "KNA1.TELF1", "call me", "KNA1-TELF1"),
]


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows of every table of the database."""
    with engine.connect() as conn:
        names = inspect(conn).get_table_names()
        assert names
        return {
            name: conn.execute(select(func.count()).select_from(table(name))).scalar_one()
            for name in names
        }


def create(url: str, path: Path, *extra: str) -> tuple[int, str, str]:
    result = custmd("customer", "create", str(path), "--db", url, *extra)
    return result.returncode, result.stdout, result.stderr


@dataclass(frozen=True)
class Refusal:
    path: Path
    status: int
    stdout: str
    stderr: str
    counts_before: dict[str, int]
    counts_after: dict[str, int]


@pytest.fixture(scope="module", params=BACKENDS)
def refusals(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Refusal]]:
    """Every malformed document given to `custmd customer create`, on one database."""
    folder = tmp_path_factory.mktemp(f"malformed-{request.param}")
    server: PostgresServer | None = None
    if request.param == "sqlite":
        target = folder / "custmd.sqlite"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        url = f"sqlite:///{target}"
    else:
        server = request.getfixturevalue("postgres")
        name = server.create(template=server.template)
        url = server.url(name)
    engine = create_engine(url)

    def refuse(case: Case) -> Refusal:
        path = folder / f"{case.id}.json"
        if case.data is not None:
            path.write_bytes(case.data)
        before = row_counts(engine)
        status, out, err = create(url, path)
        return Refusal(path, status, out, err, before, row_counts(engine))

    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            yield dict(zip([c.id for c in MALFORMED], pool.map(refuse, MALFORMED), strict=True))
    finally:
        engine.dispose()
        if server is not None:
            server.drop(name)


def test_there_are_enough_cases() -> None:
    assert len(MALFORMED) >= 60
    assert len({c.id for c in MALFORMED}) == len(MALFORMED)


@pytest.mark.parametrize("case", MALFORMED, ids=[c.id for c in MALFORMED])
def test_a_malformed_document_is_refused(refusals: dict[str, Refusal], case: Case) -> None:
    refused = refusals[case.id]
    out, err = refused.stdout, refused.stderr
    assert refused.status != 0, out
    assert "Traceback" not in out + err
    named = str(refused.path) if case.names == FILE else case.names
    assert named in err, err[:2000]
    assert "意外错误" not in err and "数据库错误" not in err, err
    assert refused.counts_after == refused.counts_before


def _shown(url: str, number: str) -> Doc:
    result = custmd("customer", "show", number, "--format", "json", "--db", url)
    assert result.returncode == 0, result.stderr
    doc: Doc = json.loads(result.stdout)
    return doc


def test_full_width_digits_are_stored_as_ascii(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "customer.json"
    path.write_bytes(
        _doc(
            lambda d: d["KNA1"].update(
                {
                    "PSTLZ": "２０００００",
                    "TELF1": "０２１－１２３４５６７８",
                    "KUNNR": "２１１０３８０００１",
                }
            )
        )
    )
    status, _, err = create(db_url, path)
    assert status == 0, err
    shown = _shown(db_url, "2110380001")["KNA1"]
    assert (shown["KUNNR"], shown["PSTLZ"], shown["TELF1"]) == (
        "2110380001",
        "200000",
        "021-12345678",
    )


def test_a_lower_case_spaced_credit_code_is_stored_normalised(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "customer.json"
    code = "91310000MA1FL4XQ3" + uscc.check_character("91310000MA1FL4XQ3")
    typed = " " + code[:4] + " " + code[4:8] + "　" + code[8:].lower() + " "  # 9131 0000　ma1…
    path.write_bytes(_doc(_set("KNA1.STCD5", typed)))
    status, _, err = create(db_url, path)
    assert status == 0, err
    assert _shown(db_url, "2110380001")["KNA1"]["STCD5"] == code


def test_a_byte_order_mark_is_accepted(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "customer.json"
    path.write_bytes(codecs.BOM_UTF8 + EXAMPLE.encode())
    status, _, err = create(db_url, path)
    assert status == 0, err
    assert _shown(db_url, "2110380001")["KNA1"]["NAME1"] == "东宁广告有限公司"


def test_supplementary_characters_and_emoji_are_kept(db_url: str, tmp_path: Path) -> None:
    name = "𠀋" * 30 + "花店🌸"  # 35 characters: the limit of NAME1
    path = tmp_path / "customer.json"
    path.write_bytes(_doc(lambda d: d["KNA1"].update({"NAME1": name, "STRAS": "𪚥路1号"})))
    status, _, err = create(db_url, path)
    assert status == 0, err
    shown = _shown(db_url, "2110380001")["KNA1"]
    assert (shown["NAME1"], shown["STRAS"]) == (name, "𪚥路1号")
