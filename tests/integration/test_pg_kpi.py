"""The KPIs on the shared server, read by LOGIN roles (no owner rights): the reads need only
the grants the roles hold, and row-level security keeps a request out of the figures of whoever
may not see it (its proposed general data's authorization group)."""

from __future__ import annotations

from sqlalchemy import text

from custmd_gui.services.kpi import kpis
from tests.integration.test_kpi import seed
from tests.integration.test_pg_requests import Server, pg  # noqa: F401 (the fixture)


def test_login_roles_read_the_kpis_they_may_see(pg: Server) -> None:  # noqa: F811
    seed(pg.owner)
    with pg.owner.begin() as conn:
        # R3 (branch 2045, a duplicate) proposes general data of authorization group 1038.
        conn.execute(text("UPDATE requests SET begru = '1038' WHERE number = '0000000003'"))
    head = kpis(pg.factory("head"), pg.actor("head"), "2026-03", "2026-03")
    outsider = kpis(pg.factory("outsider"), pg.actor("outsider"), "2026-03", "2026-03")
    (head_march,) = head.totals
    (outsider_march,) = outsider.totals
    assert (head_march.submitted, head_march.activated, head_march.duplicates) == (3, 4, 1)
    # R5's change documents and the search keys are read as well: the same figures but R3's
    assert (outsider_march.submitted, outsider_march.activated) == (2, 3)
    assert (outsider_march.duplicates, outsider_march.changed_30d) == (0, 1)
    assert [r.unit for r in outsider.rows] == ["1038"]
