"""Fill a database with made-up but realistic Chinese customers, fast, for benchmarks.

    python benchmarks/seed.py --db /tmp/big.sqlite --customers 1000000 [--seed 1]
    python benchmarks/seed.py --db postgresql://postgres@127.0.0.1/custmd_big --customers 100000

Names are built as clerks meet them, e.g. 上海东宁广告有限公司 or 鑫泰电子(苏州)有限公司: an
optional city, a brand of two or three characters (drawn with a skew, so that some brands are
common), an industry and a legal form. Every customer has a telephone number of its city and a
valid unified social credit code, and the older 15-digit tax number as tax number 1.

Every customer also has company codes (KNB1: F011 for most, F001 and F015 for fewer; one to
three) and sales areas (KNVV: one or two per company code's sales organization), some are
blocked or flagged for deletion, and a few belong to account group 1620 instead of 1610. These
are drawn from a random generator of their own, so names, telephones and tax numbers are the
same for a seed as before they existed (the duplicate-check figures stay comparable).

Written are KNA1, KNB1, KNVV and both search indexes: kna1_search (the duplicate check) and
kna1_find (the customer list), with the tokens the app makes (custmd_gui.domain), computed in
worker processes; with SQLAlchemy Core executemany in large batches on SQLite and COPY on
PostgreSQL. Secondary indexes and, on PostgreSQL, the search tables' keys are dropped during the
load and built once at the end. The customers take internal numbers of range 05 (account groups
1610 and 1620, domestic and foreign OEM sales); the range's level is raised first, in a
transaction of its own, so the app later draws the numbers after them.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import (
    Connection,
    Engine,
    Index,
    Table,
    create_engine,
    event,
    func,
    select,
    text,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.schema import AddConstraint, DropConstraint

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(REPO))

from custmd_gui.domain import search_terms, uscc  # noqa: E402
from custmd_gui.domain.names import normalize_name, search_tokens  # noqa: E402
from custmd_gui.persistence import tables  # noqa: E402
from custmd_gui.persistence.engine import make_engine, normalize_url  # noqa: E402
from custmd_gui.services.customizing import upgrade_database  # noqa: E402

ACCOUNT_GROUP = "1610"
FOREIGN_ACCOUNT_GROUP = "1620"  # same number range
NUMBER_RANGE = "05"
SEEDED_BY = "seed"  # KNA1.created_by of the seeded customers (the benchmarks sample these)
BATCH = 50_000

KNA1 = cast(Table, tables.Kna1.__table__)
KNB1 = cast(Table, tables.Knb1.__table__)
KNVV = cast(Table, tables.Knvv.__table__)
SEARCH = cast(Table, tables.Kna1Search.__table__)
FIND = cast(Table, tables.Kna1Find.__table__)

# Company codes (= sales organizations) and how often a customer has one.
COMPANY_CODES = (("F011", 0.7), ("F001", 0.35), ("F015", 0.2))
CHANNELS = ("10", "20", "30")
CHANNEL_WEIGHTS = (6, 3, 1)
DIVISIONS = ("01", "02")
DIVISION_WEIGHTS = (4, 1)
SALES_OFFICES = {"F001": "1020", "F011": "1038", "F015": "1501"}
# A plant of each sales organization (customizing sales_orgs attrs.plants): F001 has none of
# its own code.
PLANTS = {"F001": "FW00", "F011": "F011", "F015": "F015"}
BLOCK_SHARE = 0.02  # an order block (KNA1-AUFSD)
POSTING_BLOCK_SHARE = 0.005  # KNA1-SPERR
DELETION_SHARE = 0.005
FOREIGN_SHARE = 0.05


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# city, region key (KNA1-REGIO), telephone area code, administrative division (USCC digits
# 3-8), first three digits of the postal code
CITIES: list[tuple[str, str, str, str, str]] = [
    ("上海", "020", "21", "310115", "200"),
    ("北京", "010", "10", "110105", "100"),
    ("深圳", "190", "755", "440300", "518"),
    ("广州", "190", "20", "440106", "510"),
    ("天津", "030", "22", "120101", "300"),
    ("重庆", "320", "23", "500103", "400"),
    ("杭州", "130", "571", "330106", "310"),
    ("南京", "100", "25", "320102", "210"),
    ("苏州", "100", "512", "320505", "215"),
    ("武汉", "170", "27", "420102", "430"),
    ("成都", "230", "28", "510104", "610"),
    ("西安", "250", "29", "610102", "710"),
    ("沈阳", "070", "24", "210102", "110"),
    ("青岛", "120", "532", "370202", "266"),
    ("济南", "120", "531", "370102", "250"),
    ("郑州", "180", "371", "410102", "450"),
    ("长沙", "160", "731", "430102", "410"),
    ("合肥", "110", "551", "340102", "230"),
    ("福州", "150", "591", "350102", "350"),
    ("厦门", "150", "592", "350203", "361"),
    ("宁波", "130", "574", "330203", "315"),
    ("无锡", "100", "510", "320202", "214"),
    ("东莞", "190", "769", "441900", "523"),
    ("佛山", "190", "757", "440604", "528"),
    ("大连", "070", "411", "210202", "116"),
    ("昆明", "240", "871", "530102", "650"),
    ("哈尔滨", "090", "451", "230102", "150"),
    ("长春", "080", "431", "220102", "130"),
    ("南昌", "140", "791", "360102", "330"),
    ("石家庄", "060", "311", "130102", "050"),
    ("太原", "050", "351", "140105", "030"),
    ("南宁", "210", "771", "450102", "530"),
    ("贵阳", "220", "851", "520102", "550"),
    ("兰州", "260", "931", "620102", "730"),
    ("温州", "130", "577", "330302", "325"),
    ("常州", "100", "519", "320402", "213"),
    ("泉州", "150", "595", "350502", "362"),
    ("烟台", "120", "535", "370602", "264"),
    ("珠海", "190", "756", "440402", "519"),
    ("海口", "200", "898", "460105", "570"),
]
# Bigger cities have more customers.
CITY_WEIGHTS = [1 / (i + 3) for i in range(len(CITIES))]

# Characters of company brands (字号), most popular first; drawn with a skew, so that brands
# like 华信 or 鑫达 recur as they do in a real register.
BRAND_CHARS = (
    "华鑫盛泰达恒宏信通安源兴金中新天瑞龙东海亚嘉德荣丰隆昌博宇和美佳利康明辉晨阳光明创"
    "联合永成长远方正大万汇聚众宝富贵福祥吉顺星月日辰鸿鹏飞凯旋胜腾跃峰岭山川江河湖泉"
    "润泽清华青蓝紫红白金银铭诚仁义礼智德馨雅致远志伟业凌云翔宁静平安乐欣悦怡然卓越精"
    "益升启迪睿哲思源航宇科创智能锦绣豪杰英杰骏驰赛诺维尔特斯贝格朗润泰康达利丰禾谷麦"
    "稻粮茂森林松柏竹梅兰菊芳华芝兰桂冠晶钻石玉珠瑞祺祯禧麒麟凤凰鹰狮虎豹象鲸鲲鹏展翼"
    "卓远拓新创恒茂弘扬尚品优选佳禾润丰锐捷迅速达成立信诚笃纳百川汇源开泰启明星辰宏图"
)
BRAND_WEIGHTS = [1 / (i + 20) for i in range(len(BRAND_CHARS))]

INDUSTRIES = _words(
    "科技 贸易 电子 机械 广告 物流 建材 食品 服装 化工 医药 网络科技 信息技术 文化传媒 餐饮管理 "
    "建筑工程 装饰工程 房地产开发 汽车销售 汽车配件 环保科技 新材料 生物科技 电气 自动化设备 "
    "包装材料 印刷 家具 纺织 服饰 五金 塑料制品 模具 钢铁 有色金属 能源 光电 通信设备 软件 "
    "商务咨询 投资管理 人力资源 教育科技 健康管理 医疗器械 农业发展 园林绿化 酒店管理 旅游 "
    "国际贸易 进出口 供应链管理 电子商务 实业 工贸 精密机械 仪器仪表 照明 陶瓷"
)
INDUSTRY_WEIGHTS = [1 / (i + 4) for i in range(len(INDUSTRIES))]

LEGAL_FORMS = ("有限公司", "股份有限公司", "有限责任公司", "集团有限公司")
LEGAL_WEIGHTS = (80, 8, 9, 3)
ROADS = _words(
    "人民路 中山路 解放路 建设路 长江路 黄河路 南京路 淮海路 延安路 和平路 新华路 胜利路"
)


@dataclass(frozen=True, slots=True)
class MadeUp:
    """One made-up customer's KNA1 values that matter for searching."""

    name: str
    city: str
    region: str
    street: str
    postal_code: str
    telephone: str
    tax_number: str
    uscc: str
    account_group: str = ACCOUNT_GROUP
    company_codes: tuple[str, ...] = ("F011",)
    sales_areas: tuple[tuple[str, str, str], ...] = (("F011", "10", "01"),)
    order_block: str = ""
    posting_block: bool = False
    deletion_flag: bool = False

    def indexed(self) -> search_terms.Indexed:
        """The values the customer list searches, as the app reads them from the tables."""
        return search_terms.Indexed(
            names=(self.name,),
            search_term=search_term(self.name),
            city=self.city,
            postal_code=self.postal_code,
            phones=(self.telephone,),
            account_group=self.account_group,
            company_codes=self.company_codes,
            sales_areas=tuple(search_terms.sales_area_key(*a) for a in self.sales_areas),
            blocked=search_terms.is_blocked(self.order_block, "", "", self.posting_block),
            deletion_flag=self.deletion_flag,
        )


