"""MusicXML output: the user's own score with the motifs drawn in, and nothing else changed (but
the voice numbers of a part MuseScore 3 would cut: musicxml_voices).

The writer only wires its rooms together; each has one job:

* :mod:`~motifcli.writers.musicxml_scan` places every measure, note and insertion point of the
  document in bytes and beats (and aligns the walk with the reader's timeline);
* :mod:`~motifcli.writers.musicxml_marks` turns occurrences into :class:`Mark` s (which part,
  which notes, which colour);
* :mod:`~motifcli.writers.musicxml_splice` splices colours and brackets into the bytes;
* :mod:`~motifcli.writers.musicxml_own` takes out the labels, brackets and colours of an earlier
  run on the same file (annotating an annotated score replaces its marks);
* :mod:`~motifcli.writers.musicxml_voices` keeps MuseScore 3's voices in mind: a direction names
  the staff MuseScore files its note's voice under, and a part whose staff uses more than four
  voice numbers is renumbered (MuseScore would drop the rest, notes and marks);
* :mod:`~motifcli.writers.notation` notates a MIDI score as MusicXML first (MIDI input only).

The document comes from the :class:`Score` (``score.source``: the bytes the reader parsed, the
.mxl member it chose), never from re-opening the input, so the colours land in the score that was
read.
"""

from __future__ import annotations

from pathlib import Path

from motifcli.annotation import Annotation
from motifcli.atomic import atomic_write_bytes
from motifcli.errors import OutputError
from motifcli.score import Score
from motifcli.writers.musicxml_marks import Mark, marks_for_converted, marks_for_musicxml
from motifcli.writers.musicxml_own import strip_marks
from motifcli.writers.musicxml_scan import XmlScan, align_to_score, detect_codec, scan_parts
from motifcli.writers.musicxml_splice import annotate_xml
from motifcli.writers.options import DEFAULT, WriteOptions

__all__ = ["Mark", "XmlScan", "annotate_xml", "detect_codec", "render", "scan_parts", "write"]


def write(annotation: Annotation, score: Score, dest: Path, options: WriteOptions = DEFAULT) -> None:
    """Write the annotated MusicXML of ``score`` to ``dest`` atomically (no option applies to it)."""
    atomic_write_bytes(dest, render(annotation, score))


def render(annotation: Annotation, score: Score) -> bytes:
    """The annotated MusicXML document as bytes (in the input's encoding)."""
    if score.format == "musicxml":
        if score.source is None:
            raise OutputError("the score keeps no MusicXML source to annotate (read it with read_score)", score.path)
        source = strip_marks(score.source, detect_codec(score.source)[0])  # an earlier run's marks go
        scan = scan_parts(source)
        align_to_score(scan, score)
        return annotate_xml(source, marks_for_musicxml(annotation, score, scan), scan)
    from motifcli.writers.notation import midi_to_musicxml, note_homes  # music21: MIDI only
    from motifcli.writers.notation_lines import hand_staves, separated_lines

    score = hand_staves(score, annotation)  # a one-track keyboard part on the hands the run read it in
    meter = annotation.meter_map if annotation.meter_map is not None else score.meter_map  # the run's bars
    converted = midi_to_musicxml(score, meter_map=meter, homes=note_homes(annotation, score, meter),
                                 lines=separated_lines(score))
    return annotate_xml(converted.xml, marks_for_converted(annotation, score, converted), converted.scan)
