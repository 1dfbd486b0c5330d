"""The key to the marks: three short lines under the first bar that say what a colour and a label mean.

A musician who opens an annotated score sees coloured notes and brackets labelled "Motif A3" or
"Motif A3 = B1" and nothing that says what they are (phase26-eye26.md: nobody reading the pages
without the docs knew that the number counts statements or what "=" joins). The key is one
``<direction>`` holding one ``<words>`` (MuseScore 3 breaks it at its newlines), written once per
annotated document: placed below the bottom staff of the last part in its first bar, where no
bracket or label of ours stands but for a bracket below its staff (musicxml_sides: opened while
another is open), which MuseScore 3 lays out first and stacks the key clear of, and no bar line of a grand staff
crosses it. Not a ``<credit>``: MuseScore 3 builds a title from ``<movement-title>`` only for a
document with no credits, so a credit would drop the title of a file music21 or motif wrote.

:func:`is_key` recognises it again (musicxml_own takes it out before a file is annotated again).
"""

from __future__ import annotations

from xml.sax.saxutils import escape

KEY_LINES = (  # no "Motif " in it: the labels' own word, which readers and tests look for
    "Motifs: one colour per motif;",
    "\u201cA2\u201d: motif A, its 2nd statement;",
    "\u201cA3 = B1\u201d: the same notes in A and B.",
)
RUN_LINE = "\u201cA5\u2013A8\u201d: A5, A6, A7, A8 back to back."  # only where a run's label is (writers/runs.py)
KEY_FONT_SIZE = 7  # points: smaller than the labels, which a reader looks for first


def key_direction(staff: int | None, *, runs: bool = False) -> str:
    """The key's ``<direction>`` (below the staff; ``staff`` named in a part of two or more); ``runs``: with
    the line for a run's label."""
    # one line in the file, three on the page; character references, so any encoding holds the quotes
    lines = KEY_LINES + ((RUN_LINE,) if runs else ())
    words = "&#10;".join(escape(line).encode("ascii", "xmlcharrefreplace").decode("ascii") for line in lines)
    where = f"<staff>{int(staff)}</staff>" if staff is not None else ""
    return (f'<direction placement="below"><direction-type><words font-size="{KEY_FONT_SIZE}">{words}</words>'
            f"</direction-type>{where}</direction>")


def is_key(text: str) -> bool:
    """Whether a direction's words are the key (whatever line breaks and spaces a program saved)."""
    said = " ".join(text.split())
    return any(said == " ".join(" ".join(KEY_LINES + extra).split()) for extra in ((), (RUN_LINE,)))
