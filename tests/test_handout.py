"""handout.pdf: the plan (order, anchors, glossary order) and the real PDF read back with pypdf/poppler."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from helpers import (
    DEJAVU,
    ROOTS,
    SAMPLE,
    build_or_fail,
    load_with_theme,
    render_output,
    require_fallback_for,
    require_tool,
)
from studypack.build import BuildOptions, build_pack
from studypack.errors import Report
from studypack.inline import plain_text
from studypack.model import Pack
from studypack.plan.handout import (
    Bullets,
    GlossaryEntry,
    Heading,
    Page,
    fit_image,
    plan_handout,
    sort_key,
)
from studypack.render.pdf_text import fallback_for, visual_order

HOSTILE = ROOTS / "handout-hostile"


@pytest.fixture(scope="module")
def sample() -> tuple[Pack, object]:
    return load_with_theme(SAMPLE)


@pytest.fixture(scope="module")
def handout(sample_outputs) -> pypdf.PdfReader:
    return pypdf.PdfReader(sample_outputs["handout"])


@pytest.fixture(scope="module")
def page_texts(handout) -> list[str]:
    return [p.extract_text() or "" for p in handout.pages]


def norm(text: str) -> str:
    # Poppler marks right-to-left stretches with embedding controls; they are not content.
    text = re.sub("[\u202a-\u202e]", "", text)
    return " ".join(text.split())


# --- plan -------------------------------------------------------------------------------------


def test_glossary_sorted_ignoring_case_and_accents():
    pack, theme = load_with_theme(HOSTILE)
    entries = [b for b in plan_handout(pack, theme, Report()).blocks if isinstance(b, GlossaryEntry)]
    assert [e.term for e in entries] == ["apple & pear", "Éclair", "Emu", "zebra <z>", "東京"]
    anchors = {e.term: e.anchor for e in entries}
    assert len(set(anchors.values())) == len(anchors)
    eclair = next(e for e in entries if e.term == "Éclair")
    assert [(s.term, s.anchor) for s in eclair.see] == [("apple & pear", anchors["apple & pear"])]
    assert sort_key("éclair") < sort_key("Emu") < sort_key("zebra")


def test_plan_numbers_sections_and_keeps_every_point(sample):
    pack, theme = sample
    plan = plan_handout(pack, theme, Report())
    headings = [b for b in plan.blocks if isinstance(b, Heading)]
    sections = list(pack.all_sections())
    numbered = [h for h in headings if h.number]
    assert [h.text for h in numbered] == [s.title for _, s in sections]
    assert [h.level for h in numbered] == [d for d, _ in sections]
    assert numbered[0].number == "1" and numbered[1].number == "1.1"
    assert len({h.anchor for h in headings}) == len(headings)
    bullets = [i.text for b in plan.blocks if isinstance(b, Bullets) for i in b.items]

    def points(ps):
        for p in ps:
            yield p.text
            yield from points(p.children)

    assert bullets == [t for _, s in sections for t in points(s.points)]


def test_images_fit_the_frame_and_are_never_enlarged():
    page = Page(612, 792)
    w, h = fit_image(4000, 1000, page)
    assert w == pytest.approx(page.frame_width) and h == pytest.approx(page.frame_width / 4)
    w, h = fit_image(100, 3000, page)
    assert h <= page.frame_height * 0.45 + 1e-6 and w / h == pytest.approx(100 / 3000)
    assert fit_image(40, 20, page) == (30.0, 15.0)


def test_visual_order_reverses_only_right_to_left_stretches():
    assert visual_order("abc") == "abc"
    assert visual_order("x שלום עולם y") == "x םלוע םולש y"
    assert visual_order("שנת 1951") == "1951 תנש"


# --- the sample handout ------------------------------------------------------------------------


def test_glossary_has_all_terms_in_alphabetical_order(sample, page_texts):
    pack, _ = sample
    lines = [norm(line) for line in "\n".join(page_texts).splitlines()]
    start = len(lines) - lines[::-1].index("Glossary")
    terms = [plain_text(t.term) for t in pack.glossary]
    assert len(terms) == 26
    # Each term is a line of its own (see-also links end in ',' or '.', so never match whole).
    shown = [line for line in lines[start:] if line in set(terms)]
    assert shown == sorted(terms, key=lambda t: t.casefold())


def test_every_point_and_summary_is_in_the_text(sample, page_texts):
    pack, _ = sample
    text = norm("\n".join(page_texts))

    def points(ps):
        for p in ps:
            yield p
            yield from points(p.children)

    missing = [
        p.text for _, s in pack.all_sections() for p in points(s.points) if norm(plain_text(p.text)) not in text
    ]
    assert not missing
    for _, s in pack.all_sections():
        assert norm(plain_text(s.title)) in text
        if s.summary:
            assert norm(plain_text(s.summary)) in text


def _page_index(reader: pypdf.PdfReader, ref) -> int:
    return reader.get_page_number(ref.get_object() if hasattr(ref, "get_object") else ref)


def test_contents_links_point_at_their_sections(sample, handout, page_texts):
    pack, _ = sample
    titles = [f"{n} {plain_text(s.title)}" for n, s in _numbered(pack.sections) if n.count(".") <= 1]
    toc_pages = [i for i, t in enumerate(page_texts) if "Contents" in t][:2]
    links = []
    for i in toc_pages:
        for annot in handout.pages[i].get("/Annots", []):
            a = annot.get_object()
            if a["/Subtype"] == "/Link" and "/Dest" in a:
                links.append((i, a["/Rect"], _page_index(handout, a["/Dest"][0])))
    assert len(links) == len(titles) + 2  # + Overview and Glossary
    toc_text = norm("\n".join(page_texts[i] for i in toc_pages))
    for title in titles:
        number, name = title.split(" ", 1)
        target = next(p for p in range(len(page_texts)) if norm(f"{number} {name}") in norm(page_texts[p]) and p not in toc_pages)
        # The contents line shows the target's page number, and some link lands on that page.
        assert re.search(re.escape(norm(name)) + r"[ .]*" + str(target + 1) + r"\b", toc_text), title
        assert target in {dest for _, _, dest in links}


def _numbered(sections, prefix=""):
    for i, s in enumerate(sections, 1):
        number = f"{prefix}{i}"
        yield number, s
        yield from _numbered(s.sections, number + ".")


def test_bookmarks_for_every_section_land_on_its_page(sample, handout, page_texts):
    pack, _ = sample
    found: dict[str, int] = {}

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found[item.title] = handout.get_destination_page_number(item)

    walk(handout.outline)
    for number, s in _numbered(pack.sections):
        title = f"{number} {plain_text(s.title)}"
        assert title in found, title
        assert norm(plain_text(s.title)) in norm(page_texts[found[title]])
    assert {"Contents", "Overview", "Glossary"} <= set(found)


def test_fonts_are_embedded_truetype_subsets(handout):
    fonts = _fonts(handout)
    assert fonts
    for name, font in fonts.items():
        descriptor = font.get("/FontDescriptor")
        assert descriptor is not None and "/FontFile2" in descriptor.get_object(), name
        assert re.match(r"/[A-Z]{6}\+", str(font["/BaseFont"])), name


def _fonts(reader: pypdf.PdfReader) -> dict[str, pypdf.generic.DictionaryObject]:
    fonts: dict[str, pypdf.generic.DictionaryObject] = {}

    def visit(resources) -> None:
        resources = resources.get_object() if resources is not None else {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
        for xobj in (resources.get("/XObject") or {}).values():
            xobj = xobj.get_object()
            if xobj.get("/Subtype") == "/Form":
                visit(xobj.get("/Resources"))

    for page in reader.pages:
        visit(page.get("/Resources"))
    return fonts


def test_metadata_language_and_dates(sample, handout):
    pack, _ = sample
    meta = handout.metadata
    assert meta.title == plain_text(pack.title)
    assert meta.author == pack.author
    assert pack.subtitle in meta.subject
    assert "Article 9 of the Japanese Constitution" in meta["/Keywords"]
    assert handout.trailer["/Root"]["/Lang"] == pack.language
    assert meta["/CreationDate"].startswith(pack.build_time().strftime("D:%Y%m%d%H%M%S"))


def test_page_n_of_n_and_letter_paper(handout, page_texts):
    n = len(page_texts)
    assert f"Page {n} of {n}" in page_texts[-1]
    assert "Page 2 of" in page_texts[1] and "Page 1 of" not in page_texts[0]
    box = handout.pages[0].mediabox
    assert (float(box.width), float(box.height)) == (612, 792)


def test_a4_paper(tmp_path):
    pdf = build_or_fail(SAMPLE, tmp_path, only=("handout",), paper="a4")["handout"]
    box = pypdf.PdfReader(pdf).pages[3].mediabox
    assert float(box.width) == pytest.approx(595.28, abs=0.01)
    assert float(box.height) == pytest.approx(841.89, abs=0.01)


def test_same_input_same_bytes(sample):
    pack, theme = sample
    assert render_output("handout", pack, theme) == render_output("handout", pack, theme)


def test_image_and_its_alt_text(sample, handout, page_texts):
    pack, _ = sample
    image = pack.images()[0]
    page = next(i for i, t in enumerate(page_texts) if norm(plain_text(image.caption)) in norm(t))
    xobjects = handout.pages[page]["/Resources"]["/XObject"]
    assert any(x.get_object()["/Subtype"] == "/Image" for x in xobjects.values())
    alt = image.alt.encode("utf-16-be").hex().upper()
    assert alt.encode() in handout.pages[page].get_contents().get_data()


def test_logo_on_the_cover(tmp_path):
    theme = tmp_path / "brand"
    theme.mkdir()
    Image.new("RGB", (400, 120), "#1F3A5F").save(theme / "logo.png")
    (theme / "theme.yaml").write_text("name: Brand\nextends: default\nlogo: logo.png\npaper: a4\n")
    pdf = build_or_fail(SAMPLE, tmp_path / "out", only=("handout",), theme=str(theme))["handout"]
    cover = pypdf.PdfReader(pdf).pages[0]
    images = [x for x in cover["/Resources"]["/XObject"].values() if x.get_object()["/Subtype"] == "/Image"]
    assert len(images) == 1
    assert float(cover.mediabox.width) == pytest.approx(595.28, abs=0.01)


# --- hostile text ------------------------------------------------------------------------------

LITERALS = [
    "Tags <b>bold</b> & {{ 7*7 }} — 日本語",
    "&amp; <para> %(x)s",
    "Zoë O’Brien & <i>Co</i>",
    "Overview with <br/> and &lt; and {% raw %} and ${HOME} and real bold.",
    "東京は日本の首都です。",
    "Summary <font color=red>red?</font> &nbsp; %s %(x)s {{ pack.title }}",
    "Literal <b>tag</b> and &amp; entity",
    "Para <para> and </para> and <![CDATA[x]]>",
    "Template {{ 7*7 }} and {% if true %}yes{% endif %}",
    "Format %(x)s and %d and {0} and \\n",
    "Nested 👍 emoji 🎌 and café naïve Ångström",
    "Deeper: 中文字符 and 한국어 and עברית",
    "A link with <angle> & amp and code <b> & {{ x }}",
    "Sub «quotes» “curly” ‘single’ – dash",
    "Backslash \\ and quote \" and apostrophe ’",  # apostrophes print typographic
    "RTL: مرحبا بالعالم",
    "שלום עולם",
    "日米安全保障条約は1951年に署名された。",
    "Sorted under E, {{ 7*7 }}.",
    "zebra <z>",
    "Last & least <b>.",
]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    out = tmp_path_factory.mktemp("hostile")
    result = build_pack(HOSTILE, BuildOptions(out=out, only=("handout",)))
    assert not [d for d in result.diagnostics if d.severity == "error"], result.diagnostics
    return out / "handout-hostile" / "handout.pdf", result.diagnostics


@pytest.mark.render
def test_hostile_text_comes_out_literally_with_poppler(hostile):
    pdftotext = require_tool("pdftotext")
    text = norm(subprocess.run([pdftotext, str(hostile[0]), "-"], capture_output=True, text=True, check=True).stdout)
    missing = [s for s in LITERALS if norm(s) not in text]
    assert not missing
    assert "49" not in text  # no template ever ran on content


def test_hostile_text_comes_out_literally_with_pypdf(hostile):
    reader = pypdf.PdfReader(hostile[0])
    text = norm("\n".join(p.extract_text() for p in reader.pages))
    ltr = [s for s in LITERALS if not any("\u0590" <= c <= "\u08ff" for c in s)]  # pypdf keeps drawn order for RTL
    assert not [s for s in ltr if norm(s) not in text]
    assert reader.metadata.title == "Tags <b>bold</b> & {{ 7*7 }} — 日本語"
    assert reader.trailer["/Root"]["/Lang"] == "ja"
    for name, font in _fonts(reader).items():
        assert "/FontFile2" in font["/FontDescriptor"].get_object(), name


def test_missing_glyphs_are_warned_with_their_location(hostile):
    _, diagnostics = hostile
    warnings = [d for d in diagnostics if d.severity == "warning"]
    lines = Path(HOSTILE / "pack.yaml").read_text().splitlines()
    emoji_line = next(i for i, line in enumerate(lines, 1) if "👍" in line)
    if fallback_for("👍") is None:
        hit = [w for w in warnings if "U+1F44D" in w.message]
        assert hit and hit[0].line == emoji_line and hit[0].path.endswith("pack.yaml")
    if fallback_for("日") is not None:  # CJK drawn with an installed font, not warned about
        assert not [w for w in warnings if "U+65E5" in w.message]


# --- fast paragraphs: same fragments and lines as reportlab's own path --------------------------


def _frag_dicts(x):
    """Fragments (or the word lists the line breaker turns them into) as plain data."""
    if isinstance(x, (list, tuple)):
        return [type(x).__name__, [_frag_dicts(i) for i in x]]
    if hasattr(x, "__dict__"):
        return [type(x).__name__, {k: _frag_dicts(v) for k, v in sorted(x.__dict__.items())}]
    return x


@pytest.mark.parametrize(
    "markup",
    [
        "plain words",
        "Tom &amp; Jerry &lt;b&gt; not bold &gt; x",
        "1\u00a0\u00a0Title with\n   a line   break",
        '<a name="term-x"/>Term <b>bold <i>both</i></b> and <font face="Courier">code</font>',
        'see <a href="#a" color="#123456">one &amp; two</a>, <a href="http://x/?a=1&amp;b=2" color="#123456">x</a>.',
        '<a href="  #spaced  " color="red">link</a> after',
    ],
)
def test_parsed_shapes_match_reportlabs_parser(markup):
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from studypack.render.handout_para import Para

    style = ParagraphStyle("t", fontName="Helvetica", fontSize=10, leading=12)
    for _ in range(2):  # the second time comes from the cached shape
        fast, slow = Para(markup, style), Paragraph(markup, style)
        assert _frag_dicts(fast.frags) == _frag_dicts(slow.frags)
        assert fast.wrap(120, 500) == slow.wrap(120, 500)
        assert _frag_dicts(fast.frags) == _frag_dicts(slow.frags)  # frags the line breaker rewrote


def test_paragraph_lines_are_broken_once_per_width():
    from reportlab.lib.styles import ParagraphStyle

    from studypack.render.handout_para import Para

    p = Para("word " * 60, ParagraphStyle("t", fontName="Helvetica", fontSize=10, leading=12))
    size = p.wrap(200, 1000)
    lines = p.blPara
    assert p.wrap(200, 30) == size and p.blPara is lines  # height does not change line breaks
    narrower = p.wrap(100, 1000)
    assert p.blPara is not lines and narrower[1] > size[1]


def test_covered_right_to_left_text_is_still_reordered():
    font = require_fallback_for("ש", DEJAVU)
    from studypack.fonts import register_pdf_family
    from studypack.render.pdf_text import Glyphs

    assert Glyphs(Report()).text("x שלום", font, None) == "x םולש"
    body = register_pdf_family("Vera").regular
    assert Glyphs(Report()).text("Tom & <Jerry> – café", body, None) == "Tom &amp; &lt;Jerry&gt; – café"


def test_a_character_no_font_has_still_extracts_when_the_theme_is_set_in_vera(tmp_path):
    """Such characters are drawn with a private copy of Vera; reportlab shares one font object per
    face name, so a theme in Vera used to take its place and the character extracted as NUL."""
    if fallback_for("👍") is not None:
        pytest.skip("an installed font draws 👍")
    (tmp_path / "theme").mkdir()
    (tmp_path / "theme" / "theme.yaml").write_text("extends: default\nfonts: {body: Vera, heading: Vera}\n")
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "pack.yaml").write_text('title: T\nsections: [{title: S, points: ["Thumbs 👍 up"]}]\n')
    result = build_pack(tmp_path / "p", BuildOptions(out=tmp_path / "o", only=("handout",), theme=str(tmp_path / "theme")))
    assert any("'👍' (U+1F44D)" in str(d) for d in result.diagnostics)  # warned: it prints as a box
    text = "".join(page.extract_text() for page in pypdf.PdfReader(tmp_path / "o" / "p" / "handout.pdf").pages)
    assert "Thumbs 👍 up" in text
