"""The texts of a template's instructions, in Chinese or English (the same for XLSX and CSV)."""

from __future__ import annotations

from custmd_gui.catalog import Text
from custmd_gui.domain.transfer import columns as cols
from custmd_gui.services.transfer.template_content import Template

# (kind, first column, second column): kind "title", "heading", "text", "sample" or
# "mark:<Mark>" (a cell coloured as the mark).
Line = tuple[str, str, str]


def code_sheet_name(lang: str) -> str:
    return Text(zh="代码", en="Codes").get(lang)


def instructions(template: Template) -> list[Line]:
    lang = template.lang
    en = lang.startswith("en")

    def t(zh: str, english: str) -> str:
        return english if en else zh

    group = template.account_group
    if group is not None:
        marks_for = t(
            f"必输标记按科目组 {group.code}（{group.text.zh}）；该科目组不允许的字段不在模板中。",
            f"The required marks are those of account group {group.code} ({group.text.en}); "
            "fields the group does not allow are left out.",
        )
    else:
        marks_for = t(
            "必输标记按所有科目组：第 3 行写明哪些科目组必输。"
            "用 --account-group 可生成某一科目组的模板。",
            "The required marks cover every account group: row 3 names the groups that "
            "require a field. --account-group makes a template for one group.",
        )
    lines: list[Line] = [
        ("title", t("客户主数据导入模板", "Customer master data template"), ""),
        ("text", "", marks_for),
        ("heading", t("如何填写", "How to fill it in"), ""),
        (
            "text",
            "1",
            t(
                "每个工作表对应 SAP 的一张表：一般数据 KNA1 每个客户一行；银行明细、公司代码数据、"
                "销售范围数据、税分类、合伙人功能每行是客户的一条子数据，一个客户可以有多行。",
                "Each sheet is one SAP table: general data (KNA1) has one row per customer; "
                "bank details, company code data, sales area data, tax classification and "
                "partner functions hold the customer's child rows, any number per customer.",
            ),
        ),
        (
            "text",
            "2",
            t(
                "每个工作表的 B、C 两列是客户的键：客户编号 KNA1-KUNNR 和原客户编号 KNA1-ALTKN。"
                "子数据行填与一般数据行相同的客户编号或原客户编号。内部给号的新客户还没有编号：客户编号留空，"
                "各工作表都用原客户编号关联。再次导入同一文件时按原客户编号更新客户，不会重复创建。",
                "Columns B and C of every sheet are the customer's keys: customer number "
                "(KNA1-KUNNR) and previous account number (KNA1-ALTKN). A child row carries the "
                "same customer number or previous account number as the customer's general "
                "data row. A new customer numbered internally has no number yet: leave the "
                "customer number empty and tie its rows in all sheets by the previous account "
                "number. Importing the same file again updates those customers, never "
                "duplicates them.",
            ),
        ),
        (
            "text",
            "3",
            t(
                "税分类和合伙人功能属于销售范围：这两个工作表还要填销售组织、分销渠道和产品组，"
                "与销售范围数据中的一行相同。合伙人编号留空表示客户本身。",
                "Tax classifications and partner functions belong to a sales area: their sheets "
                "also carry sales organization, distribution channel and division, the same as "
                "a row of the sales area data. An empty partner number means the customer "
                "itself.",
            ),
        ),
        (
            "text",
            "4",
            t(
                "第 1 行是 SAP 字段名（如 KNA1-NAME1），导入按它识别列，请勿修改；"
                "列的顺序可以调整，"
                "不需要的可选列可以删除。第 2 行是字段名称，第 3 行是必输标记。"
                "A 列不为空的行（表头、示例）不会导入：数据行的 A 列留空。",
                "Row 1 holds the SAP field names (KNA1-NAME1): the import finds the columns by "
                "them, so do not change them; columns may be reordered, and optional columns "
                "not needed may be deleted. Row 2 holds the labels, row 3 the required marks. "
                "Rows with anything in column A (the header, the sample) are never imported: "
                "leave column A empty on your data rows.",
            ),
        ),
        ("heading", t("标记", "Marks"), ""),
        (
            f"mark:{cols.Mark.KEY.value}",
            t("关键字段", "key"),
            t(
                "把行与客户或销售范围关联，或是子数据行的关键字段。",
                "Ties the row to its customer or sales area, or is the key of a child row.",
            ),
        ),
        (
            f"mark:{cols.Mark.REQUIRED.value}",
            t("必输", "required"),
            t("必须填写。", "Must be filled in."),
        ),
        (
            f"mark:{cols.Mark.SOME.value}",
            t("部分必输", "required in some"),
            t(
                "第 3 行所列科目组必须填写，其他科目组可选。",
                "Required for the account groups row 3 names, optional for the others.",
            ),
        ),
        (
            f"mark:{cols.Mark.OPTIONAL.value}",
            t("可选", "optional"),
            t("可以留空。", "May be left empty."),
        ),
        (
            "text",
            "",
            t(
                "鼠标停在第 2 行的字段名称上可看到说明（批注）。",
                "Point at a label in row 2 to read the field's explanation (a comment).",
            ),
        ),
        ("heading", t("格式", "Formats"), ""),
        (
            "text",
            t("文本", "Text"),
            t(
                "所有单元格都是文本格式：代码和编号照原样输入，前导零保留（0001、010）。"
                "从其他文件粘贴时请用“选择性粘贴 → 值”，以免变成数字。",
                "Every cell is formatted as text: type codes and numbers as they are, leading "
                "zeros stay (0001, 010). When pasting from elsewhere, paste values only, so "
                "that they do not turn into numbers.",
            ),
        ),
        (
            "text",
            t("代码", "Codes"),
            t(
                "有值列表的列提供下拉列表，只能选代码；代码的说明在隐藏的工作表“代码”中"
                "（右键单击工作表标签 → 取消隐藏）。",
                "Columns with a value list offer a dropdown of codes; the codes' texts are on "
                "the hidden sheet 'Codes' (right-click a sheet tab → Unhide).",
            ),
        ),
        (
            "text",
            t("标记字段", "Flags"),
            t("X 表示是，留空表示否。", "X means yes, empty means no."),
        ),
        (
            "text",
            t("日期", "Dates"),
            t(
                "日期写成 YYYY-MM-DD（如 2026-05-01）的文本。",
                "Dates are written as text YYYY-MM-DD (e.g. 2026-05-01).",
            ),
        ),
        (
            "text",
            t("长度", "Length"),
            t(
                "超过字段长度的值不会被截断，导入时报错。",
                "A value longer than its field is not cut short: the import reports it.",
            ),
        ),
        ("heading", t("示例", "Sample"), ""),
        (
            "sample",
            cols.SAMPLE_MARK.get(lang),
            t(
                "灰色的示例行是流程文件中的例子（东宁广告有限公司）。A 列写着“示例”，"
                "导入时跳过；可以保留或删除。",
                "The grey sample rows are the process documents' example, the customer "
                "东宁广告有限公司. "
                "Column A says 'Sample', so the import skips them; keep or delete them.",
            ),
        ),
        ("heading", t("工作表", "Sheets"), ""),
    ]
    for sheet in template.sheets:
        keys = ", ".join(c.key for c in sheet.columns if c.role is not cols.Role.DATA)
        lines.append(
            (
                "text",
                sheet.name(lang),
                t(
                    f"{len(sheet.columns)} 列；键：{keys}",
                    f"{len(sheet.columns)} columns; keys: {keys}",
                ),
            )
        )
    return lines
