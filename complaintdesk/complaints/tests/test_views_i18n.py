"""The Chinese catalogue is complete and compiled: every entry translated, none fuzzy, and the
committed .mo says what the .po says (a stale .mo would silently show older wording)."""

import ast
import gettext
from pathlib import Path

import complaintdesk

LOCALE = Path(complaintdesk.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES"


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file: msgid, msgid_plural, msgstr[n] (unquoted), flags."""
    entries, entry, field = [], None, None

    def flush():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            entry, field = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"].update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(field, int):
                entry["msgstr"][field] += value
            else:
                entry[field] += value
        else:
            keyword, _sp, rest = line.partition(" ")
            value = ast.literal_eval(rest)
            if keyword.startswith("msgstr["):
                field = int(keyword[7:-1])
                entry["msgstr"][field] = value
            elif keyword == "msgstr":
                field = 0
                entry["msgstr"][0] = value
            else:
                field = keyword
                entry[keyword] = value
    flush()
    return entries


def test_every_entry_is_translated_and_none_is_fuzzy():
    entries = [e for e in parse_po(LOCALE / "django.po") if e["msgid"]]
    assert len(entries) > 300
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_matches_the_po():
    with (LOCALE / "django.mo").open("rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    for e in parse_po(LOCALE / "django.po"):
        if not e["msgid"]:
            continue
        if "msgid_plural" in e:
            assert catalogue.ngettext(e["msgid"], e["msgid_plural"], 1) == e["msgstr"][0]
        elif "msgctxt" in e:
            assert catalogue.pgettext(e["msgctxt"], e["msgid"]) == e["msgstr"][0], e["msgid"]
        else:
            assert catalogue.gettext(e["msgid"]) == e["msgstr"][0], e["msgid"]


def test_the_workflow_vocabulary_uses_the_dealership_terms():
    with (LOCALE / "django.mo").open("rb") as fh:
        zh = gettext.GNUTranslations(fh).gettext
    assert zh("Customer feedback handling form") == "客户信息反馈处理单"
    assert zh("Register the form") == "受理登记"
    assert zh("Determine responsibility") == "责任判定"
    assert zh("Management review") == "管理部审核"
    assert zh("GM decision") == "总经理决定"
    assert zh("Accountability") == "责任追究"
    assert zh("Callback") == "回访"
    assert zh("Archived") == "已归档"
    assert zh("Pending matter") == "未了事宜"
    assert zh("Handling tier") == "处理层次"
