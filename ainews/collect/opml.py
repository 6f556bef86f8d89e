"""OPML 1.0/2.0 subscription lists: read (`ainews sources import`) and write (`ainews sources export`).

Parsing is safe for files from anywhere: a file declaring entities is refused before parsing, and
lxml runs with entity resolution, DTD loading and network access off, so neither a billion-laughs
file nor an external entity can do harm.
"""

from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from lxml import etree

from ainews.errors import UserError
from ainews.text.urls import normalize_url

# libxml2 expands internal entities even with resolve_entities=False: refuse any declaration
# (in UTF-8 or UTF-16), since OPML never needs one.
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.I)
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class OpmlError(UserError):
    """A file that is not usable OPML; one line naming the file and the problem."""


@dataclass(slots=True)
class Outline:
    """One feed of an OPML file (folders are flattened; their names are dropped)."""

    name: str
    xml_url: str
    html_url: str | None = None


def parse_opml(content: bytes, where: str = "OPML") -> list[Outline]:
    """Every outline with an http(s) xmlUrl, nested ones included, the first of duplicate URLs kept."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    if _ENTITY_DECL.search(content.replace(b"\x00", b"")):  # nulls out: UTF-16 files too
        raise OpmlError(f"{where}: entity declarations are not allowed in OPML (<!ENTITY …>)")
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        raise OpmlError(f"{where}: not valid XML ({str(exc).splitlines()[0]})") from None
    if root is None or not isinstance(root.tag, str) or etree.QName(root).localname.lower() != "opml":
        raise OpmlError(f"{where}: not an OPML file (root element is not <opml>)")
    outlines: list[Outline] = []
    seen: set[str] = set()
    for node in root.iter():
        if not isinstance(node.tag, str) or etree.QName(node).localname.lower() != "outline":
            continue
        attrs = {k.lower(): (v or "").strip() for k, v in node.attrib.items() if isinstance(k, str)}
        url = attrs.get("xmlurl", "")
        if urlsplit(url).scheme not in ("http", "https") or normalize_url(url) in seen:
            continue
        seen.add(normalize_url(url))
        labels = [" ".join(attrs.get(k, "").split()) for k in ("title", "text")]
        name = next((label for label in labels if label), urlsplit(url).hostname or url)
        outlines.append(Outline(name=name, xml_url=url, html_url=attrs.get("htmlurl") or None))
    return outlines


def to_opml(outlines: list[Outline], title: str = "ainews sources") -> str:
    """An OPML 2.0 document (UTF-8, everything escaped by lxml) that `parse_opml` reads back."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    etree.SubElement(head, "dateCreated").text = email.utils.format_datetime(datetime.now(UTC))
    body = etree.SubElement(root, "body")
    for item in outlines:
        name, url = _NOT_XML.sub("", item.name), _NOT_XML.sub("", item.xml_url)
        node = etree.SubElement(body, "outline", type="rss", text=name, title=name, xmlUrl=url)
        if item.html_url:
            node.set("htmlUrl", _NOT_XML.sub("", item.html_url))
    xml = etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True)
    return xml.decode("utf-8")
