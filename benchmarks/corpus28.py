"""A musicologist's corpus run: several hundred pieces of music21's bundled corpus through `motif annotate` and the API.

    PYTHONPATH=$PWD python -m benchmarks.corpus28 prepare DIR    # write DIR/in/COLLECTION/... (+ DIR/pieces.json)
    PYTHONPATH=$PWD python -m benchmarks.corpus28 cli DIR [--code TREE]  # `motif annotate DIR/in -o DIR/cli --workers 2 --json`
    PYTHONPATH=$PWD python -m benchmarks.corpus28 api DIR        # one process: read_score + annotate + write, per piece
    PYTHONPATH=$PWD python -m benchmarks.corpus28 report DIR     # outcomes, times, RSS, degenerate analyses (Markdown)
    PYTHONPATH=$PWD python -m benchmarks.corpus28 mscore DIR [N] # open N annotated MusicXML files in mscore3, list warnings

Unlike ``benchmarks/corpus_sweep`` (one process per file, ~125 pieces drawn across genres), this is the batch as a
user runs it: one command over one folder of hundreds of files (``--workers 2``), and one notebook-style loop in one
Python process (per piece: seconds, the peak RSS of that piece alone (VmHWM, reset before each piece through
``/proc/self/clear_refs``) and the RSS after it, to see growth over the run).

The corpus (``PICKS``): every Bach chorale music21 ships as MusicXML, native files copied as they are (names with
spaces kept), ABC folk tunes (Essen, Ryan's, O'Neill's) and Humdrum files (Palestrina, Beethoven, Chopin) written
to MusicXML by music21, and every ``MIDI_EVERY``-th piece also written to MIDI by music21 (a 60 s limit each).
"""

from __future__ import annotations

import argparse
import collections
import glob
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

PY = sys.executable
MIDI_EVERY = 4
# (collection folder, glob under music21's corpus, how many evenly spread (0: all), tunes taken per ABC/opus file)
PICKS: list[tuple[str, str, int, int]] = [
    ("bach", "bach/bwv*.mxl", 0, 0),
    ("bach", "bach/*.xml", 0, 0),
    ("bach", "bach/*.krn", 0, 0),
    ("beethoven", "beethoven/**/*.mxl", 0, 0),
    ("beethoven", "beethoven/**/*.krn", 0, 0),
    ("mozart", "mozart/**/*.mxl", 0, 0),
    ("haydn", "haydn/**/*.mxl", 0, 0),
    ("schumann", "schumann_*/**/*.mxl", 0, 0),
    ("schumann", "schumann_*/**/*.xml", 0, 0),
    ("joplin", "joplin/*.mxl", 0, 0),
    ("keyboard-song", "chopin/*.krn", 0, 0),
    ("keyboard-song", "cpebach/*.mxl", 0, 0),
    ("keyboard-song", "handel/*.mxl", 0, 0),
    ("keyboard-song", "schubert/*.xml", 0, 0),
    ("keyboard-song", "weber/*.mxl", 0, 0),
    ("keyboard-song", "verdi/*.mxl", 0, 0),
    ("keyboard-song", "beach/*.musicxml", 0, 0),
    ("keyboard-song", "johnson_j_r/*.mxl", 0, 0),
    ("keyboard-song", "liliuokalani/*.mxl", 0, 0),
    ("keyboard-song", "leadSheet/*.mxl", 0, 0),
    ("keyboard-song", "schoenberg/*.mxl", 0, 0),
    ("keyboard-song", "webern/*.mxl", 0, 0),
    ("keyboard-song", "corelli/*.xml", 0, 0),
    ("early", "monteverdi/*.mxl", 0, 0),
    ("early", "palestrina/*.krn", 30, 0),
    ("early", "josquin/*.abc", 0, 0),
    ("early", "trecento/*.xml", 25, 0),
    ("early", "ciconia/*.xml", 0, 0),
    ("early", "luca/*.xml", 0, 0),
    ("early", "lusitano/*.mxl", 0, 0),
    ("folk-essen", "essenFolksong/*.abc", 0, 3),
    ("folk-ryans", "ryansMammoth/*.abc", 40, 1),
    ("folk-oneills", "oneills1850/*.abc", 20, 1),
    ("folk-other", "airdsAirs/*.abc", 0, 1),
    ("folk-other", "miscFolk/*.abc", 0, 1),
    ("folk-other", "nottingham-dataset/*.abc", 0, 4),
]
NATIVE = (".mxl", ".xml", ".musicxml")