def search_term(name: str) -> str:
    """SORTL as clerks fill it: the name without city and legal form (东宁广告), at most 10."""
    return (normalize_name(name) or name)[:10]


class Generator:
    """Deterministic made-up customers: the same seed gives the same customers."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        # A bijection of 0..10**9-1, so that serial i gets a unique organisation code.
        self.org_offset = self.rng.randrange(10**9)
        # Organizational data from a generator of its own: adding it changed no name.
        self.org_rng = random.Random(seed * 7919 + 17)

    def organization(self) -> dict[str, Any]:
        """Account group, company codes, sales areas, blocks and deletion flag."""
        r = self.org_rng
        codes = tuple(c for c, share in COMPANY_CODES if r.random() < share) or ("F011",)
        areas: list[tuple[str, str, str]] = []
        for org in codes:
            first = (org, "10", "01") if r.random() < 0.7 else None
            for _ in range(1 if r.random() < 0.6 else 2):
                area = first or (
                    org,
                    r.choices(CHANNELS, CHANNEL_WEIGHTS)[0],
                    r.choices(DIVISIONS, DIVISION_WEIGHTS)[0],
                )
                first = None
                if area not in areas:
                    areas.append(area)
        return {
            "account_group": FOREIGN_ACCOUNT_GROUP if r.random() < FOREIGN_SHARE else ACCOUNT_GROUP,
            "company_codes": codes,
            "sales_areas": tuple(areas),
            "order_block": "01" if r.random() < BLOCK_SHARE else "",
            "posting_block": r.random() < POSTING_BLOCK_SHARE,
            "deletion_flag": r.random() < DELETION_SHARE,
        }

    def brand(self) -> str:
        length = 2 if self.rng.random() < 0.85 else 3
        return "".join(self.rng.choices(BRAND_CHARS, BRAND_WEIGHTS, k=length))

    def name(self, city: str) -> str:
        brand = self.brand()
        industry = self.rng.choices(INDUSTRIES, INDUSTRY_WEIGHTS)[0]
        legal = self.rng.choices(LEGAL_FORMS, LEGAL_WEIGHTS)[0]
        shape = self.rng.random()
        if shape < 0.45:
            return f"{city}{brand}{industry}{legal}"
        if shape < 0.55:
            return f"{brand}{industry}({city}){legal}"
        return f"{brand}{industry}{legal}"

    def telephone(self, area: str) -> str:
        if self.rng.random() < 0.2:
            return f"1{self.rng.choice('3589')}{self.rng.randrange(10**9):09d}"
        local = self.rng.randrange(2 * 10**7, 9 * 10**7) if len(area) == 2 else None
        if local is None:
            local = self.rng.randrange(2 * 10**6, 9 * 10**6)
        return f"0{area}-{local}"

    def organisation_code(self, serial: int) -> str:
        return f"{(serial * 7919 + self.org_offset) % 10**9:09d}"

    def customer(self, serial: int) -> MadeUp:
        city, region, area, division, postal = self.rng.choices(CITIES, CITY_WEIGHTS)[0]
        org = self.organisation_code(serial)
        return MadeUp(
            name=self.name(city),
            city=city,
            region=region,
            street=f"{self.rng.choice(ROADS)}{self.rng.randrange(1, 2000)}号",
            postal_code=f"{postal}{self.rng.randrange(1000):03d}",
            telephone=self.telephone(area),
            # The tax registration number before 2015: division and organisation code (15
            # digits); the USCC wraps both.
            tax_number=f"{division}{org}",
            uscc=f"91{division}{org}{uscc.check_character(f'91{division}{org}')}",
            **self.organization(),
        )


def kna1_row(row_id: uuid.UUID, number: str, c: MadeUp, now: datetime) -> dict[str, Any]:
    return {
        "id": row_id,
        "kunnr": number,
        "ktokd": c.account_group,
        "anred": "公司",
        "name1": c.name,
        "sortl": search_term(c.name),
        "stras": c.street,
        "pstlz": c.postal_code,
        "ort01": c.city,
        "land1": "CN",
        "regio": c.region,
        "spras": "ZH",
        "telf1": c.telephone,
        "stcd1": c.tax_number,
        "stcd5": c.uscc,
        "aufsd": c.order_block,
        "sperr": c.posting_block,
        "loevm": c.deletion_flag,
        "version": 1,
        "created_by": SEEDED_BY,
        "created_at": now,
    }


SEARCH_COLUMNS = ("id", "kunnr", "kind", "token")


def search_rows(
    ids: Iterator[uuid.UUID], number: str, c: MadeUp
) -> list[tuple[uuid.UUID, str, str, str]]:
    """kna1_search rows (id, kunnr, kind, token) of one customer."""
    tokens = search_tokens(
        c.name, tax_numbers=(c.tax_number, c.uscc), phones=(c.telephone,), uscc_code=c.uscc
    )
    return [(next(ids), number, kind, token) for kind, token in sorted(tokens)]


def knb1_rows(ids: Iterator[uuid.UUID], number: str, c: MadeUp) -> list[dict[str, Any]]:
    return [
        {
            "id": next(ids),
            "kunnr": number,
            "bukrs": code,
            "akont": "00",
            "zuawa": "003",
            "zterm": "0001",
            "sperr": False,
            "loevm": False,
        }
        for code in c.company_codes
    ]


def knvv_rows(ids: Iterator[uuid.UUID], number: str, c: MadeUp) -> list[dict[str, Any]]:
    return [
        {
            "id": next(ids),
            "kunnr": number,
            "vkorg": org,
            "vtweg": channel,
            "spart": division,
            "vkbur": SALES_OFFICES[org],
            "vkgrp": SALES_OFFICES[org][-3:],
            "kdgrp": "01",
            "waers": "CNY",
            "konda": "10",
            "kalks": "1",
            "pltyp": "01",
            "versg": "1",
            "vsbed": "11",
            "vwerk": PLANTS[org],
            "zterm": "0001",
            "ktgrd": "01",
            "loevm": False,
        }
        for org, channel, division in c.sales_areas
    ]


def find_rows(batch: Sequence[tuple[str, MadeUp]]) -> list[tuple[str, str, str]]:
    """kna1_find rows (kind, token, kunnr) of a batch, as the app makes them (run in a worker
    process: the pinyin initials take most of the seeding time)."""
    return [
        (kind, token, number)
        for number, c in batch
        for kind, token in sorted(search_terms.customer_tokens(c.indexed()))
    ]


def _sequential_ids() -> Iterator[uuid.UUID]:
    """UUIDs that ascend from a random start: appended at the end of the primary-key index
    instead of scattered over it, which keeps the bulk load fast."""
    value = random.getrandbits(64) << 64
    while True:
        value += 1
        yield uuid.UUID(int=value)


def _bulk_engine(url: str) -> Engine:
    """An engine for loading only: SQLite without fsync, without foreign-key checks (the rows
    are consistent by construction) and with a large page cache."""
    url = normalize_url(url)
    if not url.startswith("sqlite"):
        return create_engine(url)
    engine = create_engine(url)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            "synchronous=OFF",
            "foreign_keys=OFF",
            "cache_size=-1000000",
            "temp_store=MEMORY",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    return engine


def sample_seeded(session: Any, rng: random.Random, count: int) -> list[str]:
    """`count` numbers of seeded customers, uniformly over the seeded set (`session`: a
    SQLAlchemy Session or Connection). The seeded numbers are consecutive in range 05, so a
    random number between the seeded smallest and largest, moved on to the next seeded one,
    is uniform over them; customers the app saved later (benchmarks/xd01.py, the import) are
    skipped, and no gap between the seeded ones and those can draw a sample twice as often."""
    kna1 = KNA1.c
    seeded = kna1.created_by == SEEDED_BY
    low, high = session.execute(
        select(func.min(kna1.kunnr), func.max(kna1.kunnr)).where(seeded)
    ).one()
    if low is None:
        raise SystemExit("the database holds no seeded customers (benchmarks/seed.py)")
    numbers: list[str] = []
    while len(numbers) < count:
        start = str(rng.randint(int(low), int(high))).zfill(len(low))
        number = session.execute(
            select(kna1.kunnr).where(kna1.kunnr >= start, seeded).order_by(kna1.kunnr).limit(1)
        ).scalar()
        if number is not None:
            numbers.append(number)
    return numbers


def reserve_numbers(engine: Engine, count: int) -> tuple[int, int]:
    """Raise the level of the range by `count`; returns the first of the reserved numbers and
    the width of the range's numbers."""
    nriv = cast(Table, tables.NumberRangeRow.__table__)
    with engine.begin() as conn:
        level, from_number, to_number = conn.execute(
            select(nriv.c.nrlevel, nriv.c.fromnumber, nriv.c.tonumber).where(
                nriv.c.nrrangenr == NUMBER_RANGE
            )
        ).one()
        if level + count > int(to_number):
            raise SystemExit(f"number range {NUMBER_RANGE} has no {count} numbers left")
        conn.execute(
            update(nriv)
            .where(nriv.c.nrrangenr == NUMBER_RANGE)
            .values(nrlevel=nriv.c.nrlevel + count)
        )
    return int(level) + 1, len(from_number)


