"""The words of the request screens, in both languages (the KPI dashboard's way: Text pairs
chosen by ui.i18n's language)."""

from __future__ import annotations

from custmd_gui.catalog import Text
from custmd_gui.ui import i18n

T = {
    "list.title": Text(zh="维护申请", en="Maintenance requests"),
    "tab.mine": Text(zh="我的申请", en="My requests"),
    "tab.inbox": Text(zh="待我处理", en="Waiting for me"),
    "tab.count": Text(zh="{name}（{n}）", en="{name} ({n})"),
    "filter.status": Text(zh="状态(&S)", en="&Status"),
    "filter.type": Text(zh="类型(&Y)", en="T&ype"),
    "filter.all": Text(zh="（全部）", en="(all)"),
    "refresh": Text(zh="刷新(&R)", en="&Refresh"),
    "open": Text(zh="打开(&O)", en="&Open"),
    "correct": Text(zh="修改(&M)…", en="Correct (&M)…"),
    "withdraw": Text(zh="撤回(&W)", en="&Withdraw"),
    "withdraw.title": Text(zh="撤回申请", en="Withdraw request"),
    "withdraw.ask": Text(
        zh="撤回申请 {number}？撤回后不能再提交。",
        en="Withdraw request {number}? It cannot be submitted again.",
    ),
    "col.number": Text(zh="申请编号", en="Number"),
    "col.type": Text(zh="类型", en="Type"),
    "col.status": Text(zh="状态", en="Status"),
    "col.customer": Text(zh="客户", en="Customer"),
    "col.requester": Text(zh="申请人", en="Requester"),
    "col.org_unit": Text(zh="组织单位", en="Org unit"),
    "col.changed": Text(zh="更改时间", en="Changed"),
    "inbox.status": Text(zh="待我处理 {n}", en="Waiting for me: {n}"),
    "review.title": Text(zh="申请 {number}", en="Request {number}"),
    "review.data": Text(zh="申请数据", en="Requested data"),
    "review.field": Text(zh="字段", en="Field"),
    "review.section": Text(zh="部分", en="Part"),
    "review.proposed": Text(zh="申请值", en="Requested"),
    "review.current": Text(zh="当前值", en="Current"),
    "review.duplicates": Text(zh="重复检查", en="Duplicate check"),
    "review.no_duplicates": Text(zh="未发现可能重复的客户", en="No possible duplicate found"),
    "review.history": Text(zh="处理记录", en="History"),
    "review.attachments": Text(zh="附件", en="Attachments"),
    "att.name": Text(zh="文件名", en="File"),
    "att.size": Text(zh="大小", en="Size"),
    "att.by": Text(zh="添加人", en="Added by"),
    "att.at": Text(zh="添加时间", en="Added"),
    "att.add": Text(zh="添加附件(&T)…", en="A&ttach…"),
    "att.open": Text(zh="打开附件(&N)", en="Ope&n"),
    "att.save": Text(zh="另存为(&S)…", en="&Save a copy…"),
    "att.remove": Text(zh="删除附件(&D)", en="&Delete"),
    "att.add_title": Text(zh="添加附件", en="Attach a file"),
    "att.save_title": Text(zh="附件另存为", en="Save a copy of the attachment"),
    "att.added": Text(zh="已添加附件 {name}", en="Attached {name}"),
    "att.removed": Text(zh="已删除附件 {name}", en="Removed {name}"),
    "att.saved": Text(zh="已保存 {path}", en="Saved {path}"),
    "att.opened": Text(zh="已打开 {path}", en="Opened {path}"),
    "review.comment": Text(zh="意见/原因(&C)", en="&Comment / reason"),
    "review.reason_needed": Text(
        zh="{action}申请必须填写原因：请在“意见/原因”中填写", en="Enter the reason to {action}"
    ),
    "review.done": Text(zh="申请 {number}：{status}", en="Request {number}: {status}"),
    "review.pdf": Text(zh="打印(&P)…", en="&Print…"),
    "review.pdf_saved": Text(zh="已导出 {path}", en="Exported {path}"),
    "review.pdf_failed": Text(zh="无法写入 {path}：{error}", en="Cannot write {path}: {error}"),
    "review.header": Text(
        zh="{type} · {status} · 申请人 {requester}（{org_unit}） · 客户 {customer}",
        en="{type} · {status} · requester {requester} ({org_unit}) · customer {customer}",
    ),
    "review.reason": Text(zh="申请原因：{reason}", en="Reason: {reason}"),
    "btn.review": Text(zh="开始审核(&V)", en="Start re&view"),
    "btn.return": Text(zh="退回(&B)", en="Return (&B)"),
    "btn.reject": Text(zh="拒绝(&J)", en="Re&ject"),
    "btn.approve": Text(zh="批准(&A)", en="&Approve"),
    "btn.activate": Text(zh="激活(&E)", en="Activat&e"),
    "btn.submit": Text(zh="提交(&U)", en="S&ubmit"),
    "btn.resubmit": Text(zh="重新提交(&U)", en="Res&ubmit"),
    "btn.withdraw": Text(zh="撤回(&W)", en="&Withdraw"),
}


def t(key: str) -> str:
    return T[key].get(i18n.language())
