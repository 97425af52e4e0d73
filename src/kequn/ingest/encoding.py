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
    return _neither_utf8_nor_gb(raw)


def _neither_utf8_nor_gb(raw: bytes) -> str:
    """The encoding of a sample that decodes as neither UTF-8 nor GB18030."""
    if _mostly_utf8(raw):
        return "utf-8"
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


def _mostly_utf8(raw: bytes) -> bool:
    """Whether as many of the sample's lines with non-ASCII text are UTF-8 as are not: a
    UTF-8 file with a line pasted in from a GBK one (two exports put together) was read
    as a Cyrillic code page, every 中文 header garbled; read as UTF-8, its import stops
    at that line and says which it is. (A file in another encoding has next to no lines
    that are valid UTF-8 with non-ASCII text in them.)"""
    good = bad = 0
    for line in raw.split(b"\n")[:-1]:  # (the sample's last line may be cut)
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            good += 1
        except UnicodeDecodeError:
            bad += 1
    return good > 0 and good >= bad


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


#: a lead byte and the byte after it: one character of a double-byte encoding (GBK, Big5)
_PAIR = re.compile(rb"[\x81-\xfe][\x00-\xff]")


def _pairs(first: range, second: tuple[range, ...]) -> frozenset[bytes]:
    return frozenset(bytes((a, b)) for a in first for r in second for b in r)


#: GB2312's first level, its 3,755 most used 汉字 (B0A1-D7FE), where a GBK file's text
#: nearly all is; and Big5's 5,401 常用字 (A440-C67E), where a Big5 file's is. Big5 has
#: its trail bytes in 40-7E and A1-FE (the Big5 and GB 2312 code charts; from knowledge
#: of the standards, no source fetched). A character's two bytes in one set and not the
#: other tell which the text is: 陳 (Big5 B3AF) is in both, 大 (A46A) only in Big5's,
#: 陈 (GBK B3C2) in both, 伟 (CEB0) only in GBK's
_GB_COMMON = _pairs(range(0xB0, 0xD8), (range(0xA1, 0xFF),))
_BIG5_COMMON = _pairs(range(0xA4, 0xC6), (range(0x40, 0x7F), range(0xA1, 0xFF))) | _pairs(
    range(0xC6, 0xC7), (range(0x40, 0x7F),)
)
_GB_ONLY = _GB_COMMON - _BIG5_COMMON
_BIG5_ONLY = _BIG5_COMMON - _GB_COMMON


def _common_characters(raw: bytes) -> tuple[int, int]:
    """How many characters of ``raw`` are common in GBK and not in Big5, and the other way."""
    pairs = _PAIR.findall(raw)
    return sum(p in _GB_ONLY for p in pairs), sum(p in _BIG5_ONLY for p in pairs)


_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def _is_big5(raw: bytes, as_gb: str) -> bool:
    """Big5 text (台灣, 香港) decodes as GB18030 too, into other characters (陳大文 became
    朝ゅ). When Big5 reads it as well, the text is Big5 when more of its characters are
    common in Big5 and not in GBK than the other way round (:func:`_common_characters`):
    a short file of English headers and a few names (許志豪, 嘉義市) was taken for GBK, as
    its GB18030 reading had none of the private-use characters that alone decided.

    Where the two counts are equal (each character common in both, or none), the text is
    GBK unless its GB18030 reading has private-use characters, where Big5's most common
    characters fall in GBK, and charset_normalizer (between the two alone) says Big5."""
    try:
        decode_sample(raw, "cp950")
    except UnicodeDecodeError:
        return False
    gbk, big5 = _common_characters(raw)
    if gbk != big5:
        return big5 > gbk
    if not _PRIVATE_USE.search(as_gb):
        return False
    best = from_bytes(raw[:65536], cp_isolation=["gb18030", "big5"]).best()
    return best is not None and best.encoding.lower() == "big5"


def decode_sample(raw: bytes, encoding: str) -> str:
    """The text of a sample read from a file's start (its last character may be cut)."""
    # the sample may end in the middle of a multi-byte character: decode incrementally
    decoder = codecs.getincrementaldecoder(encoding)()
    return decoder.decode(raw, final=False)


def undecodable_line(path: Path, encoding: str) -> int | None:
    """The number of the file's first line (1 is the first) holding bytes that do not
    decode in ``encoding``, or None when all of it decodes: where an import that stopped
    on the encoding tells the person to look."""
    decoder = codecs.getincrementaldecoder(encoding)()
    lines = 0
    with path.open("rb") as fh:
        while True:
            chunk = fh.read(1 << 20)
            try:
                lines += decoder.decode(chunk, final=not chunk).count("\n")
            except UnicodeDecodeError as exc:
                # the decoder's buffered bytes come first in exc.object; those before the
                # bad byte decode
                good = exc.object[: exc.start]
                return lines + codecs.decode(good, encoding, errors="ignore").count("\n") + 1
            if not chunk:
                return None
