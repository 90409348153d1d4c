"""Fill a database with made-up but realistic Chinese customers, fast, for benchmarks.

    python benchmarks/seed.py --db /tmp/big.sqlite --customers 1000000 [--seed 1]
    python benchmarks/seed.py --db postgresql://postgres@127.0.0.1/custmd_big --customers 100000

Names are built as clerks meet them, e.g. 上海东宁广告有限公司 or 鑫泰电子(苏州)有限公司: an
optional city, a brand of two or three characters (drawn with a skew, so that some brands are
common), an industry and a legal form. Every customer has a telephone number of its city and a
valid unified social credit code, and the older 15-digit tax number as tax number 1.

Only KNA1 and the search index kna1_search are written (the duplicate check reads nothing
else), with SQLAlchemy Core executemany in large batches. The customers take internal numbers
of account group 1610 (domestic OEM sales, range 05); the range's level is raised first, in a
transaction of its own, so the app later draws the numbers after them.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Engine, Index, Table, create_engine, event, select, text, update
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(REPO))

from custmd_gui.domain import uscc  # noqa: E402
from custmd_gui.domain.names import search_tokens  # noqa: E402
from custmd_gui.persistence import tables  # noqa: E402
from custmd_gui.persistence.engine import make_engine, normalize_url  # noqa: E402
from custmd_gui.services.customizing import upgrade_database  # noqa: E402

ACCOUNT_GROUP = "1610"
NUMBER_RANGE = "05"
BATCH = 50_000

KNA1 = cast(Table, tables.Kna1.__table__)
SEARCH = cast(Table, tables.Kna1Search.__table__)


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


class Generator:
    """Deterministic made-up customers: the same seed gives the same customers."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        # A bijection of 0..10**9-1, so that serial i gets a unique organisation code.
        self.org_offset = self.rng.randrange(10**9)

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
        )


def kna1_row(row_id: uuid.UUID, number: str, c: MadeUp, now: datetime) -> dict[str, Any]:
    return {
        "id": row_id,
        "kunnr": number,
        "ktokd": ACCOUNT_GROUP,
        "anred": "公司",
        "name1": c.name,
        "sortl": c.name[:10],
        "stras": c.street,
        "pstlz": c.postal_code,
        "ort01": c.city,
        "land1": "CN",
        "regio": c.region,
        "spras": "ZH",
        "telf1": c.telephone,
        "stcd1": c.tax_number,
        "stcd5": c.uscc,
        "version": 1,
        "created_by": "seed",
        "created_at": now,
    }


def search_rows(ids: Iterator[uuid.UUID], number: str, c: MadeUp) -> list[dict[str, Any]]:
    tokens = search_tokens(
        c.name, tax_numbers=(c.tax_number, c.uscc), phones=(c.telephone,), uscc_code=c.uscc
    )
    return [
        {"id": next(ids), "kunnr": number, "kind": kind, "token": token}
        for kind, token in sorted(tokens)
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
    return sorted(SEARCH.indexes, key=lambda i: str(i.name))


def seed(
    url: str,
    count: int,
    *,
    seed_value: int = 1,
    batch: int = BATCH,
    progress: Callable[[int, float], None] | None = None,
) -> float:
    """Migrate the database at `url` and add `count` made-up customers; returns the seconds
    the load took."""
    start = time.perf_counter()
    app_engine = make_engine(url)
    upgrade_database(app_engine)
    first, width = reserve_numbers(app_engine, count)
    app_engine.dispose()

    engine = _bulk_engine(url)
    gen = Generator(seed_value)
    ids = _sequential_ids()
    now = datetime.now(UTC)
    # Indexes are rebuilt once at the end: sorting all tokens once beats keeping two
    # indexes in order row by row. (The unique index of kna1.kunnr stays: numbers ascend.)
    with engine.begin() as conn:
        for index in _search_indexes():
            index.drop(conn)
    try:
        done = 0
        while done < count:
            n = min(batch, count - done)
            heads: list[dict[str, Any]] = []
            tokens: list[dict[str, Any]] = []
            for serial in range(first + done, first + done + n):
                number = str(serial).zfill(width)
                made_up = gen.customer(serial)
                heads.append(kna1_row(next(ids), number, made_up, now))
                tokens.extend(search_rows(ids, number, made_up))
            with engine.begin() as conn:
                conn.execute(KNA1.insert(), heads)
                conn.execute(SEARCH.insert(), tokens)
            done += n
            if progress:
                progress(done, time.perf_counter() - start)
    finally:
        with engine.begin() as conn:
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
                "VACUUM ANALYZE kna1, kna1_search"
            )
    engine.dispose()
    return time.perf_counter() - start


def count_customers(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            if not engine.dialect.has_table(conn, "kna1"):
                return 0
            return int(conn.scalar(text("SELECT count(*) FROM kna1")) or 0)
    finally:
        engine.dispose()


def describe_url(url: str) -> str:
    return make_url(normalize_url(url)).render_as_string(hide_password=True)


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
