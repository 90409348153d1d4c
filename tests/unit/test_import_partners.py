"""The write order of an import: partners of the same file first, file order otherwise."""

from __future__ import annotations

from custmd_gui.services.transfer.import_partners import write_order


def _order(items: str, waits: dict[str, set[str]]) -> str:
    return "".join(write_order(list(items), lambda x: x, lambda x: waits.get(x, set())))


def test_file_order_without_partners_of_the_file() -> None:
    assert _order("abc", {}) == "abc"


def test_a_partner_of_the_file_comes_first_and_a_cycle_does_not_hang() -> None:
    assert _order("abcde", {"b": {"c"}, "d": {"e"}, "e": {"d"}}) == "acbed"


def test_a_long_chain_needs_no_recursion() -> None:
    items = [f"{i:05d}" for i in range(5000)]
    order = write_order(items, lambda x: x, lambda x: {f"{int(x) + 1:05d}"})
    assert order == list(reversed(items))
