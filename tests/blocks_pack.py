"""A pack that uses every block kind (table, code, math, figure), for the deck's block tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from helpers import SAMPLE

ELEMENTS = [
    ("Hydrogen", "H", 1, "1.008", "Nonmetal"), ("Helium", "He", 2, "4.0026", "Noble gas"),
    ("Lithium", "Li", 3, "6.94", "Alkali metal"), ("Beryllium", "Be", 4, "9.0122", "Alkaline earth metal"),
    ("Boron", "B", 5, "10.81", "Metalloid"), ("Carbon", "C", 6, "12.011", "Nonmetal"),
]  # fmt: skip

CODE = '''\
def titrate(acid_molarity: float, acid_volume: float, base_molarity: float) -> float:
    """The volume of base (mL) that neutralises the acid: moles of acid = moles of base."""
    moles = acid_molarity * acid_volume / 1000  # mL to L
    return moles / base_molarity * 1000


for volume in (10, 20, 25):
    print(f"{volume} mL of 0.1 M HCl needs {titrate(0.1, volume, 0.1):.1f} mL of 0.1 M NaOH")
'''


def big_table(rows: int = 60) -> dict:
    """A rows x 6 table whose cells differ in length (some wrap)."""
    body = []
    for i in range(rows):
        name, symbol, number, mass, group = ELEMENTS[i % len(ELEMENTS)]
        note = "stable" if i % 5 else "a longer note that needs two lines in a narrow column"
        body.append(
            [
                f"{i + 1}",
                f"**{name}**",
                f"`{symbol}`",
                str(number + 6 * (i // 6)),
                mass,
                f"{group}, {note}",
            ]
        )
    return {"caption": "Sixty elements, *more or less*", "header": ["#", "Element", "Symbol", "Z", "Mass", "Group and notes"],
            "rows": body, "align": ["right", "left", "center", "right", "right", "left"]}  # fmt: skip


def long_code(lines: int = 70) -> str:
    out = ["import math", ""]
    for i in range(lines):
        out.append(f"def step_{i}(x):")
        out.append(
            f"    return math.sqrt(x * {i} + 1)  # step {i}"
            if i % 9
            else f"    return x ** {i}  # {'a very long comment that goes on ' * 3}"
        )
        out.append("")
    return "\n".join(out)


def write_blocks_pack(folder: Path, aspect: str = "16:9", fills: bool = True) -> Path:
    """Every block kind, small and large: one small and one 60-row table, short and long code,
    equations among points, a figure with a caption, a section image."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "images").mkdir(exist_ok=True)
    shutil.copy(SAMPLE / "images" / "timeline.png", folder / "images" / "timeline.png")
    theme = folder / "deck-theme"
    theme.mkdir(exist_ok=True)
    (theme / "theme.yaml").write_text(
        f'extends: default\nslides:\n  aspect: "{aspect}"\nstyle:\n  fills: {str(fills).lower()}\n',
        encoding="utf-8",
    )
    pack = {
        "title": "Acids, bases and code", "course": "Chemistry 101", "theme": "deck-theme",
        "sections": [
            {"title": "Acid strength", "summary": "Strong acids ionise completely; weak ones do not.",
             "notes": "Start with the table.",
             "points": [
                 "Strong acids ionise completely in water.",
                 {"table": {"caption": "Acid strengths at 25 °C", "header": ["Acid", "Formula", "*K*a"],
                            "rows": [["Hydrochloric acid", "HCl", "strong"], ["Acetic acid", "CH₃COOH", "1.8 × 10⁻⁵"],
                                     ["Hydrofluoric acid", "HF", "6.8 × 10⁻⁴"], ["Carbonic acid", "H₂CO₃", "4.3 × 10⁻⁷"]],
                            "align": ["left", "left", "right"]}},
                 "The pH of a solution follows from its hydrogen ion concentration:",
                 {"math": r"\mathrm{pH} = -\log_{10} [\mathrm{H}^+]"},
                 "So a tenfold dilution raises the pH by one.",
                 {"image": {"path": "images/timeline.png", "alt": "A timeline of acid-base theories",
                            "caption": "From Arrhenius (1884) to Lewis (1923): three definitions of an acid."}},
             ]},
            {"title": "Titration in code", "points": [
                "A titration computes an unknown concentration.",
                {"code": CODE, "language": "python", "caption": "Volume of base for a titration"},
                {"code": "pH = -log10([H+])\nno highlighting here, *not markdown*"},
                {"code": long_code(), "language": "python"},
            ], "sections": [
                {"title": "Data", "points": [{"table": big_table()}, "After the table."],
                 "image": {"path": "images/timeline.png", "alt": "Timeline again", "caption": "A section image."}},
            ]},
        ],
        "glossary": [{"term": "Acid", "definition": "A proton donor."}],
    }  # fmt: skip
    (folder / "pack.yaml").write_text(
        yaml.safe_dump(pack, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return folder
