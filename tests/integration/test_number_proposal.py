"""What XD01 proposes from the user's organisation, read from the database (issue 16, item 2):
the user's responsibility center, company code and sales area, and SD02's next free external
number, which must be free even where the holder is hidden from the user (PostgreSQL's
row-level security)."""

from __future__ import annotations

from typing import Any

import pytest

from custmd_gui.domain.errors import DomainError, NotFound
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.auth import authorizations_of
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer, read_customer
from custmd_gui.services.customizing import read_customizing
from custmd_gui.services.proposals import (
    UserOrganisation,
    next_external_number,
    user_organisation,
)
from custmd_gui.services.users import create_user, save_department
from tests.conftest import example_document
from tests.integration.test_pg_authorization import (  # noqa: F401  (the fixture)
    OTHERS,
    World,
    _factory,
    world,
)

SETUP = Actor("setup")
PASSWORD = "Geheim-2024!"


def _create(factory: UnitOfWorkFactory, number: str) -> None:
    doc: dict[str, Any] = example_document()
    doc["KNA1"].update({"KUNNR": number, "NAME1": f"客户{number}"})
    for p in doc["KNVV"][0]["KNVP"]:
        p["KUNN2"] = number
    create_customer(factory, from_document(doc), SETUP)


def test_the_next_number_follows_the_highest_with_the_same_prefix(
    uow_factory: UnitOfWorkFactory,
) -> None:
    cust = read_customizing(uow_factory)
    assert next_external_number(uow_factory, cust, "1038") == "2110380001"
    _create(uow_factory, "2110380001")
    _create(uow_factory, "2110380007")  # a gap is not filled: the next one is after the last
    assert next_external_number(uow_factory, cust, "1038") == "2110380008"
    # Another branch, another prefix; not a sales office: no proposal.
    assert next_external_number(uow_factory, cust, "1038", "F015") == "2150380001"
    assert next_external_number(uow_factory, cust, "") == ""


def test_the_users_organisation_comes_from_the_users_record(
    uow_factory: UnitOfWorkFactory,
) -> None:
    cust = read_customizing(uow_factory)
    create_user(uow_factory, SETUP, "admin", password=PASSWORD, roles=["administrator"])
    save_department(uow_factory, SETUP, "1038", "责任中心 1038")
    save_department(uow_factory, SETUP, "77", "财务部")
    create_user(
        uow_factory,
        SETUP,
        "lihua",
        password=PASSWORD,
        roles=["assistant"],
        auth_groups=["1038"],
        company_codes=["F011"],
        sales_areas=["F011/10/01"],
        department="1038",
    )
    create_user(
        uow_factory,
        SETUP,
        "wangfang",
        password=PASSWORD,
        roles=["assistant"],
        auth_groups=["1038"],
        company_codes=["F011", "F015"],
        sales_areas=["F011/*/*"],
        department="77",  # not a sales office: the only authorization group is the center
    )
    create_user(
        uow_factory, SETUP, "zhao", password=PASSWORD, roles=["assistant"], auth_groups=["*"]
    )
    assert user_organisation(uow_factory, Actor("lihua"), cust) == UserOrganisation(
        "1038", "F011", ("F011", "10", "01")
    )
    assert user_organisation(uow_factory, Actor("wangfang"), cust) == UserOrganisation("1038")
    assert user_organisation(uow_factory, Actor("zhao"), cust) == UserOrganisation()
    # Single-user mode and system jobs: nobody's organisation.
    assert user_organisation(uow_factory, Actor("nobody"), cust) == UserOrganisation()


def test_the_proposed_number_is_free_even_if_the_assistant_cannot_see_its_holder(
    world: World,  # noqa: F811
) -> None:
    """PostgreSQL: the assistant of 1038 does not see customer 2110380003 (authorization
    group 1039), yet the number proposed after 2110380002 is 2110380004."""
    assistant = _factory(world, "assistant")
    try:
        actor = Actor(world.users["assistant"])
        with pytest.raises(NotFound):
            read_customer(assistant, OTHERS, actor)
        cust = read_customizing(assistant)
        assert next_external_number(assistant, cust, "1038") == "2110380004"
    finally:
        assistant.engine.dispose()


def test_a_save_with_a_number_held_out_of_sight_says_so(world: World) -> None:  # noqa: F811
    """PostgreSQL: the number typed (or proposed before someone else took it) belongs to a
    customer the assistant cannot see: the save names the number instead of failing on the
    unique key, and nothing is written."""
    user = world.users["assistant"]
    with UnitOfWorkFactory(world.owner)(write=True) as uow:
        uow.users.set_roles(user, ["assistant"])
        uow.users.set_auth_groups(user, ["1038"])
        uow.users.set_company_codes(user, ["*"])
        uow.users.set_sales_areas(user, [("F011", "*", "*")])
        uow.commit()
    assistant = _factory(world, "assistant")
    try:
        with assistant() as uow:
            actor = Actor.logged_in(authorizations_of(uow, user))
        doc: dict[str, Any] = example_document()
        doc["KNA1"].update({"KUNNR": OTHERS, "NAME1": "新客户", "BEGRU": "1038"})
        for p in doc["KNVV"][0]["KNVP"]:
            p["KUNN2"] = OTHERS
        with pytest.raises(DomainError) as refused:
            create_customer(assistant, from_document(doc), actor)
        (problem,) = refused.value.problems
        assert problem.field_key == "KNA1-KUNNR"
        assert problem.message.zh == (
            f"客户编号 {OTHERS} 已被占用（持有该编号的客户您无权查看），请换一个编号"
        )
    finally:
        assistant.engine.dispose()
