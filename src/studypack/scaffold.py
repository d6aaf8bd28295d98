"""`studypack new`: a commented pack.yaml that builds as is."""

from __future__ import annotations

from pathlib import Path

from studypack.errors import StudypackError, display_path
from studypack.output import make_folders, write_atomic

TEMPLATE = """\
# A studypack pack. Build it with:  studypack build {folder}
# Text fields take inline Markdown: **bold**, *italic*, `code`, [link](https://example.org).
# Any other character is literal text: <, &, quotes, emoji, accents, CJK.

title: {title}                     # required
subtitle: An example pack to edit
course: Course name · Unit 1
author: Your Name
date: 2026-01-15                   # YYYY-MM-DD; fixes the creation date inside outputs
language: en                       # BCP 47 tag, e.g. en, ja, pt-BR
theme: default                     # or a theme folder; `--theme` on the command line wins

overview: |
  One paragraph that opens the handout and introduces the topic.

sections:                          # at least one
  - title: First section           # required
    summary: A sentence or two that sums the section up.
    points:
      - A bullet point with a **key term**.
      - A point with sub-points
      - - a sub-point (a nested list belongs to the point above it)
        - another sub-point
    notes: Speaker notes for this section's slides.
    # image: {{path: images/figure.png, alt: "What the figure shows", caption: "Optional caption"}}
    sections:                      # subsections have the same shape
      - title: A subsection
        points:
          - Its first point.

glossary:                          # each term becomes a flashcard too
  - term: Key term
    definition: What the key term means.
    see: [Other term]              # names other glossary terms
  - term: Other term
    definition: A related idea.

cards:                             # extra question / answer flashcards
  - front: A question?
    back: Its answer.
"""


def scaffold_pack(folder: Path) -> Path:
    path = folder / "pack.yaml"
    if path.exists() or (folder.exists() and not folder.is_dir()):
        raise StudypackError(f"{display_path(path if path.exists() else folder)} already exists; not overwriting it")
    title = folder.resolve().name.replace("-", " ").replace("_", " ").strip().capitalize() or "My pack"
    try:
        make_folders(folder)
        # whole or not at all: a full disk must not leave an empty pack.yaml that the next `new` refuses
        write_atomic(path, TEMPLATE.format(folder=folder, title=_yaml_text(title)).encode("utf-8"))
    except OSError as e:
        raise StudypackError(f"cannot create {display_path(path)}: {e.strerror or e}") from None
    return path


def _yaml_text(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid quoted YAML scalar
