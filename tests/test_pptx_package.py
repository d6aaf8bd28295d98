"""deck.pptx's package read back as a zip: docProps/app.xml true to the deck, no printer settings."""

from __future__ import annotations

import dataclasses
import io
import zipfile

import pytest
from lxml import etree
from pptx import Presentation

from helpers import render_output

APP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
VT = "{http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes}"


@pytest.mark.parametrize(
    ("aspect", "format_name"), [("16:9", "Widescreen"), ("4:3", "On-screen Show (4:3)")]
)
def test_app_xml_tells_the_deck_as_it_is(pack, theme, aspect, format_name):
    t = dataclasses.replace(theme, slides=dataclasses.replace(theme.slides, aspect=aspect))
    blob = render_output("deck", pack, t)
    prs = Presentation(io.BytesIO(blob))
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        app = etree.fromstring(z.read("docProps/app.xml"))
        names = z.namelist()
        content_types = z.read("[Content_Types].xml").decode()
        rels = "".join(z.read(n).decode() for n in names if n.endswith(".rels"))
    assert app.findtext(f"{APP}Application") == "studypack"
    assert app.findtext(f"{APP}PresentationFormat") == format_name
    assert int(app.findtext(f"{APP}Slides")) == len(prs.slides) > 10
    assert int(app.findtext(f"{APP}Notes")) == sum(s.has_notes_slide for s in prs.slides) > 0
    pairs = [v[0].text for v in app.find(f"{APP}HeadingPairs")[0]]
    headings = dict(zip(pairs[::2], map(int, pairs[1::2])))
    assert headings["Slide Titles"] == len(prs.slides)
    titles = [t.text for t in app.find(f"{APP}TitlesOfParts").iter(f"{VT}lpstr")]
    assert len(titles) == sum(headings.values())
    assert titles[-len(prs.slides) :] == [s.shapes.title.text for s in prs.slides]
    assert "Arial" in titles[: headings["Fonts Used"]]
    assert not [n for n in names if "printerSettings" in n]
    assert "printerSettings" not in content_types and "printerSettings" not in rels