def _search_indexes() -> list[Index]:
    return sorted([*SEARCH.indexes, *FIND.indexes], key=lambda i: str(i.name))


def _search_constraints() -> list[Any]:
    """Keys of the search tables PostgreSQL would check or keep in order row by row during
    the load (SQLite keeps kna1_find's primary key: the table is that key)."""
    return [
        c
        for table in (SEARCH, FIND)
        for c in sorted(table.foreign_key_constraints, key=lambda c: str(c.name))
    ] + [FIND.primary_key]


def _copy(
    conn: Connection,
    table: Table,
    rows: Sequence[dict[str, Any]] | Sequence[tuple[Any, ...]],
    columns: Sequence[str] | None = None,
) -> None:
    """Insert many rows: COPY on PostgreSQL (several times faster), executemany elsewhere."""
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        if isinstance(rows[0], dict):
            conn.execute(table.insert(), list(rows))
        else:
            # Straight to the driver, without SQLAlchemy's per-row work; a UUID as
            # SQLAlchemy's Uuid type stores it on SQLite (32 hex digits).
            names = list(columns or [])
            marks = ", ".join("?" for _ in names)
            values = [
                tuple(v.hex if isinstance(v, uuid.UUID) else v for v in row)
                for row in cast(Sequence[tuple[Any, ...]], rows)
            ]
            conn.exec_driver_sql(
                f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})", values
            )
        return
    names = list(columns) if columns else list(cast(dict[str, Any], rows[0]))
    raw: Any = conn.connection.driver_connection
    statement = f"COPY {table.name} ({', '.join(names)}) FROM STDIN"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        if isinstance(rows[0], dict):
            for row in rows:
                copy.write_row([row[n] for n in names])
        else:
            for row in rows:
                copy.write_row(row)


