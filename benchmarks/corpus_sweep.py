"""The product on music nobody tuned it on: `motif annotate` (defaults) over a broad sample of music21's corpus.

    PYTHONPATH=$PWD python -m benchmarks.corpus_sweep prepare DIR        # pick pieces, write inputs
    PYTHONPATH=$PWD python -m benchmarks.corpus_sweep run DIR [--only SUBSTR] [--code TREE]  # annotate each
    PYTHONPATH=$PWD python -m benchmarks.corpus_sweep remeasure DIR      # the checks again, on the outputs kept
    PYTHONPATH=$PWD python -m benchmarks.corpus_sweep report DIR [--genres]  # the table (and per-genre summary)

``prepare`` picks pieces from every composer/genre folder music21 ships, leaving out the ones our
benchmarks, tests and training use (``EXCLUDED``), and writes under ``DIR/in/GENRE/``: the piece in its
native format where motif reads it (.mxl/.xml), else MusicXML written by music21 (as a notation program
would export it), and a MIDI file written by music21 from the same score (music21 writes repeats out and
fails on some files: those pieces are swept as MusicXML only). The MusicXML is the reference for the
written bars (of a MIDI file too, unless its repeats were written out).

``run`` annotates every input with ``python -m motifcli annotate IN -o DIR/out/... --workers 1`` (defaults,
niced), one process per file so wall time and peak RSS (GNU time's ``%M``) are the piece's own, and writes
``DIR/sweep.json``: per input the exit code, last error line, seconds, peak RSS, families, occurrences,
occurrences per family, the share of the score's notes covered (all families; the largest one),
occurrences ending after the written last bar, brackets (MusicXML) or markers (MIDI) standing where no
note starts, and occurrences whose bar number differs from the written one at their first note.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
import zipfile
from fractions import Fraction
from pathlib import Path
from xml.etree import ElementTree as ET

PY = sys.executable
EXCLUDED = (  # used by benchmarks (m21_first_five, audits), tests or training (Bach chorales: note models)
    "bach/bwv1.6", "bach/bwv846", "bach/bwv130.6", "bach/bwv11.6", "bach/bwv66.6", "bach/bwv277",
    "palestrina/Agnus_01", "schumann_clara/opus17/movement3", "mozart/k545", "mozart/k155/movement1",
    "joplin/maple_leaf_rag", "beethoven/opus18no1/movement1", "beethoven/opus59no1/movement1",
    "mozart/k458/movement1", "mozart/k80/movement1", "haydn/opus74no1/movement1", "haydn/opus1no1/movement1",
)

# (genre, glob under music21's corpus, how many to take evenly spread, tunes per collection file or 0)
PICKS: list[tuple[str, str, int, int]] = [
    ("bach-other", "bach/bwv248.*.mxl", 5, 0),
    ("bach-other", "bach/bwv*-inst.mxl", 1, 0),
    ("bach-other", "bach/bwv*-a.mxl", 3, 0),
    ("bach-other", "bach/*.krn", 2, 0),
    ("quartet", "beethoven/opus18no1/movement*.mxl", 3, 0),
    ("quartet", "beethoven/opus18no[345].mxl", 3, 0),
    ("quartet", "beethoven/opus59no*/movement*.mxl", 4, 0),
    ("quartet", "beethoven/opus74.mxl", 1, 0),
    ("quartet", "beethoven/opus13[23].mxl", 2, 0),
    ("quartet", "haydn/opus1no1/movement*.mxl", 2, 0),
    ("quartet", "haydn/opus74no1/movement*.mxl", 3, 0),
    ("quartet", "mozart/k80/movement*.mxl", 2, 0),
    ("quartet", "mozart/k155/movement*.mxl", 2, 0),
    ("quartet", "mozart/k156/movement*.mxl", 2, 0),
    ("quartet", "mozart/k458/movement*.mxl", 2, 0),
    ("quartet", "schumann_robert/opus41no1/movement*.mxl", 2, 0),
    ("keyboard-song", "schumann_clara/polonaise_op1n*.mxl", 3, 0),
    ("keyboard-song", "schumann_clara/opus17/movement*.mxl", 2, 0),
    ("keyboard-song", "schumann_robert/*.mxl", 1, 0),
    ("keyboard-song", "schumann_robert/*.xml", 1, 0),
    ("keyboard-song", "chopin/*.krn", 1, 0),
    ("keyboard-song", "beethoven/opus*/*.krn", 1, 0),
    ("keyboard-song", "cpebach/*.mxl", 1, 0),
    ("keyboard-song", "handel/*.mxl", 1, 0),
    ("keyboard-song", "schubert/*.xml", 1, 0),
    ("keyboard-song", "weber/*.mxl", 1, 0),
    ("keyboard-song", "verdi/*.mxl", 1, 0),
    ("keyboard-song", "beach/*.musicxml", 1, 0),
    ("keyboard-song", "johnson_j_r/*.mxl", 1, 0),
    ("keyboard-song", "liliuokalani/*.mxl", 1, 0),
    ("keyboard-song", "leadSheet/*.mxl", 2, 0),
    ("keyboard-song", "schoenberg/*.mxl", 2, 0),
    ("keyboard-song", "webern/*.mxl", 1, 0),
    ("keyboard-song", "corelli/*.xml", 1, 0),
    ("early", "monteverdi/*.mxl", 10, 0),
    ("early", "palestrina/*.krn", 8, 0),
    ("early", "josquin/*.abc", 6, 0),
    ("early", "trecento/*.xml", 10, 0),
    ("early", "luca/*.xml", 1, 0),
    ("early", "ciconia/*.xml", 1, 0),
    ("early", "lusitano/*.mxl", 1, 0),
    ("folk", "essenFolksong/*.abc", 10, 1),
    ("folk", "ryansMammoth/*.abc", 8, 1),
    ("folk", "oneills1850/*.abc", 6, 1),
    ("folk", "airdsAirs/*.abc", 4, 1),
    ("folk", "nottingham-dataset/*.abc", 1, 4),
    ("folk", "miscFolk/*.abc", 2, 1),
]


def corpus_dir() -> Path:
    import music21

    return Path(music21.__file__).parent / "corpus"


def spread(items: list[Path], k: int) -> list[Path]:
    """``k`` items evenly spread over ``items`` (all when fewer)."""
    if len(items) <= k:
        return items
    return [items[round(i * (len(items) - 1) / max(k - 1, 1))] for i in range(k)]


def excluded(rel: str) -> bool:
    return any(rel.startswith(e) for e in EXCLUDED)


def _timeout(signum: int, frame: object) -> None:
    raise TimeoutError("music21 took over 120 s")


def prepare(root: Path) -> None:
    """Write every picked piece's inputs (native MusicXML or music21's, and MIDI) and its reference MusicXML."""
    from music21 import converter, stream

    signal.signal(signal.SIGALRM, _timeout)

    base = corpus_dir()
    done: list[dict] = []
    for genre, pattern, k, tunes in PICKS:
        paths = sorted(p for p in base.glob(pattern) if not excluded(str(p.relative_to(base)).rsplit(".", 1)[0]))
        for path in spread(paths, k):
            rel = str(path.relative_to(base))
            name0 = rel.replace("/", "_").rsplit(".", 1)[0].replace(" ", "_")
            folder = root / "in" / genre
            names = sorted({p.stem for p in folder.glob(name0 + ("_t*" if tunes else ".*"))})
            if names:  # written by an earlier prepare
                for name in names:
                    inputs = sorted(str(p) for p in folder.glob(name + ".*"))
                    ref = next(p for p in inputs if not p.endswith(".mid"))
                    done.append({"genre": genre, "source": rel, "name": name, "ref": ref, "inputs": inputs})
                continue
            signal.alarm(120)  # music21 takes minutes over a few whole multi-movement files: those are left out
            try:
                parsed = converter.parse(path)
            except Exception as exc:  # noqa: BLE001 - a file music21 cannot read is reported, not fatal
                signal.alarm(0)
                print(f"skip {rel}: {exc!r}", flush=True)
                continue
            scores = list(parsed.scores) if isinstance(parsed, stream.Opus) else [parsed]
            if tunes:
                scores = spread(scores, tunes)  # type: ignore[arg-type]
            for i, score in enumerate(scores):
                name = rel.replace("/", "_").rsplit(".", 1)[0].replace(" ", "_") + (f"_t{i}" if tunes else "")
                folder = root / "in" / genre
                folder.mkdir(parents=True, exist_ok=True)
                native = path.suffix in (".mxl", ".xml", ".musicxml") and not tunes
                xml_in = folder / (f"{name}{path.suffix}" if native else f"{name}.musicxml")
                try:
                    if native:
                        xml_in.write_bytes(path.read_bytes())
                        ref = xml_in
                    else:
                        score.write("musicxml", fp=xml_in)
                        ref = xml_in
                except Exception as exc:  # noqa: BLE001
                    print(f"skip {rel} #{i}: cannot write ({exc!r})", flush=True)
                    continue
                inputs = [str(xml_in)]
                try:
                    score.write("midi", fp=folder / f"{name}.mid")
                    inputs.append(str(folder / f"{name}.mid"))
                except Exception as exc:  # noqa: BLE001 - the MusicXML input is still swept
                    print(f"no MIDI for {rel} #{i}: {exc!r}", flush=True)
                    if isinstance(exc, TimeoutError):
                        break
                done.append({"genre": genre, "source": rel, "name": name, "ref": str(ref), "inputs": inputs})
                print(f"{genre:14s} {name}", flush=True)
            signal.alarm(0)
    (root / "pieces.json").write_text(json.dumps(done, indent=1))


# --- a small MusicXML walker, independent of motif's own scanner ------------------------------------


def read_xml(path: Path) -> ET.Element:
    data = path.read_bytes()
    if data[:2] == b"PK":
        with zipfile.ZipFile(path) as z:
            names = [n for n in z.namelist() if not n.startswith("META-INF") and n.endswith((".xml", ".musicxml"))]
            data = z.read(names[0])
    return ET.fromstring(data)


def walk_part(part: ET.Element) -> tuple[list[tuple[str, Fraction]], list, list]:
    """Measures (number, length), note onsets (measure index, offset, staff) and bracket starts (the same)."""
    measures, onsets, brackets = [], [], []
    divisions = Fraction(1)
    for i, m in enumerate(part.findall("measure")):
        cursor = furthest = last_onset = Fraction(0)
        for el in m:
            if el.tag == "attributes" and el.find("divisions") is not None:
                divisions = Fraction(el.find("divisions").text.strip())
            elif el.tag == "note":
                dur = Fraction(el.findtext("duration", "0").strip() or "0") / divisions
                grace = el.find("grace") is not None
                if el.find("chord") is not None:
                    onset = last_onset
                else:
                    onset = cursor
                    if not grace:
                        cursor += dur
                last_onset = onset
                if el.find("rest") is None and not grace:
                    onsets.append((i, onset, int(el.findtext("staff", "1"))))
            elif el.tag == "backup":
                cursor -= Fraction(el.findtext("duration").strip()) / divisions
            elif el.tag == "forward":
                cursor += Fraction(el.findtext("duration").strip()) / divisions
            elif el.tag == "direction":
                ours = (el.findtext("direction-type/words") or "").startswith("Motif ")  # not the file's own
                if ours and any(b.get("type") == "start" for b in el.iter("bracket")):
                    off = Fraction(el.findtext("offset", "0").strip() or "0") / divisions
                    brackets.append((i, cursor + off, int(el.findtext("staff", "1"))))
            furthest = max(furthest, cursor)
        measures.append((m.get("number", ""), furthest))
    return measures, onsets, brackets


def written_bars(ref: Path) -> list[tuple[str, Fraction, Fraction]]:
    """The score's bars (number, start, end): each as long as its longest part (as music21 reads an overfull bar)."""
    parts = [walk_part(p)[0] for p in read_xml(ref).findall("part")]
    if not parts:
        return []
    bars, time_ = [], Fraction(0)
    for i, (number, _) in enumerate(parts[0]):
        length = max(p[i][1] for p in parts if i < len(p))
        bars.append((number, time_, time_ + length))
        time_ += length
    return bars


