"""The data screens of XD01/XD02/XD03 in SAP's order, each with the segment it edits."""

from __future__ import annotations

from custmd_gui.catalog import catalog

# (screen, segment): general data, then the company code, then the sales area; the list is the
# catalog's (catalog/screens.yaml).
SCREENS: tuple[tuple[str, str], ...] = tuple(
    (s.id, s.segment) for s in catalog().data_screens() if s.segment is not None
)
SCREEN_SEGMENT: dict[str, str] = dict(SCREENS)

# Grid tables and the screen each is edited on.
GRID_SCREENS: dict[str, str] = {"KNBK": "payment", "KNVI": "billing", "KNVP": "partner"}

# The initial screen's reference fields; each borrows the catalog field whose values it takes
# (for F4 and its length).
REFERENCE_AS: dict[str, str] = {
    "REF_KUNNR": "KNA1-KUNNR",
    "REF_BUKRS": "KNB1-BUKRS",
    "REF_VKORG": "KNVV-VKORG",
    "REF_VTWEG": "KNVV-VTWEG",
    "REF_SPART": "KNVV-SPART",
}
REFERENCE_FIELDS: tuple[str, ...] = tuple(REFERENCE_AS)
