"""Documents of customers for the partner-determination tests (unit, integration, GUI)."""

from __future__ import annotations

from typing import Any


def ship_to_document(*functions: str) -> dict[str, Any]:
    """A domestic ship-to party (1310) in F011/10/01 with these partner lines to itself."""
    return {
        "KNA1": {
            "KTOKD": "1310",
            "NAME1": "长宁收货点",
            "SORTL": "长宁收货",
            "STRAS": "上海市长宁路 1 号",
            "PSTLZ": "200000",
            "ORT01": "上海",
            "LAND1": "CN",
            "REGIO": "020",
            "SPRAS": "ZH",
        },
        "KNVV": [
            {
                "VKORG": "F011",
                "VTWEG": "10",
                "SPART": "01",
                "VSBED": "11",
                "VWERK": "F011",
                "KNVP": [{"PARVW": fn, "KUNN2": ""} for fn in functions],
            }
        ],
    }
