"""The customizing of the request workflow (resources/customizing/requests.yaml): who reviews
which part of which request type, which direct changes need a request, and whether a direct
XD02 save asks for a reason.

- `request_routing`: per request type and part (general, company_code, sales_area) the
  permission a reviewer needs, in the scope of the part (the company code, the sales area);
- `request_required`: per request type, and for a change per field group, that the direct
  transaction (XD01, XD02, XD05, XD06) needs a request unless the user may skip review;
- `change_reason`: XD02's reason `required` or `optional`.
"""

from __future__ import annotations

from dataclasses import dataclass

from custmd_gui.catalog import Catalog
from custmd_gui.domain.authorization import Permission
from custmd_gui.domain.customizing import Customizing, CustomizingError
from custmd_gui.domain.requests import Part, RequestType

ROUTING_LIST = "request_routing"
REQUIRED_LIST = "request_required"
REASON_LIST = "change_reason"


@dataclass(frozen=True, slots=True)
class Route:
    request_type: RequestType
    part: Part
    permission: Permission


@dataclass(frozen=True, slots=True)
class RequestRules:
    routes: tuple[Route, ...]
    # request types whose direct transaction needs a request (change: see change_groups)
    required_types: frozenset[RequestType]
    # field groups whose direct change needs a request
    change_groups: frozenset[str]
    reason_required: bool = False

    def permission(self, request_type: RequestType, part: Part) -> Permission | None:
        """The permission that reviews `part` of a request of `request_type`; None: no route
        (the request cannot be reviewed: the customizing is incomplete)."""
        for route in self.routes:
            if route.request_type is request_type and route.part is part:
                return route.permission
        return None

    def needs_request(self, request_type: RequestType) -> bool:
        return request_type in self.required_types

    def groups_needing_request(self, field_groups: set[str]) -> list[str]:
        return sorted(field_groups & self.change_groups)


def _words(value: str) -> list[str]:
    return [w for w in value.replace(",", " ").split() if w]


def request_rules(customizing: Customizing, cat: Catalog) -> RequestRules:
    """The rules of the customizing, checked; CustomizingError naming a bad entry. Lists
    missing (a database of an older version) mean: no routes, nothing needs a request, the
    reason optional."""
    routes: list[Route] = []
    for entry in customizing.values(ROUTING_LIST):
        where = f"request routing {entry.code}"
        try:
            routes.append(
                Route(
                    RequestType(entry.attrs.get("request_type", "")),
                    Part(entry.attrs.get("part", "")),
                    Permission(entry.attrs.get("permission", "")),
                )
            )
        except ValueError as exc:
            raise CustomizingError(f"{where}: {exc}") from None
    types: set[RequestType] = set()
    groups: set[str] = set()
    for entry in customizing.values(REQUIRED_LIST):
        where = f"request required {entry.code}"
        try:
            kind = RequestType(entry.attrs.get("request_type", ""))
        except ValueError as exc:
            raise CustomizingError(f"{where}: {exc}") from None
        named = _words(entry.attrs.get("field_groups", ""))
        if kind is RequestType.CHANGE:
            if not named:
                raise CustomizingError(f"{where}: a change needs field_groups")
            unknown = [g for g in named if g not in cat.groups]
            if unknown:
                raise CustomizingError(f"{where}: unknown field groups {unknown}")
            groups.update(named)
        else:
            types.add(kind)
    reason = False
    for entry in customizing.values(REASON_LIST):
        value = entry.attrs.get("reason", "optional")
        if value not in ("required", "optional"):
            raise CustomizingError(f"change reason {entry.code}: required or optional")
        reason = reason or value == "required"
    return RequestRules(tuple(routes), frozenset(types), frozenset(groups), reason)
