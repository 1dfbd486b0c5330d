"""The .mxl container: which member is the score, read into memory under one set of limits.

One module for everyone who opens an .mxl (the MusicXML reader; the MusicXML writer works on the
bytes the reader kept in :attr:`Score.source`), so a writer can never annotate another member than
the one that was read. The score is the first MusicXML ``rootfile`` named by
``META-INF/container.xml`` (a leading ``./`` is ignored; a media type of ``application/xml`` or
any ``...xml`` is accepted), or, without a container, the first ``.xml``/``.musicxml`` at the
archive root. Members are never extracted to disk; the archive may hold at most
:data:`MAX_MXL_ENTRIES` entries (counted from the central directory itself, so a ZIP64 count or a
lying end record cannot hide them), and each member's declared size and actual inflated size are
capped by ``limits.max_unzipped_bytes``, so a lying zip bomb fails too.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import PurePosixPath

from motifcli.limits import ReadLimits
from motifcli.readers.safe_xml import Refused, describe, parse_safely

MAX_MXL_ENTRIES = 10_000  # files in a .mxl (real ones hold 2-10); zipfile lists them all up front
MAX_CONTAINER_BYTES = 1024 * 1024  # META-INF/container.xml is a few hundred bytes
_CHUNK = 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
_CENTRAL_ENTRY = b"PK\x01\x02"  # signature of each central-directory record


def is_zip(data: bytes) -> bool:
    """Whether ``data`` is a zip archive (an .mxl, whatever its file name says)."""
    return data.startswith(ZIP_MAGIC)


def score_member(data: bytes, limits: ReadLimits) -> tuple[str, bytes]:
    """(member name, MusicXML document) of the .mxl archive ``data``; :class:`Refused` otherwise."""
    entries = count_entries(data)
    if entries > MAX_MXL_ENTRIES:
        raise Refused(f"the .mxl archive holds {entries:,} files, more than the {MAX_MXL_ENTRIES:,} motif reads")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        raise Refused(f"not a .mxl file (not a readable zip archive: {describe(exc)})") from None
    with archive:
        info = _score_info(archive, limits)
        return info.filename, _read_member(archive, info, limits.max_unzipped_bytes)


def _score_info(archive: zipfile.ZipFile, limits: ReadLimits) -> zipfile.ZipInfo:
    """The member holding the score: the container's first MusicXML rootfile, else the first root .xml."""
    infos = {info.filename: info for info in archive.infolist()}
    container = infos.get("META-INF/container.xml")
    if container is None:
        candidates = [
            i
            for i in archive.infolist()
            if "/" not in i.filename
            and "\\" not in i.filename
            and not i.is_dir()
            and i.filename.lower().endswith((".xml", ".musicxml"))
        ]
        if not candidates:
            raise Refused("no META-INF/container.xml and no .xml/.musicxml file at the archive root")
        return candidates[0]
    text = _read_member(archive, container, min(MAX_CONTAINER_BYTES, limits.max_unzipped_bytes))
    croot = parse_safely(text, limits, ("container",))
    names = []
    for rootfile in croot.iter("rootfile"):
        full = (rootfile.get("full-path") or "").strip()
        media = (rootfile.get("media-type") or "").strip()
        if full and (not media or "musicxml" in media or media.endswith("xml")):
            names.append(full)
    if not names:
        raise Refused("META-INF/container.xml names no MusicXML rootfile")
    name = names[0]
    shown = name if len(name) <= 80 else name[:77] + "..."
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts:
        raise Refused(f"META-INF/container.xml points to an unsafe path {shown!r}")
    bare = name
    while bare.startswith("./"):
        bare = bare[2:]
    info = infos.get(name) or infos.get(bare)
    if info is None:
        raise Refused(f"META-INF/container.xml points to {shown!r}, which is not in the archive")
    return info


def count_entries(data: bytes) -> int:
    """How many entries the archive can list, before zipfile lists them all.

    The end record's 16-bit count says 0xFFFF for a ZIP64 archive (and may lie), so the
    central-directory records are counted by their signature instead: an upper bound that
    neither a ZIP64 count nor a false end record can lower.
    """
    return data.count(_CENTRAL_ENTRY)


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    """Read one member into memory, refusing it when it declares or turns out to expand past ``cap``."""
    flag = "(raise the limit with --max-unzipped-bytes)"
    if info.file_size > cap:
        raise Refused(
            f"{info.filename[:80]!r} in the .mxl expands to {info.file_size:,} bytes, "
            f"over the {cap:,}-byte limit {flag}"
        )
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        # zipfile inflates bzip2/lzma input without an output limit: a lying member could expand to
        # gigabytes in one read, before any cap applies. MusicXML archives use deflate.
        raise Refused(
            f"{info.filename[:80]!r} in the .mxl uses compression method {info.compress_type}; "
            "only stored and deflated members are read"
        )
    chunks: list[bytes] = []
    total = 0
    try:
        with archive.open(info) as member:
            while True:
                chunk = member.read(min(_CHUNK, cap + 1 - total))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
                if total > cap:
                    raise Refused(
                        f"{info.filename[:80]!r} in the .mxl expands past the {cap:,}-byte limit {flag}"
                    )
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError, OSError, zlib.error, ValueError) as exc:
        raise Refused(f"broken .mxl archive member {info.filename[:80]!r} ({describe(exc)})") from None
    return b"".join(chunks)
