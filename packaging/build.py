"""Build custmd's one-folder bundle with PyInstaller (packaging/custmd.spec).

    python packaging/build.py [--no-font | --font FILE] [--no-archive]

Linux: dist/custmd/ and dist/custmd-<version>-linux-<machine>.tar.gz (the folder with
custmd.desktop and install.sh). Windows: dist/custmd/ (custmd.exe, custmd-cli.exe), which
packaging/windows/custmd.iss turns into an installer. Prints the build time and the sizes.
Run it with the Python of the environment the app is installed in (`.venv/bin/python`).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
APP_ICON = ROOT / "resources" / "icons" / "custmd.svg"
# The Chinese font bundled for Linux systems without one: WenQuanYi Micro Hei, Apache-2.0 (dual
# licensed with GPL-3+ and a font exception; we take Apache-2.0), 5 MB. Taken from the build
# machine's fonts (Debian/Ubuntu: fonts-wqy-microhei) rather than kept in git.
FONT_FAMILY = "WenQuanYi Micro Hei"
FONT_FILE = "wqy-microhei.ttc"
FONT_NOTICE = PACKAGING / "fonts" / "WenQuanYi-Micro-Hei-NOTICE.txt"
LINUX_FILES = (PACKAGING / "linux" / "custmd.desktop", PACKAGING / "linux" / "install.sh")


class BuildError(Exception):
    pass


def compile_forms() -> None:
    """The forms' generated modules are git-ignored: compile them as the wheel's build does."""
    path = ROOT / "custmd_gui" / "ui" / "forms_build.py"
    spec = importlib.util.spec_from_file_location("_custmd_forms_build", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.compile_all(ROOT / "forms", ROOT / "custmd_gui" / "ui" / "generated")


def find_font() -> Path:
    """WenQuanYi Micro Hei's file on this machine (fontconfig knows where)."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        raise BuildError("fc-match not found: give the font with --font FILE or use --no-font")
    found = subprocess.run(
        [fc_match, "-f", "%{file}", FONT_FAMILY], capture_output=True, text=True, check=False
    ).stdout.strip()
    if Path(found).name != FONT_FILE:
        raise BuildError(
            f"{FONT_FAMILY} is not installed (fontconfig offers {found or 'nothing'}); install "
            "fonts-wqy-microhei, give the file with --font FILE or build with --no-font"
        )
    return Path(found)


def windows_icon(work: Path) -> Path | None:
    """The executables' .ico, drawn by Qt from the app's SVG icon (None while there is none)."""
    if not APP_ICON.is_file():
        print(f"note: {APP_ICON.relative_to(ROOT)} not found; the executables get no icon")
        return None
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication, QIcon

    app = QGuiApplication.instance() or QGuiApplication([])
    target = work / "custmd.ico"
    work.mkdir(parents=True, exist_ok=True)
    if not QIcon(str(APP_ICON)).pixmap(256, 256).save(str(target), "ICO"):
        raise BuildError(f"cannot draw {target} from {APP_ICON}")
    del app
    return target


def folder_size(folder: Path) -> tuple[int, int]:
    """Bytes and number of files under `folder`."""
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def make_archive(bundle: Path, dist: Path) -> Path:
    from custmd_gui import __version__

    for file in LINUX_FILES:
        shutil.copy2(file, bundle / file.name)
    machine = platform.machine().lower() or "unknown"
    archive = dist / f"custmd-{__version__}-linux-{machine}.tar.gz"
    with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname=bundle.name)
    return archive


def windows_installer(icon: str | None) -> Path | None:
    """Run Inno Setup's compiler on packaging/windows/custmd.iss, where it is installed."""
    from custmd_gui import __version__

    # On PATH, or where its installer puts it (for all users, or for the current user).
    places = [
        Path(os.environ[variable]) / folder / "ISCC.exe"
        for variable, folder in (
            ("ProgramFiles(x86)", "Inno Setup 6"),
            ("ProgramFiles", "Inno Setup 6"),
            ("LOCALAPPDATA", "Programs/Inno Setup 6"),
        )
        if os.environ.get(variable)
    ]
    iscc = shutil.which("iscc") or next((str(p) for p in places if p.is_file()), None)
    if iscc is None:
        print("note: Inno Setup 6 (ISCC.exe) not found; no installer made (packaging/README.md)")
        return None
    command = [iscc, "/Q", f"/DAppVersion={__version__}"]
    if icon:
        command.append(f"/DIconFile={icon}")
    subprocess.run([*command, str(PACKAGING / "windows" / "custmd.iss")], check=True)
    return ROOT / "dist" / f"custmd-{__version__}-windows-x64-setup.exe"


def build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    dist, work = args.dist.resolve(), args.work.resolve()
    # This tree's custmd_gui, whatever else the environment has installed.
    path = [str(ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path)}
    if args.font:
        font = Path(args.font).resolve()
        if not font.is_file():
            raise BuildError(f"--font {font}: no such file")
    else:
        font = None if args.no_font or sys.platform == "win32" else find_font()
    if font is not None:
        env["CUSTMD_BUNDLE_FONT"] = str(font)
        if font.name == FONT_FILE:
            env["CUSTMD_BUNDLE_FONT_NOTICE"] = str(FONT_NOTICE)
    if sys.platform == "win32" and (icon := windows_icon(work)) is not None:
        env["CUSTMD_BUNDLE_ICON"] = str(icon)
    compile_forms()
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
        str(PACKAGING / "custmd.spec"),
    ]
    print("building:", " ".join(command), flush=True)
    subprocess.run(command, check=True, env=env, cwd=ROOT)
    bundle = dist / "custmd"
    frozen_seconds = time.perf_counter() - started
    size, count = folder_size(bundle)
    print(f"bundle: {bundle} ({size / 1e6:.1f} MB in {count} files)")
    print(f"font: {font or 'none bundled'}")
    if sys.platform == "win32" and not args.no_archive:
        installer = windows_installer(env.get("CUSTMD_BUNDLE_ICON"))
        if installer is not None:
            print(f"installer: {installer} ({installer.stat().st_size / 1e6:.1f} MB)")
    elif not args.no_archive:
        archive = make_archive(bundle, dist)
        print(f"archive: {archive} ({archive.stat().st_size / 1e6:.1f} MB)")
    print(
        f"build time: {time.perf_counter() - started:.0f} s (PyInstaller and forms "
        f"{frozen_seconds:.0f} s)",
        flush=True,
    )
    return 0


def main() -> int:
    sys.path.insert(0, str(ROOT))  # this tree's custmd_gui (its version, for the file names)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    fonts = parser.add_mutually_exclusive_group()
    fonts.add_argument("--font", help="bundle this Chinese font file instead of WenQuanYi")
    fonts.add_argument("--no-font", action="store_true", help="bundle no Chinese font")
    parser.add_argument(
        "--no-archive", action="store_true", help="no tar.gz (Linux), no installer (Windows)"
    )
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="default: dist/")
    parser.add_argument(
        "--work", type=Path, default=ROOT / "build" / "pyinstaller", help="PyInstaller's work"
    )
    try:
        return build(parser.parse_args())
    except BuildError as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return exc.returncode or 1


if __name__ == "__main__":
    sys.exit(main())
