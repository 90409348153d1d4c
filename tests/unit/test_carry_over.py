"""The wizard session keeps the typing while the initial screen is corrected: what is parked,
where it goes under the new keys (kept, offered to move, or lost); without a window."""

from __future__ import annotations

from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer
from custmd_gui.wizard import WizardSession
from custmd_gui.wizard.carry_over import Move
from tests.conftest import example_document
from tests.unit.test_wizard_session import INITIAL, NEW, NUMBER, session_on

TYPING = {"KNA1-NAME1": "东宁广告有限公司", "KNB1-ZUAWA": "001", "KNVV-KDGRP": "01"}


def typed_and_back(session: WizardSession, initial: dict[str, str]) -> None:
    """Open, type three fields (general, company code, sales area), go back keeping them."""
    session.mark_clean(session.open(session.resolve(initial), initial))
    session.update({**session.document, **TYPING})
    session.close(keep=True)


def test_only_the_typing_is_parked_and_the_same_keys_take_it_all(
    uow_factory: UnitOfWorkFactory,
) -> None:
    session = session_on(uow_factory)
    typed_and_back(session, INITIAL)
    assert session.keys is None and session.parked is not None
    # Proposals (country CN, the reconciliation account, the partner rows) are not typing.
    assert session.parked.typed == TYPING
    keys = session.resolve(INITIAL).keys
    assert keys is not None
    carry = session.carry_over(keys)
    assert not carry.asks and carry.document(take_over=False) == TYPING
    session.open(session.resolve(INITIAL), INITIAL)
    assert session.parked is None  # put back: nothing parked twice


def test_another_number_is_another_customer_everything_offered_to_move(
    uow_factory: UnitOfWorkFactory,
) -> None:
    session = session_on(uow_factory)
    typed_and_back(session, INITIAL)
    keys = session.resolve({**INITIAL, "KNA1-KUNNR": NEW}).keys
    assert keys is not None
    carry = session.carry_over(keys)
    assert carry.asks and carry.kept == {} and carry.movable == TYPING
    (move,) = carry.moves
    assert move == Move("general", NUMBER, NEW, move.keys) and set(move.keys) == set(TYPING)


def test_the_general_data_of_a_stored_customer_are_not_overwritten(
    uow_factory: UnitOfWorkFactory,
) -> None:
    """Typed for a new customer, the number corrected to a stored one (an extension): its
    general data are shown, not changed; the name typed cannot be placed."""
    create_customer(uow_factory, from_document(example_document()), Actor("setup"))
    session = session_on(uow_factory)
    typed_and_back(session, {**INITIAL, "KNA1-KUNNR": NEW})
    extend = {**INITIAL, "KNB1-BUKRS": "F015", "KNVV-VKORG": "F015"}
    keys = session.resolve(extend).keys
    assert keys is not None and keys.extending is not None
    carry = session.carry_over(keys)
    assert carry.lost == ("KNA1-NAME1",)
    assert carry.movable == {"KNB1-ZUAWA": "001", "KNVV-KDGRP": "01"}


def test_closing_without_keep_parks_nothing(uow_factory: UnitOfWorkFactory) -> None:
    session = session_on(uow_factory)
    typed_and_back(session, INITIAL)
    session.close()
    assert session.parked is None
