"""Renders the template's sheets to PNG, to look at them as a spreadsheet program shows them:
screenshots/template_<lang>_<n>_<sheet>-<page>.png.

Needs LibreOffice (`apt-get install libreoffice-calc-nogui`) and pdftoppm (poppler-utils):
each sheet is printed on its own (landscape, a page per set of columns, grid lines, the
hidden code sheet shown) to PDF by LibreOffice, then rasterised.

    python scripts/render_template.py [--account-group 1310] [--rows 12]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from custmd_gui.services.customizing import shipped
from custmd_gui.services.transfer.template import write_template

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "screenshots"


def _render(workbook: Path, index: int, rows: int, png: Path, work: Path) -> None:
    wb = openpyxl.load_workbook(workbook)
    for i, ws in enumerate(wb.worksheets):
        ws.sheet_state = "visible" if i == index else "hidden"
    ws = wb.worksheets[index]
    wb.active = index
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3
    # Wide sheets go over several pages (the meta column repeated): one image per page.
    ws.sheet_properties.pageSetUpPr.fitToPage = index == 0
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if index:
        ws.print_title_cols = "A:A"
    ws.print_options.gridLines = True
    last = min(ws.max_row, rows) if index else ws.max_row
    ws.print_area = f"A1:{openpyxl.utils.get_column_letter(ws.max_column)}{last}"
    single = work / f"sheet{index}.xlsx"
    wb.save(single)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(work), str(single)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", str(single.with_suffix(".pdf")), str(png.with_suffix(""))],
        check=True,
        timeout=120,
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--account-group")
    parser.add_argument("--rows", type=int, default=12)
    args = parser.parse_args()
    if not shutil.which("soffice") or not shutil.which("pdftoppm"):
        print("needs soffice (LibreOffice) and pdftoppm", file=sys.stderr)
        return 1
    OUT.mkdir(exist_ok=True)
    suffix = f"_{args.account_group}" if args.account_group else ""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for lang in ("zh", "en"):
            book = work / f"template_{lang}.xlsx"
            write_template(shipped(), book, lang=lang, account_group=args.account_group)
            names = openpyxl.load_workbook(book).sheetnames
            for index, name in enumerate(names):
                table = name.rsplit(" ", 1)[-1] if " " in name else name
                slug = table if table.isascii() and table.isalnum() else f"sheet{index}"
                png = OUT / f"template_{lang}{suffix}_{index}_{slug}.png"
                for old in OUT.glob(f"{png.stem}-*.png"):
                    old.unlink()
                _render(book, index, args.rows, png, work)
                for page in sorted(OUT.glob(f"{png.stem}-*.png")):
                    print(page.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