def corpus_dir() -> Path:
    import music21

    return Path(music21.__file__).parent / "corpus"


def spread(items: list, k: int) -> list:
    """``k`` items evenly spread over ``items`` (all when k is 0 or there are fewer)."""
    if not k or len(items) <= k:
        return items
    return [items[round(i * (len(items) - 1) / max(k - 1, 1))] for i in range(k)]


def _timeout(signum: int, frame: object) -> None:
    raise TimeoutError("music21 took over 60 s")


def prepare(root: Path) -> None:
    """Copy native MusicXML, write the rest as MusicXML, and every MIDI_EVERY-th piece also as MIDI."""
    from music21 import converter, stream

    signal.signal(signal.SIGALRM, _timeout)
    base, pieces, count = corpus_dir(), [], 0
    for folder, pattern, k, tunes in PICKS:
        for path in spread(sorted(base.glob(pattern)), k):
            rel = str(path.relative_to(base))
            out = root / "in" / folder / Path(*path.relative_to(base).parts[1:-1])  # keep sub-folders (movement1.mxl)
            out.mkdir(parents=True, exist_ok=True)
            try:
                signal.alarm(60)
                if path.suffix in NATIVE:
                    target = out / path.name
                    target.write_bytes(path.read_bytes())
                    scores = [(target, None)]
                else:
                    parsed = converter.parse(path)
                    got = list(parsed.scores) if isinstance(parsed, stream.Opus) else [parsed]
                    scores = []
                    got = spread(got, tunes) if tunes else got
                    for i, score in enumerate(got):  # a Humdrum file beside a MusicXML one of its name keeps its suffix
                        name = path.stem + ("" if path.suffix == ".abc" else "_" + path.suffix[1:]) + (
                            f"_t{i}" if tunes or len(got) > 1 else "")
                        target = out / f"{name}.musicxml"
                        score.write("musicxml", fp=target)
                        scores.append((target, score))
                signal.alarm(0)
            except Exception as exc:  # noqa: BLE001 - a file music21 cannot read or write is listed, not fatal
                signal.alarm(0)
                print(f"skip {rel}: {exc!r}"[:200], flush=True)
                continue
            for target, score in scores:
                inputs = [str(target)]
                if count % MIDI_EVERY == 0:
                    mid = target.with_suffix(".mid")
                    try:
                        signal.alarm(60)
                        (score if score is not None else converter.parse(target)).write("midi", fp=mid)
                        inputs.append(str(mid))
                    except Exception as exc:  # noqa: BLE001
                        print(f"no MIDI for {target.name}: {exc!r}"[:200], flush=True)
                        mid.unlink(missing_ok=True)
                    finally:
                        signal.alarm(0)
                count += 1
                pieces.append({"collection": folder, "source": rel, "inputs": inputs})
                print(f"{folder:14s} {target.name}", flush=True)
    (root / "pieces.json").write_text(json.dumps(pieces, indent=1))
    print(f"{len(pieces)} pieces, {sum(len(p['inputs']) for p in pieces)} inputs")


def cli(root: Path, code: str | None) -> None:
    """The whole folder in one `motif annotate` (niced), timed by GNU time; its --json summary kept.

    ``code``: the tree whose motif runs (a `git archive` of main, for the corpus as a user finds it)."""
    out = root / "cli"
    env = dict(os.environ, PYTHONPATH=code) if code else None
    cmd = ["nice", "-n", "10", "/usr/bin/time", "-f", "wall %e s, peak RSS %M KiB (largest process)",
           PY, "-m", "motifcli", "annotate", str(root / "in"), "-o", str(out), "--workers", "2", "--json"]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=code)
    wall = time.perf_counter() - t0
    (root / "cli-stdout.json").write_text(proc.stdout)
    (root / "cli-stderr.txt").write_text(proc.stderr)
    errors = [ln for ln in proc.stderr.splitlines() if not ln.startswith("wrote ")]
    print(f"exit {proc.returncode}, {wall:.1f} s; stderr other than 'wrote' lines:")
    print("\n".join(errors[-60:]))