def seed(
    url: str,
    count: int,
    *,
    seed_value: int = 1,
    batch: int = BATCH,
    progress: Callable[[int, float], None] | None = None,
    workers: int | None = None,
) -> float:
    """Migrate the database at `url` and add `count` made-up customers; returns the seconds
    the load took."""
    start = time.perf_counter()
    app_engine = make_engine(url, statement_timeout=None)  # loading, not interactive work
    upgrade_database(app_engine)
    first, width = reserve_numbers(app_engine, count)
    app_engine.dispose()

    engine = _bulk_engine(url)
    postgres = engine.dialect.name == "postgresql"
    gen = Generator(seed_value)
    ids = _sequential_ids()
    now = datetime.now(UTC)
    # Indexes are rebuilt once at the end: sorting all tokens once beats keeping them in
    # order row by row. (The unique indexes of kna1, knb1 and knvv stay: numbers ascend.)
    with engine.begin() as conn:
        for index in _search_indexes():
            index.drop(conn)
        if postgres:
            for constraint in _search_constraints():
                conn.execute(DropConstraint(constraint))
    workers = workers or max(1, min(4, os.cpu_count() or 1))
    pool = ProcessPoolExecutor(max_workers=workers)
    try:
        done = 0
        while done < count:
            n = min(batch, count - done)
            made: list[tuple[str, MadeUp]] = [
                (str(serial).zfill(width), gen.customer(serial))
                for serial in range(first + done, first + done + n)
            ]
            # The list's tokens (pinyin) in the workers while this process writes the rest.
            step = -(-n // workers)
            futures = [pool.submit(find_rows, made[i : i + step]) for i in range(0, n, step)]
            heads = [kna1_row(next(ids), number, c, now) for number, c in made]
            codes = [r for number, c in made for r in knb1_rows(ids, number, c)]
            areas = [r for number, c in made for r in knvv_rows(ids, number, c)]
            tokens = [r for number, c in made for r in search_rows(ids, number, c)]
            with engine.begin() as conn:
                _copy(conn, KNA1, heads)
                _copy(conn, KNB1, codes)
                _copy(conn, KNVV, areas)
                _copy(conn, SEARCH, tokens, SEARCH_COLUMNS)
                for future in futures:
                    _copy(conn, FIND, future.result(), ("kind", "token", "kunnr"))
            done += n
            if progress:
                progress(done, time.perf_counter() - start)
    finally:
        pool.shutdown(cancel_futures=True)
        with engine.begin() as conn:
            if postgres:
                conn.exec_driver_sql("SET maintenance_work_mem = '1GB'")
                for constraint in reversed(_search_constraints()):
                    conn.execute(AddConstraint(constraint))
            for index in _search_indexes():
                index.create(conn)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            # Statistics for the planner; a sample is enough and takes a second.
            conn.exec_driver_sql("PRAGMA analysis_limit=1000")
            conn.exec_driver_sql("ANALYZE")
        else:
            conn.commit()
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                "VACUUM ANALYZE kna1, knb1, knvv, kna1_search, kna1_find"
            )
    engine.dispose()
    return time.perf_counter() - start


def count_customers(url: str) -> int:
    engine = make_engine(url, statement_timeout=None)  # a count of millions of rows, cold
    try:
        with engine.connect() as conn:
            if not engine.dialect.has_table(conn, "kna1"):
                return 0
            return int(conn.scalar(text("SELECT count(*) FROM kna1")) or 0)
    finally:
        engine.dispose()


def describe_url(url: str) -> str:
    return make_url(normalize_url(url)).render_as_string(hide_password=True)


# --- the benchmarks' databases (xd01.py, search.py) -----------------------------------------


@dataclass
class Database:
    url: str
    created: bool  # by this run: removed at the end unless --keep
    drop: Callable[[], None]
    seed_s: float | None = None


def sqlite_database(path: Path | None, kind: str, size: int, *, reuse: bool) -> Database:
    """A benchmark's SQLite file (default: in the temp folder, named after kind and size)."""
    path = path or Path(tempfile.gettempdir()) / f"custmd-{kind}-{size}.sqlite"
    url = f"sqlite:///{path.resolve()}"
    existed = path.exists()
    if existed and not reuse:
        raise SystemExit(f"{path} exists; pass --reuse to use it or remove it")

    def drop() -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    return Database(url, created=not existed, drop=drop)


def postgres_database(server_url: str, kind: str, size: int, *, reuse: bool) -> Database:
    """A benchmark's own database on the server at `server_url` (custmd_<kind>_<size>)."""
    server = make_url(normalize_url(server_url))
    name = f"custmd_{kind}_{size}"
    url = server.set(database=name).render_as_string(hide_password=False)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = bool(
                conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
            )
            if exists and not reuse:
                raise SystemExit(f"database {name} exists; pass --reuse to use it or drop it")
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()

    def drop() -> None:
        engine = create_engine(server, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        finally:
            engine.dispose()

    return Database(url, created=not exists, drop=drop)


def prepare_database(args: argparse.Namespace, kind: str) -> Database:
    """The benchmark's database (named after `kind` and the size), seeded up to
    `args.customers` unless it holds them already (--reuse); removed on failure unless --keep."""
    db = (
        postgres_database(args.url, kind, args.customers, reuse=args.reuse)
        if args.url
        else sqlite_database(args.db, kind, args.customers, reuse=args.reuse)
    )
    try:
        have = count_customers(db.url)
        if have >= args.customers:
            print(f"reusing {describe_url(db.url)} with {have} customers", flush=True)
            return db
        print(f"seeding {describe_url(db.url)} with {args.customers - have} customers ...")
        db.seed_s = seed(
            db.url,
            args.customers - have,
            seed_value=args.seed,
            progress=lambda done, s: print(f"  {done:>9} customers {s:6.1f} s", flush=True),
        )
        print(f"seeded in {db.seed_s:.1f} s", flush=True)
    except BaseException:
        if db.created and not args.keep:
            db.drop()
        raise
    return db


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="fill a database with made-up customers")
    parser.add_argument("--db", required=True, help="SQLite file or database URL")
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--batch", type=int, default=BATCH)
    args = parser.parse_args(argv)

    def report(done: int, seconds: float) -> None:
        print(f"{done:>9} customers  {seconds:6.1f} s", flush=True)

    print(f"seeding {describe_url(args.db)} with {args.customers} customers ...", flush=True)
    seconds = seed(args.db, args.customers, seed_value=args.seed, batch=args.batch, progress=report)
    total = count_customers(args.db)
    print(f"done in {seconds:.1f} s; the database holds {total} customers")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
