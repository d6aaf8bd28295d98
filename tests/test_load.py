"""pack.yaml loading: the model it builds, and one pinned message per error kind."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image as PILImage

from helpers import SAMPLE
from studypack.errors import Report
from studypack.load import load_pack
from studypack.typography import smarten


def write_pack(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return folder


def problems(folder: Path) -> list[str]:
    """Every diagnostic line, paths relative to the pack folder."""
    report = Report()
    load_pack(folder, report)
    prefix = str(folder / "pack.yaml")
    return [str(d).replace(prefix, "pack.yaml").split("pack.yaml", 1)[-1] for d in report.sorted()]


MINIMAL = """
title: T
sections:
  - title: S
"""


def test_sample_pack_loads_completely():
    report = Report()
    pack = load_pack(SAMPLE, report)
    assert pack is not None, [str(d) for d in report.diagnostics]
    assert not report.diagnostics
    assert pack.slug == "japan-us-security-treaty"
    assert len(pack.sections) == 11
    assert all(len(s.sections) == 3 for s in pack.sections)
    assert len(pack.glossary) == 26
    assert len(pack.cards) >= 10
    assert all(s.notes for s in pack.sections)
    assert any(p.children for _, s in pack.all_sections() for p in s.points)
    image = pack.images()[0]
    assert image.alt and image.path.is_file() and image.format == "PNG"
    assert pack.date == dt.date(2026, 11, 24)
    assert len(pack.flashcards()) == 26 + len(pack.cards)


def test_model_shapes(tmp_path):
    folder = write_pack(tmp_path / "p", """
        title: "1960"
        date: 2026-01-02
        language: ja
        sections:
          - title: Top
            points:
              - parent
              - - child one
                - child two
                - - grandchild
              - next
            sections:
              - title: Sub
                sections:
                  - title: Subsub
        glossary:
          - term: Alpha
            definition: a
            see: beta
          - term: Beta
            definition: b
            see: [ALPHA]
        cards:
          - front: yes
            back: no
            tags: [a tag]
    """)
    report = Report()
    pack = load_pack(folder, report)
    assert pack is not None and not report.diagnostics
    assert pack.title == "1960"  # scalars stay literal text
    assert pack.language == "ja"
    top = pack.sections[0]
    assert [p.text for p in top.points] == ["parent", "next"]
    assert [c.text for c in top.points[0].children] == ["child one", "child two"]
    assert top.points[0].children[1].children[0].text == "grandchild"
    assert [(d, s.title) for d, s in pack.all_sections()] == [(1, "Top"), (2, "Sub"), (3, "Subsub")]
    assert pack.glossary[0].see == ("Beta",)  # canonical spelling
    assert pack.glossary[1].see == ("Alpha",)
    card = pack.flashcards()[-1]
    assert (card.front, card.back, card.tags) == ("yes", "no", ("p", "a_tag"))
    assert pack.flashcards()[0].hint == "関連項目: Beta"  # in the pack's language (ja)


# One pinned line per error kind: (yaml, expected lines).
ERROR_CASES = {
    "unknown-key": ("titel: T\ntitle: T\nsections: [{title: S}]\n", [":1:1: error: unknown key 'titel' (did you mean 'title'?)"]),
    "missing-title": ("sections: [{title: S}]\n", [":1:1: error: missing required key 'title'"]),
    "missing-sections": ("title: T\n", [":1:1: error: missing required key 'sections'"]),
    "empty-sections": ("title: T\nsections: []\n", [":2:11: error: sections: needs at least one section"]),
    "empty-title": ("title: ''\nsections: [{title: S}]\n", [":1:8: error: title: must not be empty"]),
    "null-title": ("title:\nsections: [{title: S}]\n", [":1:7: error: title: must not be empty"]),
    "point-mapping": (
        "title: T\nsections:\n  - title: S\n    points:\n      - {a: 1}\n",
        [":5:9: error: sections[0].points[0]: expected text, got a mapping; a ': ' inside text starts a mapping, so put the whole text in quotes"],
    ),
    "french-colon": (
        "title: T\nsections:\n  - title: S\n    points:\n      - Propriété 1 : l'eau est polaire.\n",
        [":5:9: error: sections[0].points[0]: expected text, got a mapping; a ': ' inside text starts a mapping, so put the whole text in quotes"],
    ),
    "point-two-keys": (
        "title: T\nsections:\n  - title: S\n    points:\n      - {a: 1, b: 2}\n",
        [":5:9: error: sections[0].points[0]: expected text, got a mapping"],
    ),
    "orphan-subpoints": (
        "title: T\nsections:\n  - title: S\n    points:\n      - [a]\n",
        [":5:9: error: sections[0].points[0]: sub-points must follow the point they belong to"],
    ),
    "sections-not-list": ("title: T\nsections: hello\n", [":2:11: error: sections: expected a list, got text"]),
    "title-list": ("title: [a]\nsections: [{title: S}]\n", [":1:8: error: title: expected text, got a list"]),
    "bad-date": ("title: T\ndate: 2026-13-40\nsections: [{title: S}]\n", [":2:7: error: date: '2026-13-40' is not a date (YYYY-MM-DD)"]),
    "bad-language": ("title: T\nlanguage: english!\nsections: [{title: S}]\n", [":2:11: error: language: 'english!' is not a BCP 47 language tag (e.g. en, ja, pt-BR)"]),
    "duplicate-term": (
        "title: T\nsections: [{title: S}]\nglossary:\n  - {term: Article 9, definition: a}\n  - {term: ARTICLE 9, definition: b}\n",
        [":5:12: error: glossary[1].term: duplicate term 'ARTICLE 9' (first defined at line 4)"],
    ),
    "dangling-see": (
        "title: T\nsections: [{title: S}]\nglossary:\n  - {term: Alpha, definition: a, see: [Alpah2]}\n  - {term: Alpha2, definition: b}\n",
        [":4:40: error: glossary[0].see[0]: 'Alpah2' is not a glossary term (did you mean 'Alpha2'?)"],
    ),
    "self-see": (
        "title: T\nsections: [{title: S}]\nglossary:\n  - {term: Alpha, definition: a, see: [alpha]}\n",
        [":4:40: error: glossary[0].see[0]: 'alpha' refers to itself"],
    ),
    "see-after-skipped-entry": (
        "title: T\nsections: [{title: S}]\nglossary:\n  - {term: A, definition: a}\n  - {term: a, definition: dup}\n  - {term: B, definition: b, see: [Zed]}\n",
        [
            ":5:12: error: glossary[1].term: duplicate term 'a' (first defined at line 4)",
            ":6:36: error: glossary[2].see[0]: 'Zed' is not a glossary term",
        ],
    ),
    "card-missing-back": ("title: T\nsections: [{title: S}]\ncards:\n  - front: Q\n", [":4:5: error: cards[0]: missing required key 'back'"]),
    "duplicate-key": ("title: T\ntitle: U\nsections: [{title: S}]\n", [":2:1: error: duplicate key 'title'"]),
    "python-tag": ("title: !!python/object:os.system x\nsections: [{title: S}]\n", [":1:8: error: unsupported YAML tag '!!python/object:os.system'"]),
    "two-documents": ("title: T\nsections: [{title: S}]\n---\ntitle: U\n", [":3:1: error: expected one YAML document, found more"]),
    "syntax": ("title: [T\nsections: []\n", [":2:9: error: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence that started at line 1, column 8)"]),
    "misindented-key": (
        "title: T\nsections:\n  - title: S\n   points: [a]\n",
        [":4:4: error: invalid YAML: this line's indentation fits neither the list that began at line 3, column 3 nor the item above it: keys of one item line up with its first key, and a list's '- ' marks stand in one column"],
    ),
    "tab-indent": ("title: T\nsections:\n\t- title: S\n", [":3:1: error: invalid YAML: a tab indents this line: YAML indents with spaces only"]),
    "colon-in-text": ("title: T\noverview: Note: this\nsections: []\n", [":2:15: error: invalid YAML: a ': ' inside text starts a mapping here: put the whole text in quotes, or indent it under its key"]),
    "unclosed-quote": ('title: "T\nsections: []\n', [":3:1: error: invalid YAML: the quote opened at line 1, column 8 is never closed"]),
    "not-mapping": ("- a\n- b\n", [":1:1: error: expected a mapping of pack keys (title, sections, …), got a list"]),
    "empty-file": ("   \n", [":1:1: error: file is empty: expected a YAML mapping"]),
    "deep-nesting": ("title: " + "[" * 100 + "]" * 100 + "\nsections: [{title: S}]\n", [":1:71: error: nesting deeper than 64 levels"]),
    "image-alt-missing": (
        "title: T\nsections:\n  - title: S\n    image: {path: a.png}\n",
        [":4:12: error: sections[0].image: missing required key 'alt'"],
    ),
    "image-escapes": (
        "title: T\nsections:\n  - title: S\n    image: {path: ../secret.png, alt: x}\n",
        [":4:19: error: sections[0].image.path: '../secret.png' leaves the pack folder"],
    ),
    "image-missing": (
        "title: T\nsections:\n  - title: S\n    image: {path: images/none.png, alt: x}\n",
        [":4:19: error: sections[0].image.path: image 'images/none.png' not found"],
    ),
    "image-absolute": (
        "title: T\nsections:\n  - title: S\n    image: {path: /etc/passwd, alt: x}\n",
        [":4:19: error: sections[0].image.path: '/etc/passwd' must be a path relative to the pack folder"],
    ),
}


@pytest.mark.parametrize("case", sorted(ERROR_CASES))
def test_error_message_is_pinned(tmp_path, case):
    text, expected = ERROR_CASES[case]
    folder = tmp_path / case
    folder.mkdir()
    (folder / "pack.yaml").write_text(text, encoding="utf-8")
    assert problems(folder) == expected


def test_every_problem_reported_in_one_run_sorted(tmp_path):
    folder = write_pack(tmp_path / "p", """
        titel: T
        sections:
          - title: A
            points: [{x: 1}]
          - summary: s
        glossary:
          - {term: X, definition: d, see: [Y]}
    """)
    lines = problems(folder)
    assert len(lines) == 5, lines
    positions = [tuple(int(n) for n in line.split(":")[1:3]) for line in lines]
    assert positions == sorted(positions)


def test_alias_bomb_is_an_error_not_a_hang(tmp_path):
    lines = ["title: T", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 10) + "]")
    lines.append("sections: [{title: S, points: *a8}]")
    folder = tmp_path / "bomb"
    folder.mkdir()
    (folder / "pack.yaml").write_text("\n".join(lines) + "\n")
    out = problems(folder)
    assert ":1:1: error: document expands to too many values (alias bomb?)" in out


def test_binary_garbage_is_located(tmp_path):
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "pack.yaml").write_bytes(b"title: T\n\xff\xfe\x00garbage")
    assert problems(folder) == [":2:1: error: file is not UTF-8 text"]


def test_control_characters_dropped_with_warning(tmp_path):
    folder = write_pack(tmp_path / "p", 'title: "a\\x07b\\vc"\nsections: [{title: S}]\n')
    report = Report()
    pack = load_pack(folder, report)
    assert pack is not None and pack.title == "abc"
    assert [str(d).split("pack.yaml")[-1] for d in report.diagnostics] == [
        ":1:8: warning: title: dropped 2 control character(s) (U+0007, U+000B) that documents cannot hold"
    ]


@pytest.mark.parametrize(
    "payload, message",
    [
        (b"not an image at all", "cannot be read"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "cannot be read"),
    ],
)
def test_corrupt_images_are_errors(tmp_path, payload, message):
    folder = write_pack(tmp_path / "p", "title: T\nsections:\n  - title: S\n    image: {path: x.png, alt: y}\n")
    (folder / "x.png").write_bytes(payload)
    (line,) = problems(folder)
    assert line.startswith(":4:19: error: sections[0].image.path: image 'x.png' ") and message in line


def test_decompression_bomb_is_an_error(tmp_path):
    folder = write_pack(tmp_path / "p", "title: T\nsections:\n  - title: S\n    image: {path: big.png, alt: y}\n")
    PILImage.new("1", (10000, 10000)).save(folder / "big.png")  # tiny file, 100 MP
    (line,) = problems(folder)
    assert "is 10000x10000 pixels, over the limit" in line


def test_symlinked_image_leaving_pack_is_refused(tmp_path):
    outside = tmp_path / "outside.png"
    PILImage.new("RGB", (4, 4)).save(outside)
    folder = write_pack(tmp_path / "p", "title: T\nsections:\n  - title: S\n    image: {path: link.png, alt: y}\n")
    (folder / "link.png").symlink_to(outside)
    assert problems(folder) == [":4:19: error: sections[0].image.path: 'link.png' leaves the pack folder"]


# Any text survives loading literally (outer white space aside).
texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff\ufffe\uffff\x85\u2028\u2029"),
    min_size=1,
    max_size=80,
).filter(lambda s: s.strip())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=texts, point=texts, term=texts, definition=texts)
def test_any_text_round_trips(tmp_path, title, point, term, definition):
    data = {
        "title": title,
        "sections": [{"title": point, "points": [point, definition]}],
        "glossary": [{"term": term, "definition": definition}],
        "cards": [{"front": definition, "back": title}],
    }
    folder = tmp_path / "h"
    folder.mkdir(exist_ok=True)
    (folder / "pack.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    report = Report()
    pack = load_pack(folder, report)
    assert pack is not None, [str(d) for d in report.diagnostics]
    typed = lambda text: smarten(text.strip(), pack.language)  # quotes print typographic
    assert pack.title == typed(title)
    assert [p.text for p in pack.sections[0].points] == [typed(point), typed(definition)]
    assert pack.glossary[0].term == typed(term)
    assert pack.cards[0].front == typed(definition)
