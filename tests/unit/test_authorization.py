"""Permissions, roles and scopes (domain.authorization) without a database."""

from __future__ import annotations

import pytest

from custmd_gui.domain.authorization import (
    DEFAULT_ROLES,
    Authorizations,
    Forbidden,
    Permission,
)
from custmd_gui.services.context import Actor

ROLES = {r.code: r for r in DEFAULT_ROLES}


def test_scopes_limit_every_permission() -> None:
    rights = Authorizations.of_roles(
        "lisi",
        [ROLES["cc_maintainer"]],
        auth_groups=["1038"],
        company_codes=["f011"],
        sales_areas=["F011/*/*"],
    )
    assert rights.allows(Permission.CHANGE_COMPANY_CODE, company_code="F011")
    assert not rights.allows(Permission.CHANGE_COMPANY_CODE, company_code="F015")
    assert not rights.allows(Permission.CHANGE_SALES_AREA, sales_area="F011/10/01")
    assert rights.in_sales_area("F011/20/02") and not rights.in_sales_area("F015/10/01")
    assert rights.can_see("1038") and rights.can_see("") and not rights.can_see("1039")
    with pytest.raises(Forbidden) as err:
        rights.require(Permission.CHANGE_COMPANY_CODE, company_code="F015")
    assert (
        err.value.problems[0].message.zh == "用户 lisi 没有权限：更改公司代码数据（公司代码 F015）"
    )
    assert err.value.problems[0].message.en == (
        "User lisi is not authorized to change company code data (company code F015)"
    )


def test_a_star_means_all_and_no_entry_means_none() -> None:
    everything = Authorizations.of_roles(
        "a", [ROLES["auditor"]], auth_groups=["*"], company_codes=["*"], sales_areas=["*/*/*"]
    )
    assert everything.auth_groups is None and everything.company_codes is None
    assert everything.sales_areas is None
    nothing = Authorizations.of_roles(
        "b", [ROLES["auditor"]], auth_groups=[], company_codes=[], sales_areas=[]
    )
    assert nothing.can_see("") and not nothing.can_see("4002")
    assert not nothing.in_company_code("F011") and not nothing.in_sales_area("F011/10/01")


def test_the_actor_defaults_to_unrestricted_and_keeps_its_own_rights() -> None:
    assert Actor("zhangsan").rights == Authorizations.unrestricted("zhangsan")
    auditor = Authorizations.of_roles("lisi", [ROLES["auditor"]])
    assert Actor.logged_in(auditor).rights is auditor
    with pytest.raises(ValueError):
        Actor("zhangsan", rights=auditor)
