"""Real clients: the annotations open in MuseScore 3, and the MuseScore 3 plugin works headless.

Every test here runs the real ``mscore3`` program (Debian's ``musescore3`` package; see
``.ci/install-musescore.sh``) with ``QT_QPA_PLATFORM=offscreen`` and a throw-away HOME, converts
scores to MuseScore's own ``.mscx`` and checks what MuseScore really shows:

- a coloured note is ``<Note><color r= g= b= a=/>...`` in the ``.mscx``;
- a MusicXML ``<direction>`` holding ``<words>Motif A1</words>`` plus ``<bracket type="start">``
  becomes one ``<Spanner type="TextLine">`` whose ``<beginText>`` is "Motif A1" (the words become the
  line's start text; a bare ``<words>`` would be a ``<StaffText>``, which is what the plugin adds).

Where MuseScore is missing these tests skip, with the reason, unless ``CI=true``, where they fail.
"""

from __future__ import annotations

import configparser
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from conftest import has_leading_chordal_track
from training.datafolder import find_data_root
from motifcli.writers.musicxml_key import is_key

pytestmark = pytest.mark.musescore

REPO = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent / "data" / "musescore"
PLUGIN_DIR = REPO / "plugins" / "musescore"
DOCS_IMG = REPO / "docs" / "img"
MSCORE_NAMES = ("mscore3", "musescore3", "mscore", "musescore")
DIVISION = 480  # MuseScore's ticks per quarter note
SIXTEENTH = DIVISION // 4  # the grid MIDI input is notated on (writers/notation.py)
POP909_SONG = "021"
CHORALE = "bach/bwv1.6"  # five parts (a horn doubling the soprano + SATB), a pickup bar
RAG = "joplin/maple_leaf_rag"  # one part on two staves (piano), chords, voices, ties, repeats, a pickup


def shared_data() -> Path | None:
    return find_data_root()


# --------------------------------------------------------------------------------------------
# Running MuseScore headless
# --------------------------------------------------------------------------------------------


@dataclass
class MuseScore:
    """The ``mscore3`` program with an environment that works headless and leaves no trace."""

    exe: str
    version: str
    home: Path
    env: dict[str, str]

    @property
    def settings_file(self) -> Path:
        """Where MuseScore 3 (QSettings, organisation MuseScore) keeps its settings and plugin settings."""
        return self.home / ".config" / "MuseScore" / "MuseScore3.ini"

    def run(self, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            [self.exe, *args], env=self.env, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL
        )
        return proc

    def job(self, entries: list[dict], workdir: Path, *, resolution: int | None = None) -> str:
        """Run a conversion job (``mscore3 -j``): ``{"in", "out": [...], "plugin"?}`` per entry.

        MuseScore exits 0 even when a plugin throws or an output cannot be written, so callers must
        check the outputs; this returns MuseScore's output for the failure message.
        """
        job = workdir / "job.json"
        job.write_text(json.dumps(entries, indent=1))
        args = ["-j", str(job)]
        if resolution:
            args = ["-r", str(resolution), *args]
        proc = self.run(*args)
        log = f"$ {self.exe} {' '.join(args)}  (exit {proc.returncode})\n{proc.stdout}\n{proc.stderr}"
        assert proc.returncode == 0, log
        for entry in entries:
            for out in entry["out"]:
                if not out.endswith(".png"):  # PNG export writes NAME-1.png, NAME-2.png, ... per page
                    assert Path(out).is_file(), f"MuseScore wrote no {out}\n{log}"
        return log

    def set_plugin_settings(self, category: str, values: dict[str, object]) -> None:
        """Preset a plugin's ``Settings { category: ... }`` the way Qt.labs.settings reads them."""
        ini = configparser.ConfigParser(interpolation=None)
        ini.optionxform = str  # type: ignore[assignment,method-assign]
        if self.settings_file.is_file():
            ini.read(self.settings_file)
        if ini.has_section(category):
            ini.remove_section(category)
        ini.add_section(category)
        for key, value in values.items():
            ini.set(category, key, str(value))
        self.settings_file.parent.mkdir(parents=True, exist_ok=True)
        with self.settings_file.open("w") as fh:
            ini.write(fh, space_around_delimiters=False)


def find_mscore() -> str | None:
    explicit = os.environ.get("MSCORE")
    if explicit:
        return shutil.which(explicit) or (explicit if Path(explicit).is_file() else None)
    for name in MSCORE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: MuseScore 3 must be installed, see .ci/install-musescore.sh)")
    pytest.skip(f"{reason}; install it with .ci/install-musescore.sh (or apt-get install musescore3)")


