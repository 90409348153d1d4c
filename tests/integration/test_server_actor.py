"""Shared mode: the role the PostgreSQL server signed in acts with its custmd rights, without a
second password; a local file or a role that is no custmd user gets no such actor."""

from __future__ import annotations

import pytest

from custmd_gui.domain.authorization import Permission
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.auth import LoginFailed, server_actor
from custmd_gui.services.context import Actor
from custmd_gui.services.users import create_user, set_disabled

SERVER = "postgresql+psycopg://{user}@db.example:5432/custmd"
ADMIN = Actor("setup")


def test_without_users_the_signed_in_role_acts_unrestricted(uow_factory: UnitOfWorkFactory) -> None:
    actor = server_actor(uow_factory, SERVER.format(user="zhang_san"))
    assert actor == Actor("zhang_san", "server")
    assert server_actor(uow_factory, "sqlite:///custmd.sqlite") is None


def test_a_custmd_user_gets_its_rights_and_others_none(uow_factory: UnitOfWorkFactory) -> None:
    create_user(uow_factory, ADMIN, "admin", password=None, roles=["administrator"])
    create_user(
        uow_factory, ADMIN, "li_si", password=None, roles=["assistant"], auth_groups=["1038"]
    )
    actor = server_actor(uow_factory, SERVER.format(user="li_si"))
    assert actor is not None and (actor.user, actor.origin) == ("li_si", "server")
    assert actor.rights.allows(Permission.DISPLAY)
    assert not actor.rights.allows(Permission.CHANGE_GENERAL)
    assert actor.rights.can_see("1038") and not actor.rights.can_see("1039")
    assert server_actor(uow_factory, SERVER.format(user="postgres")) is None  # a login is needed
    set_disabled(uow_factory, ADMIN, "li_si", True)
    with pytest.raises(LoginFailed):
        server_actor(uow_factory, SERVER.format(user="li_si"))
