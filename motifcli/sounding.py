"""Written to sounding pitch in MusicXML: ``<transpose>`` (transposing instruments) and ``<cue/>`` notes.

A MusicXML part of a transposing instrument (a B-flat clarinet, horns in F, an alto saxophone, a
guitar or double bass an octave down) is written at **written** pitch, with a ``<transpose>`` in its
``<attributes>``: the sounding pitch is the written one plus ``<chromatic>`` semitones plus 12 per
``<octave-change>`` (``<diatonic>`` only spells it; ``<double>`` prints nothing else). It may change
mid-part (a clarinettist switching from A to B-flat), and a ``number`` attribute names the one staff
of a multi-staff part it applies to. It applies from where it stands, in document order of the part.
(``<for-part>`` / ``<part-transpose>``, MusicXML 4's concert scores, says how to extract a part from
a score already at sounding pitch: nothing to do for the notes.)

A ``<cue/>`` note is another part's note printed small for orientation (or a hidden one): MusicXML
says it is not played. It still moves the time cursor as written.

motif works on sounding pitch; the reader (:mod:`motifcli.readers.musicxml_tree`) and the MusicXML
writer's walk of the same document (:mod:`motifcli.writers.musicxml_scan`) both use this module, so
the notes they pair up have the same pitches.
"""

from __future__ import annotations

_STEPS = "CDEFGAB"
_SEMITONES = (0, 2, 4, 5, 7, 9, 11)
STEP_SEMITONES = dict(zip(_STEPS, _SEMITONES))  # a <step>'s semitones above C
MAX_SEMITONES = 48  # the largest <transpose> taken as an instrument's (4 octaves)


def _integer(text: str | None) -> int | None:
    try:
        return int(round(float((text or "").strip())))
    except (ValueError, OverflowError):
        return None


def staff_number(text: str | None, default: int = 1) -> int:
    """A note's (or ``<forward>``'s) ``<staff>``: an integer, at least 1; ``default`` where none or
    unreadable. The reader and the writer's scan read it alike, so both find the same per-staff
    ``<transpose>``."""
    try:
        return max(1, int((text or "").strip()))
    except ValueError:
        return default


def transpose_interval(diatonic: str | None, chromatic: str | None,
                       octave_change: str | None) -> tuple[int, int]:
    """(diatonic steps, semitones) from written to sounding pitch, a ``<transpose>``'s texts.

    A missing or unreadable ``<chromatic>`` is 0 (the element is required); a missing ``<diatonic>``
    is the nearest step to the semitones. ``<octave-change>`` adds 7 steps and 12 semitones each.
    More than :data:`MAX_SEMITONES` either way is no instrument (the subcontrabass saxophone sounds
    38 below): such a ``<transpose>`` is ignored, the notes read as written (as MuseScore 3 reads an
    unreadable one), where shifting them would push a part out of the MIDI range and lose it.
    """
    semitones = _integer(chromatic) or 0
    steps = _integer(diatonic)
    if steps is None:
        steps = round(semitones * 7 / 12)
    octaves = _integer(octave_change) or 0
    semitones += 12 * octaves
    if abs(semitones) > MAX_SEMITONES:
        return 0, 0
    return max(-56, min(steps + 7 * octaves, 56)), semitones


class Transpositions:
    """The ``<transpose>`` in force in one part as its document is read: per staff, or for all staves."""

    def __init__(self) -> None:
        self._all: tuple[int, int] = (0, 0)
        self._staff: dict[int, tuple[int, int]] = {}

    def set(self, number: str | None, interval: tuple[int, int]) -> None:
        """A ``<transpose>`` (its ``number`` attribute, its :func:`transpose_interval`) takes effect.
        A ``number`` that is no staff number (0, negative, not a number) is read as none: all staves."""
        staff = _integer(number)
        if staff is None or staff < 1:
            self._all, self._staff = interval, {}
        else:
            self._staff[staff] = interval

    def at(self, staff: int) -> tuple[int, int]:
        """(steps, semitones) from written to sounding pitch for a note of ``staff``."""
        return self._staff.get(staff, self._all)

    def __bool__(self) -> bool:
        return self._all != (0, 0) or any(i != (0, 0) for i in self._staff.values())


def respell(step: str, alter: float, octave: int, interval: tuple[int, int]) -> tuple[str, float, int]:
    """A written pitch (step, alter, octave) moved by (steps, semitones): the sounding pitch, spelled
    ``steps`` letters away (a B-flat clarinet's written D is a sounding C, not a B-sharp)."""
    steps, semitones = interval
    index = _STEPS.index(step) + steps
    new_octave = octave + index // 7
    new_step = _STEPS[index % 7]
    written = 12 * (octave + 1) + _SEMITONES[_STEPS.index(step)] + alter
    natural = 12 * (new_octave + 1) + _SEMITONES[index % 7]
    alter = written + semitones - natural
    if abs(alter) <= 2:
        return new_step, alter, new_octave
    # a <diatonic> that disagrees with <chromatic>: the nearest letter instead (at most a semitone off it)
    target = written + semitones
    base = int(target // 1)
    octave_of, pitch_class = divmod(base, 12)
    nearest = max(i for i, s in enumerate(_SEMITONES) if s <= pitch_class)
    return _STEPS[nearest], target - 12 * octave_of - _SEMITONES[nearest], octave_of - 1
