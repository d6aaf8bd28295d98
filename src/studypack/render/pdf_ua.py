"""PDF/UA-1 finishing pass: adds the structure tree, parent tree, XMP and catalog entries to reportlab's file.

reportlab writes the pages with their marked content (pdf_tags) but has no API for a
structure tree. This pass reads the file reportlab wrote (its plain cross-reference table
says where every object is), adds /StructParents and /Tabs /S to each page, /StructParent
to each link annotation, MarkInfo, DisplayDocTitle, /Lang, an XMP packet claiming PDF/UA-1
and the structure tree itself, and writes the file again with a cross-reference stream.
The structure elements (thousands in a long handout) go compressed into object streams.
Plain text formatting, no PDF library: a general one costs more to import than the
handout takes to tag. Everything written derives from the input, so equal inputs give
equal bytes.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from functools import cache
from html import escape

from studypack.render.pdf_tags import MCR, OBJR, Tag, Tagger

PER_STREAM = 500  # structure elements per object stream


@dataclass(frozen=True)
class DocMeta:
    """What the XMP packet says: the same as the document's /Info."""

    title: str
    author: str
    subject: str
    keywords: str
    creator: str
    language: str
    created: tuple[int, int, int, int, int, int]  # UTC, as reportlab stamped /CreationDate


class _Source:
    """reportlab's output, object by object (it writes one classic xref table, no streams of objects)."""

    def __init__(self, data: bytes):
        xref = int(data[data.rindex(b"startxref") + 9 :].split()[0])
        trailer_at = data.index(b"trailer", xref)
        entries = re.findall(rb"(\d{10}) \d{5} ([nf])", data[xref:trailer_at])
        used = sorted((int(off), num) for num, (off, kind) in enumerate(entries) if kind == b"n")
        self.size = len(entries)
        self.header = data[: used[0][0]]
        self.objects: dict[int, bytes] = {}
        for i, (off, num) in enumerate(used):
            end = used[i + 1][0] if i + 1 < len(used) else xref
            self.objects[num] = data[off:end]
        trailer = data[trailer_at:]
        self.root = _ref(rb"/Root", trailer)
        self.info = _ref(rb"/Info", trailer)
        m = re.search(rb"/ID\s*(\[[^\]]*\])", trailer)
        self.id = m.group(1) if m else b""
        pages = self.objects[_ref(rb"/Pages", self.objects[self.root])]
        self.pages = _refs(rb"/Kids", pages)
        self.annots = [_refs(rb"/Annots", self.objects[p]) for p in self.pages]

    def insert(self, num: int, entries: str) -> None:
        """Adds entries at the start of object num's dictionary."""
        body = self.objects[num]
        at = body.index(b"<<") + 2
        self.objects[num] = body[:at] + b"\n" + entries.encode("latin-1") + body[at:]


def _ref(key: bytes, text: bytes) -> int:
    m = re.search(re.escape(key) + rb"\s+(\d+) 0 R", text)
    if m is None:
        raise ValueError(f"no {key.decode()} in the PDF reportlab wrote")
    return int(m.group(1))


def _refs(key: bytes, text: bytes) -> list[int]:
    m = re.search(re.escape(key) + rb"\s*\[([^\]]*)\]", text)
    return [int(n) for n in re.findall(rb"(\d+) 0 R", m.group(1))] if m else []


def text_string(s: str) -> str:
    """A PDF text string: literal when printable ASCII, else UTF-16BE with its byte-order mark."""
    if s.isascii() and s.isprintable():
        return "(" + s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"
    return "<FEFF" + s.encode("utf-16-be").hex().upper() + ">"


@cache
def _name(s: str) -> str:
    return "/" + re.sub(r"[^A-Za-z0-9_.-]", lambda m: f"#{ord(m.group(0)):02X}", s)


