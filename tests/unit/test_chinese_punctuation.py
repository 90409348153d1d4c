"""Chinese text is written with full-width punctuation (，；：！？（）), as clerks read it.

Checked wherever Chinese text lives: the string literals of the code (messages of the
services, the CLI and the screens; docstrings are for developers and are left out), the
field catalog (labels and help texts) and the Chinese translations of the screens.

A half-width mark next to a Chinese character is the mistake; some half-width marks are
meant and stay: "(&N)" accelerators, a "key: message" or "path: message" prefix (the colon
after a technical name), parentheses around codes only ("(XD01)", "({fn})"), regular
expressions and Qt's file-dialog filters (";;").
"""

from __future__ import annotations

import ast
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "custmd_gui"

CJK = r"[\u3400-\u9fff\u3001-\u3011\uff01-\uff5e“”‘’]"
# A comma, semicolon, colon, ! or ? after a Chinese character; or ,;!? before one (a colon
# before Chinese text may end a technical prefix: "KNA1-PSTLZ: 邮政编码 …").
HALF_WIDTH = re.compile(rf"{CJK} *[,;:!?]|[,;!?] *{CJK}|\(&\w\):")
# Parentheses around Chinese text (not an accelerator).
PARENTHESES = re.compile(r"\(([^()&{}]*)\)")


def mistakes(text: str) -> list[str]:
    if "(?:" in text or "\\s" in text or ";;" in text:  # regular expressions, a file filter
        return []
    found = [m.group(0) for m in HALF_WIDTH.finditer(text)]
    found += [m.group(0) for m in PARENTHESES.finditer(text) if re.search(CJK, m.group(1))]
    return found


def _docstrings(tree: ast.AST) -> set[int]:
    kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, kinds) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def code_texts() -> list[tuple[str, str]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "generated" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        parts: set[int] = set()
        for node in ast.walk(tree):
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.JoinedStr):
                # An f-string as a whole, each placeholder read as a code ("X"): so that
                # "出现了两次(还有 {first} 列)" is seen with both its parentheses.
                parts.update(id(v) for v in node.values)
                text = "".join(v.value if isinstance(v, ast.Constant) else "X" for v in node.values)
                out.append((where, str(text)))
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in skip
                and id(node) not in parts
            ):
                out.append((where, node.value))
    return out


def catalog_texts() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "zh" and isinstance(value, str):
                    out.append((where, value))
                else:
                    walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for item in node:
                walk(item, where)

    for path in sorted((PACKAGE / "catalog").rglob("*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)
    return out


def translation_texts() -> list[tuple[str, str]]:
    tree = ET.parse(ROOT / "resources" / "i18n" / "custmd_zh_CN.ts")
    out = []
    for message in tree.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None:
            continue
        for text in [translation.text or "", *(f.text or "" for f in translation)]:
            out.append((source, text))
    return out


def _report(texts: list[tuple[str, str]]) -> list[str]:
    return [f"{where}: {found} in {text!r}" for where, text in texts if (found := mistakes(text))]


def test_the_rule_finds_half_width_marks_and_leaves_the_meant_ones() -> None:
    assert mistakes("请填写备注,说明原因") == ["注,"]
    assert mistakes("客户 X 已存在;请扩展") == ["在;"]
    assert mistakes("没有权限:系统管理") == ["限:"]
    assert mistakes("行政区划代码(6 位数字)") == ["(6 位数字)"]
    assert mistakes("语言(&L):") == ["(&L):"]
    for meant in (
        "请填写备注，说明原因（必输）",
        "KNA1-PSTLZ: 邮政编码",
        "创建客户 (XD01)",
        "保存(&S)",
        "合伙人 {who} ({fn}) 已冻结",
        r"(?:转|分机)",
        r"[\s,，、;；]+",
        "SQLite 数据库 (*.sqlite);;所有文件 (*)",
    ):
        assert mistakes(meant) == [], meant


def test_messages_in_the_code_use_full_width_punctuation() -> None:
    assert _report(code_texts()) == []


def test_the_catalog_uses_full_width_punctuation() -> None:
    texts = catalog_texts()
    assert len(texts) > 100  # labels and help texts were read
    assert _report(texts) == []


def test_the_translations_use_full_width_punctuation() -> None:
    texts = translation_texts()
    assert len(texts) > 100
    assert _report(texts) == []
