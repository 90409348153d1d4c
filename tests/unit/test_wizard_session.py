"""The wizard session without a window: the initial screen's rules, extension, reference
prefill, the dirty flag and the save, on real databases; and no Qt anywhere in it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import update

from custmd_gui.catalog import Text
from custmd_gui.domain import uscc
from custmd_gui.domain.errors import Problem, Severity
from custmd_gui.domain.field_status import Activity, FieldStatus
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence import tables
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.change import open_for_change
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer
from custmd_gui.services.locks import release_lock
from custmd_gui.wizard import Document, Event, Outcome, SaveResult, WizardSession
from custmd_gui.wizard.document import table_values
from tests.conftest import REPO, example_document

NUMBER = "2110380001"
NEW = "2110380002"  # a second number of the same external range
INITIAL = {
    "KNA1-KTOKD": "1110",
    "KNA1-KUNNR": NUMBER,
    "KNB1-BUKRS": "F011",
    "KNVV-VKORG": "F011",
    "KNVV-VTWEG": "10",
    "KNVV-SPART": "01",
}


def session_on(factory: UnitOfWorkFactory, activity: Activity = Activity.CREATE) -> WizardSession:
    with factory() as uow:
        customizing = uow.customizing.load()
    return WizardSession(factory, customizing, Actor("tester"), activity=activity)


def store_example(factory: UnitOfWorkFactory) -> None:
    create_customer(factory, from_document(example_document()), Actor("setup"))


def messages(problems: object) -> dict[str, str]:
    return {p.field_key: p.message.zh for p in problems}  # type: ignore[attr-defined]


def example_values(session: WizardSession) -> Document:
    """The example customer's values, as the screens would hand them over."""
    stored = from_document(example_document())
    document: Document = {}
    for table, values in (
        ("KNA1", stored.general.model_dump()),
        ("KNB1", stored.company_codes[0].model_dump()),
        ("KNVV", stored.sales_areas[0].model_dump()),
    ):
        document.update(table_values(session.catalog, table, values))
    area = stored.sales_areas[0]
    document["KNBK"] = [b.model_dump() for b in stored.bank_details]
    document["KNVI"] = [t.model_dump() for t in area.tax_classifications]
    document["KNVP"] = [p.model_dump() for p in area.partners]
    return document