def bar_label_at(bars: list[tuple[str, Fraction, Fraction]], beat: float) -> str | None:
    for number, start, end in bars:
        if start <= Fraction(beat).limit_denominator(960) < end:
            return number
    return None


def brackets_off_notes(out: Path) -> tuple[int, int]:
    """(brackets, brackets standing where no note of their part and staff starts) in a written MusicXML."""
    total = off = 0
    for part in read_xml(out).findall("part"):
        _, onsets, brackets = walk_part(part)
        starts = set(onsets)
        total += len(brackets)
        off += sum(1 for b in brackets if b not in starts)
    return total, off


def markers_off_notes(out: Path) -> tuple[int, int]:
    """(markers "Motif ...", markers at a tick where no note starts) in a written MIDI file."""
    import mido

    mid = mido.MidiFile(out)
    ons, marks = set(), []
    for track in mid.tracks:
        tick = 0
        for msg in track:
            tick += msg.time
            if msg.type == "note_on" and msg.velocity > 0:
                ons.add(tick)
            elif msg.type == "marker" and msg.text.startswith("Motif"):
                marks.append(tick)
    return len(marks), sum(1 for t in marks if t not in ons)


def measure(report: dict, bars: list, out_dir: Path, stem: str, is_midi: bool) -> dict:
    """The per-input figures read from the JSON report and the written files."""
    motifs = report["motifs"]
    occs = [o for m in motifs for o in m["occurrences"]]
    notes = report["score"]["note_count"] or 1
    covered = {(n["track"], n["index"]) for o in occs for n in o["notes"]}
    largest = max((len({(n["track"], n["index"]) for o in m["occurrences"] for n in o["notes"]}) for m in motifs),
                  default=0)
    end_beat = report["score"]["end_beat"]
    if is_midi and bars and end_beat > float(bars[-1][2]) + 1:
        bars = []  # music21 wrote the repeats out: the written bars are not this file's (checked on its own end)
    last_end = float(bars[-1][2]) if bars and not is_midi else end_beat  # a MIDI file's own end (music21 may
    # write an ornament's or a last note's sound past the written bar line)
    bar_count = report["meter"]["bar_count"]
    if is_midi:  # a MIDI file has no bar numbers: its bars are counted (a pickup is bar 0), so are the written ones
        pickup = len(bars) > 1 and bars[0][2] - bars[0][1] < bars[1][2] - bars[1][1]
        bars = [(str(i + (0 if pickup else 1)), start, end) for i, (_, start, end) in enumerate(bars)]
    labels = {number for number, _, _ in bars}
    # after the last bar: ending past the written end (a MIDI file: its own end), or in a bar the score does
    # not have (MusicXML: a label it does not print; MIDI: past its bar count)
    after = sum(1 for o in occs if o["end_beat"] > last_end + 1e-6
                or (o["end_bar"] > bar_count if is_midi else str(o["end_bar_label"]) not in labels))
    wrong_bars = [(o["label"], o["start_bar_label"], bar_label_at(bars, o["start_beat"])) for o in occs
                  if bars and str(o["start_bar_label"]) != str(bar_label_at(bars, o["start_beat"]))]
    per = [len(m["occurrences"]) for m in motifs]
    if is_midi:
        marks, marks_off = markers_off_notes(out_dir / f"{stem}.motifs.mid")
    else:
        marks, marks_off = brackets_off_notes(out_dir / f"{stem}.motifs.musicxml")
    return {
        "families": len(motifs), "occurrences": len(occs), "per_family_max": max(per, default=0),
        "per_family_median": statistics.median(per) if per else 0,
        "covered": round(len(covered) / notes, 3), "largest_covered": round(largest / notes, 3),
        "notes": report["score"]["note_count"], "tracks": report["score"]["track_count"],
        "after_last_bar": after, "marks": marks, "marks_off_note": marks_off,
        "bar_mismatch": len(wrong_bars), "bar_mismatch_examples": wrong_bars[:3],
        "meter_source": report["meter"]["source"], "bar_count": bar_count, "written_bar_count": len(bars), "end_beat": end_beat,
        "texture_model": bool(report.get("model")),
        "texture_families": sum(1 for m in motifs if any(n.get("voice") == 2 for o in m["occurrences"][:1]
                                                         for n in o["notes"])),
        "longest_occurrence_bars": max((o["end_bar"] - o["start_bar"] + 1 for o in occs), default=0),
    }


