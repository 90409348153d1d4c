"""the server as the last line of defence: numbers, change documents, status and codes

Revision ID: 0012
Revises: 0011

Migrations 0008-0011 let PostgreSQL refuse what a role may not touch. What a role may touch
it could still touch in ways the app never does; connected with psql as their own LOGIN role,
a user could set the number range back, change a sales area or delete its partners without a
change document, insert a bare general-data row, or create a customer already blocked. Here:

- numbers: internal numbers and the blocks of numbers handed to offline devices are drawn
  only through custmd_draw_number / custmd_reserve_numbers (SECURITY DEFINER, fixed
  search_path); nobody but the administrator updates nriv. Drawing skips a number a customer
  already holds, so a range set back by hand costs numbers, not every later create;
- change documents: every INSERT, UPDATE and DELETE of a customer segment row (kna1, knbk,
  knb1, knvv, knvi, knvp: blocks and deletion flags are columns of kna1, knb1, knvv) must be
  accompanied, in the same transaction, by a change document (cdhdr) for that customer
  written by the same signed-in role. Deferred constraint triggers check it at COMMIT, so
  the order in which the app writes rows and document does not matter, and a psql session
  cannot skip them (only the tables' owner could drop them);
- blocks and deletion flags on INSERT: a new row may carry them only if the role may UPDATE
  those columns (finance's and the administrator's column grants of 0008); an assistant
  cannot create a customer that is already blocked or flagged;
- structure: a new general-data row's number lies in its account group's number range and,
  for an internal range, was drawn; coded fields hold codes of the customizing (checked on
  INSERT and when the code changes, so that a code later removed from the customizing does
  not stop other changes of a customer that still has it).

The owner of the tables (the role that runs `custmd db upgrade`, which could drop these
triggers anyway) is exempt, as it is from row-level security: migrations, seeding and the
benchmarks' bulk loads work as before. On SQLite only nr_block's new column is added.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEGMENTS = ("kna1", "knbk", "knb1", "knvv", "knvi", "knvp")
# Block and deletion-flag columns per segment (the catalog's field group "blocks").
STATUS = {
    "kna1": ("aufsd", "lifsd", "faksd", "sperr", "loevm"),
    "knb1": ("sperr", "loevm"),
    "knvv": ("aufsd", "lifsd", "faksd", "loevm"),
}
DRAWERS = ("custmd_assistant", "custmd_administrator")

# Coded fields and their customizing list (cust_value), as the field catalog had them when
# this migration was written: (table, column, field key, label, list, parent column).
# tests/unit/test_server_checks.py compares it with the catalog; a catalog change that adds
# or moves a value help needs a migration that replaces the check functions.
CODED: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("kna1", "anred", "KNA1-ANRED", "标题", "titles", ""),
    ("kna1", "land1", "KNA1-LAND1", "国家", "countries", ""),
    ("kna1", "regio", "KNA1-REGIO", "地区", "regions", "land1"),
    ("kna1", "spras", "KNA1-SPRAS", "语言", "languages", ""),
    ("kna1", "brsch", "KNA1-BRSCH", "行业", "industries", ""),
    ("kna1", "niels", "KNA1-NIELS", "尼尔森指示符", "nielsen_ids", ""),
    ("kna1", "gform", "KNA1-GFORM", "合法状态", "legal_statuses", ""),
    ("kna1", "aufsd", "KNA1-AUFSD", "中央订单冻结", "block_reasons", ""),
    ("kna1", "lifsd", "KNA1-LIFSD", "中央交货冻结", "block_reasons", ""),
    ("kna1", "faksd", "KNA1-FAKSD", "中央开票冻结", "block_reasons", ""),
    ("knb1", "bukrs", "KNB1-BUKRS", "公司代码", "company_codes", ""),
    ("knb1", "akont", "KNB1-AKONT", "统驭科目", "reconciliation_accounts", ""),
    ("knb1", "zuawa", "KNB1-ZUAWA", "排序码", "sort_keys", ""),
    ("knb1", "zterm", "KNB1-ZTERM", "付款条件", "payment_terms", ""),
    ("knbk", "banks", "KNBK-BANKS", "银行国家", "countries", ""),
    ("knvi", "aland", "KNVI-ALAND", "税务国家", "countries", ""),
    ("knvi", "tatyp", "KNVI-TATYP", "税类别", "tax_categories", ""),
    ("knvi", "taxkd", "KNVI-TAXKD", "税分类", "tax_classifications", ""),
    ("knvp", "parvw", "KNVP-PARVW", "合伙人功能", "partner_functions", ""),
    ("knvv", "vkorg", "KNVV-VKORG", "销售组织", "sales_orgs", ""),
    ("knvv", "vtweg", "KNVV-VTWEG", "分销渠道", "distribution_channels", ""),
    ("knvv", "spart", "KNVV-SPART", "产品组", "divisions", ""),
    ("knvv", "bzirk", "KNVV-BZIRK", "销售地区", "sales_districts", ""),
    ("knvv", "vkbur", "KNVV-VKBUR", "销售办事处", "sales_offices", ""),
    ("knvv", "vkgrp", "KNVV-VKGRP", "销售组", "sales_groups", ""),
    ("knvv", "kdgrp", "KNVV-KDGRP", "客户组", "customer_groups", ""),
    ("knvv", "waers", "KNVV-WAERS", "货币", "currencies", ""),
    ("knvv", "konda", "KNVV-KONDA", "价格组", "price_groups", ""),
    ("knvv", "kalks", "KNVV-KALKS", "客户定价过程", "pricing_procedures", ""),
    ("knvv", "pltyp", "KNVV-PLTYP", "价格清单类型", "price_list_types", ""),
    ("knvv", "versg", "KNVV-VERSG", "客户统计组", "statistics_groups", ""),
    ("knvv", "vsbed", "KNVV-VSBED", "装运条件", "shipping_conditions", ""),
    ("knvv", "vwerk", "KNVV-VWERK", "交货工厂", "plants", ""),
    ("knvv", "inco1", "KNVV-INCO1", "国际贸易条件", "incoterms", ""),
    ("knvv", "zterm", "KNVV-ZTERM", "付款条件", "payment_terms", ""),
    ("knvv", "ktgrd", "KNVV-KTGRD", "帐户分配组", "account_assignment_groups", ""),
    ("knvv", "aufsd", "KNVV-AUFSD", "订单冻结", "block_reasons", ""),
    ("knvv", "lifsd", "KNVV-LIFSD", "交货冻结", "block_reasons", ""),
    ("knvv", "faksd", "KNVV-FAKSD", "开票冻结", "block_reasons", ""),
)

# SQLSTATEs of the refusals, so that a client can tell them apart (class "CM": custmd).
NO_CHANGE_DOCUMENT = "CM001"
UNKNOWN_CODE = "CM002"
NUMBER_OUTSIDE_RANGE = "CM003"

# The refusals' messages, Chinese first (formatted by the server: %s are its values).
BLOCK_SIZE_MESSAGE = "号码块大小 %s 无效（1 到 10000）/ block size %s must be 1 to 10000"
NO_DOCUMENT_MESSAGE = (
    "客户 %s 的更改（%s %s）没有更改凭证：客户数据的每次更改都必须在同一事务中写入更改凭证"
    " / customer %s: %s on %s without a change document in the same transaction"
)
BLOCKED_INSERT_MESSAGE = (
    "%s-%s：没有冻结或删除标记的权限，新建的数据不能带冻结或删除标记"
    " / %s-%s: new data cannot be created blocked or flagged for deletion without that permission"
)
NUMBER_MESSAGE = (
    "KNA1-KUNNR：客户编号 %s 不在账户组 %s 的编号范围内，或不是系统分配的内部编号"
    " / KNA1-KUNNR: %s is not a number of account group %s's range, or was not drawn"
)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _code_check_function(table: str) -> str:
    checks = []
    for tab, column, key, label, list_id, parent in CODED:
        if tab != table:
            continue
        parent_value = f"NEW.{parent}" if parent else "''"
        changed = f"(TG_OP = 'INSERT' OR NEW.{column} IS DISTINCT FROM OLD.{column})"
        message = (
            f"format({_literal(key + '：' + label + ' %s 不在定制的代码表中 / ' + key)}"
            f" || ': %s is not a code of the customizing list {list_id}', "
            f"NEW.{column}, NEW.{column})"
        )
        checks.append(
            f"""
    IF NEW.{column} <> '' AND {changed} AND NOT EXISTS (
        SELECT 1 FROM cust_value v WHERE v.list_id = {_literal(list_id)}
        AND v.parent = {parent_value} AND v.code = NEW.{column}) THEN
        RAISE EXCEPTION USING ERRCODE = '{UNKNOWN_CODE}', MESSAGE = {message};
    END IF;"""
        )
    return f"""