@pytest.fixture(scope="session")
def musescore(tmp_path_factory: pytest.TempPathFactory) -> MuseScore:
    """MuseScore 3, headless: skips where it is missing, fails where CI=true."""
    exe = find_mscore()
    if exe is None:
        _unavailable(f"MuseScore 3 not found (looked for {', '.join(MSCORE_NAMES)} on PATH and $MSCORE)")
    root = tmp_path_factory.mktemp("musescore")
    home, runtime = root / "home", root / "runtime"
    home.mkdir()
    runtime.mkdir(mode=0o700)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "QT_", "DISPLAY", "WAYLAND"))}
    env.update(
        QT_QPA_PLATFORM="offscreen",  # no X server: without it mscore3 aborts ("could not connect to display")
        HOME=str(home),  # settings, plugin settings, QML cache go here, not in the user's home
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_RUNTIME_DIR=str(runtime),  # else a warning on every start
        PATH=os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]),  # the venv's `motif`
    )
    try:
        proc = subprocess.run([exe, "--version"], env=env, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        _unavailable(f"{exe} does not start ({exc})")
    text = (proc.stdout + proc.stderr).strip()
    match = re.search(r"MuseScore\S*\s+(\d+)\.(\d+)(?:\.(\d+))?", text)
    if proc.returncode != 0 or not match:
        _unavailable(f"{exe} --version failed (exit {proc.returncode}): {text[-300:]}")
    if match.group(1) != "3":
        _unavailable(f"{exe} is MuseScore {match.group(0)}; these tests and the plugin need MuseScore 3")
    return MuseScore(exe, ".".join(g for g in match.groups() if g), home, env)


# --------------------------------------------------------------------------------------------
# Reading MuseScore's .mscx
# --------------------------------------------------------------------------------------------

_WHOLE = {
    "long": Fraction(4), "breve": Fraction(2), "whole": Fraction(1), "half": Fraction(1, 2),
    "quarter": Fraction(1, 4), "eighth": Fraction(1, 8),
}  # shorter ones are "16th", "32nd", ...
_GRACE_TAGS = {"acciaccatura", "appoggiatura", "grace4", "grace8after", "grace16", "grace16after",
               "grace32", "grace32after"}


def _duration(value: str) -> Fraction:
    """A durationType ("quarter", "16th", ...) as a fraction of a whole note."""
    if value in _WHOLE:
        return Fraction(_WHOLE[value])
    m = re.fullmatch(r"(\d+)(?:th|nd|rd|st)", value)
    if not m:
        raise ValueError(f"unknown durationType {value!r}")
    return Fraction(1, int(m.group(1)))


def _color(el: ET.Element) -> str | None:
    c = el.find("color")
    if c is None:
        return None
    return "#{:02X}{:02X}{:02X}".format(int(c.get("r", 0)), int(c.get("g", 0)), int(c.get("b", 0)))


def _text(el: ET.Element | None) -> str:
    return "" if el is None else "".join(el.itertext()).strip()


@dataclass
class MNote:
    staff: int  # 1-based staff id
    tick: int
    pitch: int
    color: str | None
    grace: bool = False
    end: int | None = None  # tick where its chord ends (None for grace notes)
    voice: int = 1  # MuseScore's voice of its staff, 1-4 (the <voice> of its <Measure>)


@dataclass
class MText:
    staff: int
    tick: int
    kind: str  # "TextLine" (from a MusicXML bracket with words) or "StaffText"
    text: str
    color: str | None = None
    end_tick: int | None = None  # TextLine only
    voice: int = 1  # the voice (1-4) of its staff it hangs on (the <voice> of its <Measure>)


@dataclass
class Mscx:
    """What a MuseScore 3 .mscx holds that matters here: parts, notes, motif texts, bar lines."""

    parts: list[tuple[str, list[int]]]  # (name, staff ids), in score order
    measure_ticks: list[int]  # start tick of each measure (1-based measure n is index n-1) + the end
    notes: list[MNote] = field(default_factory=list)
    texts: list[MText] = field(default_factory=list)
    printed: list[int] = field(default_factory=list)  # the number MuseScore prints on each measure

    def measure_at(self, tick: int) -> int:
        """1-based index of the measure holding ``tick`` (counting every measure, pickups too)."""
        for i in range(len(self.measure_ticks) - 1):
            if self.measure_ticks[i] <= tick < self.measure_ticks[i + 1]:
                return i + 1
        return len(self.measure_ticks) - 1 if tick == self.measure_ticks[-1] else -1

    def staves_of(self, part: int) -> list[int]:
        return self.parts[part][1]


def _ticks(whole_notes: Fraction) -> int:
    """A position in whole notes as MuseScore's integer tick: ``Fraction::ticks()`` rounds to the
    nearest tick (half up), it does not truncate: a septuplet 32nd at 3/7 of a beat is tick 206."""
    x = whole_notes * 4 * DIVISION
    return (x.numerator + x.denominator // 2) // x.denominator


def read_mscx(path: Path) -> Mscx:
    """Walk the .mscx: each staff's measures and voices, with tuplets, dots, grace notes, jumps."""
    score = ET.parse(path).getroot().find("Score")
    assert score is not None, f"{path}: no <Score>"
    parts = []
    for part in score.findall("Part"):
        name = _text(part.find("trackName")) or _text(part.find("Instrument/longName"))
        parts.append((name, [int(s.get("id")) for s in part.findall("Staff")]))
    result = Mscx(parts, [])
    ends: list[tuple[int, int, int, int | None]] = []  # (staff, tick, start's staff, start's tick) per line end
    forward: list[tuple[MText, int, Fraction]] = []  # a line start, its end's measure index and place there
    for staff in score.findall("Staff"):
        sid = int(staff.get("id"))
        tick = Fraction(0)
        sig = Fraction(1)  # 4/4 until a TimeSig says otherwise
        measure_ticks = []
        printed, count = [], 0  # measures marked <irregular> (a pickup) are left out of the count
        measure_starts: list[Fraction] = []  # in whole notes, to resolve a line end's <prev> location
        for measure in staff.findall("Measure"):
            measure_ticks.append(_ticks(tick))
            measure_starts.append(tick)
            count += measure.find("irregular") is None
            printed.append(count + int((measure.findtext("noOffset") or "0").strip() or 0))
            length = None
            if measure.get("len"):
                length = Fraction(measure.get("len"))
            for voice_number, voice in enumerate(measure.findall("voice"), start=1):
                pos = Fraction(0)
                tuplets: list[Fraction] = []
                for el in voice:
                    at = _ticks(tick + pos)
                    if el.tag == "TimeSig" and pos == 0:
                        sig = Fraction(int(_text(el.find("sigN"))), int(_text(el.find("sigD"))))
                    elif el.tag == "Tuplet":
                        tuplets.append(Fraction(int(_text(el.find("normalNotes"))), int(_text(el.find("actualNotes")))))
                    elif el.tag == "endTuplet":
                        tuplets.pop()
                    elif el.tag == "location":
                        frac = el.find("fractions")
                        if frac is not None:
                            pos += Fraction(_text(frac))
                    elif el.tag in ("Chord", "Rest"):
                        grace = any(child.tag in _GRACE_TAGS for child in el)
                        chord_notes = []
                        if el.tag == "Chord":
                            for note in el.findall("Note"):
                                chord_notes.append(MNote(sid, at, int(_text(note.find("pitch"))), _color(note), grace,
                                                         voice=voice_number))
                            result.notes.extend(chord_notes)
                        if grace:
                            continue
                        kind = _text(el.find("durationType"))
                        if kind == "measure":
                            dur = Fraction(_text(el.find("duration")))
                        else:
                            dur = _duration(kind)
                            dots = int(_text(el.find("dots")) or 0)
                            dur = dur * (2 - Fraction(1, 2**dots))
                            for ratio in tuplets:
                                dur *= ratio
                        pos += dur
                        for m in chord_notes:
                            m.end = _ticks(tick + pos)
                    elif el.tag == "StaffText":
                        result.texts.append(MText(sid, at, "StaffText", _text(el.find("text")), _color(el),
                                                  voice=voice_number))
                    elif el.tag == "Spanner" and el.get("type") == "TextLine":
                        line = el.find("TextLine")
                        if line is not None:  # the start of a line
                            t = MText(sid, at, "TextLine", _text(line.find("beginText")), _color(line), voice=voice_number)
                            result.texts.append(t)
                            ahead = el.find("next/location")  # where it ends: measures on, fractions from here
                            if ahead is not None:
                                k = len(measure_starts) - 1 + int(_text(ahead.find("measures")) or 0)
                                forward.append((t, k, pos + Fraction(_text(ahead.find("fractions")) or 0)))
                        elif el.find("prev") is not None:
                            # the end names its start (staves, measures back, fractions from here):
                            # a line may end in another staff than it starts in (its last note's)
                            back = el.find("prev/location")
                            start, start_staff = None, sid
                            if back is not None:
                                start_staff = sid + int(_text(back.find("staves")) or 0)
                                k = len(measure_starts) - 1 + int(_text(back.find("measures")) or 0)
                                if 0 <= k < len(measure_starts):
                                    frac = Fraction(_text(back.find("fractions")) or 0)
                                    start = _ticks(measure_starts[k] + pos + frac)
                            ends.append((sid, at, start_staff, start))
            tick += length if length is not None else sig
        measure_starts.append(tick)
        for t, k, frac in forward:  # the start names its end: the one reading that cannot mix up two
            if 0 <= k < len(measure_starts):  # lines that start together (their ends come in either order)
                t.end_tick = _ticks(measure_starts[k] + frac)
        forward.clear()
        measure_ticks.append(_ticks(tick))
        if not result.measure_ticks:
            result.measure_ticks, result.printed = measure_ticks, printed
    # a line whose start does not say where it ends: the end that names it, else the first end after
    # it in its staff
    for _, at, start_staff, start in ends:
        lines = [t for t in result.texts if t.kind == "TextLine" and t.staff == start_staff and t.end_tick is None]
        line = next((t for t in lines if t.tick == start), None) or next((t for t in lines if t.tick <= at), None)
        if line is not None:
            line.end_tick = at
    result.texts = _lines_once(_labels_on_lines(result.texts))
    return result


def _labels_on_lines(texts: list[MText]) -> list[MText]:
    """A "Motif A1" staff text and a line without text that start at one tick of one staff are one
    bracket and its label: motif writes the label after the bracket start in its direction, which
    MuseScore 3 reads as a staff text (stacked clear of other labels) and a line
    (benchmarks/phase18-marks18.md). Each such label becomes its line's text, in document order; a
    copy of a paired line (the same start and end: phase13-resume13.md) gets the text too."""
    bare: dict[tuple[int, int], list[MText]] = {}
    for t in texts:
        if t.kind == "TextLine" and not t.text:
            bare.setdefault((t.staff, t.tick), []).append(t)
    kept, paired = [], []
    for t in texts:
        lines = bare.get((t.staff, t.tick))
        if t.kind == "StaffText" and t.text.startswith("Motif ") and lines:
            line = lines.pop(0)
            line.text, line.color = t.text, line.color or t.color
            paired.append(line)
            continue
        kept.append(t)
    for lines in bare.values():
        for line in lines:
            twin = next((u for u in paired if (u.staff, u.tick, u.end_tick) == (line.staff, line.tick, line.end_tick)), None)
            if twin is not None:
                line.text, line.color = twin.text, twin.color
    return kept


def _lines_once(texts: list[MText]) -> list[MText]:
    """One TextLine per (staff, start, text, colour, end). MuseScore 3's .mscx writer stores a line that
    starts on a bar's first beat twice (once more at the end of the bar before) when its MusicXML import
    put a direction of another part at that bar line (a segment at the bar's end tick); it reads the
    file back as one line and draws it once (benchmarks/phase13-resume13.md; test below)."""
    seen: set[tuple[int, int, str, str | None, int | None]] = set()
    kept = []
    for t in texts:
        key = (t.staff, t.tick, t.text, t.color, t.end_tick)
        if t.kind == "TextLine":
            if key in seen:
                continue
            seen.add(key)
        kept.append(t)
    return kept


# --------------------------------------------------------------------------------------------
# Report vs. what MuseScore shows
# --------------------------------------------------------------------------------------------


def part_of_track(mscx: Mscx, report: dict, track: int, track_name: str) -> int:
    """The MuseScore part holding a report track: by unique name, else by position."""
    by_name = [i for i, (name, _) in enumerate(mscx.parts) if name == track_name]
    if len(by_name) == 1:
        return by_name[0]
    tracks = report.get("tracks", [])
    if len(tracks) == len(mscx.parts):
        return track
    raise AssertionError(
        f"cannot place track {track} {track_name!r} among MuseScore parts {[p[0] for p in mscx.parts]} "
        f"(report tracks {tracks})"
    )


def statement_texts(report: dict) -> dict[tuple[str, int], str]:
    """(family, number) -> the text motif draws for the occurrence: "Motif A3", or "Motif A3 = B1" where
    families hold the same notes (one mark, most salient family first: motifcli/writers/shared.py),
    worked out here from the report alone."""
    rank = {m["name"]: (m.get("rank", 0) <= 0, m.get("rank", 0), k) for k, m in enumerate(report["motifs"])}
    groups: dict[tuple, list[list[tuple[str, int]]]] = {}  # note set -> its groups (one family's two stay apart)
    for m in report["motifs"]:
        for occ in m["occurrences"]:
            notes = sorted((n.get("track", occ["track"]), round(n["onset"], 6), round(n["offset"], 6), n["pitch"])
                           for n in occ["notes"])  # (schema 1: a note names no track, its occurrence's)
            key = (occ["track"], *notes) if notes else ("span", occ["track"], occ["start_beat"], occ["end_beat"])
            mine = groups.setdefault(key, [])
            group = next((g for g in mine if all(f != m["name"] for f, _ in g)), None)
            if group is None:
                mine.append(group := [])
            group.append((m["name"], occ["number"]))
    texts = {}
    for members in (g for gs in groups.values() for g in gs):
        members.sort(key=lambda fm: (rank[fm[0]], fm[1]))
        text = "Motif " + " = ".join(f"{f}{n}" for f, n in members)
        texts.update({fm: text for fm in members})
    return texts


def run_marks(report: dict) -> dict[tuple[str, int], tuple[str, dict | None]]:
    """(family, number) -> (the run's label "Motif B3–B8", its last occurrence) for the first statement of a
    run of statements back to back (motifcli/writers/runs.py: one bracket from its first note to its last),
    ("", None) for the others of the run (their notes coloured, no label of their own)."""
    from motifcli.annotation import Annotation
    from motifcli.writers.runs import runs
    from motifcli.writers.shared import statements

    by_label = {(m["name"], o["number"]): o for m in report["motifs"] for o in m["occurrences"]}
    out: dict[tuple[str, int], tuple[str, dict | None]] = {}
    for run in runs(statements(Annotation.from_dict(report))):
        if run.is_run:
            members = [(s.lead.family, s.lead.number) for s in run.statements]
            out.update({fm: ("", None) for fm in members[1:]})
            out[members[0]] = (run.text(), by_label[members[-1]])
    return out


def annotation_problems(
    mscx: Mscx, report: dict, *, tolerance_beats: float = 0.0, text_kinds: tuple[str, ...] = ("TextLine",)
) -> list[str]:
    """Everything in the report that MuseScore does not show (empty list = all shown).

    For every occurrence: each of its notes is a note of the same pitch in the occurrence's part at
    its onset (within ``tolerance_beats``) coloured with its family's colour, and one "Motif A1" text
    (of ``text_kinds``) sits in the part at its first note (so within its bars), in the top staff
    of the notes at that onset (a TextLine must also reach its last note, and end within half a
    beat of the occurrence's end), within the occurrence's bars; a run of statements back to back
    (:func:`run_marks`) has one "Motif B3–B8" at its first (a TextLine reaching its last). Conversely every coloured note
    is one of an occurrence's own notes with that colour, or a tied piece of one (schema 2: an
    occurrence is its notes, not the span they lie in).
    """
    problems: list[str] = []
    tol = round(tolerance_beats * DIVISION)
    written = report.get("meter", {}).get("source", "written") == "written"
    # MIDI input (performed timing: tol > 0) is notated with every note in the bar the report counts
    # it in (writers/notation.py): a note played within tol of a bar line may sit a sixteenth before it
    kept = [] if written or not tol else mscx.measure_ticks

    def near(tick: int, want: int) -> bool:
        return abs(tick - want) <= tol or any(abs(line - want) <= tol and tick == line - SIXTEENTH for line in kept)
    occurrences = []
    for motif in report["motifs"]:
        for occ in motif["occurrences"]:
            part = part_of_track(mscx, report, occ["track"], occ["track_name"])
            occurrences.append((motif["color"].upper(), occ, part))
    # A note can belong to occurrences of two families (one statement's last note is the next one's
    # first): it has one colour, so either family's colour shows it.
    colours_of: dict[tuple[int, float, int], set[str]] = {}
    for color, occ, _ in occurrences:
        for n in occ["notes"]:
            colours_of.setdefault((occ["track"], round(n["onset"], 4), n["pitch"]), set()).add(color)
    # (staff, tick) -> bracket text -> (last note, label): one line per text, "Motif A3 = B1" for A3 and B1
    shared_starts: dict[tuple[int, int], dict[str, tuple[int, str]]] = {}
    text_of = statement_texts(report)
    in_runs = run_marks(report)  # motif's brackets and the plugin's staff texts alike
    for color, occ, part in occurrences:
        staves = set(mscx.staves_of(part))
        label = f"{occ['label']} (track {occ['track']} {occ['track_name']!r}, bars {occ['start_bar']}-{occ['end_bar']})"
        first_staves = []  # (tick, staff) of its notes in MuseScore: the text goes at the first, top staff
        first_ticks: set[int] = set()  # every MuseScore note that may be its first note

        def in_bars(tick: int) -> bool:  # in the report's bars (where they are what MuseScore prints)
            return written or occ["start_bar"] <= mscx.printed[mscx.measure_at(tick) - 1] <= occ["end_bar"]

        first_onset = min((n["onset"] for n in occ["notes"]), default=occ["start_beat"])
        for n in sorted(occ["notes"], key=lambda n: (n["onset"], n["pitch"])):
            want = round(n["onset"] * DIVISION)
            cands = [m for m in mscx.notes if m.staff in staves and m.pitch == n["pitch"] and near(m.tick, want)]
            if not cands:
                problems.append(f"{label}: no note of pitch {n['pitch']} at beat {n['onset']} in MuseScore")
                continue
            allowed = colours_of[(occ["track"], round(n["onset"], 4), n["pitch"])]
            best = min(cands, key=lambda m: ((m.color or "#000000") not in allowed, not in_bars(m.tick), abs(m.tick - want)))
            first_staves.append((best.tick, best.staff))
            if n["onset"] == first_onset:  # a chord's repeated pitch may sit a sixteenth either side
                first_ticks.update(m.tick for m in cands)
            if (best.color or "#000000") not in allowed:
                problems.append(
                    f"{label}: note {n['pitch']} at beat {n['onset']} is {best.color or 'black'}, not {color}"
                )
        want_text = text_of[(occ["family"], occ["number"])]  # "Motif A1"; "Motif A3 = B1": one mark, two families
        run_text, run_last = in_runs.get((occ["family"], occ["number"]), (None, None))
        if run_text == "":
            continue  # a statement inside a run: its notes checked above, its run's label at the run's first
        if run_text is not None:
            want_text = run_text
        texts = [t for t in mscx.texts if t.staff in staves and t.text == want_text and t.kind in text_kinds]
        if len(texts) != 1:
            problems.append(f"{label}: {len(texts)} {'/'.join(text_kinds)} '{want_text}' in MuseScore, want 1")
            continue
        t = texts[0]
        # the text sits in the occurrence's bars (start_bar is a printed number: a pickup is bar 0;
        # tests/test_meter_musescore.py compares the numbers MuseScore prints). MIDI input is notated
        # in the run's bars with bar lines on the notation's sixteenth grid (writers/notation.py):
        # there the number MuseScore prints on the text's bar must be the report's start_bar
        bar = mscx.measure_at(t.tick)
        if written:
            first_bar = mscx.measure_at(round(occ["start_beat"] * DIVISION))
            last_bar = mscx.measure_at(max(round(occ["start_beat"] * DIVISION), round(occ["end_beat"] * DIVISION) - 1))
            if not first_bar <= bar <= last_bar:
                problems.append(f"{label}: '{want_text}' shows in bar {bar}, not in {first_bar}-{last_bar}")
        elif mscx.printed[bar - 1] != occ["start_bar"]:
            problems.append(f"{label}: '{want_text}' shows in the bar MuseScore numbers "
                            f"{mscx.printed[bar - 1]}, not in bar {occ['start_bar']}")
        elif first_staves and not occ["start_bar"] <= mscx.printed[mscx.measure_at(max(first_staves)[0]) - 1] <= occ["end_bar"]:
            problems.append(f"{label}: its last note is in the bar MuseScore numbers "
                            f"{mscx.printed[mscx.measure_at(max(first_staves)[0]) - 1]}, after bar {occ['end_bar']}")
        start = round(first_onset * DIVISION)
        if not near(t.tick, start):
            problems.append(f"{label}: text at beat {t.tick / DIVISION}, not at its first note (beat {first_onset})")
        if first_staves:  # the top staff of the notes struck at its first note's tick in the score
            first_tick = min(tick for tick, _ in first_staves)
            top = min(staff for tick, staff in first_staves if tick == first_tick)
            if t.staff != top:
                problems.append(f"{label}: text in staff {t.staff}, not in its first note's staff {top}")
            if t.tick != first_tick and t.tick not in first_ticks:
                problems.append(f"{label}: text at beat {t.tick / DIVISION}, not at its first note {first_tick / DIVISION}")
        if t.kind == "TextLine" and occ["notes"]:
            # its bracket runs to its last note in the bracket's staff (a texture occurrence of a
            # grand staff has notes in both; the bracket is drawn in the top one), as MuseScore shows it
            in_staff = [tick for tick, staff in first_staves if staff == t.staff]
            last = max(in_staff) if in_staff else round(max(n["onset"] for n in occ["notes"]) * DIVISION)
            group = [u for u in mscx.texts if u.kind == "TextLine" and (u.staff, u.tick) == (t.staff, t.tick)]
            latest = round(occ["end_beat"] * DIVISION) + DIVISION // 2 + tol  # the latest it may stop at
            if run_last is not None:  # a run's bracket: to its last statement's last note (one line: one staff)
                last = round(max(n["onset"] for n in run_last["notes"]) * DIVISION)
                latest = round(run_last["end_beat"] * DIVISION) + DIVISION // 2 + tol
            if len(group) > 1:  # brackets that start together: their ends are checked as a set, below
                shared_starts.setdefault((t.staff, t.tick), {})[want_text] = (last, latest, label)
                continue
            if t.end_tick is None or t.end_tick < last - tol:
                end = None if t.end_tick is None else t.end_tick / DIVISION
                problems.append(f"{label}: bracket ends at beat {end}, before its last note at {last / DIVISION}")
            # and it stops with the occurrence: not at a note held on past it, nor at a rest's end
            if t.end_tick is not None and t.end_tick > latest:
                problems.append(f"{label}: bracket ends at beat {t.end_tick / DIVISION}, over half a beat "
                                f"past its end at {occ['end_beat']}")
    # MuseScore's file does not say which of two lines that start at one tick an end belongs to (it
    # writes them in either order from run to run; nor which label, a staff text since phase 18, is
    # whose): each k-th latest end must reach the k-th latest last note of the statements whose
    # brackets start there, and stop by the k-th latest of their ends (+ half a beat).
    for (staff, tick), by_text in shared_starts.items():
        wanted = list(by_text.values())
        ends = sorted((u.end_tick if u.end_tick is not None else -1) for u in mscx.texts
                      if u.kind == "TextLine" and (u.staff, u.tick) == (staff, tick))
        for end, (last, _, label) in zip(reversed(ends), sorted(wanted, reverse=True)):
            if end < last - tol:
                problems.append(f"{label}: the brackets starting with it end at beats {[e / DIVISION for e in ends]}, "
                                f"one too early for its last note at {last / DIVISION}")
        for end, latest in zip(reversed(ends), sorted((w[1] for w in wanted), reverse=True)):
            if end > latest:
                problems.append(f"{sorted(w[2] for w in wanted)}: the brackets starting together end at beats "
                                f"{[e / DIVISION for e in ends]}, one over half a beat past its statement's end")
    covered_at: set[tuple[int, int, int, str]] = set()  # (staff, end tick, pitch, colour) of covered notes
    for m in sorted(mscx.notes, key=lambda m: m.tick):
        if m.color in (None, "#000000") or m.grace:
            continue
        if (m.staff, m.tick, m.pitch, m.color) in covered_at:  # a tied piece of a covered note (the
            covered_at.add((m.staff, m.end, m.pitch, m.color))  # notation may write a chord's short
            continue  # note as long as its chord, so its pieces reach past the report's end)
        covered = any(
            color == m.color
            and m.staff in mscx.staves_of(part)
            and any(  # one of its notes, or a tied piece of one (performed MIDI is notated on a grid of
                # two tolerances: a quantised end may reach that far past the performed one)
                n["pitch"] == m.pitch
                and (round(n["onset"] * DIVISION) - tol <= m.tick < round(n["offset"] * DIVISION) + 2 * tol
                     or near(m.tick, round(n["onset"] * DIVISION)))
                for n in occ["notes"]
            )
            for color, occ, part in occurrences
        )
        if covered:
            covered_at.add((m.staff, m.end, m.pitch, m.color))
        else:
            problems.append(
                f"note {m.pitch} at beat {m.tick / DIVISION} (staff {m.staff}) is {m.color}, in no occurrence"
            )
    return problems


def assert_shown(mscx: Mscx, report: dict, **kwargs: object) -> None:
    occurrences = sum(len(m["occurrences"]) for m in report["motifs"])
    assert occurrences > 0, "the report has no occurrences: nothing to check"
    problems = annotation_problems(mscx, report, **kwargs)  # type: ignore[arg-type]
    shown = "\n  ".join(problems[:25]) + (f"\n  ... and {len(problems) - 25} more" if len(problems) > 25 else "")
    assert not problems, f"{len(problems)} problems over {occurrences} occurrences:\n  {shown}"


# --------------------------------------------------------------------------------------------
# The real CLI
# --------------------------------------------------------------------------------------------


def motif_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["NO_COLOR"] = "1"
    return env


def model_args(request: pytest.FixtureRequest) -> list[str]:
    """The shipped model when it is there; else conftest's raw-roll model (same contract), so the
    MuseScore side can be tested before a trained model exists."""
    from motifcli.model import default_model_path

    if default_model_path().is_file():
        return []
    return ["--model", str(request.getfixturevalue("rawroll_path"))]


def motif_annotate(src: Path, out: Path, *extra: str) -> tuple[Path, dict]:
    """``motif annotate SRC --format musicxml --format json -o OUT``: the annotated score and report."""
    cmd = [sys.executable, "-m", "motifcli", "annotate", str(src), "--format", "musicxml", "--format", "json",
           "-o", str(out), *extra]
    proc = subprocess.run(cmd, env=motif_env(), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"$ {' '.join(cmd)}\nexit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    xml = sorted(out.glob("*.motifs.musicxml"))
    reports = sorted(out.glob("*.motifs.json"))
    assert len(xml) == 1 and len(reports) == 1, (
        f"expected one .motifs.musicxml and one .motifs.json in {sorted(p.name for p in out.iterdir())}"
    )
    return xml[0], json.loads(reports[0].read_text())


def keep_first_page(png_stem: Path, dest: Path) -> None:
    """MuseScore writes one PNG per page (NAME-1.png ...); page 1 becomes a docs image when asked.

    ``MOTIF_DOCS_IMG=1 pytest -m musescore`` refreshes docs/img/ (a plain test run leaves the
    working tree alone).
    """
    # NAME-1.png, or NAME-01.png from ten pages on (MuseScore pads page numbers to the page count)
    pages = [png_stem.with_name(png_stem.stem + f"-{'1'.zfill(k)}.png") for k in (1, 2, 3)]
    first = next((p for p in pages if p.is_file()), pages[0])
    assert first.is_file(), f"MuseScore wrote no PNG page {first}"
    assert first.stat().st_size > 5_000, f"{first} is nearly empty"
    if os.environ.get("MOTIF_DOCS_IMG") == "1":
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(first, dest)


# --------------------------------------------------------------------------------------------
# Tests: the writer's MusicXML in MuseScore
# --------------------------------------------------------------------------------------------


def test_hand_annotated_musicxml_shows_colours_and_brackets(musescore: MuseScore, tmp_path: Path) -> None:
    """The writer's markup, written by hand: coloured <note>s, <words> + <bracket> directions."""
    report = json.loads((HERE / "hand-annotated.report.json").read_text())
    out = tmp_path / "hand.mscx"
    musescore.job([{"in": str(HERE / "hand-annotated.musicxml"), "out": [str(out)]}], tmp_path)
    mscx = read_mscx(out)
    assert [p[0] for p in mscx.parts] == ["Violin", "Cello"]
    assert_shown(mscx, report)
    # the words came through as the start text of a bracket line, not as a separate staff text
    assert {t.kind for t in mscx.texts} == {"TextLine"}
    assert len(mscx.texts) == 5


def test_every_family_colour_shows_in_musescore(musescore: MuseScore, tmp_path: Path) -> None:
    """Each palette colour on a <note> comes through as that colour, and none reads as "uncoloured".

    Black is what an unannotated note looks like: MuseScore does not even store it (no <color>).
    """
    from motifcli.annotation import PALETTE

    notes = "".join(
        f'<note color="{c}"><pitch><step>C</step><octave>5</octave></pitch><duration>1</duration>'
        f"<voice>1</voice><type>quarter</type></note>"
        for c in PALETTE
    )
    bars = "".join(
        f'<measure number="{i + 1}">'
        + ("<attributes><divisions>1</divisions><time><beats>4</beats><beat-type>4</beat-type></time>"
           "<clef><sign>G</sign><line>2</line></clef></attributes>" if i == 0 else "")
        + notes[i * len(notes) // (len(PALETTE) // 4): (i + 1) * len(notes) // (len(PALETTE) // 4)]
        + "</measure>"
        for i in range(len(PALETTE) // 4)
    )
    src = tmp_path / "palette.musicxml"
    src.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><score-partwise version="3.1"><part-list>'
        '<score-part id="P1"><part-name>P</part-name></score-part></part-list>'
        f'<part id="P1">{bars}</part></score-partwise>'
    )
    out = tmp_path / "palette.mscx"
    musescore.job([{"in": str(src), "out": [str(out)]}], tmp_path)
    shown = [n.color for n in sorted(read_mscx(out).notes, key=lambda n: n.tick)]
    assert len(shown) == len(PALETTE)
    invisible = [(motifcli_family_name(i), c) for i, (c, s) in enumerate(zip(PALETTE, shown)) if s != c.upper()]
    assert not invisible, f"families whose colour MuseScore does not show (black = unannotated): {invisible}"


def motifcli_family_name(index: int) -> str:
    from motifcli.annotation import family_name

    return family_name(index)


def work_source(work: str) -> Path:
    """The file a plugin test opens: "pop909-midi" (a POP909 song as MIDI) or a music21 corpus work."""
    if work == "pop909-midi":
        data = shared_data()
        if data is None:
            pytest.skip("POP909 data folder (shared/data) not found")
        return data / "pop909" / POP909_SONG / f"{POP909_SONG}.mid"
    music21 = pytest.importorskip("music21")
    return Path(str(music21.corpus.getWork(work)))


@pytest.mark.parametrize("work", [CHORALE, "pop909-midi"])
def test_mscx_reader_sees_what_musescore_sees(musescore: MuseScore, tmp_path: Path, work: str) -> None:
    """Checks the checker: a plugin dumps MuseScore's own ticks; read_mscx must agree note for note.

    "pop909-midi" (MuseScore's own MIDI import) has septuplets, whose ticks MuseScore rounds.
    """
    src = work_source(work)
    dump = tmp_path / "dump.txt"
    plugin = tmp_path / "dump.qml"
    plugin.write_text(DUMP_PLUGIN.replace("@OUT@", str(dump)))
    out = tmp_path / "chorale.mscx"
    musescore.job([{"in": str(src), "plugin": str(plugin), "out": [str(out)]}], tmp_path)
    theirs = sorted(tuple(map(int, line.split())) for line in dump.read_text().split("\n") if line.strip())
    ours = sorted((n.staff - 1, n.tick, n.pitch) for n in read_mscx(out).notes if not n.grace)
    assert len(ours) > 100
    assert ours == theirs


DUMP_PLUGIN = """
import QtQuick 2.0
import MuseScore 3.0
import FileIO 3.0
MuseScore {
    menuPath: "Plugins.dump"
    FileIO { id: out; source: "@OUT@" }
    onRun: {
        var lines = [];
        var c = curScore.newCursor();
        for (var track = 0; track < curScore.ntracks; track++) {
            c.track = track;
            c.rewind(0);
            while (c.segment) {
                if (c.element && c.element.type == Element.CHORD) {
                    var notes = c.element.notes;
                    for (var i = 0; i < notes.length; i++)
                        lines.push(Math.floor(track / 4) + " " + c.tick + " " + notes[i].pitch);
                }
                c.next();
            }
        }
        out.write(lines.join("\\n") + "\\n");
        Qt.quit();
    }
}
"""


@pytest.mark.slow
def test_pop909_song_annotated_opens_in_musescore(
    musescore: MuseScore, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    data = shared_data()
    if data is None:
        pytest.skip("POP909 data folder (shared/data) not found")
    src = tmp_path / f"{POP909_SONG}.mid"
    shutil.copy(data / "pop909" / POP909_SONG / f"{POP909_SONG}.mid", src)
    xml, report = motif_annotate(src, tmp_path / "out", *model_args(request))
    mscx_path = tmp_path / "pop909.mscx"
    png = tmp_path / "pop909.png"
    musescore.job([{"in": str(xml), "out": [str(mscx_path), str(png)]}], tmp_path, resolution=60)
    mscx = read_mscx(mscx_path)
    # performed MIDI onsets are quantized when written as notation: allow a 32nd either way
    assert_shown(mscx, report, tolerance_beats=0.125)


@pytest.mark.slow
@pytest.mark.parametrize(("work", "parts"), [(CHORALE, 5), (RAG, 1)])
def test_musicxml_score_annotated_opens_in_musescore(
    musescore: MuseScore, tmp_path: Path, request: pytest.FixtureRequest, work: str, parts: int
) -> None:
    music21 = pytest.importorskip("music21")
    src = Path(str(music21.corpus.getWork(work)))
    xml, report = motif_annotate(src, tmp_path / "out", *model_args(request))
    assert len(report["tracks"]) == parts
    mscx_path = tmp_path / "score.mscx"
    png = tmp_path / "score.png"
    musescore.job([{"in": str(xml), "out": [str(mscx_path), str(png)]}], tmp_path, resolution=60)
    mscx = read_mscx(mscx_path)
    assert len(mscx.parts) == parts
    assert_shown(mscx, report)


@pytest.mark.slow
def test_brackets_end_with_their_occurrences(musescore: MuseScore, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """Every bracket ends within half a beat of its occurrence's end, as MuseScore reads it.

    MuseScore 3 ends a line at the end of its staff's latest chord or rest that ends by the stop;
    where none does (the stop in another staff than the last note, or an ``<offset>``, which it
    ignores on a stop) it takes a held note's or a rest's end: pop909-202 I7 (notes to 50.53) was
    drawn to 53.0 and I6 (to 44.54) stopped at 43.0, pop909-303 N1 (to 13.99) ran to 17.75.
    """
    music21 = pytest.importorskip("music21")
    sources = [REPO / "examples" / f"pop909-{k}.mid" for k in ("101", "202", "303")]
    sources += [Path(str(music21.corpus.getWork(w))) for w in (CHORALE, "mozart/k545/movement1_exposition.mxl")]
    runs = []
    for k, src in enumerate(sources):
        xml, report = motif_annotate(src, tmp_path / f"out{k}", *model_args(request))
        runs.append((src, xml, report, tmp_path / f"score{k}.mscx"))
    musescore.job([{"in": str(xml), "out": [str(mscx)]} for _, xml, _, mscx in runs], tmp_path)
    for src, _, report, mscx_path in runs:
        mscx = read_mscx(mscx_path)
        lines = [t for t in mscx.texts if t.kind == "TextLine"]
        assert lines and all(t.end_tick is not None for t in lines), f"{src.name}: a bracket without an end"
        # performed MIDI is notated on a sixteenth grid (as for README's picture, below)
        assert_shown(mscx, report, tolerance_beats=0.25 if src.suffix == ".mid" else 0.0)


# The pictures in README and docs: what a musician sees with the default unit (note level), README's own
# command. One command refreshes them all:
#   MOTIF_DOCS_IMG=1 pytest -m musescore -k docs_image tests/test_musescore.py
# (image, source, onset tolerance in beats, page: 1, or "colour" = the page with the most coloured pixels)
DOCS_IMAGES = [
    ("chorale-annotated.png", "corpus:" + CHORALE, 0.0, 1),  # a Bach chorale (music21's corpus), five parts
    ("sonata-annotated.png", "corpus:mozart/k545/movement1_exposition.mxl", 0.0, 1),  # Mozart K. 545, piano
    # README's own song (performed MIDI: allow a sixteenth, the notation's grid: beside a chord of another
    # length the notation may put an onset on the farther sixteenth, e.g. 198.117 -> 198.25 in the texture
    # family that the bar model now finds there); its page 1 is mostly the intro, so the most coloured page
    ("pop909-annotated.png", "examples/pop909-101.mid", 0.25, "colour"),
]
DOCS_RESOLUTION = 100  # dpi: readable in the README (the other tests render at 60)


def most_coloured_page(png_stem: Path) -> Path:
    """The page PNG with the most saturated pixels (family colours; notation is black and grey)."""
    import numpy as np
    from PIL import Image

    def coloured(page: Path) -> int:
        hsv = np.asarray(Image.open(page).convert("RGB").convert("HSV"))
        return int(((hsv[..., 1] > 80) & (hsv[..., 2] > 60)).sum())

    pages = sorted(png_stem.parent.glob(png_stem.stem + "-*.png"))
    assert pages, f"MuseScore wrote no PNG pages for {png_stem}"
    return max(pages, key=coloured)


@pytest.mark.slow
@pytest.mark.parametrize(("image", "source", "tolerance", "page"), DOCS_IMAGES, ids=[d[0].split("-")[0] for d in DOCS_IMAGES])
def test_docs_image_note_level(
    musescore: MuseScore, tmp_path: Path, request: pytest.FixtureRequest, image: str, source: str, tolerance: float,
    page: int | str,
) -> None:
    """``motif annotate SRC --format musicxml`` (the default unit, note), rendered by MuseScore: every coloured note is an
    occurrence's own note (``assert_shown``); with ``MOTIF_DOCS_IMG=1`` page 1 becomes docs/img/IMAGE."""
    if source.startswith("corpus:"):
        music21 = pytest.importorskip("music21")
        src = Path(str(music21.corpus.getWork(source.removeprefix("corpus:"))))
    else:
        src = tmp_path / Path(source).name  # a copy: the CLI writes beside nothing of the repo's
        shutil.copy(REPO / source, src)
    xml, report = motif_annotate(src, tmp_path / "out", *model_args(request))
    assert report["motifs"], f"no motif families found in {source}"
    assert report["settings"]["unit"] == "note"
    # the model runs (and is recorded) only for a leading chordal track (a POP909 song's piano), never for the chorale
    assert bool(report["model"]) == has_leading_chordal_track(src), report["model"]
    mscx_path = tmp_path / "score.mscx"
    png = tmp_path / "score.png"
    musescore.job([{"in": str(xml), "out": [str(mscx_path), str(png)]}], tmp_path, resolution=DOCS_RESOLUTION)
    kwargs = {"tolerance_beats": tolerance} if tolerance else {}
    assert_shown(read_mscx(mscx_path), report, **kwargs)
    keep_first_page(png, DOCS_IMG / image)  # checks page 1 exists and is not empty; copies it when asked
    if page == "colour" and os.environ.get("MOTIF_DOCS_IMG") == "1":
        pytest.importorskip("PIL")
        shutil.copyfile(most_coloured_page(png), DOCS_IMG / image)


# --------------------------------------------------------------------------------------------
# Tests: the MuseScore 3 plugin, run headless from a job file
# --------------------------------------------------------------------------------------------


def plugin_settings(musescore: MuseScore, workdir: Path, **values: object) -> Path:
    """Preset the plugin's settings (category "motif") and return its work folder.

    Every key is written: with one missing, Qt.labs.settings resets the ones declared after it.
    """
    work = workdir / "plugin-work"
    work.mkdir(exist_ok=True)
    base = {"motifPath": "motif", "modelPath": "", "sensitivity": 0.5, "workDir": str(work), "reportPath": "",
            "timeoutSeconds": 300, "quiet": "true", "unit": "note", "inversions": "false",
            "augmentations": "false", "retrogrades": "false"}
    base.update(values)
    musescore.set_plugin_settings("motif", base)
    return work


def plugin_and_writer(musescore: MuseScore, src: Path, xml: Path, report: dict, tmp_path: Path) -> tuple[Path, Path, str]:
    """The plugin applying ``report`` to ``src`` and the writer's annotated ``xml``, both saved by MuseScore:
    (plugin.mscx, writer.mscx, the job's log), so a test compares what each puts in the score."""
    report_path = tmp_path / "report.json"
    report_path.write_text(json.dumps(report))
    plugin_settings(musescore, tmp_path, reportPath=str(report_path))
    by_plugin, by_writer = tmp_path / "plugin.mscx", tmp_path / "writer.mscx"
    log = musescore.job([{"in": str(src), "plugin": str(PLUGIN_DIR / "motif.qml"), "out": [str(by_plugin)]},
                         {"in": str(xml), "out": [str(by_writer)]}], tmp_path)
    return by_plugin, by_writer, log


@pytest.mark.parametrize("plugin", ["motif.qml", "motif-clear.qml", "motif-settings.qml", "motif-placement.qml"])
def test_plugin_file_loads_and_runs(musescore: MuseScore, tmp_path: Path, plugin: str) -> None:
    """``mscore3 -p FILE score`` (run one plugin, message boxes on): no QML error, and it runs.

    MuseScore reports a broken plugin only on its error stream ("creating component ... failed")
    and still exits 0. This is the only run of the Settings dialog's file (it is never shown).
    """
    plugin_settings(musescore, tmp_path, reportPath=str(HERE / "hand-annotated.report.json"), quiet="false")
    proc = musescore.run("-p", str(PLUGIN_DIR / plugin), str(HERE / "plain.musicxml"), timeout=120)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log
    assert "failed" not in log and "is not ready" not in log and "Error:" not in log, log
    if plugin == "motif.qml":
        assert "motif: 5 occurrences marked, 28 notes coloured." in log
    if plugin == "motif-placement.qml":  # a score with no marks of motif's MusicXML
        assert "motif: Nothing to restore" in log


def test_plugin_with_a_precomputed_report(musescore: MuseScore, tmp_path: Path) -> None:
    """The plugin's matching and undoable edits, without the CLI: it reads the hand-made report."""
    report_path = HERE / "hand-annotated.report.json"
    plugin_settings(musescore, tmp_path, reportPath=str(report_path))
    out = tmp_path / "plugin.mscx"
    log = musescore.job(
        [{"in": str(HERE / "plain.musicxml"), "plugin": str(PLUGIN_DIR / "motif.qml"), "out": [str(out)]}], tmp_path
    )
    mscx = read_mscx(out)
    assert_shown(mscx, json.loads(report_path.read_text()), text_kinds=("StaffText",))
    texts = {t.text: t.color for t in mscx.texts if not is_key(t.text)}
    assert texts == {"Motif A1": "#E69F00", "Motif A2": "#E69F00", "Motif A3": "#E69F00",
                     "Motif B1": "#56B4E9", "Motif B2": "#56B4E9"}, log
    # the key to the marks, as motif's MusicXML has it: once, a staff text of the bottom staff in the first bar,
    # below it, in 7 pt (phase26-brackets26.md)
    keys = [t for t in mscx.texts if is_key(t.text)]
    assert [(t.kind, t.staff, t.tick) for t in keys] == [("StaffText", max(n.staff for n in mscx.notes), 0)], log
    key_xml = next(el for el in ET.parse(out).getroot().iter("StaffText") if is_key(_text(el.find("text"))))
    assert (key_xml.findtext("placement"), key_xml.findtext("size")) == ("below", "7"), ET.tostring(key_xml)


@pytest.mark.parametrize(("unit", "passed", "inversions", "augmentations", "retrogrades"), [
    ("note", "note", "false", "true", "true"), ("bar", "bar", "true", "true", "true"), ("", "note", "true", "false", "false"),
    ("Bars?", "note", "false", "false", "true"),
])
def test_plugin_says_so_when_motif_fails(
    musescore: MuseScore, tmp_path: Path, unit: str, passed: str, inversions: str, augmentations: str, retrogrades: str,
) -> None:
    """No motif program: a message with the command (which passes the unit setting; an empty or unknown one
    is the default, note; --inversions / --augmentations / --retrogrades when that setting is on and the unit is note), and
    the score left as it was."""
    plugin_settings(musescore, tmp_path, motifPath=str(tmp_path / "no such dir" / "motif"), unit=unit,
                    inversions=inversions, augmentations=augmentations, retrogrades=retrogrades)
    out = tmp_path / "plugin.mscx"
    log = musescore.job(
        [{"in": str(HERE / "plain.musicxml"), "plugin": str(PLUGIN_DIR / "motif.qml"), "out": [str(out)]}], tmp_path
    )
    assert "motif: motif could not be started." in log
    assert f'"{tmp_path / "no such dir" / "motif"}" annotate' in log  # quoted: the path has spaces
    command = next(line for line in log.splitlines() if "motif: running " in line)
    assert f" --unit {passed} " in command, command
    assert (" --inversions " in command) == (inversions == "true" and passed == "note"), command
    assert (" --augmentations " in command) == (augmentations == "true" and passed == "note"), command
    assert (" --retrogrades " in command) == (retrogrades == "true" and passed == "note"), command
    mscx = read_mscx(out)
    assert [n for n in mscx.notes if n.color not in (None, "#000000")] == [] and mscx.texts == []


def test_plugin_clear_removes_what_it_added(musescore: MuseScore, tmp_path: Path) -> None:
    report_path = HERE / "hand-annotated.report.json"
    plugin_settings(musescore, tmp_path, reportPath=str(report_path))
    annotated, cleared = tmp_path / "annotated.mscx", tmp_path / "cleared.mscx"
    musescore.job(
        [{"in": str(HERE / "plain.musicxml"), "plugin": str(PLUGIN_DIR / "motif.qml"), "out": [str(annotated)]}],
        tmp_path,
    )
    assert sum(1 for n in read_mscx(annotated).notes if n.color not in (None, "#000000")) == 28
    musescore.job(
        [{"in": str(annotated), "plugin": str(PLUGIN_DIR / "motif-clear.qml"), "out": [str(cleared)]}], tmp_path
    )
    mscx = read_mscx(cleared)
    assert [n for n in mscx.notes if n.color not in (None, "#000000")] == []
    assert [t for t in mscx.texts if t.text.startswith("Motif ")] == []
    assert any(is_key(t.text) for t in read_mscx(annotated).texts)
    assert not any(is_key(t.text) for t in mscx.texts)  # the key goes with the marks
    assert len(mscx.notes) == len(read_mscx(annotated).notes)


@pytest.mark.slow
@pytest.mark.parametrize("work", [CHORALE, RAG, "pop909-midi"])
def test_plugin_runs_motif_annotate(
    musescore: MuseScore, tmp_path: Path, request: pytest.FixtureRequest, work: str
) -> None:
    """The whole plugin path headless: save as MusicXML, QProcess runs `motif annotate`, apply.

    "pop909-midi" is a POP909 song opened in MuseScore as MIDI (MuseScore's own MIDI import).
    """
    src = work_source(work)
    motif = shutil.which("motif", path=str(Path(sys.executable).parent))
    if motif is None:  # not pip-installed: the same program through a wrapper
        wrapper = tmp_path / "bin" / "motif"
        wrapper.parent.mkdir()
        pythonpath = f'"{REPO}${{PYTHONPATH:+:$PYTHONPATH}}"'
        wrapper.write_text(f'#!/bin/sh\nPYTHONPATH={pythonpath} exec "{sys.executable}" -m motifcli "$@"\n')
        wrapper.chmod(0o755)
        motif = str(wrapper)
    model = model_args(request)
    work = plugin_settings(musescore, tmp_path, motifPath=motif, modelPath=model[1] if model else "")
    out = tmp_path / "plugin.mscx"
    log = musescore.job(
        [{"in": str(src), "plugin": str(PLUGIN_DIR / "motif.qml"), "out": [str(out)]}], tmp_path
    )
    reports = sorted(work.glob("*.motifs.json"))
    assert len(reports) == 1, f"the plugin left no report in {work}: {list(work.iterdir())}\n{log}"
    report = json.loads(reports[0].read_text())
    mscx = read_mscx(out)
    assert_shown(mscx, report, text_kinds=("StaffText",))
    # assert_shown checked that each text sits at its occurrence's first note, in that note's staff


@pytest.mark.slow
def test_piano_part_brackets_in_the_hand_of_their_notes(
    musescore: MuseScore, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """A one-part piano score annotated and opened in MuseScore: every voice occurrence's notes lie in one
    staff (the voices are split per staff, phase11-staves11.md), and its bracket starts in that staff.

    Before, Mozart K. 545's family B was the right hand's C5, three notes of the left hand's Alberti
    bass, the right hand's E5: its notes lay in both staves (audit 11, Left 1). Since phase 13 that
    Alberti bass is left out as an accompaniment figure (``accompaniment_pivot``) and K. 545's excerpt
    has no line family left to check, so the check reads Joplin's Maple Leaf Rag (music21's corpus),
    whose line families lie in both hands (phase13-acc13.md)."""
    music21 = pytest.importorskip("music21")
    src = Path(str(music21.corpus.getWork("joplin/maple_leaf_rag")))
    xml, report = motif_annotate(src, tmp_path / "out", *model_args(request))
    mscx_path = tmp_path / "rag.mscx"
    musescore.job([{"in": str(xml), "out": [str(mscx_path)]}], tmp_path)
    mscx = read_mscx(mscx_path)
    assert_shown(mscx, report)
    staff_at = {(m.tick, m.pitch): m.staff for m in mscx.notes if not m.grace}
    lines = {t.text: t.staff for t in mscx.texts if t.kind == "TextLine"}
    checked = 0
    for motif in report["motifs"]:
        for occ in motif["occurrences"]:
            if any(n.get("voice") == 2 for n in occ["notes"]):
                continue  # a texture occurrence: a whole bar, both hands by design
            staves = {staff_at[(_ticks(Fraction(n["onset"]).limit_denominator(960) / 4), n["pitch"])]
                      for n in occ["notes"]}
            assert len(staves) == 1, f"{occ['label']}: notes in staves {sorted(staves)}"
            label = statement_texts(report)[(occ["family"], occ["number"])]
            run_text, _ = run_marks(report).get((occ["family"], occ["number"]), (None, None))
            if run_text == "":
                continue  # inside a run (writers/runs.py): its run's bracket, checked at the run's first
            label = run_text or label
            assert lines.get(label) == staves.pop(), f"{label}: bracket in staff {lines.get(label)}"
            checked += 1
    assert checked >= 2


_LABEL_AFTER_A_BAR_END_DIRECTION = (  # two parts; part 2 ends bar 1 with a dynamic after its last note
    '<?xml version="1.0" encoding="UTF-8"?><score-partwise version="3.1"><part-list>'
    '<score-part id="P1"><part-name>One</part-name></score-part><score-part id="P2"><part-name>Two</part-name>'
    "</score-part></part-list>{parts}</score-partwise>"
)


def test_a_label_musescore_stores_twice_is_read_and_drawn_once(musescore: MuseScore, tmp_path: Path) -> None:
    """Audit 13 saw K. 155's "Motif A57" twice in the .mscx: MuseScore 3 puts a direction that follows a
    part's last note (the source's *f* of Violin II) at the bar's end tick, and its .mscx writer then
    stores every line starting on the next downbeat twice. Not ours (the MusicXML has one bracket start)
    and not drawn: the label is drawn once, from the MusicXML and from the saved .mscx; ``read_mscx``
    reads the two records as one line, as MuseScore does. Labels written as motif writes them."""
    def note(step: str, octave: int) -> str:
        return f"<note><pitch><step>{step}</step><octave>{octave}</octave></pitch><duration>4</duration><voice>1</voice><type>quarter</type></note>"

    attrs = ("<attributes><divisions>4</divisions><key><fifths>0</fifths></key><time><beats>4</beats>"
             "<beat-type>4</beat-type></time><clef><sign>G</sign><line>2</line></clef></attributes>")
    start = ('<direction placement="above"><direction-type><words color="#E69F00">Motif A2</words></direction-type>'
             '<direction-type><bracket type="start" number="1" line-end="down" line-type="solid" color="#E69F00"/>'
             "</direction-type></direction>")
    stop = '<direction placement="above"><direction-type><bracket type="stop" number="1" line-end="down"/></direction-type></direction>'
    forte = '<direction placement="below"><direction-type><dynamics><f/></dynamics></direction-type></direction>'
    one = [attrs + note("C", 5) * 4, start + note("D", 5) * 4 + stop, note("E", 5) * 4]
    two = [attrs + note("C", 4) * 4 + forte, note("D", 4) * 4, note("E", 4) * 4]
    parts = "".join(f'<part id="{pid}">' + "".join(f'<measure number="{i + 1}">{m}</measure>' for i, m in enumerate(ms))
                    + "</part>" for pid, ms in (("P1", one), ("P2", two)))
    xml = tmp_path / "label.musicxml"
    xml.write_text(_LABEL_AFTER_A_BAR_END_DIRECTION.format(parts=parts), encoding="utf-8")
    saved, (drawn, redrawn) = tmp_path / "label.mscx", (tmp_path / "a", tmp_path / "b")
    drawn.mkdir(), redrawn.mkdir()
    musescore.job([{"in": str(xml), "out": [str(saved)]}], tmp_path)
    for source, folder in ((xml, drawn), (saved, redrawn)):  # SVG: one file a page, p-1.svg, ...
        proc = musescore.run("-o", str(folder / "p.svg"), str(source))
        assert proc.returncode == 0 and list(folder.glob("*.svg")), proc.stderr
    records = saved.read_text(encoding="utf-8").count("<beginText>Motif A2</beginText>")
    assert records == 2  # MuseScore 3.6's quirk; if this turns 1, a later MuseScore fixed it: drop _lines_once
    for folder in (drawn, redrawn):  # each label is one text path of a TextLineSegment in MuseScore's SVG
        texts = sum(svg.read_text().count('<path class="TextLineSegment"') for svg in folder.glob("*.svg"))
        assert texts == 1, folder
    lines = [t for t in read_mscx(saved).texts if t.kind == "TextLine"]
    assert [(t.text, t.tick, t.end_tick) for t in lines] == [("Motif A2", 4 * DIVISION, 8 * DIVISION)]



@pytest.mark.slow
def test_chorale_on_two_staves_colours_its_written_voices(
    musescore: MuseScore, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """A chorale set on two staves (soprano + alto written as voices 1 and 2 of the treble staff,
    tenor + bass of the bass staff; benchmarks/written_voices.py) annotated and opened in MuseScore:
    every occurrence's notes, and only those, are coloured, and the inner voices' statements (alto,
    tenor: written voice 2 of the treble staff, 1 of the bass staff) are found as lines of their own
    (phase14-voices14.md)."""
    music21 = pytest.importorskip("music21")
    from benchmarks.written_voices import reduction, vocal_parts
    from motifcli.voices import WRITTEN

    src = tmp_path / "keys.musicxml"
    reduction(vocal_parts(music21.corpus.parse(CHORALE))).write("musicxml", fp=str(src))
    xml, report = motif_annotate(src, tmp_path / "out", *model_args(request))
    mscx_path = tmp_path / "keys.mscx"
    musescore.job([{"in": str(xml), "out": [str(mscx_path)]}], tmp_path)
    mscx = read_mscx(mscx_path)
    assert len(mscx.parts) == 1 and len(mscx.staves_of(0)) == 2
    assert_shown(mscx, report)
    staves_at: dict[tuple[int, int], set[int]] = {}  # a unison of alto and tenor sounds in both staves
    for m in mscx.notes:
        if not m.grace:
            staves_at.setdefault((m.tick, m.pitch), set()).add(m.staff)
    inner = set()
    for motif in report["motifs"]:
        for occ in motif["occurrences"]:
            voices = {n["voice"] for n in occ["notes"]}
            assert len(voices) == 1 and voices.pop() in (WRITTEN + 1, WRITTEN + 2), occ["label"]
            staves = set.intersection(*(staves_at[(_ticks(Fraction(n["onset"]).limit_denominator(960) / 4), n["pitch"])]
                                        for n in occ["notes"]))
            assert len(staves) >= 1, f"{occ['label']}: its notes lie in no one staff"
            inner.add((min(staves), occ["notes"][0]["voice"]))
    assert (1, WRITTEN + 2) in inner or (2, WRITTEN + 1) in inner  # an alto or a tenor statement
