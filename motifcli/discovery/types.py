"""What discovery returns: families of occurrences, each occurrence a set of notes.

Plain frozen dataclasses so writers, JSON and benchmarks can read them without numpy.
"""

from __future__ import annotations

from dataclasses import dataclass

from motifcli.voice_ids import TEXTURES


@dataclass(frozen=True, slots=True)
class NoteRef:
    """One note of an occurrence: where it is in the score and what it sounds."""

    track: int  # Track.index
    index: int  # position in track.notes
    voice: int  # motifcli.voices.UPPER / LOWER / TEXTURE / ACCOMPANIMENT, WRITTEN + a MusicXML written voice, or SEPARATED + a separated line
    onset: float  # beats
    offset: float
    pitch: int


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One statement of a motif: its notes, its transposition from the prototype, its similarity,
    and whether it states the motif in inversion (``DiscoverySettings.inversions``), in other note
    values (``DiscoverySettings.augmentations``) or backwards (``DiscoverySettings.retrogrades``)."""

    notes: tuple[NoteRef, ...]
    transposition: int  # chromatic semitones from the prototype (median over aligned notes); inverted: from the prototype mirrored about its first note
    diatonic: int  # the same in diatonic steps, by the nearest diatonic interval (approximate)
    similarity: float  # 1 for the prototype and exact (transposed or inverted) repeats, lower for variants
    inverted: bool = False  # the prototype's intervals mirrored, its rhythm kept (discovery/inversion.py)
    time_scale: float = 1.0  # its note values over the prototype's: 2 augmented, 0.5 diminished (discovery/timescale.py)
    retrograde: bool = False  # the prototype's notes in reverse order (with inverted: retrograde inversion; discovery/retrograde.py); transposition: from the prototype reversed (its first note against the prototype's last)

    @property
    def track(self) -> int:
        return self.notes[0].track

    @property
    def start(self) -> float:
        return self.notes[0].onset

    @property
    def end(self) -> float:
        return max(n.offset for n in self.notes)

    def points(self) -> list[tuple[float, int]]:
        """(onset, pitch) pairs, the form mir_eval.pattern scores."""
        return [(n.onset, n.pitch) for n in self.notes]


@dataclass(frozen=True, slots=True)
class Family:
    """Occurrences of one motif, prototype first; ``salience`` orders families (most salient first)."""

    label: str
    occurrences: tuple[Occurrence, ...]
    salience: float  # share of voiced notes explained x repetition (output: x length, transposition; salience.py)
    coverage: float  # share of the piece's voiced notes inside its occurrences
    notes_per_occurrence: int

    @property
    def prototype(self) -> Occurrence:
        return self.occurrences[0]

    @property
    def is_texture(self) -> bool:
        """Whole bars of a chordal track (texture.py), not a line's notes: line rules do not judge it."""
        return self.prototype.notes[0].voice in TEXTURES