def written(root: Path) -> list[dict]:
    """The pieces ``prepare`` has finished so far (its MIDI written), while it still runs."""
    pieces = []
    for mid in sorted((root / "in").glob("*/*.mid")):
        xml = [p for p in mid.parent.glob(mid.stem + ".*") if p.suffix != ".mid"]
        if xml:
            pieces.append({"genre": mid.parent.name, "name": mid.stem, "ref": str(xml[0]),
                           "inputs": [str(xml[0]), str(mid)]})
    return pieces


def remeasure(root: Path) -> None:
    """Recompute every finished row's figures from the outputs on disk (after a change to the checks)."""
    rows = json.loads((root / "sweep.json").read_text())
    for row in rows:
        if row["rc"] != 0:
            continue
        inp = Path(row["input"])
        ref = next(p for p in inp.parent.glob(inp.stem + ".*") if p.suffix != ".mid")
        out_dir = root / "out" / row["genre"] / inp.suffix.lstrip(".")
        report = json.loads((out_dir / f"{inp.stem}.motifs.json").read_text())
        row.update(measure(report, written_bars(ref), out_dir, inp.stem, inp.suffix == ".mid"))
    (root / "sweep.json").write_text(json.dumps(rows, indent=1))


def run(root: Path, only: str | None, code: str | None = None) -> None:
    pieces = json.loads((root / "pieces.json").read_text()) if (root / "pieces.json").exists() else written(root)
    out_path = root / "sweep.json"
    rows = json.loads(out_path.read_text()) if out_path.exists() else []
    done = {r["input"] for r in rows}
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    if code:  # annotate with another tree's motif (e.g. main, for a before/after)
        env["PYTHONPATH"] = code
    for piece in pieces:
        bars = written_bars(Path(piece["ref"]))
        for inp in map(Path, piece["inputs"]):
            if str(inp) in done or (only and only not in str(inp)):
                continue
            out_dir = root / "out" / piece["genre"] / inp.suffix.lstrip(".")
            cmd = ["nice", "-n", "10", PY, "-m", "motifcli", "annotate", str(inp), "-o", str(out_dir),
                   "--workers", "1", "-q"]
            t0 = time.perf_counter()
            rc, err, rss = run_one(cmd, env, timeout=600, cwd=code)
            seconds = time.perf_counter() - t0
            row = {"genre": piece["genre"], "name": piece["name"], "input": str(inp), "format": inp.suffix,
                   "rc": rc, "seconds": round(seconds, 2), "error": err, "peak_rss_mb": round(rss / 1024, 1)}
            report_path = out_dir / f"{inp.stem}.motifs.json"
            if rc == 0 and report_path.exists():
                try:
                    row.update(measure(json.loads(report_path.read_text()), bars, out_dir, inp.stem,
                                       inp.suffix == ".mid"))
                except Exception as exc:  # noqa: BLE001 - a check that fails is recorded, not fatal
                    row["check_error"] = repr(exc)
            rows.append(row)
            out_path.write_text(json.dumps(rows, indent=1))
            print(f"{row['genre']:14s} {inp.name:50s} rc={row['rc']} {row['seconds']:6.1f}s "
                  f"fam={row.get('families')} occ={row.get('occurrences')} {row['error']}", flush=True)


