"""Reading Qt binary resource files (``.rcc``), in which GCompris keeps its sounds.

The format (Qt's ``rcc`` tool, versions 1-3) is a header, a tree of nodes, a name table and a
data area. Header: ``qres``, then big-endian u32 version, tree offset, data offset, names
offset (and flags from version 3). A tree node is u32 name offset, u16 flags, then either u32
child count and u32 first child index (directories) or u16 country, u16 language and u32
data offset (files); version 2 and later add a u64 modification time. A name is u16 length,
u32 hash and UTF-16BE characters. A data entry is u32 size and the bytes, which ``qCompress``
(u32 uncompressed size, then zlib) when the node's flag says so.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator

MAGIC = b"qres"
DIRECTORY = 0x02
COMPRESSED_ZLIB = 0x01
COMPRESSED_ZSTD = 0x04


class RccError(ValueError):
    """Not an rcc file, or one this reader cannot read."""


def read_rcc(data: bytes) -> Iterator[tuple[str, bytes | None]]:
    """``(path, bytes)`` of every file in the resource; bytes are ``None`` for zstd entries."""
    if data[:4] != MAGIC or len(data) < 20:
        raise RccError("not a Qt resource file (no 'qres' header)")
    version, tree, payload, names = struct.unpack_from(">IIII", data, 4)
    if version not in (1, 2, 3):
        raise RccError(f"unsupported rcc version {version}")
    node_size = 14 if version == 1 else 22

    def name(offset: int) -> str:
        (length,) = struct.unpack_from(">H", data, names + offset)
        start = names + offset + 6  # skip the length and the u32 hash
        return data[start : start + 2 * length].decode("utf-16-be")

    def walk(index: int, prefix: str) -> Iterator[tuple[str, bytes | None]]:
        base = tree + index * node_size
        name_offset, flags = struct.unpack_from(">IH", data, base)
        path = f"{prefix}/{name(name_offset)}" if index else ""
        if flags & DIRECTORY:
            count, first = struct.unpack_from(">II", data, base + 6)
            for child in range(first, first + count):
                yield from walk(child, path)
            return
        (offset,) = struct.unpack_from(">I", data, base + 10)
        (size,) = struct.unpack_from(">I", data, payload + offset)
        blob = data[payload + offset + 4 : payload + offset + 4 + size]
        if flags & COMPRESSED_ZSTD:
            yield path.lstrip("/"), None
        elif flags & COMPRESSED_ZLIB:
            yield path.lstrip("/"), zlib.decompress(blob[4:])
        else:
            yield path.lstrip("/"), blob

    yield from walk(0, "")
