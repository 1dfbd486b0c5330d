"""Long-running fuzz target: mutated MIDI / MusicXML / .mxl files through ``read_score`` + ``annotate``.

The only allowed outcomes for an input are an :class:`~motifcli.annotation.Annotation` (checked for
sanity) or a :class:`~motifcli.errors.MotifError` whose message is one line. Anything else (another
exception, more than ``--seconds`` for one input, a ``MemoryError`` under the ``--memory-mb`` address
space limit) is a *finding*: the input is saved under ``WORKDIR/findings/`` with its traceback, findings
are de-duplicated by (exception type, innermost frame), and the run goes on. ``WORKDIR/summary.json``
is rewritten (atomically) every minute and at the end.

Engines:
  * ``atheris`` (default when ``pip install atheris`` works): coverage-guided libFuzzer over motifcli and
    mido, with a structure-aware custom mutator (hostile numbers and duplicated/deleted elements in
    MusicXML, the member of a .mxl re-zipped) alongside libFuzzer's byte mutations. The corpus grows in
    ``WORKDIR/corpus``, so a second run continues where the first stopped.
  * ``random``: the same mutators driven by ``random.Random(--seed)``, no coverage feedback, no extra
    dependency; reproducible (same seed, same inputs).

Usage (see docs/robustness.md)::

    nice -n 10 python benchmarks/fuzz_annotate.py --minutes 600            # atheris, 10 hours
    python benchmarks/fuzz_annotate.py --engine random --minutes 5 --seed 7
    python benchmarks/fuzz_annotate.py --replay WORKDIR/findings/*.bin       # rerun saved inputs
    python benchmarks/fuzz_annotate.py --minutes 60 -- -max_len=65536        # extra libFuzzer flags

An input is ``kind byte + sensitivity byte + file bytes``: kind % 3 picks ``.mid``, ``.musicxml`` or
``.mxl``, the sensitivity is byte / 255.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import random
import re
import resource
import shutil
import signal
import sys
import tempfile
import time
import traceback
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

KINDS = (".mid", ".musicxml", ".mxl")
CONTAINER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<container><rootfiles>'
    '<rootfile full-path="score.xml" media-type="application/vnd.recordare.musicxml+xml"/>'
    "</rootfiles></container>\n"
)
HOSTILE_NUMBERS = [
    "0", "-1", "-0", "1e308", "1e-308", "inf", "-inf", "nan", "NaN", "", " ", "9" * 40, "0.0001", "1/2", "x",
    "2147483648", "-2147483649", "65536", "1024", "3", "7", "0x10", "1_000", "٣",
]


class Hang(BaseException):
    """Raised by the watchdog when one input uses more than ``--seconds`` of CPU (a BaseException,
    so that a reader's ``except Exception`` cannot turn it into an ordinary error). CPU time, not
    wall time: on a shared machine, waiting for a core is not the input's fault."""


# ---------------------------------------------------------------------------------------------
# seeds and the model
# ---------------------------------------------------------------------------------------------


def pop909_dir() -> Path | None:
    from training.datafolder import find_data_root

    root = find_data_root()
    return root / "pop909" if root is not None else None


def build_rawroll_model(path: Path) -> Path:
    """The raw-roll ONNX model of the tests (embedding = the flattened roll, cosine distance)."""
    import onnx
    from onnx import TensorProto, helper

    from motifcli.contract import INPUT_NAME, OUTPUT_NAME, ModelCard
    from motifcli.encoding import EncodingSpec

    spec = EncodingSpec()
    dim = spec.steps * spec.pitch_count
    inp = helper.make_tensor_value_info(INPUT_NAME, TensorProto.FLOAT, ["N", spec.steps, spec.pitch_count])
    out = helper.make_tensor_value_info(OUTPUT_NAME, TensorProto.FLOAT, ["N", dim])
    graph = helper.make_graph([helper.make_node("Flatten", [INPUT_NAME], [OUTPUT_NAME], axis=1)], "rawroll", [inp], [out])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="motif-fuzz")
    model.ir_version = 8
    meta = ModelCard(spec, method="raw-roll", training_data="none", version="0.0-fuzz", embedding_dim=dim).to_metadata()
    helper.set_model_props(model, meta)
    path.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(path))
    return path


