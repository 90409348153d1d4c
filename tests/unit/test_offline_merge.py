"""The field-level three-way merge of offline sync (services.offline_sync.merge_items)."""

from __future__ import annotations

from custmd_gui.services.offline_sync import merge_items

K = "2110380001"
SERVER = {
    ("KNA1", K): {"NAME1": "东宁", "NAME2": "服务器改过", "STRAS": "长宁路"},
    ("KNBK", f"{K}/CN/F011/1"): {"BANKS": "CN", "BANKL": "F011", "BANKN": "1", "KOINH": "工行"},
}


def test_untouched_fields_apply_agreed_ones_are_skipped_and_both_changed_ones_conflict() -> None:
    apply, conflicts = merge_items(
        SERVER,
        [
            ["KNA1", K, "STRAS", "U", "长宁路", "延安路"],  # server kept the base
            ["KNA1", K, "NAME2", "U", "", "服务器改过"],  # both to the same value
            ["KNA1", K, "NAME1", "U", "东 宁", "西宁"],  # server changed it: conflict
        ],
    )
    assert apply == [("KNA1", K, "STRAS", "U", "长宁路", "延安路")]
    assert [(c["kind"], c["fname"], c["base"], c["mine"], c["theirs"]) for c in conflicts] == [
        ("field", "NAME1", "东 宁", "西宁", "东宁")
    ]


def test_rows_inserted_and_deleted_are_judged_field_by_field() -> None:
    bank = f"{K}/CN/F011/1"
    apply, conflicts = merge_items(
        SERVER,
        [
            ["KNBK", f"{K}/CN/F011/2", "KOINH", "I", None, "建行"],  # a new row
            ["KNBK", bank, "KOINH", "D", "工行", None],  # deleted, server kept it
            ["KNBK", bank, "BANKN", "D", "9", None],  # deleted, server changed it
            ["KNA1", K, "NAME4", "U", "", "x"],
            ["KNVV", f"{K}/F011/10/01", "INCO2", "U", "上海", "北京"],  # row gone
        ],
    )
    assert apply == [
        ("KNBK", f"{K}/CN/F011/2", "KOINH", "I", None, "建行"),
        ("KNBK", bank, "KOINH", "D", "工行", None),
        ("KNA1", K, "NAME4", "U", "", "x"),
    ]
    assert [(c["fname"], c["theirs"]) for c in conflicts] == [("BANKN", "1"), ("INCO2", None)]


def test_a_target_of_updates_is_what_the_replay_of_every_field_builds() -> None:
    """target_customer sets updates of non-key fields on a copy instead of replaying the
    customer: the same customer comes out, converted as the replay converts (a flag's X,
    a code in lower case), and anything else still goes through the replay."""
    from custmd_gui.domain.change_document import creation_items, replay
    from custmd_gui.domain.sap_document import from_document
    from custmd_gui.services.offline_merge import _updated, target_customer
    from tests.conftest import example_document

    server = from_document(example_document())
    number = server.general.number
    area = f"{number}/{server.sales_areas[0].segment_key}"
    code = f"{number}/{server.company_codes[0].company_code}"
    updates = [
        ("KNA1", number, "NAME2", "U", "", "东宁广告"),
        ("KNA1", number, "STRAS", "U", server.general.street, ""),
        ("KNB1", code, "SPERR", "U", "", "X"),
        ("KNVV", area, "INCO2", "U", "", "上海"),
        ("KNVV", area, "KDGRP", "U", "", "01"),
    ]
    inserted = [("KNBK", f"{number}/CN/F011/9", "BANKN", "I", None, "9")]
    for apply in (updates, updates + inserted):
        items = [i.as_tuple() for i in creation_items(server)] + apply
        assert target_customer(number, server, apply) == replay(number, items)
    assert _updated(number, server, updates) is not None  # set on a copy
    assert _updated(number, server, updates + inserted) is None  # replayed
    target = target_customer(number, server, updates)
    assert target.general.name_2 == "东宁广告" and target.company_codes[0].posting_block
