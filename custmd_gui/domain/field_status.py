"""Field status (required / optional / suppressed / display) and how statuses combine."""

from __future__ import annotations

from enum import StrEnum


class Activity(StrEnum):
    CREATE = "create"
    CHANGE = "change"
    DISPLAY = "display"


class FieldStatus(StrEnum):
    REQUIRED = "required"
    OPTIONAL = "optional"
    SUPPRESSED = "suppressed"
    DISPLAY = "display"

    @property
    def priority(self) -> int:
        return _PRIORITY[self]


# SAP's rule when the account group, the activity and the company code each set a status:
# suppressed beats display beats required beats optional.
_PRIORITY = {
    FieldStatus.SUPPRESSED: 3,
    FieldStatus.DISPLAY: 2,
    FieldStatus.REQUIRED: 1,
    FieldStatus.OPTIONAL: 0,
}


def combine(*statuses: FieldStatus) -> FieldStatus:
    """The status that wins when several sources set one (OPTIONAL if none does)."""
    return max(statuses, key=lambda s: s.priority, default=FieldStatus.OPTIONAL)


def activity_status(activity: Activity) -> FieldStatus:
    """What the activity itself imposes on every field: display shows, never edits."""
    return FieldStatus.DISPLAY if activity is Activity.DISPLAY else FieldStatus.OPTIONAL