def run_one(cmd: list[str], env: dict, timeout: float, cwd: str | None = None) -> tuple[int, str, int]:
    """(exit code, last stderr line when it failed, the child's own peak RSS in KiB).

    The peak is GNU time's ``%M`` (a small process forks the child): ``os.wait4`` of a child forked
    from this runner counts the runner's own pages until the exec (tens of MB once the references are
    parsed). ``cwd``: the tree to run (``python -m`` imports from the working folder before PYTHONPATH)."""
    import tempfile

    timer = ["/usr/bin/time", "-f", "motif-sweep-maxrss %M"] if Path("/usr/bin/time").exists() else []
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(timer + cmd, env=env, stdout=subprocess.DEVNULL, stderr=err, cwd=cwd)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        err.seek(0)
        lines = err.read().decode(errors="replace").strip().splitlines()
    rss = [int(x.split()[-1]) for x in lines if x.startswith("motif-sweep-maxrss ")]
    lines = [x for x in lines if not x.startswith("motif-sweep-maxrss ") and not x.startswith("Command exited")]
    rc = proc.returncode
    return rc, (lines[-1] if lines and rc else ""), (rss[-1] if rss else 0)


def report(root: Path, genres: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    rows = json.loads((root / "sweep.json").read_text())
    table = Table(title=f"motif annotate (defaults) on {len(rows)} inputs")
    for col in ("genre", "piece", "fmt", "rc", "s", "MB", "fam", "occ", "occ/fam max", "cov", "largest",
                "after", "off", "bars≠", "error"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["genre"], r["name"][:40], r["format"], str(r["rc"]), f"{r['seconds']:.1f}",
                      f"{r['peak_rss_mb']:.0f}", str(r.get("families", "")), str(r.get("occurrences", "")),
                      str(r.get("per_family_max", "")), str(r.get("covered", "")), str(r.get("largest_covered", "")),
                      str(r.get("after_last_bar", "")), f"{r.get('marks_off_note', '')}/{r.get('marks', '')}",
                      str(r.get("bar_mismatch", "")), (r["error"] or r.get("check_error", ""))[:60])
    Console(width=250).print(table)
    if genres:
        summary = Table(title="families per piece by genre and format (median [IQR], min-max)")
        for col in ("genre", "format", "n", "families", "occurrences", "covered", "seconds"):
            summary.add_column(col)
        keys = sorted({(r["genre"], r["format"] == ".mid") for r in rows})
        for genre, midi in keys:
            sel = [r for r in rows if r["genre"] == genre and (r["format"] == ".mid") == midi and r["rc"] == 0]
            summary.add_row(genre, "MIDI" if midi else "MusicXML", str(len(sel)),
                            *(quartiles([r.get(k, 0) for r in sel]) for k in ("families", "occurrences", "covered",
                                                                             "seconds")))
        Console(width=200).print(summary)
        print(genre_markdown(rows))


def genre_markdown(rows: list[dict]) -> str:
    """The per-genre summary as a Markdown table (median [IQR], min-max), MusicXML and MIDI apart."""
    out = ["| genre | input | pieces | families | occurrences | notes covered | largest family's share | texture families | seconds |",
           "|---|---|---|---|---|---|---|---|---|"]
    for genre, midi in sorted({(r["genre"], r["format"] == ".mid") for r in rows}):
        sel = [r for r in rows if r["genre"] == genre and (r["format"] == ".mid") == midi and r["rc"] == 0]
        cells = [quartiles([r.get(k, 0) for r in sel]) for k in
                 ("families", "occurrences", "covered", "largest_covered", "texture_families", "seconds")]
        out.append(f"| {genre} | {'MIDI' if midi else 'MusicXML'} | {len(sel)} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def quartiles(values: list[float]) -> str:
    if not values:
        return "-"
    if len(values) < 2:
        return f"{values[0]:.3g}"
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    f = lambda x: f"{x:.0f}" if abs(x) >= 100 else f"{x:.3g}"  # noqa: E731
    return f"{f(q2)} [{f(q1)}-{f(q3)}], {f(min(values))}-{f(max(values))}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("stage", choices=("prepare", "run", "remeasure", "report"))
    ap.add_argument("dir", type=Path)
    ap.add_argument("--only", help="run: only inputs whose path holds this (e.g. .mid)")
    ap.add_argument("--code", help="run: PYTHONPATH of the motif to run (default: this one's)")
    ap.add_argument("--genres", action="store_true")
    args = ap.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    if args.stage == "prepare":
        prepare(args.dir)
    elif args.stage == "run":
        run(args.dir, args.only, args.code)
    elif args.stage == "remeasure":
        remeasure(args.dir)
    else:
        report(args.dir, args.genres)


if __name__ == "__main__":
    main()