def test_the_session_imports_no_qt(tmp_path: Path) -> None:
    """Resolve, open, type and save a customer in a process that never loads PySide6."""
    code = textwrap.dedent(
        f"""
        import sys
        from custmd_gui.persistence.engine import make_engine
        from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
        from custmd_gui.services.context import Actor
        from custmd_gui.services.customizing import upgrade_database
        import custmd_gui.wizard
        from custmd_gui.wizard import Outcome, WizardSession
        from tests.unit.test_wizard_session import example_values

        engine = make_engine("sqlite:///{tmp_path / "custmd.sqlite"}")
        upgrade_database(engine)
        factory = UnitOfWorkFactory(engine)
        with factory() as uow:
            customizing = uow.customizing.load()
        session = WizardSession(factory, customizing, Actor("tester"))
        initial = {INITIAL!r}
        resolution = session.resolve(initial)
        assert resolution.keys is not None, resolution.problems
        session.mark_clean(session.open(resolution, initial))
        session.update(example_values(session))
        assert session.dirty
        result = session.save("zh", lambda hits: True)
        assert result.outcome is Outcome.CREATED, result.problems
        qt = sorted(m for m in sys.modules if m.startswith(("PySide6", "shiboken6")))
        assert not any(m.startswith("PySide6") for m in sys.modules), qt
        print("ok")
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


# -- the initial screen: create ------------------------------------------------------------


def test_account_group_company_code_and_sales_area_are_checked(
    uow_factory: UnitOfWorkFactory,
) -> None:
    session = session_on(uow_factory)
    result = session.resolve({"KNB1-BUKRS": "X999", "KNVV-VKORG": "F011"})
    assert result.keys is None
    assert messages(result.problems) == {
        "KNA1-KTOKD": "请输入科目组（必输字段）",
        "KNB1-BUKRS": "公司代码 X999 不存在，请按 F4 选择",
        "KNVV-VKORG": "销售范围需要销售组织、分销渠道和产品组三项",
    }
    result = session.resolve({"KNA1-KTOKD": "9999", "KNVV-VKORG": "F011", "KNVV-VTWEG": "99",
                              "KNVV-SPART": "01"})  # fmt: skip
    assert messages(result.problems) == {
        "KNA1-KTOKD": "科目组 9999 不存在，请按 F4 选择",
        "KNVV-VKORG": "销售范围 F011/99/01 未定义",
    }


def test_new_customer_keys(uow_factory: UnitOfWorkFactory) -> None:
    session = session_on(uow_factory)
    result = session.resolve(INITIAL)
    assert result.problems == ()
    keys = result.keys
    assert keys is not None and keys.extending is None
    assert (keys.account_group, keys.number, keys.company_code) == ("1110", NUMBER, "F011")
    assert keys.sales_area == ("F011", "10", "01") and keys.sales_area_key == "F011/10/01"


def test_a_stored_number_with_a_new_segment_is_an_extension(
    uow_factory: UnitOfWorkFactory,
) -> None:
    store_example(uow_factory)
    session = session_on(uow_factory)
    # The group may be left out: the stored customer's own is taken.
    result = session.resolve({"KNA1-KUNNR": NUMBER, "KNB1-BUKRS": "F015"})
    assert result.problems == ()
    assert result.keys is not None and result.keys.extending is not None
    assert result.keys.extending.number == NUMBER and result.keys.account_group == "1110"
    session.open(result, {"KNA1-KUNNR": NUMBER, "KNB1-BUKRS": "F015"})
    assert session.active == ["address", "control", "payment", "marketing", "account",
                              "cc_payment"]  # fmt: skip
    # Extending: the general data are shown, not changed.
    assert session.statuses["KNA1-NAME1"] is FieldStatus.DISPLAY


def test_an_extension_needs_a_segment_the_customer_lacks(uow_factory: UnitOfWorkFactory) -> None:
    store_example(uow_factory)
    session = session_on(uow_factory)
    result = session.resolve(INITIAL)
    assert messages(result.problems) == {
        "KNB1-BUKRS": f"客户 {NUMBER} 已在公司代码 F011 中创建",
        "KNVV-VKORG": f"客户 {NUMBER} 已在销售范围 F011/10/01 中创建",
    }
    result = session.resolve({"KNA1-KUNNR": NUMBER})
    assert messages(result.problems) == {
        "KNB1-BUKRS": f"客户 {NUMBER} 已存在；请输入要扩展的公司代码或销售范围"
    }
    result = session.resolve({"KNA1-KTOKD": "1210", "KNA1-KUNNR": NUMBER, "KNB1-BUKRS": "F015"})
    assert messages(result.problems) == {"KNA1-KTOKD": f"客户 {NUMBER} 属于科目组 1110"}


def test_the_reference_must_exist_with_its_segments(uow_factory: UnitOfWorkFactory) -> None:
    store_example(uow_factory)
    session = session_on(uow_factory)
    result = session.resolve({**INITIAL, "KNA1-KUNNR": NEW, "REF_BUKRS": "F011"})
    assert messages(result.problems) == {"KNA1-KUNNR": "请输入参考客户"}
    result = session.resolve({**INITIAL, "KNA1-KUNNR": NEW, "REF_KUNNR": "2110389999"})
    assert messages(result.problems) == {"KNA1-KUNNR": "参考客户 2110389999 不存在"}
    result = session.resolve(
        {
            **INITIAL,
            "KNA1-KUNNR": NEW,
            "REF_KUNNR": NUMBER,
            "REF_BUKRS": "F015",
            "REF_VKORG": "F011",
            "REF_VTWEG": "20",
            "REF_SPART": "01",
        }
    )
    assert messages(result.problems) == {
        "KNB1-BUKRS": f"参考客户 {NUMBER} 未在公司代码 F015 中创建",
        "KNVV-VKORG": f"参考客户 {NUMBER} 未在销售范围 F011/20/01 中创建",
    }


def test_the_account_group_decides_field_status_and_screens(
    uow_factory: UnitOfWorkFactory,
) -> None:
    session = session_on(uow_factory)
    ship_to = {**INITIAL, "KNA1-KTOKD": "1310", "KNA1-KUNNR": ""}
    resolution = session.resolve(ship_to)
    assert resolution.keys is not None, resolution.problems
    document = session.open(resolution, ship_to)
    # A screen whose every field the group suppresses is skipped, as SAP does.
    assert session.active == ["address", "control", "sales", "shipping", "partner"]
    assert session.statuses["KNA1-STCD5"] is FieldStatus.SUPPRESSED
    assert session.statuses["KNA1-NAME1"] is FieldStatus.REQUIRED
    assert "KNVI" not in document and "KNBK" not in document  # grids of skipped screens

    session.close()
    affiliated = {**INITIAL, "KNA1-KTOKD": "1510", "KNA1-KUNNR": ""}
    document = session.open(session.resolve(affiliated), affiliated)
    assert session.statuses["KNB1-AKONT"] is FieldStatus.DISPLAY
    assert document["KNB1-AKONT"] == "1122100000"  # the group's reconciliation account


# -- the initial screen: display and change -------------------------------------------------


def test_display_needs_a_stored_customer_and_segment(uow_factory: UnitOfWorkFactory) -> None:
    session = session_on(uow_factory, Activity.DISPLAY)
    assert messages(session.resolve({}).problems) == {"KNA1-KUNNR": "请输入客户"}
    assert messages(session.resolve({"KNA1-KUNNR": NUMBER}).problems) == {
        "KNA1-KUNNR": f"客户 {NUMBER} 不存在"
    }
    store_example(uow_factory)
    result = session.resolve({"KNA1-KUNNR": NUMBER, "KNB1-BUKRS": "F015"})
    assert messages(result.problems) == {"KNB1-BUKRS": f"客户 {NUMBER} 未在公司代码 F015 中创建"}
    result = session.resolve({"KNA1-KUNNR": NUMBER, "KNB1-BUKRS": "F011"})
    assert result.keys is not None and result.keys.extending is not None
    assert session.lock is None  # display takes no lock


def test_change_holds_the_edit_lock_and_a_second_session_is_offered_display(
    uow_factory: UnitOfWorkFactory,
) -> None:
    store_example(uow_factory)
    first = session_on(uow_factory, Activity.CHANGE)
    result = first.resolve({"KNA1-KUNNR": NUMBER})
    assert result.keys is not None and first.lock is not None
    assert first.renew_lock()
    second = session_on(uow_factory, Activity.CHANGE)
    refused = second.resolve({"KNA1-KUNNR": NUMBER})
    assert refused.keys is None and refused.locked is not None
    assert refused.locked.number == NUMBER and second.lock is None
    first.close()
    assert first.lock is None and first.keys is None
    assert second.resolve({"KNA1-KUNNR": NUMBER}).keys is not None
    second.close()


def test_a_lock_taken_over_is_told_to_the_listeners_and_the_save_refused(
    uow_factory: UnitOfWorkFactory,
) -> None:
    store_example(uow_factory)
    session = session_on(uow_factory, Activity.CHANGE)
    heard: list[tuple[Event, list[str]]] = []
    session.subscribe(
        lambda event, problems: heard.append((event, [p.message.zh for p in problems]))
    )
    document = session.open(session.resolve({"KNA1-KUNNR": NUMBER}), {"KNA1-KUNNR": NUMBER})
    session.mark_clean(document)
    # This client froze for longer than the lease; another user took the lock.
    with uow_factory(write=True) as uow:
        uow.session.execute(
            update(tables.EditLock)
            .where(tables.EditLock.objectid == NUMBER)
            .values(expires_at=tables.EditLock.acquired_at)
        )
        uow.commit()
    lock, _ = open_for_change(uow_factory, NUMBER, Actor("lisi"))
    assert not session.renew_lock()
    lost = [f"客户 {NUMBER} 的编辑锁已失效，现在正在被用户 lisi 处理；未保存任何更改"]
    assert heard == [(Event.OPENED, []), (Event.LOCK_LOST, lost)]
    session.update({**session.document, "KNA1-STRAS": "我的新街道 1 号"})
    result = session.save("zh", lambda hits: True)
    assert result.outcome is Outcome.REFUSED
    assert [p.message.zh for p in result.problems] == lost
    release_lock(uow_factory, lock)


def test_warnings_stop_once_errors_always(uow_factory: UnitOfWorkFactory) -> None:
    session = session_on(uow_factory)
    warning = Problem("KNVP-KUNN2", "F011/10/01", Text(zh="合伙人已冻结", en="Partner blocked"),
                      Severity.WARNING)  # fmt: skip
    error = Problem("KNA1-NAME1", "", Text(zh="请输入名称", en="Name is required"))
    assert session.blocking([warning])  # shown the first time
    assert not session.blocking([warning])  # the same key again goes past
    assert session.blocking([warning, error]) and session.blocking([error])
    session.close()
    assert session.blocking([warning])  # a new customer: shown again


# -- prefill, dirty flag, save ---------------------------------------------------------------


def test_a_new_customer_gets_the_proposals(uow_factory: UnitOfWorkFactory) -> None:
    session = session_on(uow_factory)
    document = session.open(session.resolve(INITIAL), INITIAL)
    assert document["KNA1-LAND1"] == "CN" and document["KNA1-SPRAS"] == "ZH"
    assert document["KNBK"] == []
    assert {r["partner"] for r in document["KNVP"]} == {NUMBER}
    assert document["KNVI"] and {r["country"] for r in document["KNVI"]} == {"CN"}


def test_the_reference_prefills_all_but_its_identity(uow_factory: UnitOfWorkFactory) -> None:
    store_example(uow_factory)
    reference = from_document(example_document())
    session = session_on(uow_factory)
    initial = {**INITIAL, "KNA1-KUNNR": NEW, "REF_KUNNR": NUMBER, "REF_BUKRS": "F011",
               "REF_VKORG": "F011", "REF_VTWEG": "10", "REF_SPART": "01"}  # fmt: skip
    document = session.open(session.resolve(initial), initial)
    assert document["KNA1-NAME1"] == reference.general.name
    assert document.get("KNA1-STCD5", "") == ""  # the credit code belongs to the reference alone
    cc = reference.company_codes[0]
    assert document["KNB1-AKONT"] == cc.reconciliation_account
    assert document["KNB1-ZTERM"] == cc.payment_terms
    sa = reference.sales_areas[0]
    assert document["KNVV-VKBUR"] == sa.sales_office
    assert len(document["KNVI"]) == len(sa.tax_classifications)
    # The partner functions the reference took itself go to the new customer.
    assert {r["partner"] for r in document["KNVP"]} == {NEW}


def test_the_dirty_flag_follows_the_document(uow_factory: UnitOfWorkFactory) -> None:
    session = session_on(uow_factory)
    assert not session.dirty  # nothing open
    session.mark_clean(session.open(session.resolve(INITIAL), INITIAL))
    assert not session.dirty
    session.update({**session.document, "KNA1-NAME1": "东宁广告有限公司"})
    assert session.dirty
    session.update(dict(session.snapshot or {}))
    assert not session.dirty
    session.close()
    assert not session.dirty and session.snapshot is None


def test_save_creates_then_the_same_number_extends(uow_factory: UnitOfWorkFactory) -> None:
    stored = from_document(example_document())
    session = session_on(uow_factory)
    session.open(session.resolve(INITIAL), INITIAL)
    session.update(dict(session.document))
    result = session.save("zh", lambda hits: True)
    assert result.outcome is Outcome.CHECKS_FAILED and "KNA1-NAME1" in messages(result.problems)

    session.update(example_values(session))
    result = session.save("zh", lambda hits: True)
    assert result.outcome is Outcome.CREATED, result.problems
    assert result.number == NUMBER and NUMBER in result.message

    session.close()
    extend = {"KNA1-KUNNR": NUMBER, "KNB1-BUKRS": "F015"}
    resolution = session.resolve(extend)
    assert resolution.keys is not None and resolution.keys.extending is not None
    shown = session.open(resolution, extend)
    assert shown["KNA1-NAME1"] == stored.general.name  # general data as stored


def test_a_taken_credit_code_refuses_and_a_likely_duplicate_is_asked_about(
    uow_factory: UnitOfWorkFactory,
) -> None:
    credit_code = "91310105MA1FL3K2X" + uscc.check_character("91310105MA1FL3K2X")
    document = example_document()
    document["KNA1"]["STCD5"] = credit_code
    create_customer(uow_factory, from_document(document), Actor("setup"))
    session = session_on(uow_factory)
    initial = {**INITIAL, "KNA1-KUNNR": NEW}
    session.open(session.resolve(initial), initial)
    same = {**example_values(session), "KNA1-STCD5": credit_code}
    session.update(same)
    refused = session.check_save()
    assert isinstance(refused, SaveResult) and refused.outcome is Outcome.REFUSED
    assert [p.field_key for p in refused.problems] == ["KNA1-STCD5"]

    session.update({**same, "KNA1-STCD5": ""})
    hits = session.check_save()
    assert isinstance(hits, list) and NUMBER in {h.number for h in hits}
    asked: list[int] = []
    result = session.save("zh", lambda found: asked.append(len(found)) is not None and False)
    assert result.outcome is Outcome.CANCELLED and asked == [len(hits)]
    assert session.read(NEW) is None  # nothing written


@pytest.mark.parametrize("activity", [Activity.DISPLAY])
def test_display_never_saves(uow_factory: UnitOfWorkFactory, activity: Activity) -> None:
    store_example(uow_factory)
    session = session_on(uow_factory, activity)
    session.open(session.resolve({"KNA1-KUNNR": NUMBER}), {"KNA1-KUNNR": NUMBER})
    assert session.save("zh", lambda hits: True).outcome is Outcome.CANCELLED


def test_the_screens_data_filed_as_requests(uow_factory: UnitOfWorkFactory) -> None:
    """Instead of a save: XD01 files a create request, XD02 a change request of the customer
    as shown, XD01 on an existing number an extension request per new segment."""
    from custmd_gui.domain.requests import RequestStatus, RequestType
    from custmd_gui.wizard.requesting import file_request

    session = session_on(uow_factory)
    session.mark_clean(session.open(session.resolve(INITIAL), INITIAL))
    session.update(example_values(session))
    (created,) = file_request(session, "新客户，需开具发票")
    assert (created.type, created.status) == (RequestType.CREATE, RequestStatus.SUBMITTED)
    assert created.document.general.name == "东宁广告有限公司"
    assert [c.company_code for c in created.document.company_codes] == ["F011"]

    store_example(uow_factory)
    change = session_on(uow_factory, Activity.CHANGE)
    change.mark_clean(change.open(change.resolve({"KNA1-KUNNR": NUMBER}), {"KNA1-KUNNR": NUMBER}))
    change.update({**change.document, "KNA1-STRAS": "长宁路 300 号"})
    (changed,) = file_request(change, "客户搬迁", submit=False)
    assert (changed.type, changed.status, changed.customer) == (
        RequestType.CHANGE,
        RequestStatus.DRAFT,
        NUMBER,
    )
    assert changed.document.general.street == "长宁路 300 号"
    assert changed.base_version == 1
    change.close()

    extend = session_on(uow_factory)
    initial = {"KNA1-KUNNR": NUMBER, "KNB1-BUKRS": "F015"}
    extend.mark_clean(extend.open(extend.resolve(initial), initial))
    extend.update({**extend.document, "KNB1-AKONT": "00", "KNB1-ZUAWA": "003"})
    (extension,) = file_request(extend, "扩展到广州分公司")
    assert (extension.type, extension.company_code) == (RequestType.EXTEND_COMPANY_CODE, "F015")
    assert extension.document.general.name == "东宁广告有限公司"