CREATE FUNCTION custmd_check_codes_{table}() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN{"".join(checks)}
    RETURN NEW;
END $$"""


def upgrade() -> None:
    # Who holds a block of numbers: the offline issue's devices are signed in as a user.
    with op.batch_alter_table("nr_block") as batch:
        batch.add_column(sa.Column("issued_to", sa.String(64), nullable=False, server_default=""))
    if op.get_bind().dialect.name != "postgresql":
        return

    # The owner of the customer tables (and its members): exempt from the checks below.
    op.execute(
        """
        CREATE FUNCTION custmd_is_owner() RETURNS boolean
        LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
            SELECT pg_has_role(session_user,
                               (SELECT relowner FROM pg_class WHERE oid = 'kna1'::regclass),
                               'MEMBER')
        $$
        """
    )
    op.execute("GRANT EXECUTE ON FUNCTION custmd_is_owner() TO PUBLIC")

    # --- numbers -----------------------------------------------------------------------
    op.execute(
        """
        CREATE FUNCTION custmd_draw_number(range_id text) RETURNS bigint
        LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
        DECLARE
            level bigint;
            width integer;
        BEGIN
            -- The row lock of the UPDATE queues concurrent creators until COMMIT, and a
            -- rollback gives the number back.
            LOOP
                UPDATE nriv SET nrlevel = nrlevel + 1
                WHERE nrrangenr = range_id AND kind = 'internal'
                  AND nrlevel < tonumber::bigint
                RETURNING nrlevel, length(fromnumber) INTO level, width;
                IF level IS NULL THEN
                    RETURN NULL;  -- no such internal range, or exhausted
                END IF;
                EXIT WHEN NOT EXISTS (
                    SELECT 1 FROM kna1 WHERE kunnr = lpad(level::text, width, '0'));
            END LOOP;
            RETURN level;
        END $$
        """
    )
    op.execute(
        f"""
        CREATE FUNCTION custmd_reserve_numbers(range_id text, device text, size integer)
        RETURNS TABLE (first_number bigint, last_number bigint)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
        DECLARE
            last bigint;
        BEGIN
            IF size IS NULL OR size < 1 OR size > 10000 THEN
                RAISE EXCEPTION USING ERRCODE = '22023',
                    MESSAGE = format({_literal(BLOCK_SIZE_MESSAGE)}, size, size);
            END IF;
            UPDATE nriv SET nrlevel = nrlevel + size
            WHERE nrrangenr = range_id AND kind = 'internal'
              AND nrlevel + size <= tonumber::bigint
            RETURNING nrlevel INTO last;
            IF last IS NULL THEN
                RETURN;
            END IF;
            INSERT INTO nr_block (id, nrrangenr, device, first_number, last_number,
                                  issued_at, issued_to)
            VALUES (gen_random_uuid(), range_id, left(device, 64), last - size + 1, last,
                    clock_timestamp(), session_user);
            RETURN QUERY SELECT last - size + 1, last;
        END $$
        """
    )
    for function in ("custmd_draw_number(text)", "custmd_reserve_numbers(text, text, integer)"):
        op.execute(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {function} TO {', '.join(DRAWERS)}")
    op.execute("REVOKE UPDATE ON nriv FROM custmd_assistant")

    # --- a change document with every change -----------------------------------------------
    op.execute(
        f"""
        CREATE FUNCTION custmd_require_change_document() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
        DECLARE
            number text;
        BEGIN
            IF TG_OP = 'DELETE' THEN
                number := OLD.kunnr;
            ELSE
                number := NEW.kunnr;
            END IF;
            -- Written in this transaction (xmin) by this role (custmd_cdhdr_signed sets the
            -- user name of every document a non-owner writes to the signed-in role).
            IF NOT EXISTS (
                SELECT 1 FROM cdhdr h
                WHERE h.objectid = number AND h.username = session_user::text
                  AND h.xmin = pg_current_xact_id()::xid
            ) THEN
                RAISE EXCEPTION USING ERRCODE = '{NO_CHANGE_DOCUMENT}',
                    MESSAGE = format({_literal(NO_DOCUMENT_MESSAGE)},
                                     number, TG_TABLE_NAME, TG_OP, number, TG_OP,
                                     TG_TABLE_NAME);
            END IF;
            RETURN NULL;
        END $$
        """
    )
    for table in SEGMENTS:
        op.execute(
            f"CREATE CONSTRAINT TRIGGER custmd_change_document AFTER INSERT OR UPDATE OR "
            f"DELETE ON {table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
            "WHEN (NOT custmd_is_owner()) EXECUTE FUNCTION custmd_require_change_document()"
        )

    # --- blocks and deletion flags on INSERT only by who may set them --------------------------
    op.execute(
        f"""
        CREATE FUNCTION custmd_status_on_insert() RETURNS trigger
        LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
        DECLARE
            col text;
            val text;
        BEGIN
            FOREACH col IN ARRAY TG_ARGV LOOP
                val := to_jsonb(NEW) ->> col;
                IF val IS NOT NULL AND val NOT IN ('', 'false')
                   AND NOT has_column_privilege(TG_RELID, col, 'UPDATE') THEN
                    RAISE EXCEPTION USING ERRCODE = '42501',
                        MESSAGE = format({_literal(BLOCKED_INSERT_MESSAGE)},
                                         upper(TG_TABLE_NAME), upper(col),
                                         upper(TG_TABLE_NAME), upper(col));
                END IF;
            END LOOP;
            RETURN NEW;
        END $$
        """
    )
    for table, columns in STATUS.items():
        args = ", ".join(_literal(c) for c in columns)
        op.execute(
            f"CREATE TRIGGER custmd_status_on_insert BEFORE INSERT ON {table} FOR EACH ROW "
            f"WHEN (NOT custmd_is_owner()) EXECUTE FUNCTION custmd_status_on_insert({args})"
        )

    # --- structure ---------------------------------------------------------------------------
    op.execute(
        f"""
        CREATE FUNCTION custmd_check_number() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
        BEGIN
            IF NOT EXISTS (
                SELECT 1 FROM cust_ktokd g JOIN nriv r ON r.nrrangenr = g.nrrangenr
                WHERE g.ktokd = NEW.ktokd
                  AND length(NEW.kunnr) = length(r.fromnumber)
                  AND NEW.kunnr BETWEEN r.fromnumber AND r.tonumber
                  AND (r.kind <> 'internal' OR NEW.kunnr::bigint <= r.nrlevel)
            ) THEN
                RAISE EXCEPTION USING ERRCODE = '{NUMBER_OUTSIDE_RANGE}',
                    MESSAGE = format({_literal(NUMBER_MESSAGE)},
                                     NEW.kunnr, NEW.ktokd, NEW.kunnr, NEW.ktokd);
            END IF;
            RETURN NEW;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER custmd_check_number BEFORE INSERT ON kna1 FOR EACH ROW "
        "WHEN (NOT custmd_is_owner()) EXECUTE FUNCTION custmd_check_number()"
    )
    for table in SEGMENTS:
        op.execute(_code_check_function(table))
        op.execute(
            f"CREATE TRIGGER custmd_check_codes BEFORE INSERT OR UPDATE ON {table} FOR EACH ROW "
            f"WHEN (NOT custmd_is_owner()) EXECUTE FUNCTION custmd_check_codes_{table}()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in SEGMENTS:
            op.execute(f"DROP TRIGGER IF EXISTS custmd_change_document ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS custmd_check_codes ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS custmd_check_codes_{table}()")
        for table in STATUS:
            op.execute(f"DROP TRIGGER IF EXISTS custmd_status_on_insert ON {table}")
        op.execute("DROP TRIGGER IF EXISTS custmd_check_number ON kna1")
        for function in (
            "custmd_check_number()",
            "custmd_status_on_insert()",
            "custmd_require_change_document()",
            "custmd_reserve_numbers(text, text, integer)",
            "custmd_draw_number(text)",
            "custmd_is_owner()",
        ):
            op.execute(f"DROP FUNCTION IF EXISTS {function}")
        op.execute("GRANT UPDATE (nrlevel) ON nriv TO custmd_assistant")
    with op.batch_alter_table("nr_block") as batch:
        batch.drop_column("issued_to")
