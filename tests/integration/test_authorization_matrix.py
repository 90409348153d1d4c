"""Every default role against every use case, through the services, on SQLite and PostgreSQL;
then authorization-group visibility and company-code scoping.

The users are created by the administrator's service and log in with their passwords, so the
rights come from the database (roles, scopes) exactly as in the app.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from custmd_gui.domain.authorization import DEFAULT_ROLES, Forbidden
from custmd_gui.domain.errors import DomainError, NotFound
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.auth import login
from custmd_gui.services.change import change_customer, open_for_change
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer, extend_customer, read_customer
from custmd_gui.services.deletion import delete_customers
from custmd_gui.services.listing import list_page
from custmd_gui.services.locks import release_lock
from custmd_gui.services.search import CustomerQuery, search_customers
from custmd_gui.services.status import Level, StatusEdit, change_status
from custmd_gui.services.usage import import_usage
from custmd_gui.services.users import bootstrap_admin, create_user
from tests.conftest import example_document

NUMBER = "2110380001"
SYSTEM = Actor("system")
PASSWORD = "correct horse 1038"

USE_CASES = (
    "create",
    "extend",
    "change_general",
    "change_company_code",
    "change_sales_area",
    "display",
    "block",
    "unblock",
    "flag",
    "delete",
    "import_usage",
    "admin",
)

Y, N = True, False
# role -> allowed per use case, in the order of USE_CASES (written out: this is the contract).
EXPECTED: dict[str, tuple[bool, ...]] = {
    #                    create extend c_gen c_cc c_sa display block unblock flag delete usage admin
    "assistant":          (Y,    Y,     N,    N,   Y,   Y,      N,    N,      N,   N,     N,    N),
    "general_maintainer": (N,    N,     Y,    N,   N,   Y,      N,    N,      Y,   N,     N,    N),
    "cc_maintainer":      (N,    Y,     N,    Y,   N,   Y,      N,    N,      N,   N,     N,    N),
    "finance":            (N,    N,     N,    N,   N,   Y,      Y,    Y,      N,   N,     N,    N),
    "administrator":      (Y,    Y,     Y,    Y,   Y,   Y,      Y,    Y,      Y,   Y,     Y,    Y),
    "auditor":            (N,    N,     N,    N,   N,   Y,      N,    N,      N,   N,     N,    N),
}  # fmt: skip


def test_the_table_covers_every_default_role() -> None:
    assert set(EXPECTED) == {r.code for r in DEFAULT_ROLES}
    assert all(len(row) == len(USE_CASES) for row in EXPECTED.values())


def _user(
    factory: UnitOfWorkFactory,
    name: str,
    roles: list[str],
    *,
    groups: tuple[str, ...] = ("*",),
    codes: tuple[str, ...] = ("*",),
    areas: tuple[str, ...] = ("*/*/*",),
) -> Actor:
    bootstrap_admin(factory, "admin", PASSWORD)  # the first user must be one
    create_user(
        factory,
        SYSTEM,
        name,
        password=PASSWORD,
        roles=roles,
        auth_groups=groups,
        company_codes=codes,
        sales_areas=areas,
    )
    return Actor.logged_in(login(factory, name, PASSWORD, "test-host"))


def _setup(factory: UnitOfWorkFactory) -> None:
    create_customer(factory, from_document(example_document()), SYSTEM)


def _change(factory: UnitOfWorkFactory, actor: Actor, edit: Callable[..., None]) -> None:
    lock, stored = open_for_change(factory, NUMBER, actor)
    try:
        edited = stored.model_copy(deep=True)
        edit(edited)
        result = change_customer(
            factory, NUMBER, edited, actor, expected_version=stored.version, lock=lock
        )
        assert result.changed
    finally:
        release_lock(factory, lock)


def _run(use_case: str, factory: UnitOfWorkFactory, actor: Actor, tmp: Path) -> None:
    """Run the use case as `actor`, after preparing what it needs as the system."""
    if use_case == "create":
        doc = example_document()
        doc["KNA1"]["KUNNR"] = "2110380002"
        for area in doc["KNVV"]:
            for partner in area["KNVP"]:
                partner["KUNN2"] = "2110380002"
        create_customer(factory, from_document(doc), actor)
    elif use_case == "extend":
        stored = read_customer(factory, NUMBER)
        code = stored.company_codes[0].model_copy(deep=True, update={"company_code": "F001"})
        extend_customer(factory, NUMBER, actor, company_codes=[code])
    elif use_case == "change_general":
        _change(factory, actor, lambda c: setattr(c.general, "telephone", "021-62345678"))
    elif use_case == "change_company_code":
        _change(factory, actor, lambda c: setattr(c.company_codes[0], "payment_terms", "Z030"))
    elif use_case == "change_sales_area":
        _change(factory, actor, lambda c: setattr(c.sales_areas[0], "shipping_conditions", "20"))
    elif use_case == "display":
        assert read_customer(factory, NUMBER, actor).number == NUMBER
        assert [r.number for r in search_customers(factory, CustomerQuery(), actor=actor).rows]
    elif use_case == "block":
        change_status(factory, [NUMBER], [StatusEdit(posting=True, order="01")], actor, "test")
    elif use_case == "unblock":
        change_status(factory, [NUMBER], [StatusEdit(posting=True, order="01")], SYSTEM, "x")
        change_status(factory, [NUMBER], [StatusEdit.unblock_everything()], actor, "test")
    elif use_case == "flag":
        change_status(factory, [NUMBER], [StatusEdit(deletion=True)], actor, "test")
    elif use_case == "delete":
        change_status(factory, [NUMBER], [StatusEdit(deletion=True)], SYSTEM, "x")
        delete_customers(factory, [NUMBER], actor, tmp / "archive", "test")
    elif use_case == "import_usage":
        extract = tmp / "usage.csv"
        extract.write_text(
            f"KUNNR,BUKRS,DOC_COUNT,LAST_DOC_DATE\n{NUMBER},F011,3,2024-05-01\n", encoding="utf-8"
        )
        assert import_usage(factory, extract, actor).imported == 1
    elif use_case == "admin":
        create_user(factory, actor, "newuser", password=PASSWORD, roles=["auditor"])
    else:  # pragma: no cover
        raise AssertionError(use_case)


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_role_against_every_use_case(
    role: str, uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    actor = _user(uow_factory, "u_" + role, [role])
    outcome: dict[str, bool] = {}
    for i, use_case in enumerate(USE_CASES):
        # A fresh customer per use case: what one did (blocked, deleted) does not decide
        # the next. Numbers stay the example's: its partners point at it.
        with uow_factory(write=True) as uow:
            if uow.customers.exists(NUMBER):
                uow.customers.remove(NUMBER)
            if uow.customers.exists("2110380002"):
                uow.customers.remove("2110380002")
            uow.commit()
        _setup(uow_factory)
        folder = tmp_path / str(i)
        folder.mkdir()
        try:
            _run(use_case, uow_factory, actor, folder)
        except Forbidden as refusal:
            assert f"用户 u_{role} 没有权限" in refusal.problems[0].message.zh
            outcome[use_case] = False
        else:
            outcome[use_case] = True
    assert outcome == dict(zip(USE_CASES, EXPECTED[role], strict=True))


# --- authorization groups: other centers cannot even see a customer ---------------------------


def _customer_of_group(factory: UnitOfWorkFactory, number: str, group: str, name: str) -> None:
    doc = example_document()
    doc["KNA1"].update({"KUNNR": number, "BEGRU": group, "NAME1": name, "SORTL": name[:10]})
    doc["KNB1"][0]["BEGRU"] = group
    doc["KNVV"][0]["BEGRU"] = group
    for partner in doc["KNVV"][0]["KNVP"]:
        partner["KUNN2"] = number
    create_customer(factory, from_document(doc), SYSTEM)


def test_an_assistant_does_not_find_another_centers_customer(
    uow_factory: UnitOfWorkFactory,
) -> None:
    _customer_of_group(uow_factory, "2110380011", "1038", "东宁一号广告有限公司")
    _customer_of_group(uow_factory, "2110380021", "1039", "东宁二号广告有限公司")
    _customer_of_group(uow_factory, "2110380012", "4002", "东宁总部广告有限公司")
    assistant = _user(uow_factory, "wangwu", ["assistant"], groups=("1038", "4002"))

    found = search_customers(uow_factory, CustomerQuery("东宁"), actor=assistant)
    assert [r.number for r in found.rows] == ["2110380011", "2110380012"]
    by_number = search_customers(uow_factory, CustomerQuery("2110380021"), actor=assistant)
    assert by_number.rows == []
    with uow_factory() as uow:
        listed = [r.number for r in list_page(uow, rights=assistant.rights)]
    assert listed == ["2110380011", "2110380012"]
    with pytest.raises(NotFound) as err:
        read_customer(uow_factory, "2110380021", assistant)
    # Exactly what an unknown number says: nothing tells that it exists.
    assert err.value.problems[0].message.zh == "客户 2110380021 不存在"
    with pytest.raises(NotFound):
        open_for_change(uow_factory, "2110380021", assistant)
    # The system (and an unrestricted user) sees all three.
    everyone = search_customers(uow_factory, CustomerQuery("东宁"))
    assert len(everyone.rows) == 3


def test_finance_of_one_center_cannot_block_another_centers_customer(
    uow_factory: UnitOfWorkFactory,
) -> None:
    _customer_of_group(uow_factory, "2110380021", "1039", "东宁二号广告有限公司")
    finance = _user(uow_factory, "caiwu", ["finance"], groups=("1038",))
    with pytest.raises(DomainError) as err:
        change_status(uow_factory, ["2110380021"], [StatusEdit(order="01")], finance, "信用问题")
    assert err.value.problems[0].message.zh == "客户 2110380021 不存在"


# --- company-code and sales-area scoping --------------------------------------------------------


def test_a_company_code_maintainer_changes_only_own_company_codes(
    uow_factory: UnitOfWorkFactory,
) -> None:
    _setup(uow_factory)
    stored = read_customer(uow_factory, NUMBER)
    f015 = stored.company_codes[0].model_copy(deep=True, update={"company_code": "F015"})
    extend_customer(uow_factory, NUMBER, SYSTEM, company_codes=[f015])
    maintainer = _user(uow_factory, "f011cc", ["cc_maintainer"], codes=("F011",))

    def edit(code: str) -> Callable[..., None]:
        def apply(c: object) -> None:
            cc = c.company_code(code)  # type: ignore[attr-defined]
            cc.payment_terms = "Z030"

        return apply

    _change(uow_factory, maintainer, edit("F011"))
    with pytest.raises(Forbidden) as err:
        _change(uow_factory, maintainer, edit("F015"))
    assert err.value.problems[0].message.zh == (
        "用户 f011cc 没有权限：更改公司代码数据（公司代码 F015）"
    )
    # Nor may it extend into F015's neighbours, or post a central block.
    f001 = stored.company_codes[0].model_copy(deep=True, update={"company_code": "F001"})
    with pytest.raises(Forbidden):
        extend_customer(uow_factory, NUMBER, maintainer, company_codes=[f001])


def test_an_assistant_changes_only_own_sales_areas(uow_factory: UnitOfWorkFactory) -> None:
    _setup(uow_factory)
    other = _user(uow_factory, "f015sa", ["assistant"], areas=("F015/*/*",))
    mine = _user(uow_factory, "f011sa", ["assistant"], areas=("F011/10/*",))

    def edit(c: object) -> None:
        c.sales_areas[0].shipping_conditions = "20"  # type: ignore[attr-defined]

    with pytest.raises(Forbidden) as err:
        _change(uow_factory, other, edit)
    assert "销售范围 F011/10/01" in err.value.problems[0].message.zh
    _change(uow_factory, mine, edit)


def test_a_scoped_finance_user_blocks_its_company_code_but_not_centrally(
    uow_factory: UnitOfWorkFactory,
) -> None:
    _setup(uow_factory)
    finance = _user(uow_factory, "f011fi", ["finance"], codes=("F011",), areas=())

    change_status(
        uow_factory, [NUMBER], [StatusEdit(Level.COMPANY_CODE, "F011", posting=True)], finance, "x"
    )
    with pytest.raises(Forbidden) as err:
        change_status(uow_factory, [NUMBER], [StatusEdit(posting=True)], finance, "x")
    assert "所有公司代码" in err.value.problems[0].message.zh
    assert read_customer(uow_factory, NUMBER).company_codes[0].posting_block
    assert not read_customer(uow_factory, NUMBER).general.posting_block
