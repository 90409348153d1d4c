"""Migration 0017 on a database in use: the shipped roles that exist get the request
permissions, an administrator's other choices stay; down and up again (both databases)."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Engine, text

from custmd_gui.persistence import migrate
from custmd_gui.persistence.engine import make_engine


def _permissions(engine: Engine, role: str) -> set[str]:
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT permission FROM app_role_permission WHERE role = :r"), {"r": role}
        )
        return {r[0] for r in rows}


def test_existing_roles_gain_the_request_permissions(empty_url: str) -> None:
    engine = make_engine(empty_url)
    try:
        migrate.upgrade(engine, "0016")
        with engine.begin() as conn:
            for code in ("assistant", "auditor"):
                conn.execute(
                    text("INSERT INTO app_role (code, text_zh, text_en) VALUES (:c, '', '')"),
                    {"c": code},
                )
            # an administrator took creating away from the assistants
            conn.execute(
                text("INSERT INTO app_role_permission (role, permission) VALUES "
                     "('assistant', 'display'), ('auditor', 'display')")
            )  # fmt: skip
        migrate.upgrade(engine)
        assert _permissions(engine, "assistant") == {
            "display",
            "request",
            "review_sales_area",
            "skip_review",
        }
        assert _permissions(engine, "auditor") == {"display"}
        cfg = migrate.alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0016")
        assert _permissions(engine, "assistant") == {"display"}
        migrate.upgrade(engine)
        assert migrate.is_current(engine)
    finally:
        engine.dispose()
