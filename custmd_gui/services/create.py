"""Create a customer (XD01) and extend one by company codes or sales areas."""

from __future__ import annotations

from collections.abc import Sequence

from custmd_gui.catalog import Text
from custmd_gui.domain.authorization import Permission
from custmd_gui.domain.change_document import creation_tuples
from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.errors import DomainError, Problem, errors_only
from custmd_gui.domain.field_status import Activity
from custmd_gui.domain.model import CompanyCodeData, Customer, SalesAreaData
from custmd_gui.domain.number_range import format_internal
from custmd_gui.domain.partner_determination import determination
from custmd_gui.domain.requests import RequestType
from custmd_gui.domain.validation import Validator
from custmd_gui.persistence.unit_of_work import UnitOfWork
from custmd_gui.services.authorization import (
    authorize,
    check_new_status_rights,
    check_visible,
    creation_refusal,
    not_found,
)
from custmd_gui.services.context import Actor
from custmd_gui.services.duplicates import uscc_problems_many
from custmd_gui.services.ports import UowFactory
from custmd_gui.services.request_rules import require_no_request


def with_sap_defaults(customer: Customer, cust: Customizing) -> Customer:
    """Defaults SAP fills before checking: the group's reconciliation account, and the
    customer itself in every default partner function of its group."""
    rules = determination(cust, customer.general.account_group)
    prepared = customer.with_default_partners(rules.defaults)
    group = cust.account_group(prepared.general.account_group)
    if group and group.reconciliation_account:
        for cc in prepared.company_codes:
            if not cc.reconciliation_account:
                cc.reconciliation_account = group.reconciliation_account
    return prepared


def _partner_problems(uow: UnitOfWork, customer: Customer) -> list[Problem]:
    """Partners that do not exist, are flagged for deletion, or an order-blocked payer
    (services.partner_checks; its warnings are the screens' business)."""
    from custmd_gui.services.partner_checks import customer_partner_problems

    return errors_only(customer_partner_problems(uow, customer))


def create_customer(
    uow_factory: UowFactory,
    customer: Customer,
    actor: Actor,
    *,
    customizing: Customizing | None = None,
    tcode: str = "XD01",
    comment: str = "",
    keep_number: bool = False,
) -> Customer:
    """Check and store a new customer with all its segments in one transaction.
    `keep_number`: an import of a migrated customer keeps its number in an internal range too
    (numbered_many).

    The number is drawn from the account group's range inside that transaction, so a
    failure anywhere leaves neither rows nor a used number behind.

    The actor needs `create` in every company code and sales area of the customer and must
    hold the authorization groups (BEGRU) of its segments; checked before anything is read."""
    authorize_create(actor, customer)
    with uow_factory(write=True) as uow:
        cust = customizing or uow.customizing.load()
        require_no_request(actor, cust, RequestType.CREATE)
        validator = Validator(cust, keep_numbers=keep_number)
        customer = store_new(uow, customer, actor, cust, validator, tcode, comment)
        uow.commit()
    return customer


def authorize_create(actor: Actor, customer: Customer) -> None:
    """The actor's rights to create `customer` (AuthorizationError), before anything is read."""
    authorize(actor, Permission.CREATE)
    if refusal := creation_refusal(
        actor,
        Permission.CREATE,
        general_group=customer.general.authorization_group,
        company_codes=customer.company_codes,
        sales_areas=customer.sales_areas,
    ):
        raise refusal
    check_new_status_rights(actor, customer)


def check_new(
    uow: UnitOfWork, customer: Customer, actor: Actor, cust: Customizing, validator: Validator
) -> Customer:
    """The checks of a create inside the caller's transaction; the customer with SAP's
    defaults, or DomainError. `validator`: Validator(cust), built once by a caller storing many."""
    customer, problems = validated_new(customer, cust, validator)
    problems += stored_state_problems(uow, [customer], actor)[0]
    if problems:
        raise DomainError(problems)
    return customer


def validated_new(
    customer: Customer, cust: Customizing, validator: Validator
) -> tuple[Customer, list[Problem]]:
    """The customer with SAP's defaults and the validator's errors for it: what check_new
    finds without reading the database."""
    customer = with_sap_defaults(customer, cust)
    # The validator's warnings (a city outside the region) are the screens' to show.
    return customer, errors_only(validator.validate(customer, Activity.CREATE))


