"""What a piece is called where no file names it (a music21 stream), and a file name made from that.

A music21 stream's annotation says where it came from in ``source`` as the stream's name
(:func:`motifcli.readers.music21_stream.stream_name`: ``"<music21 Score: Herzog Ernst, no. 3,
essenFolksong/altdeu10.abc>"``), in angle brackets so it is never taken for a file's path. Its title may hold
"/" or ":", so whatever makes a file or a picture title from ``source`` asks :func:`is_stream_name` first and
makes a name with :func:`file_stem` (``writers.output_name``, ``plot``). Here, not in the reader: writers read
no reader module (tests/test_module_layers.py).
"""

from __future__ import annotations

import re

NAME_START = "<music21 "  # how every stream name begins (a file's path does not)
STEM_CHARS = 120  # the longest file stem made from a stream's name


def is_stream_name(source: str) -> bool:
    """Whether an annotation's ``source`` is a stream's name, not a file's path."""
    return source.startswith(NAME_START) and source.endswith(">")


def file_stem(name: str) -> str:
    """A file name's stem made from a stream's name: letters, digits, ".", "-" and "_" only, so no title's "/"
    or ":" makes a folder or an invalid name (``"Herzog_Ernst_no._3_essenFolksong_altdeu10.abc"``;
    ``"music21_Score"`` for a stream music21 knows no name of)."""
    inner = name[len(NAME_START):-1] if is_stream_name(name) else name
    inner = inner.split(": ", 1)[1] if ": " in inner else f"music21 {inner}"
    return re.sub(r"[^\w.-]+", "_", inner).strip("._-")[:STEM_CHARS].rstrip("._-") or "music21"