class _Tree:
    """The Tags that hold content, numbered in reading order, formatted as structure elements."""

    def __init__(self, src: _Source, tagger: Tagger, first: int):
        self.src, self.tagger, self.next = src, tagger, first
        self.objects: list[tuple[int, str]] = []  # (number, dictionary text)
        self.mcid_parents: dict[int, dict[int, int]] = {}  # page -> mcid -> element number
        self.annot_parents: list[tuple[int, int]] = []  # (annotation number, element number)

    def element(self, tag: Tag, parent: int) -> int | None:
        """Writes tag (and what it holds) as element objects; None when it holds nothing."""
        num = self.next
        self.next += 1
        page: int | None = None
        kids: list[str] = []
        pages = self.src.pages
        for item in self.tagger.content.get(tag, ()):
            if isinstance(item, MCR):
                if page is None:
                    page = item.page
                self.mcid_parents.setdefault(item.page, {})[item.mcid] = num
                if item.page == page:
                    kids.append(str(item.mcid))
                else:
                    kids.append(
                        f"<< /Type /MCR /Pg {pages[item.page - 1]} 0 R /MCID {item.mcid} >>"
                    )
            elif isinstance(item, OBJR):
                annot = self.src.annots[item.page - 1][item.index]
                self.annot_parents.append((annot, num))
                kids.append(f"<< /Type /OBJR /Obj {annot} 0 R /Pg {pages[item.page - 1]} 0 R >>")
            else:
                kid = self.element(item, num)
                if kid is not None:
                    kids.append(f"{kid} 0 R")
        for child in tag.children:
            kid = self.element(child, num)
            if kid is not None:
                kids.append(f"{kid} 0 R")
        if not kids:
            self.next = num  # nothing under it was kept either: its numbers are free again
            return None
        parts = [f"<< /Type /StructElem /S {_name(tag.role)} /P {parent} 0 R"]
        if page is not None:
            parts.append(f"/Pg {pages[page - 1]} 0 R")
        parts.append("/K " + (kids[0] if len(kids) == 1 else "[ " + " ".join(kids) + " ]"))
        for key, value in (
            ("Alt", tag.alt),
            ("Lang", tag.lang),
            ("T", tag.title),
            ("ActualText", tag.actual_text),
        ):
            if value:
                parts.append(f"/{key} {text_string(value)}")
        if tag.attributes:
            parts.append(
                "/A << "
                + " ".join(f"{_name(k)} {_attr(v)}" for k, v in tag.attributes.items())
                + " >>"
            )
        self.objects.append((num, " ".join(parts) + " >>"))
        return num

    def parent_tree(self) -> tuple[str, int]:
        """The parent tree's /Nums (pages are keys 0…, annotations follow) and the next free key."""
        nums: list[str] = []
        for index, page in enumerate(self.src.pages):
            parents = self.mcid_parents.get(index + 1)
            if parents:
                self.src.insert(page, f"/StructParents {index} /Tabs /S")
                nums.append(
                    f"{index} [ "
                    + " ".join(f"{parents[m]} 0 R" for m in range(max(parents) + 1))
                    + " ]"
                )
            else:
                self.src.insert(page, "/Tabs /S")
        key = len(self.src.pages)
        for annot, elem in self.annot_parents:
            self.src.insert(annot, f"/StructParent {key}")
            nums.append(f"{key} {elem} 0 R")
            key += 1
        return "<< /Nums [ " + " ".join(nums) + " ] >>", key


def _attr(v: object) -> str:
    """Attribute values: a str is a name (Table, Column), a list of str are strings (Headers ids)."""
    if isinstance(v, str):
        return _name(v)
    if isinstance(v, (list, tuple)):
        return "[ " + " ".join(text_string(x) if isinstance(x, str) else str(x) for x in v) + " ]"
    return str(v)


def finish(data: bytes, root: Tag, tagger: Tagger, meta: DocMeta) -> bytes:
    """The tagged file: reportlab's bytes with the structure tree and PDF/UA-1 entries added."""
    src = _Source(data)
    tree_root = src.size
    tree = _Tree(src, tagger, tree_root + 1)
    top = tree.element(root, tree_root)
    nums, next_key = tree.parent_tree()
    parent_tree, metadata = tree.next, tree.next + 1
    new: list[tuple[int, str]] = [
        (tree_root, f"<< /Type /StructTreeRoot /K [ {f'{top} 0 R' if top else ''} ] /ParentTree {parent_tree} 0 R "
                    f"/ParentTreeNextKey {next_key} >>"),
        *sorted(tree.objects),
        (parent_tree, nums),
    ]  # fmt: skip
    src.insert(src.root, f"/StructTreeRoot {tree_root} 0 R /MarkInfo << /Marked true >> /Metadata {metadata} 0 R "
                         f"/ViewerPreferences << /DisplayDocTitle true >>")  # fmt: skip
    if b"/Lang" not in src.objects[src.root]:
        src.insert(src.root, f"/Lang {text_string(meta.language)}")
    return _write(src, new, metadata, _xmp(meta).encode("utf-8"))


