"""Customizing maintenance (issue 21) through the services, on SQLite and PostgreSQL: codes,
intervals, account groups and field status take effect for new customers, codes in use are
not deleted, only administrators maintain, and every change leaves a change document."""

from __future__ import annotations

from typing import Any

import pytest

from custmd_gui.domain.authorization import DEFAULT_ROLES, Authorizations, Forbidden
from custmd_gui.domain.errors import DomainError
from custmd_gui.domain.field_status import FieldStatus
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer
from custmd_gui.services.customizing_maintenance import (
    AccountGroupEntry,
    CodeEntry,
    IntervalEntry,
    code_usage,
    customizing_changes,
    customizing_version,
    delete_code,
    read_for_maintenance,
    save_account_group,
    save_code,
    save_interval,
    set_field_status,
)
from tests.conftest import example_document

ADMIN = Actor("admin_wang")
TERM = CodeEntry("Z099", "发票后99天付款", "99 days after invoice")


def customer(**general: Any) -> Any:
    doc: dict[str, Any] = example_document()
    doc["KNA1"].update(general)
    return doc


def term_customer(term: str, **general: Any) -> Any:
    """The example with payment terms `term` (0001, the example's, is a field proposal's value:
    the consistency check would not let it be deactivated or deleted)."""
    doc = customer(**general)
    doc["KNB1"][0]["ZTERM"] = doc["KNVV"][0]["ZTERM"] = term
    return doc


def actor_of(role: str) -> Actor:
    rights = Authorizations.of_roles(
        "li",
        [r for r in DEFAULT_ROLES if r.code == role],
        auth_groups=["*"],
        company_codes=["*"],
        sales_areas=["*/*/*"],
    )
    return Actor.logged_in(rights)


def test_a_new_payment_term_is_usable_at_once_and_documented(
    uow_factory: UnitOfWorkFactory,
) -> None:
    before = customizing_version(uow_factory)
    assert save_code(uow_factory, ADMIN, "payment_terms", TERM)
    assert customizing_version(uow_factory) > before
    doc = customer()
    doc["KNB1"][0]["ZTERM"] = "Z099"
    doc["KNVV"][0]["ZTERM"] = "Z099"
    created = create_customer(uow_factory, from_document(doc), ADMIN)
    assert created.company_codes[0].payment_terms == "Z099"
    lines = customizing_changes(uow_factory, ADMIN, "cust_value", "payment_terms:Z099")
    assert {(c.field, c.indicator, c.new) for c in lines} >= {
        ("text_zh", "I", "发票后99天付款"),
        ("text_en", "I", "99 days after invoice"),
        ("active", "I", "true"),
    }
    assert {c.username for c in lines} == {"admin_wang"}
    # A changed text: one document line with old and new.
    save_code(uow_factory, ADMIN, "payment_terms", CodeEntry("Z099", "99天", "99 days"))
    (line,) = [
        c
        for c in customizing_changes(uow_factory, ADMIN, "cust_value", "payment_terms:Z099")
        if c.indicator == "U" and c.field == "text_zh"
    ]
    assert (line.old, line.new) == ("发票后99天付款", "99天")


def test_a_code_in_use_is_not_deleted_but_may_be_deactivated(
    uow_factory: UnitOfWorkFactory,
) -> None:
    create_customer(uow_factory, from_document(term_customer("Z030")), ADMIN)
    usage = code_usage(uow_factory, ADMIN, "payment_terms", "Z030")
    assert usage.count == 1 and usage.numbers == ("2110380001",)
    assert set(usage.fields) == {"KNB1-ZTERM", "KNVV-ZTERM"}
    with pytest.raises(DomainError) as refused:
        delete_code(uow_factory, ADMIN, "payment_terms", "Z030")
    message = refused.value.problems[0].message.zh
    assert "1 个客户" in message and "2110380001" in message
    cust, _ = read_for_maintenance(uow_factory, ADMIN)
    text = cust.value("payment_terms", "Z030")
    assert text is not None
    save_code(
        uow_factory,
        ADMIN,
        "payment_terms",
        CodeEntry("Z030", text.text.zh, text.text.en, active=False),
    )
    cust, _ = read_for_maintenance(uow_factory, ADMIN)
    assert "Z030" not in [v.code for v in cust.values("payment_terms")]
    assert cust.has("payment_terms", "Z030")  # the customer's code keeps its text
    # An unused code goes, with a document of its deletion.
    save_code(uow_factory, ADMIN, "payment_terms", TERM)
    delete_code(uow_factory, ADMIN, "payment_terms", "Z099")
    cust, _ = read_for_maintenance(uow_factory, ADMIN)
    assert not cust.has("payment_terms", "Z099")
    deleted = customizing_changes(uow_factory, ADMIN, "cust_value", "payment_terms:Z099")
    assert any(c.indicator == "D" and c.old == "发票后99天付款" for c in deleted)


