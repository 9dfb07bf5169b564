"""The catalogue writer adds translations without losing what the catalogue holds."""

from __future__ import annotations

from pairing import i18n_tool

PO = '''msgid ""
msgstr ""

# The name of a product, an enterprise or a village (a person's is 姓名). Kept in this
msgctxt "thing"
msgid "Name"
msgstr "名称"

msgid "Name"
msgstr "姓名"
'''


def test_write_keeps_contexts_and_comments_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n_tool, "TRANSLATIONS", tmp_path)
    po = tmp_path / "core" / "zh" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(PO, encoding="utf-8")
    assert i18n_tool.write("core", {"Any action": "全部操作"}) == 3
    text = po.read_text(encoding="utf-8")
    assert 'msgctxt "thing"\nmsgid "Name"\nmsgstr "名称"' in text
    assert 'msgid "Name"\nmsgstr "姓名"' in text and 'msgstr "全部操作"' in text
    assert "# The name of a product, an enterprise or a village (a person's is 姓名). Kept " \
           "in this\n" in text


def test_prune_drops_only_what_the_code_no_longer_asks_for(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n_tool, "TRANSLATIONS", tmp_path)
    po = tmp_path / "core" / "zh" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(PO + '\nmsgid "Gone"\nmsgstr "旧的"\n', encoding="utf-8")
    monkeypatch.setattr(i18n_tool, "unused", lambda language: {"core": ["Gone", "thing\x04Name"]})
    assert i18n_tool.prune() == 2
    text = po.read_text(encoding="utf-8")
    assert "旧的" not in text and "名称" not in text and 'msgid "Name"\nmsgstr "姓名"' in text
