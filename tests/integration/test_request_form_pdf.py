"""The printed request form (客户主数据维护申请表) of a request filed, reviewed and approved
through the services, on SQLite and PostgreSQL: an A4 PDF whose Chinese labels, number and
customer are text (pdftotext), in an embedded font (pdffonts), with the signers' names and
dates; the Qt-free form groups the data as the documents' XD01 screens do."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from custmd_gui.domain.requests import RequestType
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services import requests as rq
from custmd_gui.services.request_form import request_form
from tests.conftest import example_document
from tests.integration.test_requests import ASSISTANT, HEAD_OFFICE

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext, pdffonts) not installed"
)


def _approved(factory: UnitOfWorkFactory) -> str:
    with factory(write=True) as uow:
        now = uow.now()
        uow.users.add("wang_1038", display_name="王小明", password_hash=None, now=now)
        uow.users.add("zhao_hq", display_name="赵总账", password_hash=None, now=now)
        uow.commit()
    request = rq.create_request(
        factory,
        ASSISTANT,
        RequestType.CREATE,
        from_document(example_document()),
        reason="新客户东宁广告，需开具发票",
        org_unit="1038",
    )
    rq.attach(factory, ASSISTANT, request.number, "营业执照.pdf", b"%PDF-1.4 scan")
    rq.submit(factory, ASSISTANT, request.number)
    rq.start_review(factory, HEAD_OFFICE, request.number)
    rq.approve(factory, HEAD_OFFICE, request.number)
    return request.number


def test_form_groups_the_data_as_the_documents(uow_factory: UnitOfWorkFactory) -> None:
    number = _approved(uow_factory)
    form = request_form(uow_factory, HEAD_OFFICE, number)
    titles = [s.title for s in form.sections]
    assert titles[:5] == [
        "一般数据 · 初始屏幕",
        "一般数据 · 地址",
        "一般数据 · 控制数据",
        "一般数据 · 市场营销",
        "一般数据 · 支付交易",
    ]
    assert "公司代码数据 F011 · 帐户管理" in titles
    assert titles[-1] == "销售范围数据 F011/10/01 · 合伙人功能"
    header = {line.key: line.value for line in form.header}
    assert header["attachments"] == "营业执照.pdf"
    assert header["reason"] == "新客户东宁广告，需开具发票"
    lines = {(s.title, line.label): line.value for s in form.sections for line in s.lines}
    assert lines["一般数据 · 地址", "名称"] == "东宁广告有限公司"
    assert lines["公司代码数据 F011 · 支付交易（公司代码）", "付款条件"] == "0001 立即支付"
    assert lines["销售范围数据 F011/10/01 · 合伙人功能", "AG 售达方"] == "2110380001"
    # Submitted by the assistant, taken up and approved by the head office: their names.
    assert [(s.role, s.name) for s in form.signatures] == [
        ("申请人", "王小明"),
        ("审核人", "赵总账"),
        ("批准人", "赵总账"),
    ]
    draft = rq.create_request(
        uow_factory,
        ASSISTANT,
        RequestType.CREATE,
        from_document(example_document()),
        reason="再一个",
    )
    unsigned = request_form(uow_factory, ASSISTANT, draft.number).signatures
    assert [(s.name, s.at) for s in unsigned] == [("", "")] * 3


@needs_poppler
def test_pdf_holds_the_form_as_text_in_an_embedded_font(
    uow_factory: UnitOfWorkFactory, tmp_path: Path, qapp: object
) -> None:
    from custmd_gui.ui.request_pdf import write_pdf

    number = _approved(uow_factory)
    target = tmp_path / "申请表.pdf"
    write_pdf(request_form(uow_factory, HEAD_OFFICE, number), target)
    text = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (
        "客户主数据维护申请表",
        number,
        "东宁广告有限公司",
        "申请原因",
        "新客户东宁广告，需开具发票",
        "统驭科目",
        "0001 立即支付",
        "申请人",
        "审核人",
        "批准人",
        "王小明",
        "赵总账",
        "营业执照.pdf",
    ):
        assert expected in text, expected
    info = subprocess.run(
        ["pdfinfo", str(target)], capture_output=True, text=True, check=True
    ).stdout
    assert "595.2 x 841.8 pts (A4)" in info or "(A4)" in info
    fonts = subprocess.run(
        ["pdffonts", str(target)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts, "no font in the PDF"
    for line in fonts:
        assert line.split()[-5] == "yes", line  # the emb column
    assert not list(tmp_path.glob(".*.part"))


def test_form_of_a_request_one_may_not_see_is_refused(uow_factory: UnitOfWorkFactory) -> None:
    from custmd_gui.domain.errors import DomainError
    from tests.integration.test_requests import actor

    number = _approved(uow_factory)
    other_group = actor("qian_9999", "general_maintainer", auth_groups=["9999"])
    with pytest.raises(DomainError, match=number):
        request_form(uow_factory, other_group, number)