def test_bad_input_names_the_field_and_changes_nothing(uow_factory: UnitOfWorkFactory) -> None:
    before = customizing_version(uow_factory)
    with pytest.raises(DomainError) as refused:
        save_code(uow_factory, ADMIN, "payment_terms", CodeEntry("Z0999", "", ""))
    assert {p.field_key for p in refused.value.problems} == {
        "payment_terms-CODE",
        "payment_terms-TEXT_ZH",
    }
    with pytest.raises(DomainError) as refused:
        save_code(uow_factory, ADMIN, "regions", CodeEntry("999", "某地", "Somewhere", "XX"))
    assert refused.value.problems[0].field_key == "regions-PARENT"
    assert customizing_version(uow_factory) == before


@pytest.mark.parametrize("role", ["assistant", "finance", "auditor", "general_maintainer"])
def test_only_administrators_maintain(uow_factory: UnitOfWorkFactory, role: str) -> None:
    with pytest.raises(Forbidden):
        save_code(uow_factory, actor_of(role), "payment_terms", TERM)
    with pytest.raises(Forbidden):
        set_field_status(uow_factory, actor_of(role), "1110", {})
    save_code(uow_factory, actor_of("administrator"), "payment_terms", TERM)


def test_a_new_interval_numbers_the_customers_of_its_account_group(
    uow_factory: UnitOfWorkFactory,
) -> None:
    save_interval(
        uow_factory,
        ADMIN,
        IntervalEntry("06", "internal", "1400000000", "1400009999", "出口客户", "Export"),
    )
    save_account_group(
        uow_factory,
        ADMIN,
        AccountGroupEntry("1140", "出口客户", "Export customers", "06", "00", "1310"),
    )
    cust, levels = read_for_maintenance(uow_factory, ADMIN)
    assert levels["06"] == 1399999999
    assert cust.has("account_groups", "1140")  # KNA1-KTOKD's value help
    assert cust.account_groups["1140"].statuses == cust.account_groups["1310"].statuses
    ship_to = {"KTOKD": "1140", "NAME1": "出口收货方", "SORTL": "出口", "STRAS": "测试路 1 号"}
    ship_to |= {"PSTLZ": "200000", "ORT01": "上海", "LAND1": "CN", "SPRAS": "ZH"}
    created = create_customer(uow_factory, from_document({"KNA1": ship_to}), ADMIN)
    assert created.number == "1400000000"
    # In use now: it cannot shrink below its level, nor overlap another interval.
    with pytest.raises(DomainError) as refused:
        save_interval(
            uow_factory,
            ADMIN,
            IntervalEntry("06", "internal", "1400000001", "1400009999", "出口客户", "Export"),
        )
    assert refused.value.problems[0].field_key == "NRIV-TONUMBER"
    with pytest.raises(DomainError):
        save_interval(
            uow_factory,
            ADMIN,
            IntervalEntry("07", "internal", "1400005000", "1400019999", "重叠", "Overlap"),
        )
    save_interval(
        uow_factory,
        ADMIN,
        IntervalEntry("06", "internal", "1400000000", "1400000999", "出口客户", "Export"),
    )
    assert read_for_maintenance(uow_factory, ADMIN)[1]["06"] == 1400000000
    lines = customizing_changes(uow_factory, ADMIN, "nriv", "06")
    assert ("tonumber", "1400009999", "1400000999") in {(c.field, c.old, c.new) for c in lines}
    assert not any(c.field == "nrlevel" for c in lines)


def test_a_required_field_group_is_required_for_new_customers(
    uow_factory: UnitOfWorkFactory,
) -> None:
    doc = customer()
    doc["KNA1"].pop("NAME2")  # the English name (address.english_name): optional for 1110
    create_customer(uow_factory, from_document(doc), ADMIN)
    doc["KNA1"]["KUNNR"] = "2110380002"
    changed = set_field_status(
        uow_factory, ADMIN, "1110", {("address.english_name", "create"): FieldStatus.REQUIRED}
    )
    assert changed == 1
    with pytest.raises(DomainError) as refused:
        create_customer(uow_factory, from_document(doc), ADMIN)
    assert "KNA1-NAME2" in {p.field_key for p in refused.value.problems}
    lines = customizing_changes(uow_factory, ADMIN, "cust_field_status")
    assert [(c.key, c.old, c.new) for c in lines] == [
        ("1110:address.english_name:create", None, "required")
    ]


def test_a_deactivated_code_is_refused_where_typed_and_kept_where_held(
    uow_factory: UnitOfWorkFactory,
) -> None:
    from custmd_gui.domain.field_status import Activity
    from custmd_gui.domain.validation import Validator
    from custmd_gui.services.create import read_customer

    create_customer(uow_factory, from_document(term_customer("Z030")), ADMIN)
    term = read_for_maintenance(uow_factory, ADMIN)[0].value("payment_terms", "Z030")
    assert term is not None
    save_code(
        uow_factory,
        ADMIN,
        "payment_terms",
        CodeEntry("Z030", term.text.zh, term.text.en, active=False),
    )
    doc = term_customer("Z030", KUNNR="2110380002")
    with pytest.raises(DomainError) as refused:
        create_customer(uow_factory, from_document(doc), ADMIN)
    problems = {(p.field_key, p.message.zh) for p in refused.value.problems}
    assert ("KNB1-ZTERM", "付款条件 Z030 已停用，请按 F4 选择") in problems
    # The customer holding it stays valid for a change that does not touch it.
    cust = read_for_maintenance(uow_factory, ADMIN)[0]
    stored = read_customer(uow_factory, "2110380001")
    changed = stored.model_copy(deep=True)
    changed.general.telephone = "021-12345678"
    assert Validator(cust).validate(changed, Activity.CHANGE, stored) == []


def test_a_field_proposal_that_does_not_fit_is_refused(uow_factory: UnitOfWorkFactory) -> None:
    before = customizing_version(uow_factory)
    bad = CodeEntry("ZTERM-BAD", "付款条件", "Terms", attrs={"field": "KNB1-ZTERM", "value": "X1"})
    with pytest.raises(DomainError) as refused:
        save_code(uow_factory, ADMIN, "field_proposals", bad)
    assert "X1" in refused.value.problems[0].message.zh
    assert customizing_version(uow_factory) == before
    good = CodeEntry(
        "ZTERM-Z030", "付款条件", "Terms", attrs={"field": "KNB1-ZTERM", "value": "Z030"}
    )
    assert save_code(uow_factory, ADMIN, "field_proposals", good)


def test_a_code_a_field_proposal_proposes_stays_active(uow_factory: UnitOfWorkFactory) -> None:
    term = read_for_maintenance(uow_factory, ADMIN)[0].value("payment_terms", "0001")
    assert term is not None
    with pytest.raises(DomainError) as refused:
        save_code(
            uow_factory,
            ADMIN,
            "payment_terms",
            CodeEntry("0001", term.text.zh, term.text.en, active=False),
        )
    assert "ZTERM-CC" in refused.value.problems[0].message.zh
    assert read_for_maintenance(uow_factory, ADMIN)[0].values("payment_terms")[0].code == "0001"