@dataclass(frozen=True, slots=True)
class DiscoverySettings:
    """Knobs of :func:`motifcli.discovery.discover`; defaults are the tuned ones (see benchmarks)."""

    min_notes: int = 4  # shortest motif, in notes (texture: a bar with fewer notes states no texture)
    max_notes: int = 12  # longest motif, in notes
    short_piece_notes: int = 120  # a piece that is one line of fewer notes than this (a song's strophe) searches motifs from 3 notes when min_notes is more, and keeps a phrase repeated back to back (extend_kept "always" where "empty"): in a short tune a returning 3-note figure is a motif, in a long movement or across a short piece's lines 3-note repeats are chance (0: off, before phase 19; discovery/core.py _short_tune, phase19-folk19.md)
    rhythm_motifs: bool = False  # a short tune also reports its rhythmic motif: the longest rhythm (not one even value) that returns, not overlapping, with other intervals (discovery/rhythm.py, phase19-folk19.md)
    rhythm_min_notes: int = 5  # ... of at least this many notes
    rhythm_max_notes: int = 10  # ... and at most this many
    max_beats: float = 8.0  # longest motif, in beats
    max_families: int = 25  # cap on the families reported
    notes_per_family: float = 200.0  # at most one family per this many voiced notes (at least 3)
    relative_salience: float = 0.0  # keep families (and cells) scoring at least this share of the piece's best one (0: off, the count rule notes_per_family alone; 0.05 before phase 20: it bound on one movement of 75 benchmark cases, BPS 29-1, where it dropped a labelled 3-note cell under a 2-note cell of 123 statements; phase20-est20.md)
    extend_share: float = 0.6  # a pattern is dropped when this share of it extends the same way
    extend_kept: str = "empty"  # ... only into a longer pattern with two statements sharing no note (a phrase repeated back to back is kept, the earliest of its rotations): "always"; "empty": only where the plain rule leaves the piece no family; "off": never (before phase 16; phase16-shared16.md)
    extend_tiled: float = 0.6  # ... and, with extend_kept, a pattern is kept whose statements follow one another back to back (this share of them in such a chain: a phrase stated 3+ times in a row, whose longer pattern, the phrase and the next statement's first note, also has two statements sharing no note, was kept instead at half the count; 0: off, before phase 25; phase25-fixes25.md)
    drop_open_at_cap: bool = True  # also drop max_notes patterns that extend (stretches of long repeats)
    oscillation_penalty: float = 0.7  # discount for figures returning to the pitch of two notes before
    opening_figure: float = 0.5  # ... its repeated-note part waived for a pattern half repeated notes whose first statement opens the piece alone (other lines silent or doubling it in unison or octaves), when under this share of its statements follow the one before back to back (a theme on one pitch, op. 59/1/ii's cello; 0: off, before phase 17; discovery/opening.py, phase17-fig17.md)
    redundancy: float = 0.8  # a candidate sharing this share of notes with chosen families is dropped
    variant_tolerance: float = 1.0  # mean |interval change| (semitones) + |log2 IOI change| accepted
    grow_share: float = 0.33  # extend statements by a note while this share of them agree (0: off; extent.py)
    grow_max_notes: int = 24  # longest statement after growing, in notes
    grow_max_beats: float = 16.0  # longest statement after growing, in beats
    grow_all: bool = True  # a step grows every statement that can take one (else only the agreeing ones)
    grow_rest: float = 0.5  # growing stops at a rest longer than this (beats)
    grow_to_long: float = 2.0  # after growing, a statement takes the next note when it is held this many times the longest inter-onset interval inside it: the long note it comes to rest on, any pitch (0: off, before phase 13; extent.end_on_long_notes, phase13-bounds13.md)
    grow_from_long: float = 6.0  # after growing, a statement takes the note before it when that note is held this many times the longest inter-onset interval inside it and lies on a stronger metric place than the statement's first note: the accented held note a quick figure springs from, any pitch (0: off, before phase 16; extent.start_on_long_notes, phase16-disc16.md)
    grow_vary: int = 1  # a statement may grow this many steps with the agreeing rhythm but another interval (0: off)
    max_gaps: int = 1  # a varied statement may have this many notes more or fewer than the motif
    gap_cost: float = 0.5  # distance added per inserted/missing note (scaled by 1 / notes)
    keep_inserted: bool = True  # a varied statement keeps its inserted (ornament) notes
    exemplars: int = 8  # variants are aligned to the family's first this many exact statements
    doubled: float = 0.5  # output: a statement this share of whose span sounds under a higher statement of its family in another line is dropped (0: off; discovery/doubling.py, phase12-extra12.md)
    doubled_parallel: float = 0.5  # ... and that moves with it: this share of its notes sound with the higher one's at one steady interval (doubling, not imitation; 0: any)
    buried: float = 0.25  # output: a varied statement with a higher note sounding over more than this share of its notes is dropped from a crowded top-line family: a tune's shape met loosely in the accompaniment (0: off, before phase 19; discovery/register.py, phase19-occ19.md)
    buried_top: float = 0.5  # ... a family at least this share of whose exact statements are not so buried
    buried_crowd: int = 20  # ... and that gathers at least this many statements (a figure the piece is made of)
    buried_varied: bool = True  # ... only varied statements go (False: exact and transposed repeats too)
    buried_imitation: float = 4.0  # ... a statement answering one of the family in another line that started at most this many beats before it and ended by its start stays (imitation between the hands; 0: none stays)
    salience_discount: float = 1.0  # salience x (accompaniment-figure discount) ** this
    # output order (motifcli.discovery.salience.ranked; benchmarks/phase5-rank5.md); all 0: the base salience
    salience_length: float = 0.3  # ordering salience x notes per statement ** this (longer statements first)
    salience_transposed: float = 0.25  # x (1 + this x share of transposed statements), voice families only
    order_opening: float = 0.05  # output only, after the cap: a line family's salience x exp(-(its first statement's onset, a share of the piece) / this): the idea heard at the opening is named first; texture families keep theirs (0: off; phase14-rank14.md)
    order_exact: float = 1.0  # output only, as order_opening: a line family's salience x (share of its statements that are exact) ** this: a motif recurs as itself, a running-figure window gathers loose matches (0: off, before phase 17; phase17-rank17.md)
    order_own: float = 0.98  # output only: a line family's salience x (1 - this x share of its notes inside other reported families' statements): a window of other families' notes says nothing of its own (0: off, before phase 17; phase17-rank17.md)
    model_tolerance: float = 0.0  # with a model: looser alignments it may vet (off: see DISCOVERY-ALGO.md)
    min_occurrences: int = 2  # a voice family needs this many statements after variants (2: no filter)
    use_variants: bool = True  # add varied (non-exact) occurrences by nearest-window search
    bass_voice: bool = True  # also a lower line for chordal tracks (else the skyline only)
    diatonic_keys: bool = True  # key windows by coarse interval classes (else exact semitones)
    transpose: bool = True  # transposed statements count (False: the no-invariance ablation, exact pitch only)
    inversions: int = 0  # statements of at least this many notes also match in strict inversion: intervals mirrored (in the classes the keys compare), rhythm kept (0: off; discovery/inversion.py, phase18-inv18.md)
    retrogrades: int = 0  # statements of at least this many notes also match in strict retrograde: notes in reverse order, intervals reversed and negated, note values reversed (with inversions also retrograde inversion; 0: off; discovery/retrograde.py, phase18-retro18.md)
    augmentations: int = 0  # statements of at least this many notes also match with every note value times a power of two: augmentation, diminution (0: off; discovery/timescale.py, phase18-aug18.md)
    # metric position (motifcli.discovery.barpos; benchmarks/phase10-barpos10.md)
    # "bar" / "half" / "beat": a varied statement joins a family only at the place in the bar (half bar,
    # beat) most of its exact statements start at ("off": anywhere)
    bar_position: str = "bar"
    bar_position_crowd: int = 20  # ... only in families that gather at least this many statements without it
    bar_position_agree: float = 0.67  # ... and only where at least this share of those exact statements start there
    # short rhythmic cells (motifcli.discovery.cells): 2-4-note groups keyed by rhythm and contour
    short_cells: int = 3  # at most this many cell families per piece, in slots left under max_families (0: off)
    cell_min_notes: int = 2  # shortest cell, in notes
    cell_max_notes: int = 3  # longest cell, in notes
    cell_min_statements: int = 6  # a cell family needs this many non-overlapping statements
    cell_pair_statements: int = 16  # ... and a 2-note cell this many: a pair stated 5-8 times is a sigh or a passing step, no motif (bwv66.6; 0: cell_min_statements, before phase 26; phase26-cells26.md)
    cell_rest_share: float = 0.5  # a rest this share of the longest inside inter-onset interval bounds a cell
    cell_redundancy: float = 0.5  # a cell sharing this share of notes with chosen families is dropped
    cell_notated_only: bool = True  # cells only where onsets sit on the notated 1/12-beat grid (not performances)
    cell_neighbourhood: float = 4.0  # keep a cell statement only with another within this many beats (0: all)
    cell_closed: bool = True  # drop a cell whose statements mostly extend to one longer cell (extend_share)
    cell_longest_first: bool = True  # choose 3-note cells before 2-note ones (else by statements x notes)
    cell_free_statements: bool = True  # drop a cell's statements on notes already in families, keep the rest
    cell_free_of_lines: bool = True  # ... also those on notes of line families (False: only on other cells' notes: a cell nested in a longer motif keeps its statements there; phase20-est20.md, measured)
    cell_salience: float = 0.3  # cell families' salience x this (below 1: ranked after longer motifs)
    # texture families (motifcli.discovery.texture): whole bars of chordal tracks, chords included
    texture: bool = True  # also find repeated bars / phrases of a chordal track's whole texture
    texture_similarity: float = 0.4  # cardinality score at which two bars are one symbol
    texture_max_bars: int = 4  # longest texture phrase, in bars
    texture_coarse: bool = True  # bars compared by interval classes above the bass
    texture_merge_runs: bool = True  # statements that follow each other are one occurrence
    texture_voice_share: float = 0.7  # drop a texture family when voice families hold this share of its notes (see texture_line_rules)
    texture_covers_voice: float = 0.5  # drop a voice family when kept texture families hold this share of its notes
    texture_chord_share: float = 0.05  # a track states textures when this share of its onsets are chords
    texture_family_chords: float = 0.05  # a texture family needs chords at this share of its occurrences' onsets (see texture_line_rules)
    texture_line_rules: str = "alone"  # where texture_voice_share / texture_family_chords apply: "alone": only to a leading track that is the score's one pitched track (beside a melody's track it is the accompaniment, and its broken-chord bars are its statements; phase12-popocc12.md); "always": every leading track (before phase 12)
    texture_lead: float = 1.5  # a chordal track states textures only with this many times any other track's notes (0: off)
    texture_lead_lines: float = 1.0  # a chordal track also leads with this many times the notes of any other track when all of them are single lines (0: off)
    texture_lead_share: float = 0.75  # ... and, beside other tracks, this many times all their notes together (with texture_lead > 0): one part of a texture shared by several (a quartet's 2nd violin) is not it (0: off; phase17-quartet17.md)
    texture_staves: bool = True  # a multi-staff track alone in its score (a one-part piano MusicXML) leads only when one staff has texture_lead x each other staff's notes, as BPS's track per staff must (phase11-staves11.md); no effect on one-staff tracks
    texture_staff: bool = True  # with texture_staves, a multi-staff track alone in its score whose one staff leads states its texture with that staff's notes only, as its MIDI file's track per staff does: the other staff's lines (a solo piano's tune) stay lines (phase18-tex18.md)
    texture_upper_chords: float = 0.2  # with texture_staff, a leading staff that is the upper one and sounds chords at this share of its onsets or more is an accompaniment's chords over its bass: the whole part's bars are the texture's statements (a pop piano's right hand comping over its left hand's bass; 0: off, the leading staff only; phase22-pianoalone22.md)
    texture_low_hands: float = 0.0  # with texture_staves, a two-staff part alone in its score whose staves are equally busy and whose upper staff's mean pitch lies under this (MIDI number; 65 measured) is an accompaniment: the whole part's bars are the texture's statements (0: off, no texture family; phase22-pianoalone22.md)
    texture_tune: bool = True  # a chordal one-staff track alone in its score whose top line is a tune over an accompaniment (motifcli.discovery.texture_tune) states its texture without the tune's notes: a band song or lead sheet played into one MIDI track (phase21-melband21.md)
    texture_line_low: float = 48.0  # a one-staff track alone in its score (left whole by the hand reading) with no note under this MIDI pitch (C3: no bass) ...
    texture_line_triads: float = 0.1  # ... and onsets of 3+ notes at under this share of its onsets (its chords are double stops) is a melody instrument's line, a fiddle tune: no texture families, no bar model (0 either: off; texture_lead.melody_line, phase28-fiddle28.md)
    split_hands: bool = True  # a chordal one-staff track alone in its score that needs two staves (a piano piece or a lead sheet in one MIDI track) is read as a two-staff part, each note's staff its hand (motifcli.hands): per-staff voices and texture_staff as for a MusicXML piano part (phase19-hand19.md)
    staff_voices: str = "alone"  # multi-staff tracks (MusicXML piano parts) split into voices per staff: "all", "alone" (only a track alone in its score: a solo piano's hands, as BPS's staff tracks), "off" (phase11-staves11.md)
    separate_lines: bool = True  # a staff without written lines that is a steady 2-4 lines (a MIDI chorale reduction's staff) is separated into them by pitch proximity (motifcli.streams; phase14-midivoices14.md); False: skyline + bass
    texture_notes_per_family: float = 100.0  # texture phrases chosen: one per this many voiced notes (at least 3)
    texture_model: str = "cluster"  # with a model, "cluster": bars are symbols by the bar model's clusters (as --unit bar); "off": leaders
    texture_model_distance: float = 0.0  # cosine distance the clusters are cut at (0: the model's grouping_threshold scaled below)
    texture_model_sensitivity: float = 0.5  # without a distance: the model's threshold at this sensitivity (0.5: as calibrated)
    texture_cut: str = "gap"  # how the bar clusters' tree is cut: "gap": in the widest gap between merge heights within texture_cut_band of the distance, so a threshold moved a little regroups no bars; "threshold": at the distance (before phase 11; phase11-stable11.md)
    texture_cut_band: float = 0.18  # with texture_cut="gap": the band either side of the distance searched for the widest gap, a share of that distance (0.18: 0.081 at 0.45; 0: the distance itself)
    texture_linkage: str = "average"  # linkage of the bar clusters ("average" as --unit bar; "complete", "single")
    texture_bar_runs: bool = True  # runs of one bar symbol are families too (as --unit bar's), chosen apart from longer phrases
    texture_long_share: float = 0.34  # with texture_bar_runs: phrases of 2+ bars get this share of the texture cap
    texture_roll_grid: str = "onsets_bars"  # "onsets_bars": texture bars and the bar model's rolls counted on one grid at the onsets' phase, bar lines moved to it; "onsets": the rolls only; "bar": grid anchored at each bar line (before phase 11; phase11-pop11.md)
    texture_other_lines: bool = True  # keep other tracks' voice families beside kept texture families (False: the texture track's only; phase6-pop6.md)
    grown_redundancy: float = 0.9  # a family sharing this share (of the union) of its notes with a more salient one is dropped: grown voice families, then all (0: off)
    subfigure: float = 0.9  # output: a line family (not texture) this share of whose notes lie in one more salient kept family's statements is dropped: a part of that motif that seldom sounds without it (0: off; phase12-est12.md)
    stagger: float = 0.5  # output, last: of two line families each holding this share of the other's notes, whose note-sharing statements are mostly shifted phrasings (one starts and ends before the other; not a cell inside a phrase), the one of smaller coverage is dropped: one passage read twice (0: off, before phase 27; not in a short tune; discovery/stagger.py, phase27-stagger27.md)
    # accompaniment figures (motifcli.discovery.accompaniment): low or pivoting even-rhythm voice families dropped
    accompaniment_below: float = 9.0  # semitones below the leading families' register (0: off)
    accompaniment_lead: int = 5  # the register is the median mean pitch of this many first families
    accompaniment_even: float = 0.9  # share of equal inter-onset intervals that makes an even rhythm
    accompaniment_pivot: int = 3  # also drop even figures most of whose statements hold one pitch at every other note this many times, the notes between leaping away (Alberti, pedal-note figures), at any register (0: off, before phase 13; phase13-acc13.md)
    accompaniment_above: float = 0.5  # ... only when a higher note of another line sounds over this share of their statements' notes (a melody above; 0: no such condition)
    accompaniment_even_on: str = "core"  # whose rhythm the shape rules (pivot, figuration) judge even: "core": the statements before growing (a figure grown back over a held note is still even); "grown": the grown prototype (before phase 13). The register rule always reads the grown prototype (phase13-fig13.md)
    figuration_in_place: float = 0.4  # also drop even chord-outlining figures (half their steps leaps) this share of whose statements restate, back to back, a pitch level already sounded in their run: a figure marking time over one chord (0: off; phase13-fig13.md)
    figuration_above: float = 0.1  # ... only where this share of the figure's notes has a higher note of another line sounding over it: a chord figure with nothing above it is the tune (one arpeggio figure, a folk song's broken chord), not figuration (0: always, before phase 25; flat 0.01-0.2 on BPS tune, 0.3 and 0.5 lose; phase25-fixes25.md)
    figuration_above_when: str = "empty"  # where figuration_above applies: "empty": only where the rule would leave the piece no voice family of motif length (a tune of one figure; changes no benchmark case); "always": every family (MTC tune +0.0016 F_est, BPS tune the same, but 3 BPS test pieces' families change unmeasured; phase25-fixes25.md)