def stored_state_problems(
    uow: UnitOfWork, customers: Sequence[Customer], actor: Actor
) -> list[list[Problem]]:
    """What check_new finds in the database for each new customer (partners, a credit code
    held by another customer, a number taken), a batch in a few statements: an import checks
    its customers before the write and again inside the write's transaction."""
    found = [_partner_problems(uow, c) for c in customers]
    for problems, held in zip(found, uscc_problems_many(uow, customers, actor), strict=True):
        problems += held
    existing = uow.customers.existing(c.general.number for c in customers if c.general.number)
    for problems, customer in zip(found, customers, strict=True):
        number = customer.general.number
        if number in existing:
            problems.append(
                Problem(
                    "KNA1-KUNNR",
                    "",
                    Text(
                        zh=f"客户 {number} 已存在；要扩展到新的公司代码或销售范围，请使用扩展",
                        en=f"Customer {number} already exists; extend it instead",
                    ),
                )
            )
        elif number and _held_out_of_sight(uow, number):
            problems.append(
                Problem(
                    "KNA1-KUNNR",
                    "",
                    Text(
                        zh=f"客户编号 {number} 已被占用（持有该编号的客户您无权查看），"
                        "请换一个编号",
                        en=f"Customer number {number} is taken (by a customer you may not "
                        "see); choose another number",
                    ),
                )
            )
    return found


def store_new(
    uow: UnitOfWork,
    customer: Customer,
    actor: Actor,
    cust: Customizing,
    validator: Validator,
    tcode: str = "XD01",
    comment: str = "",
    *,
    request: str = "",
) -> Customer:
    """Check and write a new customer inside the caller's transaction (not committed): its
    number drawn, its rows, search indexes and change document (naming `request`, the
    maintenance request being activated, if any); the stored customer."""
    customer = numbered_new(uow, check_new(uow, customer, actor, cust, validator), cust)
    return write_new(uow, [customer], actor, tcode, comment, request=request)[0]


def numbered_new(uow: UnitOfWork, customer: Customer, cust: Customizing) -> Customer:
    """The checked customer with the next internal number of its account group's range (as
    it is when the group takes external numbers), drawn in the caller's transaction."""
    return numbered_many(uow, [customer], cust)[0]


def numbered_many(
    uow: UnitOfWork, customers: Sequence[Customer], cust: Customizing
) -> list[Customer]:
    """numbered_new of each, the numbers of one range drawn together (an import's batch). A
    customer of an internal range that has its number already (an import keeping migrated
    numbers: Validator(keep_numbers=True)) keeps it, and the range's level is raised to it
    first, so that neither a draw of this batch nor a later one hands it out."""
    waiting: dict[str, list[int]] = {}  # range -> positions of the customers it numbers
    kept: dict[str, int] = {}  # range -> the highest number kept in it
    for i, customer in enumerate(customers):
        rng = cust.number_range_of(customer.general.account_group)
        if rng is not None and rng.internal:
            if customer.general.number:
                number = int(customer.general.number)
                kept[rng.id] = max(kept.get(rng.id, 0), number)
            else:
                waiting.setdefault(rng.id, []).append(i)
    for range_id, number in kept.items():
        try:
            uow.numbers.adopt(range_id, number)
        except LookupError:
            raise DomainError.single(
                "KNA1-KUNNR",
                f"客户编号 {number} 不在编号范围 {range_id} 内",
                f"Number {number} is outside number range {range_id}",
            ) from None
    out = list(customers)
    for range_id, positions in waiting.items():
        rng = cust.number_ranges[range_id]
        try:
            levels = uow.numbers.draw_many(range_id, len(positions))
        except LookupError:
            raise DomainError.single(
                "KNA1-KUNNR",
                f"编号范围 {range_id} 已用完，请联系系统管理员",
                f"Number range {range_id} is exhausted; call the administrator",
            ) from None
        for i, level in zip(positions, levels, strict=True):
            out[i] = customers[i].with_number(format_internal(rng, level))
    return out


def write_new(
    uow: UnitOfWork,
    customers: Sequence[Customer],
    actor: Actor,
    tcode: str = "XD01",
    comment: str = "",
    *,
    request: str = "",
) -> list[Customer]:
    """Write checked and numbered new customers (check_new, numbered_new) in the caller's
    transaction: their rows and search indexes, and a change document for each (the server's
    deferred triggers demand one per customer)."""
    now = uow.now()  # the database's clock: documents of all clients sort as they happened
    uow.customers.add_many(customers, actor.user, now)
    uow.changes.write_many(
        [(c.general.number, creation_tuples(c)) for c in customers],
        actor.user,
        now,
        tcode,
        Activity.CREATE.value,
        actor.origin,
        comment=comment,
        request=request,
    )
    return [c.model_copy(update={"version": 1}) for c in customers]


def read_customer(uow_factory: UowFactory, number: str, actor: Actor | None = None) -> Customer:
    """The stored customer (XD03). With an actor: `display` is needed, and a customer whose
    KNA1-BEGRU the actor does not hold is not found, exactly as one that does not exist.
    Without one the caller acts as the system (the other services, after their own check);
    the UI and CLI always pass the logged-in actor."""
    with uow_factory() as uow:
        if actor is not None:
            check_visible(uow, actor, number)
        customer = uow.customers.get(number)
    if customer is None:
        raise not_found(number)
    return customer


