"""ReBIT FI XML to the nested dicts the JSON form of the same data has.

The ReBIT FI schemas are defined in XML first (``<Account linkedAccRef=".."
type="deposit"><Profile><Holders><Holder name=".."/>...``): attributes carry
the values and child elements the structure. Turning each ``<Account>`` into
the dict its JSON twin would be lets :mod:`pipeline.aa_import` map both with
one set of field tables. Parsing goes through ``defusedxml`` with DTDs
forbidden: FI data never needs one, and entity expansion is an attack.
"""
from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element, ParseError
from xml.parsers.expat import ErrorString

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree

FI_NAMESPACE_PREFIX = "http://api.rebit.org.in/FISchema/"
MAX_DEPTH = 64  # ReBIT accounts are 4 levels deep; a guard against recursion on hostile input

Segment = str | int


class AAXmlError(ValueError):
    """XML that is malformed, unsafe or holds no ``<Account>`` (message names line/column or element)."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def render_xml_path(segments: tuple[Segment, ...]) -> str:
    """``("Accounts", "Account", 1, "Transactions")`` -> ``/Accounts/Account[2]/Transactions`` (XPath, 1-based)."""
    return "".join(f"[{s + 1}]" if isinstance(s, int) else f"/{s}" for s in segments)


def _element_to_node(element: Element, segments: tuple[Segment, ...]) -> Any:
    """Attributes become keys, child elements nested dicts, repeated children a list.

    A bare element with only text (``<narration>..</narration>``, seen in
    non-ReBIT dialects) becomes its text, so it reads like a JSON scalar.
    """
    if len(segments) > MAX_DEPTH:
        raise AAXmlError(f"{render_xml_path(segments[:3])}...: nested too deeply")
    node: dict[str, Any] = {name: value for name, value in element.attrib.items() if not name.startswith("{")}
    groups: dict[str, list[Element]] = {}
    for child in element:
        if isinstance(child.tag, str):  # comments and processing instructions are skipped
            groups.setdefault(_local(child.tag), []).append(child)
    if not node and not groups:
        return (element.text or "").strip()
    for name, children in groups.items():
        if name in node:
            raise AAXmlError(f"{render_xml_path(segments)}: {name!r} is both an attribute and a child element")
        if len(children) == 1:
            node[name] = _element_to_node(children[0], segments + (name,))
        else:
            node[name] = [_element_to_node(c, segments + (name, i)) for i, c in enumerate(children)]
    return node


Located = tuple[tuple[Segment, ...], Element]


def _find_accounts(element: Element, segments: tuple[Segment, ...], found: list[Located]) -> None:
    if len(segments) > MAX_DEPTH:
        raise AAXmlError(f"{render_xml_path(segments[:3])}...: nested too deeply")
    if _local(element.tag).lower() == "account":
        found.append((segments, element))
        return
    counts: dict[str, int] = {}
    for child in element:
        if isinstance(child.tag, str):
            counts[_local(child.tag)] = counts.get(_local(child.tag), 0) + 1
    seen: dict[str, int] = {}
    for child in element:
        if not isinstance(child.tag, str):
            continue
        name = _local(child.tag)
        index = seen.get(name, 0)
        seen[name] = index + 1
        _find_accounts(child, segments + ((name, index) if counts[name] > 1 else (name,)), found)


def parse_xml_accounts(data: bytes) -> list[tuple[tuple[Segment, ...], dict[str, Any]]]:
    """Every ``<Account>`` of an XML document as ``(element path segments, dict)``.

    The root may be an ``<Account>`` or any wrapper holding several. An
    account without a ``type`` attribute takes its FI type from the ReBIT
    namespace (``.../FISchema/deposit`` -> ``deposit``), which is how the XML
    form says what it is.
    """
    try:
        root = SafeElementTree.fromstring(data, forbid_dtd=True)
    except ParseError as exc:
        line, column = exc.position
        raise AAXmlError(f"line {line}, column {column + 1}: malformed XML: {ErrorString(exc.code)}") from None
    except DefusedXmlException as exc:
        raise AAXmlError(f"XML with a DTD or entity declarations is refused ({type(exc).__name__})") from None
    found: list[Located] = []
    _find_accounts(root, (_local(root.tag),), found)
    if not found:
        raise AAXmlError(f"{render_xml_path((_local(root.tag),))}: no <Account> element in the document")
    accounts = []
    for segments, element in found:
        node = _element_to_node(element, segments)
        if not isinstance(node, dict):
            raise AAXmlError(f"{render_xml_path(segments)}: empty <Account> element")
        namespace = _namespace(element.tag)
        if not any(key.lower() == "type" for key in node) and namespace.startswith(FI_NAMESPACE_PREFIX):
            node["type"] = namespace[len(FI_NAMESPACE_PREFIX):].strip("/")
        accounts.append((segments, node))
    return accounts
