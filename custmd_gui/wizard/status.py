"""Which fields the screens show and how (the account group's field status, adjusted for the
activity and the actor's rights), and which screens are in use for the keys."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from custmd_gui.catalog import Catalog
from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.field_status import Activity, FieldStatus
from custmd_gui.domain.validation import effective_status
from custmd_gui.wizard.initial import Keys
from custmd_gui.wizard.screens import SCREENS

if TYPE_CHECKING:
    from custmd_gui.services.context import Actor


def field_statuses(
    cat: Catalog, customizing: Customizing, actor: Actor, activity: Activity, keys: Keys
) -> dict[str, FieldStatus]:
    """{field key: status} for the keys' account group in this activity."""
    group = customizing.account_group(keys.account_group)
    changeable = None
    if activity is Activity.CHANGE:  # a change the user may only request is typed too
        changeable = changeable_tables(actor, keys) | changeable_tables(actor, keys, request=True)
    extending = keys.extending is not None and activity is Activity.CREATE
    statuses: dict[str, FieldStatus] = {}
    for fd in cat:
        status = effective_status(fd, group, activity)
        if extending and fd.table in ("KNA1", "KNBK"):
            status = FieldStatus.DISPLAY  # extending: general data are shown, not changed
        if (
            changeable is not None
            and fd.table not in changeable
            and status in (FieldStatus.REQUIRED, FieldStatus.OPTIONAL)
        ):
            status = FieldStatus.DISPLAY  # XD02: a segment the user may not change
        statuses[fd.key] = status
    return statuses


def changeable_tables(actor: Actor, keys: Keys, *, request: bool = False) -> frozenset[str]:
    """XD02: the tables whose fields the actor may change in the segments on the screens
    (the rules of services.authorization.change_refusal: the permission of the segment,
    its company code or sales area, and the segment's authorization group). The service
    refuses the rest anyway; the screens only show it. `request`: the tables whose change
    the actor may request instead (the request permission in the same scope): Ctrl+S files
    a change request when one of them changed (wizard.requesting.change_needs_request)."""
    from custmd_gui.domain.authorization import Permission
    from custmd_gui.services.authorization import (
        COMPANY_CODE_TABLES,
        GENERAL_TABLES,
        SALES_AREA_TABLES,
    )

    def needed(change: Permission) -> Permission:
        return Permission.REQUEST if request else change

    rights = actor.rights
    stored = keys.extending
    tables: set[str] = set()
    general_group = stored.general.authorization_group if stored else ""
    if rights.allows(needed(Permission.CHANGE_GENERAL), auth_group=general_group):
        tables |= GENERAL_TABLES
    if keys.company_code:
        cc = stored.company_code(keys.company_code) if stored else None
        if rights.allows(
            needed(Permission.CHANGE_COMPANY_CODE),
            company_code=keys.company_code,
            auth_group=cc.authorization_group if cc else "",
        ):
            tables |= COMPANY_CODE_TABLES
    if keys.sales_area:
        sa = stored.sales_area(keys.sales_area_key) if stored else None
        if rights.allows(
            needed(Permission.CHANGE_SALES_AREA),
            sales_area=keys.sales_area_key,
            auth_group=sa.authorization_group if sa else "",
        ):
            tables |= SALES_AREA_TABLES
    return frozenset(tables)


def screens_in_use(cat: Catalog, statuses: Mapping[str, FieldStatus], keys: Keys) -> list[str]:
    """The data screens of the keys' segments, in XD01 order; a screen whose every field the
    account group hides is skipped, as SAP does."""

    def all_suppressed(screen: str) -> bool:
        keys_ = [fd.key for fd in cat if cat.groups[fd.field_group].screen == screen]
        return bool(keys_) and all(statuses[k] is FieldStatus.SUPPRESSED for k in keys_)

    return [
        s
        for s, segment in SCREENS
        if (
            segment == "general"
            or (segment == "company_code" and keys.company_code)
            or (segment == "sales_area" and keys.sales_area)
        )
        and not all_suppressed(s)
    ]
