"""SQLAlchemy tables, one module per subject; every table is importable from here, as before,
and importing this package registers them all on Base.metadata (Alembic, create_all).
"""

from custmd_gui.persistence.tables.base import NAMING_CONVENTION, Base
from custmd_gui.persistence.tables.change_documents import ChangeHeader, ChangeItem
from custmd_gui.persistence.tables.customers import (
    SEGMENT_TABLES,
    Kna1,
    Kna1Find,
    Kna1Search,
    Knb1,
    Knbk,
    Knvi,
    Knvp,
    Knvv,
)
from custmd_gui.persistence.tables.customizing import (
    AccountGroupRow,
    CodeListRow,
    CodeValueRow,
    CustomizingChange,
    CustomizingVersion,
    FieldStatusRow,
)
from custmd_gui.persistence.tables.edit_locks import EditLock
from custmd_gui.persistence.tables.number_ranges import NumberBlock, NumberRangeRow
from custmd_gui.persistence.tables.offline import (
    ChangeFeed,
    OfflineConflict,
    OfflineOperation,
    OutboxRow,
    ReplicaMeta,
    ReplicaNumberBlock,
)
from custmd_gui.persistence.tables.requests import (
    MaintenanceRequest,
    RequestAttachment,
    RequestStep,
)
from custmd_gui.persistence.tables.usage import UsageRegister
from custmd_gui.persistence.tables.users import (
    AppRole,
    AppRolePermission,
    AppUser,
    Department,
    LoginAttempt,
    Organization,
    UserAuthGroup,
    UserCompanyCode,
    UserRole,
    UserSalesArea,
)

__all__ = [
    "NAMING_CONVENTION",
    "SEGMENT_TABLES",
    "AccountGroupRow",
    "AppRole",
    "AppRolePermission",
    "AppUser",
    "Base",
    "ChangeFeed",
    "ChangeHeader",
    "ChangeItem",
    "CodeListRow",
    "CodeValueRow",
    "CustomizingChange",
    "CustomizingVersion",
    "Department",
    "EditLock",
    "FieldStatusRow",
    "Kna1",
    "Kna1Find",
    "Kna1Search",
    "Knb1",
    "Knbk",
    "Knvi",
    "Knvp",
    "Knvv",
    "LoginAttempt",
    "MaintenanceRequest",
    "NumberBlock",
    "NumberRangeRow",
    "OfflineConflict",
    "OfflineOperation",
    "Organization",
    "OutboxRow",
    "ReplicaMeta",
    "ReplicaNumberBlock",
    "RequestAttachment",
    "RequestStep",
    "UsageRegister",
    "UserAuthGroup",
    "UserCompanyCode",
    "UserRole",
    "UserSalesArea",
]
