"""Text shrunk below a readable size is a located warning (so --strict fails on it)."""

from __future__ import annotations

import yaml

from studypack.build import BuildOptions, check_pack


def _check(tmp_path, data: dict, strict: bool = False):
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "pack.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = check_pack(folder, BuildOptions(strict=strict))
    return result, [str(d).split("pack.yaml:")[1] for d in result.diagnostics]


def test_a_slide_title_shrunk_below_28_pt_is_named(tmp_path):
    long = "A section title that runs on about the alliance, its bases, its treaties and its many turns over decades" + " and more" * 3
    result, problems = _check(tmp_path, {"title": "T", "sections": [{"title": long, "points": ["p"]}]}, strict=True)
    assert problems == ["2:3: warning: slide title 'A section title that runs on about the …' shrunk to 24 pt to fit; shorten it"]
    assert result.failed(strict=True)


def test_a_card_shrunk_below_8_pt_is_named_though_the_theme_allows_7(tmp_path):
    back = " ".join(["The treaty obliges each side to act against an armed attack on territory under Japan's administration."] * 16)
    _, problems = _check(tmp_path, {"title": "T", "sections": [{"title": "S", "points": ["p"]}],
                                    "cards": [{"front": "What does Article 5 say?", "back": back}]})  # fmt: skip
    assert len(problems) == 1 and problems[0].startswith("2:3: warning: card 'What does Article 5 say?': back text shrunk to ")
    size = float(problems[0].rsplit("shrunk to ", 1)[1].split(" pt")[0])
    assert size == 7.5