def make_mxl(xml: bytes, member: str = "score.xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("META-INF/container.xml", (2024, 1, 1, 0, 0, 0)), CONTAINER)
        archive.writestr(zipfile.ZipInfo(member, (2024, 1, 1, 0, 0, 0)), xml)
    return buffer.getvalue()


def seed_files(model, cache: Path) -> list[tuple[str, bytes]]:  # noqa: ANN001
    """(suffix, bytes): small POP909 songs, the examples, the bad corpus, MusicXML written by motif."""
    seeds: list[tuple[str, bytes]] = []
    pop = pop909_dir()
    songs: list[Path] = []
    if pop is not None:
        songs = [pop / f"{n:03d}" / f"{n:03d}.mid" for n in (98, 331, 764, 21)]
        songs = [s for s in songs if s.is_file()]
    songs += sorted((REPO / "examples").glob("*.mid"))
    for song in songs:
        seeds.append((".mid", song.read_bytes()))
    bad = REPO / "tests" / "data" / "bad"
    for f in sorted(bad.glob("*")) if bad.is_dir() else []:
        if f.stat().st_size <= 64 * 1024:
            seeds.append((f.suffix if f.suffix in KINDS else ".musicxml", f.read_bytes()))
    for f in sorted((REPO / "tests" / "data" / "musescore").glob("*.musicxml")):
        seeds.append((".musicxml", f.read_bytes()))
    # a real score written by motif itself (notes, colours, brackets), as .musicxml and .mxl
    written = cache / "seed-written.musicxml"
    if not written.is_file() and songs:
        try:
            import motifcli
            from motifcli.writers import write

            score = motifcli.read_score(songs[0])
            write(motifcli.annotate(score, model), score, "musicxml", written)
        except Exception as exc:  # noqa: BLE001 - a missing seed is not fatal
            print(f"note: no written MusicXML seed ({type(exc).__name__}: {exc})", file=sys.stderr)
    if written.is_file():
        xml = written.read_bytes()
        seeds.append((".musicxml", xml))
        seeds.append((".mxl", make_mxl(xml)))
    return seeds


def encode_input(suffix: str, data: bytes, sensitivity: int = 128) -> bytes:
    return bytes([KINDS.index(suffix), sensitivity]) + data


def decode_input(blob: bytes) -> tuple[str, float, bytes]:
    if len(blob) < 2:
        return ".mid", 0.5, blob
    return KINDS[blob[0] % 3], blob[1] / 255, blob[2:]


# ---------------------------------------------------------------------------------------------
# mutators
# ---------------------------------------------------------------------------------------------


def byte_mutation(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        if not out:
            out += bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
            continue
        at = rng.randrange(len(out))
        op = rng.randrange(7)
        if op == 0:
            out[at] ^= 1 << rng.randrange(8)
        elif op == 1:
            out[at] = rng.choice([0x00, 0x7F, 0x80, 0xFF, 0x90, 0xFF, 0x2F])
        elif op == 2:
            del out[at:]
        elif op == 3:
            out[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        elif op == 4:
            del out[at : at + rng.randint(1, 64)]
        elif op == 5:  # duplicate a slice (repeats events, chunks or elements)
            end = min(len(out), at + rng.randint(1, 256))
            out[at:at] = out[at:end]
        else:  # a big-endian 16/32-bit field set to an extreme (chunk lengths, divisions)
            width = rng.choice([2, 4])
            value = rng.choice([0, 1, 0x7FFF, 0x8000, 0xFFFF, 0xFFFFFFFF, 0x7FFFFFFF]) & ((1 << (8 * width)) - 1)
            out[at : at + width] = value.to_bytes(width, "big")
    return bytes(out)


_NUMBER = re.compile(rb">\s*-?[\d.]+\s*<|\"-?[\d.]+\"")
_ELEMENT = re.compile(rb"<(note|measure|attributes|backup|forward|part|score-part|direction|time|divisions)\b.*?</\1>", re.S)


_NOTE_OPEN = re.compile(rb"<note\b[^>]*>")
_STAFF_NUMBERS = [b"", b"", b' number="1"', b' number="2"', b' number="0"', b' number="3"', b' number="x"']


def sounding_mutation(data: bytes, rng: random.Random) -> bytes:
    """A ``<cue/>`` in a note (a chord head, member, grace or rest alike), or an ``<attributes>`` with a
    ``<transpose>`` of hostile numbers before a note (mid-measure, after a backup; motifcli/sounding.py)."""
    notes = list(_NOTE_OPEN.finditer(data))
    if not notes:
        return data
    m = rng.choice(notes)
    if rng.random() < 0.5:
        return data[: m.end()] + b"<cue/>" + data[m.end() :]
    values = [rng.choice(HOSTILE_NUMBERS + ["-2", "-1", "-3", "-12", "-7"]).encode() for _ in range(3)]
    transpose = b"<attributes><transpose%s><diatonic>%s</diatonic><chromatic>%s</chromatic>" % (
        rng.choice(_STAFF_NUMBERS), values[0], values[1])
    if rng.random() < 0.5:
        transpose += b"<octave-change>%s</octave-change>" % values[2]
    return data[: m.start()] + transpose + b"</transpose></attributes>" + data[m.start() :]


def xml_mutation(data: bytes, rng: random.Random) -> bytes:
    """Structure-aware: replace numbers with hostile ones, duplicate or delete whole elements, add cue
    notes and transpositions."""
    out = data
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(4)
        if op == 3:
            out = sounding_mutation(out, rng)
        elif op == 0:
            numbers = list(_NUMBER.finditer(out))
            if numbers:
                m = rng.choice(numbers)
                quote = out[m.start() : m.start() + 1]
                close = b"<" if quote == b">" else b'"'
                value = rng.choice(HOSTILE_NUMBERS).encode()
                out = out[: m.start() + 1] + value + close + out[m.end() :]
        else:
            elements = list(_ELEMENT.finditer(out))
            if elements:
                m = rng.choice(elements)
                chunk = out[m.start() : m.end()]
                if op == 1:
                    out = out[: m.end()] + chunk * rng.randint(1, 8) + out[m.end() :]
                else:
                    out = out[: m.start()] + out[m.end() :]
    return out


def mxl_mutation(data: bytes, rng: random.Random) -> bytes:
    """Mutate the score inside a .mxl and zip it again (byte mutations alone rarely pass the CRC)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = [i.filename for i in archive.infolist() if i.file_size < 4 * 1024 * 1024]
            if not names:
                return byte_mutation(data, rng)
            members = {n: archive.read(n) for n in names}
    except Exception:  # noqa: BLE001 - not a zip any more: plain bytes
        return byte_mutation(data, rng)
    target = rng.choice(list(members))
    members[target] = xml_mutation(members[target], rng) if rng.random() < 0.7 else byte_mutation(members[target], rng)
    if rng.random() < 0.1:  # hostile member names
        members[rng.choice(["../../evil.xml", "/abs.xml", "META-INF/container.xml", "a" * 300])] = members[target]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", rng.choice([zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])) as archive:
        for n, blob in members.items():
            archive.writestr(zipfile.ZipInfo(n, (2024, 1, 1, 0, 0, 0)), blob)
    return buffer.getvalue()


def structured_mutation(blob: bytes, rng: random.Random) -> bytes:
    suffix, _, data = decode_input(blob)
    sens = rng.randrange(256) if rng.random() < 0.2 else (blob[1] if len(blob) > 1 else 128)
    if suffix == ".musicxml":
        data = xml_mutation(data, rng) if rng.random() < 0.6 else byte_mutation(data, rng)
    elif suffix == ".mxl":
        data = mxl_mutation(data, rng)
    else:
        data = byte_mutation(data, rng)
    return encode_input(suffix, data, sens)


# ---------------------------------------------------------------------------------------------
# running one input
# ---------------------------------------------------------------------------------------------


class Fuzzer:
    def __init__(self, workdir: Path, model_path: Path, seconds: float, write_outputs: bool) -> None:
        import motifcli
        from motifcli.limits import ReadLimits

        self.workdir = workdir
        self.findings_dir = workdir / "findings"
        self.findings_dir.mkdir(parents=True, exist_ok=True)
        preload()
        self.scratch = Path(tempfile.mkdtemp(prefix="motif-fuzz-"))
        self.model = motifcli.load_model(model_path, provider="cpu", threads=1)
        self.seconds = seconds
        self.write_outputs = write_outputs
        self.limits = ReadLimits()
        self.started = time.time()
        self.execs = 0
        self.outcomes = {"annotation": 0, "motif_error": 0, "finding": 0}
        self.findings: dict[str, dict] = {}
        self.error_kinds: dict[str, int] = {}
        self.slowest = 0.0
        self.last_summary = 0.0
        self._load_findings()

    def _load_findings(self) -> None:
        summary = self.workdir / "summary.json"
        with contextlib.suppress(OSError, ValueError):
            self.findings = json.loads(summary.read_text())["findings"]

    def run_one(self, blob: bytes) -> str:
        """Run one input; return 'annotation', 'motif_error' or 'finding' (recorded)."""
        from motifcli import annotate, read_score
        from motifcli.annotation import Annotation
        from motifcli.errors import MotifError

        suffix, sensitivity, data = decode_input(blob)
        path = self.scratch / f"input{suffix}"
        path.write_bytes(data)
        self.execs += 1
        start = time.process_time()
        old = signal.signal(signal.SIGPROF, _raise_hang)
        signal.setitimer(signal.ITIMER_PROF, self.seconds)
        try:
            score = read_score(path, self.limits)
            annotation = annotate(score, self.model, sensitivity)
            check_annotation(annotation, score)
            assert isinstance(annotation, Annotation)
            if self.write_outputs:
                self._write(annotation, score, suffix)
            result = "annotation"
        except MotifError as exc:
            signal.setitimer(signal.ITIMER_PROF, 0)
            text = str(exc)
            if "\n" in text or "Traceback" in text or not exc.message:
                self._finding(blob, suffix, "MotifError message is not one line", f"{text!r}\n")
                result = "finding"
            else:
                kind = re.sub(r"[\d,]+", "N", exc.message)[:80]
                self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1
                result = "motif_error"
        except BaseException as exc:  # noqa: BLE001 - everything else is what we are looking for
            signal.setitimer(signal.ITIMER_PROF, 0)
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            self._finding(blob, suffix, _signature(exc), traceback.format_exc())
            result = "finding"
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.signal(signal.SIGPROF, old)
        elapsed = time.process_time() - start
        if elapsed >= self.seconds and result != "finding":  # a watchdog that something swallowed
            self._finding(blob, suffix, f"slow input ({result} after {elapsed:.1f} s)", "")
            result = "finding"
        self.slowest = max(self.slowest, elapsed)
        self.outcomes[result] += 1
        if time.time() - self.last_summary > 60:
            self.save_summary()
        return result

    def _write(self, annotation, score, suffix: str) -> None:  # noqa: ANN001
        from motifcli.writers import write

        for fmt in ("json", "midi" if suffix == ".mid" else "musicxml", "csv", "mirex", "labels"):
            write(annotation, score, fmt, self.scratch / f"out.{fmt}")

    def _finding(self, blob: bytes, suffix: str, signature: str, detail: str) -> None:
        key = hashlib.sha1(signature.encode()).hexdigest()[:12]
        entry = self.findings.get(key)
        if entry is None:
            digest = hashlib.sha1(blob).hexdigest()[:16]
            sample = self.findings_dir / f"{key}-{digest}.bin"
            sample.write_bytes(blob)
            (self.findings_dir / f"{key}-{digest}{suffix}").write_bytes(decode_input(blob)[2])
            (self.findings_dir / f"{key}.txt").write_text(f"{signature}\n\n{detail}")
            entry = {"signature": signature, "count": 0, "first_seen_s": round(time.time() - self.started, 1),
                     "sample": sample.name, "kind": suffix}
            self.findings[key] = entry
            print(f"\n*** new finding {key}: {signature}\n    input: {sample}\n", file=sys.stderr, flush=True)
            self.save_summary()
        entry["count"] += 1

    def save_summary(self) -> None:
        self.last_summary = time.time()
        data = {
            "seconds": round(time.time() - self.started, 1),
            "execs": self.execs,
            "outcomes": self.outcomes,
            "slowest_input_cpu_s": round(self.slowest, 3),
            "findings": self.findings,
            "motif_errors": dict(sorted(self.error_kinds.items(), key=lambda kv: -kv[1])[:60]),
        }
        tmp = self.workdir / ".summary.json.part"
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False))
        os.replace(tmp, self.workdir / "summary.json")
        print(
            f"[{data['seconds']:>8.0f} s] execs {self.execs}  annotations {self.outcomes['annotation']}  "
            f"errors {self.outcomes['motif_error']}  findings {len(self.findings)} ({self.outcomes['finding']} hits)  "
            f"slowest {self.slowest:.2f} s CPU",
            file=sys.stderr,
            flush=True,
        )

    def close(self) -> None:
        self.save_summary()
        shutil.rmtree(self.scratch, ignore_errors=True)


def preload() -> None:
    """Import what the first inputs would otherwise import under the watchdog: an import cut off
    by it leaves half-initialised modules behind (every later input would then fail)."""
    import music21  # noqa: F401
    import scipy.cluster.hierarchy  # noqa: F401
    import sklearn.cluster  # noqa: F401

    from motifcli.grouping import preload as preload_grouping
    from motifcli.readers import musicxml  # noqa: F401

    preload_grouping()


def _raise_hang(signum, frame) -> None:  # noqa: ANN001
    raise Hang("input took longer than the --seconds budget")


def _signature(exc: BaseException) -> str:
    """Exception type + innermost frame of the repository (else the innermost frame at all)."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if str(REPO) in f.filename and "benchmarks" not in f.filename]
    frame = (ours or frames or [None])[-1]
    where = f"{Path(frame.filename).name}:{frame.lineno} in {frame.name}" if frame else "?"
    if isinstance(exc, Hang):
        return f"Hang at {where}"
    return f"{type(exc).__name__} at {where}"


def check_annotation(annotation, score) -> None:  # noqa: ANN001
    """What every annotation must satisfy, whatever the input."""
    import math

    names = [m.name for m in annotation.motifs]
    assert len(names) == len(set(names)), f"duplicate family names {names}"
    for motif in annotation.motifs:
        assert len(motif.occurrences) >= 2, f"family {motif.name} with {len(motif.occurrences)} occurrence(s)"
        for occ in motif.occurrences:
            assert 0 <= occ.track < len(score.tracks), f"occurrence on track {occ.track}"
            assert math.isfinite(occ.start) and math.isfinite(occ.end) and 0 <= occ.start < occ.end, (occ.start, occ.end)
    json.dumps(annotation.to_dict(), allow_nan=False)


# ---------------------------------------------------------------------------------------------
# engines
# ---------------------------------------------------------------------------------------------


def run_random(fuzzer: Fuzzer, seeds: list[bytes], minutes: float, seed: int) -> None:
    rng = random.Random(seed)
    deadline = time.time() + minutes * 60
    for blob in seeds:  # the seeds themselves first
        fuzzer.run_one(blob)
    while time.time() < deadline:
        blob = rng.choice(seeds)
        for _ in range(rng.randint(1, 3)):
            blob = structured_mutation(blob, rng)
        fuzzer.run_one(blob)


def run_atheris(fuzzer: Fuzzer, corpus: Path, minutes: float, seconds: float, extra: list[str]) -> None:
    import atheris

    def test_one_input(data: bytes) -> None:
        fuzzer.run_one(data)

    def custom_mutator(data: bytes, max_size: int, seed: int) -> bytes:
        rng = random.Random(seed)
        if rng.random() < 0.5:
            out = structured_mutation(data, rng)
        else:
            out = data[:2] + atheris.Mutate(data[2:], max(1, max_size - 2))
        return out[:max_size]

    argv = [
        sys.argv[0],
        str(corpus),
        f"-max_total_time={int(minutes * 60)}",
        f"-timeout={int(seconds * 6) + 60}",  # wall time: the CPU-time watchdog fires first; a backstop
        f"-report_slow_units={int(seconds * 6)}",  # libFuzzer's slow units are wall time: only the extreme
        "-rss_limit_mb=3072",
        "-max_len=262144",
        "-print_final_stats=1",
        f"-artifact_prefix={fuzzer.workdir / 'findings'}/libfuzzer-",
        *extra,
    ]
    atheris.Setup(argv, test_one_input, custom_mutator=custom_mutator)
    try:
        atheris.Fuzz()
    except SystemExit:
        pass


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in argv:
        extra = argv[argv.index("--") + 1 :]
        argv = argv[: argv.index("--")]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=("atheris", "random"), default=None, help="default: atheris if installed")
    parser.add_argument("--minutes", type=float, default=30.0, help="how long to run (default 30)")
    parser.add_argument("--seconds", type=float, default=10.0, help="CPU-time budget per input (default 10)")
    parser.add_argument("--memory-mb", type=int, default=3072, help="address-space limit (RLIMIT_AS); 0 = none")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "motif-fuzz")
    parser.add_argument("--model", type=Path, default=None, help="ONNX model (default: a raw-roll model)")
    parser.add_argument("--seed", type=int, default=0, help="random engine: the seed")
    parser.add_argument("--write", action="store_true", help="also run every writer on each annotation")
    parser.add_argument("--replay", type=Path, nargs="+", help="run saved inputs (.bin) once each and report")
    parser.add_argument("--instrument", action="append", default=["motifcli", "mido"],
                        help="atheris: modules to instrument for coverage (repeatable)")
    args = parser.parse_args(argv)

    if args.memory_mb:
        limit = args.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    engine = args.engine
    if engine is None:
        try:
            import atheris  # noqa: F401

            engine = "atheris"
        except ImportError:
            engine = "random"
    if engine == "atheris" and not args.replay:
        import atheris

        with atheris.instrument_imports(include=args.instrument):
            import motifcli  # noqa: F401
            import motifcli.annotation  # noqa: F401
            import motifcli.grouping  # noqa: F401
            import motifcli.readers.midi  # noqa: F401
            import motifcli.readers.musicxml  # noqa: F401
            import motifcli.score  # noqa: F401
            import motifcli.segment  # noqa: F401
            import mido  # noqa: F401

    workdir: Path = args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    model_path = args.model or build_rawroll_model(workdir / "rawroll.onnx")
    fuzzer = Fuzzer(workdir, model_path, args.seconds, args.write)
    try:
        if args.replay:
            for blob_path in args.replay:
                result = fuzzer.run_one(blob_path.read_bytes())
                print(f"{blob_path}: {result}", file=sys.stderr)
            return 1 if fuzzer.outcomes["finding"] else 0
        seeds = [encode_input(s, d) for s, d in seed_files(fuzzer.model, workdir)]
        print(f"engine {engine}, {len(seeds)} seeds, workdir {workdir}", file=sys.stderr, flush=True)
        if engine == "random":
            run_random(fuzzer, seeds, args.minutes, args.seed)
        else:
            corpus = workdir / "corpus"
            corpus.mkdir(exist_ok=True)
            for blob in seeds:
                (corpus / f"seed-{hashlib.sha1(blob).hexdigest()[:16]}").write_bytes(blob)
            run_atheris(fuzzer, corpus, args.minutes, args.seconds, extra)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
    finally:
        fuzzer.close()
    return 1 if fuzzer.findings else 0


if __name__ == "__main__":
    sys.exit(main())
