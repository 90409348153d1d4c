"""The duplicate check of XD01 and the search index behind it, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from custmd_gui.domain.authorization import DEFAULT_ROLES, Authorizations
from custmd_gui.domain.errors import DomainError
from custmd_gui.domain.model import Customer
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence import migrate, tables
from custmd_gui.persistence.engine import make_engine
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer
from custmd_gui.services.duplicates import DuplicateReason, check_before_save, find_duplicates
from tests.conftest import example_document
from tests.integration.old_schema import as_stored

ACTOR = Actor("zhangsan", origin="local")
USCC = "91310000631696382C"


def _sold_to(number: str, name: str, **kna1: str) -> Customer:
    """The example customer under another number and name (same org data, so it validates)."""
    doc = example_document()
    doc["KNA1"].update({"KUNNR": number, "NAME1": name, "NAME3": name, **kna1})
    for p in doc["KNVV"][0]["KNVP"]:
        p["KUNN2"] = number
    return from_document(doc)


def _new(name: str, **kna1: str) -> Customer:
    """A customer being entered: not stored, no number yet."""
    return from_document(
        {"KNA1": {"KTOKD": "1310", "NAME1": name, "LAND1": "CN", "ORT01": "上海", **kna1}}
    )


def _create_example(uow_factory: UnitOfWorkFactory, **kna1: str) -> str:
    doc = example_document()
    doc["KNA1"].update(kna1)
    return create_customer(uow_factory, from_document(doc), ACTOR).number


def _numbers(uow_factory: UnitOfWorkFactory, customer: Customer) -> dict[str, set[str]]:
    return {h.number: {r.value for r in h.reasons} for h in find_duplicates(uow_factory, customer)}


@pytest.mark.parametrize(
    "name",
    [
        "东宁广告有限公司",
        "上海东宁广告(有限)公司",
        "东宁广告股份有限公司",
        "东宁广告（上海）有限公司",
        "东宁广告传媒有限公司",
        "苏州东宁广告有限公司",
    ],
)
def test_similar_names_are_found(uow_factory: UnitOfWorkFactory, name: str) -> None:
    number = _create_example(uow_factory)
    (hit,) = find_duplicates(uow_factory, _new(name))
    assert hit.number == number
    assert hit.name == "东宁广告有限公司" and hit.city == "上海"
    assert hit.reasons == (DuplicateReason.NAME,)
    assert 0.6 <= hit.score <= 1.0
    assert hit.reason_text("zh") == "名称相似"


def test_full_width_latin_names_are_found(uow_factory: UnitOfWorkFactory) -> None:
    number = _create_example(uow_factory, NAME1="ABC Trading Co., Ltd.")
    for name in (
        "ＡＢＣ　ＴＲＡＤＩＮＧ有限公司",
        "abc trading limited",
        "ABC Trading (Shanghai) Co.",
    ):
        assert _numbers(uow_factory, _new(name)) == {number: {"k"}}


def test_unrelated_names_are_not_found(uow_factory: UnitOfWorkFactory) -> None:
    _create_example(uow_factory)
    for name in ("东方广告有限公司", "东宁物流有限公司", "华为技术有限公司", "上海广告有限公司"):
        assert find_duplicates(uow_factory, _new(name)) == [], name


def test_the_same_name_ranks_before_a_similar_one(uow_factory: UnitOfWorkFactory) -> None:
    first = _create_example(uow_factory)
    second = create_customer(uow_factory, _sold_to("2110380002", "东宁广告传媒有限公司"), ACTOR)
    hits = find_duplicates(uow_factory, _new("上海东宁广告有限公司"))
    assert [h.number for h in hits] == [first, second.number]
    assert hits[0].score == 1.0 > hits[1].score


def test_the_same_telephone_in_another_format_is_found(uow_factory: UnitOfWorkFactory) -> None:
    number = _create_example(uow_factory, TELF1="021-5555 1234")
    hits = find_duplicates(uow_factory, _new("华为技术有限公司", TELF1="+86 21 55551234"))
    assert [(h.number, h.reasons) for h in hits] == [(number, (DuplicateReason.PHONE,))]
    # a fax number that is someone's telephone counts as well
    assert _numbers(uow_factory, _new("华为技术有限公司", TELFX="(021) 5555-1234")) == {
        number: {"p"}
    }


def test_the_same_tax_number_is_found(uow_factory: UnitOfWorkFactory) -> None:
    number = _create_example(uow_factory, STCD1="310105-123456789")
    hits = find_duplicates(uow_factory, _new("华为技术有限公司", STCD1="310105123456789"))
    assert [(h.number, h.reasons) for h in hits] == [(number, (DuplicateReason.TAX_NUMBER,))]


def test_several_reasons_rank_first(uow_factory: UnitOfWorkFactory) -> None:
    by_name = _create_example(uow_factory)
    by_both = create_customer(
        uow_factory,
        _sold_to("2110380002", "东宁广告传媒有限公司", TELF1="021-55551234"),
        ACTOR,
    ).number
    hits = find_duplicates(uow_factory, _new("东宁广告有限公司", TELF1="02155551234"))
    assert [h.number for h in hits] == [by_both, by_name]
    assert hits[0].reasons == (DuplicateReason.NAME, DuplicateReason.PHONE)


def test_the_customer_itself_is_excluded(uow_factory: UnitOfWorkFactory) -> None:
    number = _create_example(uow_factory)
    me = _sold_to(number, "东宁广告有限公司")
    assert find_duplicates(uow_factory, me) == []
    assert find_duplicates(uow_factory, _new("东宁广告有限公司"), exclude=number) == []


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t.name: conn.scalar(select(func.count()).select_from(t)) or 0
            for t in tables.Base.metadata.sorted_tables
        }


def test_the_same_uscc_is_refused(uow_factory: UnitOfWorkFactory, engine: Engine) -> None:
    number = _create_example(uow_factory, STCD5=USCC)
    before = _counts(engine)
    assert before["kna1_search"] > 0
    with pytest.raises(DomainError) as err:
        create_customer(
            uow_factory,
            _sold_to("2110380002", "华为技术有限公司", STCD5=USCC.lower()),
            ACTOR,
        )
    (problem,) = err.value.problems
    assert problem.field_key == "KNA1-STCD5" and problem.segment == ""
    assert (
        problem.message.zh == f"统一社会信用代码 {USCC} 已被客户 {number}（东宁广告有限公司）使用"
    )
    assert number in problem.message.en and "already used" in problem.message.en
    assert _counts(engine) == before
    # the duplicate check shows it, first
    hits = find_duplicates(uow_factory, _new("华为技术有限公司", STCD5=USCC))
    assert [h.reasons for h in hits] == [(DuplicateReason.TAX_NUMBER, DuplicateReason.USCC)]


def _assistant_of(center: str) -> Actor:
    roles = [r for r in DEFAULT_ROLES if r.code == "assistant"]
    rights = Authorizations.of_roles(
        "wangwu", roles, auth_groups=[center], company_codes=["F011"], sales_areas=["F011/*/*"]
    )
    return Actor("wangwu", origin="local", rights=rights)


def test_another_centers_customer_is_neither_shown_nor_duplicated(
    uow_factory: UnitOfWorkFactory, engine: Engine
) -> None:
    """The credit code stays unique across responsibility centers, but a clerk of 1038 learns
    only that a customer they may not see holds it: not its number, name or city."""
    theirs = _create_example(uow_factory, STCD5=USCC, BEGRU="1039")
    clerk = _assistant_of("1038")
    before = _counts(engine)
    with pytest.raises(DomainError) as err:
        create_customer(
            uow_factory, _sold_to("2110380002", "华为技术有限公司", STCD5=USCC, BEGRU="1038"), clerk
        )
    (problem,) = err.value.problems
    assert problem.field_key == "KNA1-STCD5"
    assert problem.message.zh == (
        f"统一社会信用代码 {USCC} 已被其他责任中心的客户使用（您无权查看）；请联系总部主数据维护员"
    )
    assert theirs not in problem.message.zh + problem.message.en
    assert "东宁" not in problem.message.zh
    assert _counts(engine) == before
    # The duplicate check does not show it to the clerk of 1038; to one of 1039 it does.
    entered = _new("东宁广告有限公司", STCD5=USCC)
    assert find_duplicates(uow_factory, entered, actor=clerk) == []
    assert [
        h.number for h in find_duplicates(uow_factory, entered, actor=_assistant_of("1039"))
    ] == [theirs]
    problems, hits = check_before_save(uow_factory, entered, actor=clerk)
    assert [p.message.zh for p in problems] == [problem.message.zh] and hits == []


def test_another_uscc_is_accepted(uow_factory: UnitOfWorkFactory) -> None:
    _create_example(uow_factory, STCD5=USCC)
    other = "91110000600037341L"
    created = create_customer(
        uow_factory, _sold_to("2110380002", "华为技术有限公司", STCD5=other), ACTOR
    )
    assert created.number == "2110380002"


def test_every_created_customer_is_indexed(uow_factory: UnitOfWorkFactory) -> None:
    number = _create_example(uow_factory, TELF1="021-55551234", STCD5=USCC)
    with uow_factory() as uow:
        assert uow.search.numbers_with("k", ["东宁广告"]) == {number: {"东宁广告"}}
        assert uow.search.numbers_with("p", ["2155551234"]) == {number: {"2155551234"}}
        assert uow.search.numbers_with("u", [USCC]) == {number: {USCC}}


def test_reindexing_replaces_the_tokens(uow_factory: UnitOfWorkFactory) -> None:
    number = _create_example(uow_factory)
    with uow_factory(write=True) as uow:
        customer = uow.customers.get(number)
        assert customer is not None
        customer.general.name = "华为技术有限公司"
        uow.search.index(customer.general)
        uow.commit()
    assert find_duplicates(uow_factory, _new("东宁广告有限公司")) == []
    assert [h.number for h in find_duplicates(uow_factory, _new("华为技术有限公司"))] == [number]


def test_common_words_do_not_hide_a_rare_name(uow_factory: UnitOfWorkFactory) -> None:
    """Many customers share 科技/技有/限公; the one sharing the rare bigrams is still found."""
    with uow_factory(write=True) as uow:
        for i in range(30):
            general = _sold_to(
                f"21103{80100 + i}", f"{'甲乙丙丁戊己庚辛壬癸'[i % 10]}{i}科技"
            ).general
            uow.session.add(
                tables.Kna1(
                    kunnr=general.number,
                    name1=general.name,
                    created_at=datetime.now(UTC),
                )
            )
            uow.session.flush()
            uow.search.index(general)
        uow.commit()
    number = _create_example(uow_factory, NAME1="东宁科技有限公司")
    with uow_factory() as uow:
        found = uow.search.similar_names("东宁科技", per_token=5)
    assert found == {number: 1.0}
    hits = find_duplicates(uow_factory, _new("上海东宁科技股份有限公司"))
    assert [h.number for h in hits] == [number]


# --- the migration that introduced the index -------------------------------------------------



def _kna1_row(number: str, name: str, **values: Any) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "kunnr": number,
        "name1": name,
        "version": 1,
        "created_at": datetime.now(UTC),
        **values,
    }


def test_upgrade_indexes_customers_that_existed_before(empty_url: str) -> None:
    engine = make_engine(empty_url)
    try:
        migrate.upgrade(engine, "0001")
        with engine.begin() as conn:
            kna1 = as_stored(conn, tables.Kna1.__table__)  # kna1 at 0001
            for row in (
                _kna1_row("2110380001", "东宁广告有限公司", telf1="021-55551234", stcd5=USCC),
                _kna1_row("1000000000", "华为技术有限公司"),
            ):
                conn.execute(kna1.insert(), row)
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.SCHEMA_HEAD
        factory = UnitOfWorkFactory(engine)
        hits = find_duplicates(
            factory, _new("上海东宁广告有限公司", TELF1="+86 21 5555 1234", STCD5=USCC)
        )
        assert [(h.number, h.name) for h in hits] == [("2110380001", "东宁广告有限公司")]
        assert set(hits[0].reasons) == set(DuplicateReason)
        assert [h.number for h in find_duplicates(factory, _new("华为技术"))] == ["1000000000"]
    finally:
        engine.dispose()
