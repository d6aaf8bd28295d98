"""PDF/UA-1 finishing pass (pikepdf): the structure tree, parent tree, XMP and catalog entries of a tagged PDF.

reportlab writes the pages with their marked content (pdf_tags); this pass adds what
reportlab has no API for: the structure tree from the renderer's Tags, the parent tree
that maps MCIDs and link annotations back to their elements, /Contents on every link,
/Tabs /S on every page, MarkInfo, DisplayDocTitle and an XMP packet that claims
PDF/UA-1. Everything it writes derives from the input bytes and the Tags (dates from the
document's own /Info), and qpdf writes it with a content-derived /ID: equal inputs give
equal bytes.
"""

from __future__ import annotations

import io
import re
from xml.sax.saxutils import escape

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from studypack.render.pdf_tags import MCR, OBJR, Tag, Tagger


class _Tree:
    """Writes Tags as structure elements, and remembers each MCID's and annotation's element."""

    def __init__(self, pdf: pikepdf.Pdf, tagger: Tagger):
        self.pdf, self.tagger = pdf, tagger
        self.pages = [p.obj for p in pdf.pages]
        self.mcid_parents: dict[int, dict[int, Dictionary]] = {}  # page -> mcid -> element
        self.annot_parents: list[tuple[Dictionary, Dictionary]] = []  # (annotation, element)

    def element(self, tag: Tag, parent: Dictionary) -> Dictionary | None:
        """tag as an indirect structure element under parent, or None when it holds nothing."""
        elem = self.pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + tag.role), P=parent))
        kids: list[object] = []
        page: int | None = None
        for item in self.tagger.content.get(tag, ()):
            if isinstance(item, MCR):
                if page is None:
                    page = item.page
                    elem.Pg = self.pages[page - 1]
                self.mcid_parents.setdefault(item.page, {})[item.mcid] = elem
                if item.page == page:
                    kids.append(item.mcid)
                else:
                    kids.append(Dictionary(Type=Name.MCR, Pg=self.pages[item.page - 1], MCID=item.mcid))
            elif isinstance(item, OBJR):
                annot = self.pages[item.page - 1].Annots[item.index]
                annot.Contents = String(self.tagger.annots[item.page][item.index])
                self.annot_parents.append((annot, elem))
                kids.append(Dictionary(Type=Name.OBJR, Obj=annot, Pg=self.pages[item.page - 1]))
            else:
                kid = self.element(item, elem)
                if kid is not None:
                    kids.append(kid)
        for child in tag.children:
            kid = self.element(child, elem)
            if kid is not None:
                kids.append(kid)
        if not kids:
            return None  # an unreferenced object: qpdf does not write it
        elem.K = Array(kids) if len(kids) > 1 else kids[0]
        for key, value in (("Alt", tag.alt), ("Lang", tag.lang), ("T", tag.title), ("ActualText", tag.actual_text)):
            if value:
                elem[Name("/" + key)] = String(value)
        if tag.attributes:
            elem.A = Dictionary({Name("/" + k): _pdf_value(v) for k, v in tag.attributes.items()})
        return elem

    def parent_tree(self) -> Dictionary:
        nums: list[object] = []
        for index, page in enumerate(self.pages):
            parents = self.mcid_parents.get(index + 1)
            if not parents:
                continue
            page.StructParents = index
            nums += [index, Array([parents[m] for m in range(max(parents) + 1)])]
        key = len(self.pages)
        for annot, elem in self.annot_parents:
            annot.StructParent = key
            nums += [key, elem]
            key += 1
        self.next_key = key
        return Dictionary(Nums=Array(nums))


def _pdf_value(v: object) -> object:
    """Attribute values: a str is a name (Table, Column), a list of str are strings (Headers ids)."""
    if isinstance(v, str):
        return Name("/" + v)
    if isinstance(v, (list, tuple)):
        return Array([String(x) if isinstance(x, str) else x for x in v])
    return v


def finish(data: bytes, root: Tag, tagger: Tagger, language: str) -> bytes:
    """The tagged file: reportlab's bytes with the structure tree and PDF/UA-1 entries added."""
    pdf = pikepdf.open(io.BytesIO(data))
    tree = _Tree(pdf, tagger)
    struct_root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    top = tree.element(root, struct_root)
    struct_root.K = Array([top]) if top is not None else Array()
    struct_root.ParentTree = pdf.make_indirect(tree.parent_tree())
    struct_root.ParentTreeNextKey = tree.next_key
    for page in tree.pages:
        page.Tabs = Name.S
    catalog = pdf.Root
    catalog.StructTreeRoot = struct_root
    catalog.MarkInfo = Dictionary(Marked=True)
    catalog.Lang = String(language)
    prefs = catalog.get("/ViewerPreferences", Dictionary())
    prefs.DisplayDocTitle = True
    catalog.ViewerPreferences = prefs
    catalog.Metadata = pdf.make_stream(_xmp(pdf, language).encode("utf-8"), Type=Name.Metadata, Subtype=Name.XML)
    out = io.BytesIO()
    # Object streams: a thousand structure elements would otherwise add half the file's size.
    pdf.save(out, deterministic_id=True, stream_decode_level=pikepdf.StreamDecodeLevel.none,
             object_stream_mode=pikepdf.ObjectStreamMode.generate)  # fmt: skip
    return out.getvalue()


def _info(pdf: pikepdf.Pdf, key: str) -> str:
    value = pdf.trailer.get("/Info", Dictionary()).get("/" + key)
    return str(value) if value is not None else ""


def _xmp_date(pdf_date: str) -> str:
    """D:20261124093000+00'00' -> 2026-11-24T09:30:00+00:00 (the same instant as /Info says)."""
    m = re.match(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:([+-])(\d\d)'(\d\d)'?|Z)?", pdf_date)
    if not m:
        return ""
    y, mo, d, h, mi, s, sign, th, tm = m.groups()
    zone = f"{sign}{th}:{tm}" if sign else "Z"
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}{zone}"


def _xmp(pdf: pikepdf.Pdf, language: str) -> str:
    """The XMP packet: PDF/UA-1 identification and what /Info says, in Dublin Core."""
    e = lambda s: escape(s, {'"': "&quot;"})  # noqa: E731
    title, author, subject = _info(pdf, "Title"), _info(pdf, "Author"), _info(pdf, "Subject")
    created, modified = _xmp_date(_info(pdf, "CreationDate")), _xmp_date(_info(pdf, "ModDate"))
    props = [
        "<pdfuaid:part>1</pdfuaid:part>",
        "<dc:format>application/pdf</dc:format>",
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{e(title)}</rdf:li></rdf:Alt></dc:title>',
        f"<dc:language><rdf:Bag><rdf:li>{e(language)}</rdf:li></rdf:Bag></dc:language>",
    ]
    if author:
        props.append(f"<dc:creator><rdf:Seq><rdf:li>{e(author)}</rdf:li></rdf:Seq></dc:creator>")
    if subject:
        props.append(f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{e(subject)}</rdf:li></rdf:Alt></dc:description>')
    for key, tag in (("Keywords", "pdf:Keywords"), ("Producer", "pdf:Producer"), ("Creator", "xmp:CreatorTool")):
        if _info(pdf, key):
            props.append(f"<{tag}>{e(_info(pdf, key))}</{tag}>")
    if created:
        props.append(f"<xmp:CreateDate>{created}</xmp:CreateDate>")
    if modified:
        props.append(f"<xmp:ModifyDate>{modified}</xmp:ModifyDate>")
    body = "\n   ".join(props)
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        '    xmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"\n'
        '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"\n'
        '    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">\n'
        f"   {body}\n"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )
