"""The UI language: Qt translators for the code's and the forms' strings, and the catalog's
language for field labels and help.

Source strings in the code and in forms/*.ui are English; resources/i18n/custmd_zh_CN.ts holds
their Chinese translations (compiled to .qm). English needs a translation file too, but only
for the plural forms of "%n" strings ("1 entry", "2 entries"): custmd_en.ts. Chinese is the
default language. Catalog texts
(labels, help, code values) are bilingual data and are picked with `language()`.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from custmd_gui.resources import resource_dir

LANGUAGES = ("zh", "en")
QM_NAMES = {"zh": "custmd_zh_CN", "en": "custmd_en"}

_language = "zh"
_installed: list[QTranslator] = []


def i18n_dir() -> str:
    return str(resource_dir() / "i18n")


def language() -> str:
    return _language


def set_language(lang: str) -> None:
    """Switch the language; installs the translators into a running application at once."""
    global _language
    _language = "en" if lang.startswith("en") else "zh"
    app = QCoreApplication.instance()
    if app is not None:
        install_translators(app)


def install_translators(app: QCoreApplication) -> None:
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if _language == "zh":
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        # Qt's own strings: the buttons of message boxes and file dialogs (确定, 取消, ...).
        qt = QTranslator(app)
        if qt.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(qt)
            _installed.append(qt)
    else:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    ours = QTranslator(app)
    name = QM_NAMES[_language]
    if not ours.load(name, i18n_dir()):
        raise FileNotFoundError(f"translation {name}.qm not found in {i18n_dir()}")
    app.installTranslator(ours)
    _installed.append(ours)


def translate(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks `text` for lupdate in `context`; translated later, where it is shown.

    PySide6's own marker is typed as returning object; this one keeps the str type."""
    del context
    return text


def field_name(label: str) -> str:
    """A label's text as the name of its field in a message: "备注(&M)：" -> "备注",
    "Co&mment:" -> "Comment" (the accelerator and the colon go)."""
    text = label
    if "(&" in text:
        start = text.index("(&")
        text = text[:start] + text[text.index(")", start) + 1 :]
    return text.replace("&", "").rstrip(":：").strip()