def _status(key: str) -> int:
    """A VmRSS / VmHWM line of /proc/self/status, in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def api(root: Path) -> None:
    """A notebook's loop in this one process: read, annotate, write JSON + MusicXML/MIDI; per piece seconds and RSS."""
    import motifcli
    from motifcli.model import LazyModel
    from motifcli.writers import FORMATS, output_name, write

    inputs = sorted(p for p in (root / "in").rglob("*") if p.is_file())
    stems = collections.Counter((p.parent, p.stem) for p in inputs)
    model, rows, out = LazyModel(), [], root / "api"
    for path in inputs:
        target = out / path.parent.relative_to(root / "in")
        target.mkdir(parents=True, exist_ok=True)
        Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS, so the peak below is this piece's
        row: dict = {"input": str(path.relative_to(root / "in")), "rss_before_mb": _status("VmRSS") / 1024}
        t0 = time.perf_counter()
        try:
            score = motifcli.read_score(path)
            t1 = time.perf_counter()
            annotation = motifcli.annotate(score, model)
            t2 = time.perf_counter()
            fmt = "midi" if path.suffix == ".mid" else "musicxml"
            for f in ("json", fmt):  # song.mid and song.musicxml: output_name gives both song.motifs.json
                name = output_name(str(path), f) if stems[path.parent, path.stem] == 1 else \
                    f"{path.name}.motifs{FORMATS[f]}"  # as motif annotate names them (docs/cli.md, "Python")
                write(annotation, score, f, str(target / name))
            occs = annotation.occurrences
            row.update(ok=True, read_s=t1 - t0, annotate_s=t2 - t1, families=len(annotation.motifs),
                       occurrences=len(occs), notes=score.note_count,
                       **coverage(annotation, score))
        except Exception as exc:  # noqa: BLE001 - what a notebook user would see, one line
            row.update(ok=False, error=f"{type(exc).__name__}: {exc}"[:300])
        row["seconds"] = time.perf_counter() - t0
        row["peak_rss_mb"] = _status("VmHWM") / 1024
        row["rss_after_mb"] = _status("VmRSS") / 1024
        rows.append(row)
        print(f"{row['input'][:60]:60s} {row['seconds']:6.2f}s {row['peak_rss_mb']:6.0f}MB "
              f"fam={row.get('families')} {row.get('error', '')}", flush=True)
        (root / "api.json").write_text(json.dumps(rows, indent=1))


def coverage(annotation, score) -> dict:  # noqa: ANN001 - motifcli's Annotation and Score
    """Share of the score's notes in any occurrence, in the largest family, and the largest family's bar span."""
    notes = score.note_count or 1
    key = lambda n: (n.track, n.index)  # noqa: E731
    per_family = {}
    for occ in annotation.occurrences:
        per_family.setdefault(occ.family, set()).update(key(n) for n in occ.notes)
    covered = set().union(*per_family.values()) if per_family else set()
    largest = max((len(s) for s in per_family.values()), default=0)
    bars = max((o.end_bar for o in annotation.occurrences), default=0) or 1
    spans: dict = {}
    for occ in annotation.occurrences:
        spans.setdefault(occ.family, set()).update(range(occ.start_bar, occ.end_bar + 1))
    widest = max((len(s) for s in spans.values()), default=0)
    return {"covered": len(covered) / notes, "largest_covered": largest / notes, "largest_bar_share": widest / bars}


