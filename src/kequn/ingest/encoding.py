"""A text file's encoding, from a sample of its bytes: UTF-8 (with or without BOM), UTF-16
(with or without BOM), GB18030 (and GBK, GB2312), Big5, else charset_normalizer's guess.
Split from :mod:`kequn.ingest.readers`, which reads the file with it."""

from __future__ import annotations

import codecs
import io
import re
from pathlib import Path

from charset_normalizer import from_bytes

#: bytes of a file read to decide its encoding
SAMPLE_BYTES = 256 * 1024


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when it decodes, else GB18030 for Chinese text (Big5
    where that is what the text is), else a guess.

    GB18030 is a superset of GBK and GB2312, so files detected as either are read with it.
    A file whose first part is plain ASCII (a long list of English names, ids, numbers)
    is decided by its first bytes that are not: a GBK file with 中文 only from row 6,000
    was taken for UTF-8, and its import stopped there.
    """
    with path.open("rb") as fh:
        raw = fh.read(SAMPLE_BYTES)
        if raw.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        if raw.isascii() and len(raw) == SAMPLE_BYTES:
            raw = _first_non_ascii(fh) or raw
    return _guess_encoding(raw)


def _first_non_ascii(fh: io.BufferedReader) -> bytes | None:
    """From the first byte that is not ASCII on (a sample of the file's size), or None."""
    while chunk := fh.read(1 << 20):
        if not chunk.isascii():
            at = next(i for i, b in enumerate(chunk) if b >= 0x80)
            return (chunk[at:] + fh.read(SAMPLE_BYTES))[:SAMPLE_BYTES]
    return None


def _guess_encoding(raw: bytes) -> str:
    utf16 = _utf16_without_bom(raw)
    if utf16:
        return utf16
    try:
        decode_sample(raw, "utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = decode_sample(raw, "gb18030")
    except UnicodeDecodeError:
        pass
    else:
        return "cp950" if _is_big5(raw, text) else "gb18030"
    found = from_bytes(raw)
    best = found.best()
    if best is None:
        return "utf-8"
    if any("cp1252" in m.could_be_from_charset for m in found if m.chaos <= best.chaos):
        # the Western European code pages read a short sample without a mess alike, and
        # the guess among them went by a language model's noise (José Señor became José
        # Seńor in cp1250): on a tie, Windows-1252, what Excel in English, French,
        # Spanish... writes
        return "cp1252"
    name = best.encoding.lower()
    return "gb18030" if name in {"gbk", "gb2312", "cp936", "hz"} else name


def _utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 written without its BOM (a tool's "Unicode" export): every other byte of
    Latin text and digits is 0, which is valid UTF-8 and was read as cells full of NULs."""
    pairs = len(raw) // 2
    if pairs < 8 or b"\x00" not in raw:
        return None
    odd, even = raw[1::2].count(0), raw[0::2].count(0)
    # the NULs of its delimiters, line ends and digits (a column of names in 中文 has
    # none), all on one side: text in any other encoding has none at all
    for name, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros > pairs // 16 and other * 8 < zeros:
            try:
                decode_sample(raw, name)
            except UnicodeDecodeError:
                continue
            return name
    return None


_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def _is_big5(raw: bytes, as_gb: str) -> bool:
    """Big5 text (台灣, 香港) decodes as GB18030 too, into other characters (陳大文 became
    朝ゅ): a GB18030 reading with characters of the private use area, where Big5's most
    common characters fall in GBK, is Big5 when Big5 reads it too and charset_normalizer
    (between the two alone) says so."""
    if not _PRIVATE_USE.search(as_gb):
        return False
    try:
        decode_sample(raw, "cp950")
    except UnicodeDecodeError:
        return False
    best = from_bytes(raw[:65536], cp_isolation=["gb18030", "big5"]).best()
    return best is not None and best.encoding.lower() == "big5"


def decode_sample(raw: bytes, encoding: str) -> str:
    """The text of a sample read from a file's start (its last character may be cut)."""
    # the sample may end in the middle of a multi-byte character: decode incrementally
    decoder = codecs.getincrementaldecoder(encoding)()
    return decoder.decode(raw, final=False)
