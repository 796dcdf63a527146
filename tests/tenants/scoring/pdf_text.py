"""The text lines of an uncompressed PDF written by fpdf2 with embedded TrueType fonts.

Such a PDF draws glyph numbers, not letters; each font's ToUnicode map turns them back
into text.  Every ``(…) Tj`` string is decoded with every map of the file (a line is drawn
in one font, so one of the decodings is the line as written).
"""

from __future__ import annotations

import re

CMAP = re.compile(rb"begincmap(.*?)endcmap", re.S)
BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
HEX = rb"<([0-9A-Fa-f]+)>"
PAIR = re.compile(HEX + rb"\s*" + HEX)
TRIPLE = re.compile(HEX + rb"\s*" + HEX + rb"\s*" + HEX)
ESCAPES = {b"n": 10, b"r": 13, b"t": 9, b"b": 8, b"f": 12, b"(": 40, b")": 41, b"\\": 92}


def _unicode(hex_digits: bytes) -> str:
    return bytes.fromhex(hex_digits.decode()).decode("utf-16-be")


def cmaps(data: bytes) -> list[dict[int, str]]:
    found = []
    for block in CMAP.finditer(data):
        mapping: dict[int, str] = {}
        for chars in BFCHAR.finditer(block.group(1)):
            for source, target in PAIR.findall(chars.group(1)):
                mapping[int(source, 16)] = _unicode(target)
        for ranges in BFRANGE.finditer(block.group(1)):
            for first, last, target in TRIPLE.findall(ranges.group(1)):
                start = ord(_unicode(target))
                for offset, glyph in enumerate(range(int(first, 16), int(last, 16) + 1)):
                    mapping[glyph] = chr(start + offset)
        found.append(mapping)
    return found


def shown_strings(data: bytes) -> list[bytes]:
    """The raw bytes of every literal string followed by ``Tj``."""
    strings = []
    i = 0
    while True:
        start = data.find(b"(", i)
        if start < 0:
            return strings
        depth, j, raw = 1, start + 1, bytearray()
        while j < len(data) and depth:
            ch = data[j : j + 1]
            if ch == b"\\":
                nxt = data[j + 1 : j + 2]
                if nxt in ESCAPES:
                    raw.append(ESCAPES[nxt])
                    j += 2
                    continue
                octal = re.match(rb"[0-7]{1,3}", data[j + 1 : j + 4])
                if octal:
                    raw.append(int(octal.group(0), 8) & 0xFF)
                    j += 1 + len(octal.group(0))
                    continue
                j += 2
                continue
            if ch == b"(":
                depth += 1
            elif ch == b")":
                depth -= 1
                if not depth:
                    break
            raw.append(data[j])
            j += 1
        if data[j + 1 : j + 4].strip().startswith(b"Tj"):
            strings.append(bytes(raw))
        i = j + 1


def text_lines(data: bytes) -> list[str]:
    maps = cmaps(data)
    lines = []
    for raw in shown_strings(data):
        glyphs = [int.from_bytes(raw[k : k + 2], "big") for k in range(0, len(raw) - 1, 2)]
        for mapping in maps:
            lines.append("".join(mapping.get(g, "\ufffd") for g in glyphs))
    return lines