def mscore(root: Path, n: int) -> None:
    """Open N annotated MusicXML files (spread over the collections) in MuseScore 3; list its warnings per file."""
    outs = sorted((root / "cli").rglob("*.motifs.musicxml"))
    by_coll: dict[str, list[Path]] = {}
    for p in outs:
        by_coll.setdefault(p.relative_to(root / "cli").parts[0], []).append(p)
    picked: list[Path] = []
    while len(picked) < n and any(by_coll.values()):
        for coll in sorted(by_coll):
            if by_coll[coll] and len(picked) < n:
                lst = by_coll[coll]
                picked.append(lst.pop(len(lst) // 2 if len(picked) % 2 else 0))
    rows = []
    for p in picked:
        rel = p.relative_to(root / "cli")
        stem = p.name[: -len(".motifs.musicxml")]
        source = next(q for q in (root / "in" / rel.parent).glob(glob.escape(stem) + ".*")
                      if q.suffix in NATIVE and q.stem == stem)
        own, ours = mscore_lines(source), mscore_lines(p)
        before, after = (collections.Counter(map(kind, x["lines"])) for x in (own, ours))
        new = sorted((after - before).items())  # kinds of message the annotated file adds (or adds more of)
        rows.append({"file": str(rel), "rc": ours["rc"], "pdf": ours["pdf"], "input_rc": own["rc"],
                     "input_lines": own["lines"], "output_lines": ours["lines"], "new_kinds": new})
        print(f"rc={ours['rc']} pdf={ours['pdf']} input: {len(own['lines'])} lines, output: {len(ours['lines'])}, "
              f"new kinds: {len(new)}  {rel}", flush=True)
        for k, c in new[:6]:
            print(f"    {c} x {k[:160]}")
    (root / "mscore.json").write_text(json.dumps(rows, indent=1))


def kind(line: str) -> str:
    """A MuseScore message without what moves when motif adds lines (line numbers, ticks, pointers, paths)."""
    line = re.sub(r"0x[0-9a-f]+", "PTR", line)
    line = re.sub(r"<[^>]*>|'[^']*\.(?:musicxml|mxl|xml)'", "FILE", line)
    return re.sub(r"\d+", "N", line)


def mscore_lines(path: Path) -> dict:
    """MuseScore 3 converting ``path`` to PDF: exit code, whether the PDF came, its stderr+stdout lines (start-up
    noise of the offscreen platform left out)."""
    pdf = Path("/tmp") / f"c28-{os.getpid()}.pdf"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(["nice", "-n", "10", "mscore3", "-o", str(pdf), str(path)], capture_output=True,
                          text=True, env=env, timeout=300)
    lines = [ln.strip() for ln in (proc.stdout + proc.stderr).splitlines()
             if ln.strip() and not re.search(r"QStandardPaths|XDG_RUNTIME|propagateSizeHints|qt\\.qpa", ln)]
    made = pdf.exists()
    pdf.unlink(missing_ok=True)
    return {"rc": proc.returncode, "pdf": made, "lines": lines}


def cli_rows(root: Path) -> list[dict]:
    """Per input of the CLI run: collection, seconds (its stages), notes, families, occurrences, coverage."""
    summary = json.loads((root / "cli-stdout.json").read_text())
    rows = []
    for r in summary["results"]:
        row = {"input": str(Path(r["path"]).relative_to(root / "in")), "status": r["status"],
               "note": r.get("note", ""), "error": r.get("error", "")}
        row["collection"] = row["input"].split("/")[0]
        if r["status"] == "ok":
            rep = json.loads(Path(next(o for o in r["outputs"] if o.endswith(".json"))).read_text())
            notes = rep["score"]["note_count"] or 1
            sets = [{(n["track"], n["index"]) for o in m["occurrences"] for n in o["notes"]} for m in rep["motifs"]]
            bars = [set().union(*(range(o["start_bar"], o["end_bar"] + 1) for o in m["occurrences"]))
                    for m in rep["motifs"]]
            row.update(seconds=sum(r["times"].values()), notes=rep["score"]["note_count"],
                       families=len(rep["motifs"]), occurrences=r["occurrences"],
                       covered=len(set().union(*sets)) / notes if sets else 0.0,
                       largest_covered=max(map(len, sets), default=0) / notes,
                       largest_bar_share=max(map(len, bars), default=0) / max(rep["meter"]["bar_count"], 1),
                       texture_model=bool(rep.get("model")))
        rows.append(row)
    return rows


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(int(q * len(values)), len(values) - 1)]


def report(root: Path) -> None:
    """Markdown-ready lines: CLI outcomes and analyses, API outcomes, times and RSS against size."""
    summary = json.loads((root / "cli-stdout.json").read_text())
    rows = cli_rows(root)
    ok = [r for r in rows if r["status"] == "ok"]
    print(f"CLI: files {summary['files']}, ok {summary['ok']}, failed {summary['failed']}, motifs "
          f"{summary['motifs']}, occurrences {summary['occurrences']}, wall {summary['seconds']} s")
    for r in rows:
        if r["status"] != "ok" or r["note"]:
            print(f"  {r['status']}: {r['input']}: {r['error'] or r['note']}")
    print("\n| collection | inputs | families median [min-max] | 0 / 1 family | >= 20 | notes covered (median) "
          "| a family over >= 50% of the notes | a family's bars >= 90% of the piece | seconds median / max |")
    print("|---|---|---|---|---|---|---|---|---|")
    for coll in sorted({r["collection"] for r in ok}) + ["all"]:
        sel = [r for r in ok if coll in ("all", r["collection"])]
        fams = [r["families"] for r in sel]
        print(f"| {coll} | {len(sel)} | {statistics.median(fams):g} [{min(fams)}-{max(fams)}] | "
              f"{fams.count(0)} / {fams.count(1)} | {sum(f >= 20 for f in fams)} | "
              f"{statistics.median(r['covered'] for r in sel):.2f} | {sum(r['largest_covered'] >= 0.5 for r in sel)} | "
              f"{sum(r['largest_bar_share'] >= 0.9 for r in sel)} | "
              f"{statistics.median(r['seconds'] for r in sel):.2f} / {max(r['seconds'] for r in sel):.1f} |")
    print("\nCLI slowest (stages summed) and slowest per 1000 notes (over 500 notes):")
    for r in sorted(ok, key=lambda r: -r["seconds"])[:8]:
        print(f"  {r['input']}: {r['seconds']:.1f} s, {r['notes']} notes, {r['families']} families, {r['occurrences']} occ.")
    for r in sorted((r for r in ok if r["notes"] > 500), key=lambda r: -r["seconds"] / r["notes"])[:5]:
        print(f"  {r['input']}: {1000 * r['seconds'] / r['notes']:.2f} s per 1000 notes ({r['notes']} notes)")
    print("\nA family over >= 80% of the notes:")
    for r in sorted(ok, key=lambda r: -r["largest_covered"]):
        if r["largest_covered"] >= 0.8:
            print(f"  {r['input']}: {r['largest_covered']:.2f}, {r['families']} families, {r['notes']} notes")
    if not (root / "api.json").exists():
        return
    api_rows = json.loads((root / "api.json").read_text())
    good = [r for r in api_rows if r["ok"]]
    print(f"\nAPI (one process): {len(api_rows)} inputs, {len(good)} ok")
    for r in api_rows:
        if not r["ok"]:
            print(f"  {r['input']}: {r['error']}")
    secs = [r["seconds"] for r in good]
    print(f"seconds per piece: median {statistics.median(secs):.3f}, p90 {pct(secs, 0.9):.2f}, max {max(secs):.2f};"
          f" total {sum(secs):.0f}")
    peaks = [r["peak_rss_mb"] for r in good]
    print(f"peak RSS per piece: median {statistics.median(peaks):.0f} MB, p90 {pct(peaks, 0.9):.0f}, max {max(peaks):.0f}")
    print(f"RSS after the first piece {api_rows[0]['rss_after_mb']:.0f} MB, after the last "
          f"{api_rows[-1]['rss_after_mb']:.0f} MB, highest after any {max(r['rss_after_mb'] for r in api_rows):.0f} MB")
    for r in sorted(good, key=lambda r: -r["seconds"])[:8]:
        print(f"  {r['input']}: {r['seconds']:.2f} s (read {r['read_s']:.2f}), {r['notes']} notes, "
              f"peak {r['peak_rss_mb']:.0f} MB")
    for r in sorted((r for r in good if r["notes"] > 500), key=lambda r: -r["seconds"] / r["notes"])[:5]:
        print(f"  per note: {r['input']}: {1000 * r['seconds'] / r['notes']:.2f} s per 1000 notes ({r['notes']})")
    print("\n| collection | inputs | notes median [max] | seconds median | worst: seconds, notes, piece | peak RSS median / max (MB) |")
    print("|---|---|---|---|---|---|")
    for coll in sorted({r["input"].split("/")[0] for r in good}) + ["all"]:
        sel = [r for r in good if coll in ("all", r["input"].split("/")[0])]
        worst = max(sel, key=lambda r: r["seconds"])
        print(f"| {coll} | {len(sel)} | {statistics.median(r['notes'] for r in sel):g} [{max(r['notes'] for r in sel)}] | "
              f"{statistics.median(r['seconds'] for r in sel):.3f} | {worst['seconds']:.2f} s, {worst['notes']} notes, "
              f"{worst['input']} | {statistics.median(r['peak_rss_mb'] for r in sel):.0f} / "
              f"{max(r['peak_rss_mb'] for r in sel):.0f} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("stage", choices=("prepare", "cli", "api", "report", "mscore"))
    ap.add_argument("dir", type=Path)
    ap.add_argument("n", type=int, nargs="?", default=15)
    ap.add_argument("--code", help="cli: PYTHONPATH of the motif to run (default: this tree's)")
    args = ap.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    {"prepare": lambda: prepare(args.dir), "cli": lambda: cli(args.dir, args.code), "api": lambda: api(args.dir),
     "report": lambda: report(args.dir), "mscore": lambda: mscore(args.dir, args.n)}[args.stage]()


if __name__ == "__main__":
    main()