def _write(src: _Source, packed: list[tuple[int, str]], metadata: int, xmp: bytes) -> bytes:
    """reportlab's objects as they were (the edited ones edited), the XMP stream, the new objects
    in object streams, and a cross-reference stream for all of them."""
    out = bytearray(src.header.replace(b"%PDF-1.4", b"%PDF-1.7", 1))
    where: dict[int, tuple[int, int, int]] = {}  # number -> xref row
    for num in sorted(src.objects):
        where[num] = (1, len(out), 0)
        out += src.objects[num]
    where[metadata] = (1, len(out), 0)
    out += b"%d 0 obj\n<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n" % (
        metadata,
        len(xmp),
    )
    out += xmp + b"\nendstream\nendobj\n"
    number = metadata + 1
    for start in range(0, len(packed), PER_STREAM):
        chunk = packed[start : start + PER_STREAM]
        offsets, bodies, at = [], [], 0
        for i, (num, text) in enumerate(chunk):
            body = text.encode("latin-1") + b"\n"
            offsets.append(b"%d %d" % (num, at))
            bodies.append(body)
            at += len(body)
            where[num] = (2, number, i)
        head = b" ".join(offsets) + b"\n"
        stream = zlib.compress(head + b"".join(bodies))
        where[number] = (1, len(out), 0)
        out += b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n" % (
            number, len(chunk), len(head), len(stream))  # fmt: skip
        out += stream + b"\nendstream\nendobj\n"
        number += 1
    xref = number
    where[xref] = (1, len(out), 0)
    rows = bytearray()
    for num in range(xref + 1):
        kind, a, b = where.get(num, (0, 0, 65535 if num == 0 else 0))
        rows += bytes((kind,)) + a.to_bytes(4, "big") + b.to_bytes(2, "big")
    stream = zlib.compress(bytes(rows))
    out += b"%d 0 obj\n<< /Type /XRef /Size %d /W [ 1 4 2 ] /Root %d 0 R /Info %d 0 R /ID %s " % (
        xref, xref + 1, src.root, src.info, src.id)  # fmt: skip
    out += b"/Filter /FlateDecode /Length %d >>\nstream\n" % len(stream)
    out += stream + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % where[xref][1]
    return bytes(out)


def _xmp(meta: DocMeta) -> str:
    """The XMP packet: PDF/UA-1 identification and what /Info says, in Dublin Core."""
    e = escape
    y, mo, d, h, mi, s = meta.created
    date = f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}+00:00"
    props = [
        "<pdfuaid:part>1</pdfuaid:part>",
        "<dc:format>application/pdf</dc:format>",
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{e(meta.title)}</rdf:li></rdf:Alt></dc:title>',
        f"<dc:language><rdf:Bag><rdf:li>{e(meta.language)}</rdf:li></rdf:Bag></dc:language>",
    ]
    if meta.author:
        props.append(
            f"<dc:creator><rdf:Seq><rdf:li>{e(meta.author)}</rdf:li></rdf:Seq></dc:creator>"
        )
    if meta.subject:
        props.append(
            f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{e(meta.subject)}</rdf:li></rdf:Alt></dc:description>'
        )
    if meta.keywords:
        props.append(f"<pdf:Keywords>{e(meta.keywords)}</pdf:Keywords>")
    props += [f"<xmp:CreatorTool>{e(meta.creator)}</xmp:CreatorTool>", f"<xmp:CreateDate>{date}</xmp:CreateDate>",
              f"<xmp:ModifyDate>{date}</xmp:ModifyDate>"]  # fmt: skip
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