def extend_customer(
    uow_factory: UowFactory,
    number: str,
    actor: Actor,
    *,
    company_codes: Sequence[CompanyCodeData] = (),
    sales_areas: Sequence[SalesAreaData] = (),
    customizing: Customizing | None = None,
    comment: str = "",
) -> Customer:
    """Add company codes and/or sales areas to an existing customer (XD01 with a number that
    exists), checked as at creation and written atomically with a change document.

    The actor needs `extend` in each company code and sales area added, the authorization
    groups of the new segments, and must see the customer (else: not found)."""
    authorize(actor, Permission.EXTEND)
    if refusal := creation_refusal(
        actor,
        Permission.EXTEND,
        general_group=None,
        company_codes=company_codes,
        sales_areas=sales_areas,
    ):
        raise refusal
    with uow_factory(write=True) as uow:
        check_visible(uow, actor, number)
        cust = customizing or uow.customizing.load()
        if company_codes:
            require_no_request(actor, cust, RequestType.EXTEND_COMPANY_CODE)
        if sales_areas:
            require_no_request(actor, cust, RequestType.EXTEND_SALES_AREA)
        store_extension(uow, number, actor, cust, company_codes, sales_areas, comment=comment)
        uow.commit()
    return read_customer(uow_factory, number)


def store_extension(
    uow: UnitOfWork,
    number: str,
    actor: Actor,
    cust: Customizing,
    company_codes: Sequence[CompanyCodeData] = (),
    sales_areas: Sequence[SalesAreaData] = (),
    *,
    comment: str = "",
    request: str = "",
) -> None:
    """Check and write new company codes and sales areas of customer `number` inside the
    caller's transaction (not committed), with a change document naming `request` if any.
    The caller checked the actor's rights and that the actor sees the customer."""
    existing = uow.customers.get(number)
    if existing is None:
        raise not_found(number)
    problems: list[Problem] = []
    new_codes = [c.model_copy(deep=True) for c in company_codes]
    new_areas = [a.model_copy(deep=True) for a in sales_areas]
    for cc in new_codes:
        if existing.company_code(cc.company_code):
            problems.append(
                Problem(
                    "KNB1-BUKRS",
                    cc.company_code,
                    Text(
                        zh=f"客户 {number} 已在公司代码 {cc.company_code} 中创建",
                        en=f"Customer {number} already exists in company code {cc.company_code}",
                    ),
                )
            )
    for sa in new_areas:
        if existing.sales_area(sa.segment_key):
            problems.append(
                Problem(
                    "KNVV-VKORG",
                    sa.segment_key,
                    Text(
                        zh=f"客户 {number} 已在销售范围 {sa.segment_key} 中创建",
                        en=f"Customer {number} already exists in sales area {sa.segment_key}",
                    ),
                )
            )
    if not new_codes and not new_areas:
        problems.append(
            Problem(
                "KNB1-BUKRS",
                "",
                Text(
                    zh="请指定要扩展的公司代码或销售范围",
                    en="Name a company code or sales area to extend to",
                ),
            )
        )
    if problems:
        raise DomainError(problems)
    merged = existing.model_copy(deep=True)
    merged.company_codes += new_codes
    merged.sales_areas += new_areas
    merged = with_sap_defaults(merged, cust)
    new_keys = {c.company_code for c in new_codes} | {a.segment_key for a in new_areas}
    check_new_status_rights(actor, merged, segments=new_keys)
    problems = [
        p
        for p in errors_only(Validator(cust).validate(merged, Activity.CREATE, check_number=False))
        if p.segment in new_keys
    ]
    problems += [p for p in _partner_problems(uow, merged) if p.segment in new_keys]
    if problems:
        raise DomainError(problems)
    now = uow.now()
    added_codes = [c for c in merged.company_codes if c.company_code in new_keys]
    added_areas = [a for a in merged.sales_areas if a.segment_key in new_keys]
    uow.customers.add_segments(number, added_codes, added_areas, now)
    uow.changes.write(
        number,
        actor.user,
        now,
        "XD01",
        "extend",
        actor.origin,
        creation_tuples(merged, only_segments=new_keys),
        comment=comment,
        request=request,
    )


def created_message(customer: Customer, lang: str) -> str:
    """SAP's status line after a create."""
    where_zh, where_en = [], []
    for cc in customer.company_codes:
        where_zh.append(f"公司代码 {cc.company_code}")
        where_en.append(f"company code {cc.company_code}")
    for sa in customer.sales_areas:
        where_zh.append(f"销售范围 {sa.segment_key}")
        where_en.append(f"sales area {sa.segment_key}")
    if lang == "en":
        tail = " in " + " and ".join(where_en) if where_en else ""
        return f"Customer {customer.number} has been created{tail}"
    tail = "在" + " ".join(where_zh) + " 中" if where_zh else ""
    return f"客户 {customer.number} 已{tail}创建"


def _held_out_of_sight(uow: UnitOfWork, number: str) -> bool:
    """A 10-digit number held by a customer that row-level security hides from the user
    (PostgreSQL): the insert would fail on the unique key without saying why."""
    if len(number) != 10 or not (number.isascii() and number.isdigit()):
        return False
    return uow.numbers.highest_with_prefix(number) == number
