// motif for MuseScore 3: the shared logic of motif.qml (annotate) and motif-clear.qml (clear).
//
// Every function takes `api`, the plugin's root `MuseScore { id: ... }` object, so that this file
// needs nothing from the importing document's scope (curScore, newElement, Element ... all come
// from it). Written for the QML JavaScript engine of Qt 5.9-5.15 (ES5 + a little ES6; no arrows).

.pragma library

// The colours motif gives motif families: motifcli/annotation.py PALETTE, in its order (a test
// compares them). "Clear" resets notes in these colours, so a note the user coloured in some other
// colour keeps it.
var PALETTE = [
    "#e69f00", "#56b4e9", "#009e73", "#d55e00", "#0072b2", "#cc79a7", "#ee99aa", "#117733",
    "#cc3311", "#ee6677", "#6699cc", "#aa4499", "#ee7733", "#aa3377", "#332288", "#882255"
];
// motifcli/annotation.py FORMER_COLOURS: families G, I, K, L, M before session 26 ("Clear" resets them too)
var FORMER = ["#f0e442", "#4477aa", "#228833", "#ccbb44", "#66ccee"];
var BLACK = "#000000";
// What the plugin writes and later recognises as its own: "Motif A1", "Motif AB12", ..., "Motif A3 inv." (a
// statement in inversion: the report's "inverted"), "Motif A3 aug." / "dim." (its "time_scale" above / below 1) and "Motif A3 = B1" (one statement, the same notes, in two
// families: motifcli/annotation.py LABEL_TEXT)
// "Motif A3 retr." / "Motif A3 retr. inv." (the report's "retrograde", with "inverted": retrograde inversion)
// one statement's label, written once (the same pattern as motifcli/annotation.py _LABEL; a test compares them)
var LABEL = "[A-Z]+[0-9]+(?: retr\\.)?(?: inv\\.)?(?: aug\\.| dim\\.)?";
var TEXT_PATTERN = new RegExp("^Motif " + LABEL + "(?: = " + LABEL + ")*$");
// a run of one family's statements back to back, one text at its first (motifcli/writers/runs.py): "Motif B3\u2013B8"
var RUN_PATTERN = /^Motif [A-Z]+[0-9]+[\u2013-][A-Z]+[0-9]+$/;
var INVERTED_MARK = " inv.";
// Room after a text another text of its staff may meet (motifcli/writers/musicxml_room.py ROOM and needs_room, the
// same rule; tests/test_plugin_room.py compares them): MuseScore 3 lifts a staff text over another only where their
// shapes share width, and keeps no-break spaces in a shape, so two texts close together are stacked, not drawn
// side by side touching. Reach: one beat a character, and two for the room (no beat drawn under a staff space).
var ROOM = "\u00a0\u00a0\u00a0";
var ROOM_BEATS = 2;
// The key to the marks, as motif's MusicXML writer adds it (motifcli/writers/musicxml_key.py KEY_LINES, KEY_FONT_SIZE;
// a test compares them): once, under the bottom staff of the first bar, in small type. "Clear" removes it.
var KEY_LINES = ["Motifs: one colour per motif;", "\u201cA2\u201d: motif A, its 2nd statement;",
                 "\u201cA3 = B1\u201d: the same notes in A and B."];
// the key's line for a run's text, added where one is written (musicxml_key.py RUN_LINE; a test compares them)
var RUN_LINE = "\u201cA5\u2013A8\u201d: A5, A6, A7, A8 back to back.";
var KEY_FONT_SIZE = 7;
// Lines motif's MusicXML key adds after those where the score needs them (musicxml_key.py OPTIONAL_LINES, in its
// order; a test compares them): the plugin adds the run line where it writes a run's text; it draws no brackets, so
// never the second, but Clear and a rerun know such a key, of a MusicXML file motif wrote, as motif's.
var KEY_OPTIONAL_LINES = [RUN_LINE, "Brackets below, dashed, dotted: overlaps."];

// A staff text's words without the room after them (ROOM, and as MuseScore may spell it) and without the size a label
// below its staff says (<font size="10"/>: placement.js), for the patterns.
function labelOf(text) {
    return String(text).replace(/<[^>]*>/g, "").replace(/(?:&nbsp;|&#160;|&#xa0;|\s)+$/i, "");
}

// Per text {start (beats), staff, side, text}: whether another of its staff and side starts after it (not with it:
// texts at one note are stacked already) before its text, a beat a character, and ROOM_BEATS more would end.
function needsRoom(labels) {
    var out = [];
    for (var i = 0; i < labels.length; i++) {
        var a = labels[i];
        var reach = a.start + a.text.length + ROOM_BEATS;
        var meets = false;
        for (var j = 0; j < labels.length && !meets; j++) {
            var b = labels[j];
            meets = b.staff === a.staff && b.side === a.side && b.start > a.start && b.start < reach;
        }
        out.push(meets);
    }
    return out;
}

// Whether a staff text is the key, with or without each optional line (whatever line breaks or tags MuseScore
// keeps in it).
function isKey(text) {
    var rest = String(text).replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
    for (var i = 0; i < KEY_LINES.length; i++) {
        if (rest.indexOf(KEY_LINES[i]) !== 0)
            return false;
        rest = rest.slice(KEY_LINES[i].length).replace(/^ /, "");
    }
    for (var j = 0; j < KEY_OPTIONAL_LINES.length; j++) {
        if (rest.indexOf(KEY_OPTIONAL_LINES[j]) === 0)
            rest = rest.slice(KEY_OPTIONAL_LINES[j].length).replace(/^ /, "");
    }
    return rest === "";
}

// motifcli/writers/runs.py, the same rule (tests/test_plugin_runs.py compares the texts): 3 or more statements of
// one family numbered one after another, in one line, none of another family starting between them there, each
// at most 2 beats long, each starting at most its predecessor's span (at most 0.5, at least 0.25 beat) after it
// ends and not more than 0.25 before; never a statement of two families or in a transformation.
var MIN_RUN = 3, MAX_SPAN = 2.0, GAP = 0.25, MAX_GAP = 0.5;

function spanOf(occ) {
    var lo = Infinity, hi = -Infinity;
    for (var n = 0; n < occ.notes.length; n++) {
        lo = Math.min(lo, Number(occ.notes[n].onset));
        hi = Math.max(hi, Number(occ.notes[n].offset));
    }
    return [lo, hi];
}

function lineOf(occ) {
    // its track and its first note's (lowest pitch first at one onset) track, voice and staff; null: no notes
    var notes = occ.notes || [];
    if (!notes.length)
        return null;
    var first = notes[0];
    for (var n = 1; n < notes.length; n++) {
        var x = notes[n];
        if (x.onset < first.onset || (x.onset === first.onset && x.pitch < first.pitch))
            first = x;
    }
    function v(x) { return x === undefined || x === null ? "-" : String(x); }
    return [occ.track, v(first.track === undefined ? occ.track : first.track), v(first.voice), v(first.staff)].join("|");
}

// For the statements of inTimeOrder: per index, the text to write ("Motif B3\u2013B8" at a run's first), "" for a
// statement inside a run (its notes coloured, no text), undefined for a statement on its own.
function runTexts(order) {
    // the writer's order: by each statement's earliest occurrence (start, track, family, number)
    var idx = [];
    for (var i = 0; i < order.length; i++)
        idx.push(i);
    function key(i) {
        var best = null;
        for (var g = 0; g < order[i].group.length; g++) {
            var o = order[i].group[g];
            var k = [Number(o.occ.start_beat) || 0, o.occ.track || 0, o.motif.name || "", o.occ.number || 0];
            if (best === null || compareKeys(k, best) < 0)
                best = k;
        }
        return best;
    }
    var keys = idx.map(key);
    idx.sort(function (a, b) { return compareKeys(keys[a], keys[b]) || a - b; });
    var chains = [], open = {}, latest = {};
    for (var j = 0; j < idx.length; j++) {
        var k = idx[j];
        var occ = order[k].occ;
        var line = lineOf(occ);
        var ok = line !== null && order[k].group.length === 1 && statementMarks(occ) === "";
        if (ok) {
            var sp = spanOf(occ);
            ok = sp[1] - sp[0] <= MAX_SPAN + 1e-6;
        }
        var fam = ok ? order[k].motif.name + "|" + line : null;
        var c = fam !== null ? open[fam] : undefined;
        var joined = false;
        if (c !== undefined && latest[line] === chains[c][chains[c].length - 1]) {
            var prev = order[chains[c][chains[c].length - 1]].occ;
            var ps = spanOf(prev), between = spanOf(occ)[0] - ps[1];
            if (occ.number === prev.number + 1 && between >= -GAP - 1e-6
                    && between <= Math.max(GAP, Math.min(ps[1] - ps[0], MAX_GAP)) + 1e-6) {
                chains[c].push(k);
                joined = true;
            }
        }
        if (!joined) {
            chains.push([k]);
            if (fam !== null)
                open[fam] = chains.length - 1;
        }
        if (line !== null)
            latest[line] = k;
    }
    var out = {};
    for (var r = 0; r < chains.length; r++) {
        var chain = chains[r];
        if (chain.length < MIN_RUN)
            continue;
        var last = order[chain[chain.length - 1]];
        out[chain[0]] = "Motif " + order[chain[0]].label + "\u2013" + (last.occ.label || (last.motif.name + last.occ.number));
        for (var m = 1; m < chain.length; m++)
            out[chain[m]] = "";
    }
    return out;
}

function compareKeys(a, b) {
    for (var i = 0; i < a.length; i++) {
        if (a[i] < b[i])
            return -1;
        if (a[i] > b[i])
            return 1;
    }
    return 0;
}

// the note-level options a setting of the same name turns on (motifcli/settings.py TRANSFORM_OPTIONS)
var TRANSFORM_OPTIONS = ["inversions", "augmentations", "retrogrades"];

function transformFlags(settings, unit) {
    // " --inversions --augmentations --retrogrades", those whose setting is on; none at bar level
    var out = "";
    for (var i = 0; i < TRANSFORM_OPTIONS.length; i++)
        if (settings[TRANSFORM_OPTIONS[i]] && unit === "note")
            out += " --" + TRANSFORM_OPTIONS[i];
    return out;
}

function statementMarks(occ) {
    // after a statement's label: " retr." (the report's "retrograde"), " inv." (its "inverted"), then " aug." /
    // " dim." (its "time_scale" above / below 1): motifcli/annotation.py statement_marks
    var scale = occ.time_scale === undefined ? 1 : occ.time_scale;
    return (occ.retrograde ? " retr." : "") + (occ.inverted ? INVERTED_MARK : "")
        + (scale > 1 ? " aug." : scale < 1 ? " dim." : "");
}

function colorKey(c) {
    // QColor reaches JS as a color object whose toString() is "#rrggbb" (or "#aarrggbb")
    var s = String(c).toLowerCase();
    if (s.length === 9)
        s = "#" + s.substring(3);
    return s;
}

function isPaletteColor(c) {
    var k = colorKey(c);
    return k !== BLACK && (PALETTE.indexOf(k) >= 0 || FORMER.indexOf(k) >= 0);
}

// Quote one argument for QProcess::start(command): it splits on spaces and honours "double quotes"
// (a literal quote inside is written as three quotes).
function quoteArg(s) {
    s = String(s);
    if (s.length > 0 && !/[\s"]/.test(s))
        return s;
    return "\"" + s.replace(/"/g, "\"\"\"") + "\"";
}

// A file name made from the score's name: letters, digits, dot, dash, underscore only.
function safeName(name) {
    var s = String(name || "score").replace(/[^A-Za-z0-9._-]+/g, "_");
    return s.length ? s : "score";
}

// Read the JSON report; returns {report} or {error}.
function parseReport(text) {
    var report;
    try {
        report = JSON.parse(text);
    } catch (e) {
        return { error: "the report is not JSON (" + e + ")" };
    }
    var major = String(report.schema_version || "").split(".")[0];
    if (major !== "1" && major !== "2")
        return { error: "unsupported report schema_version " + report.schema_version + " (this plugin reads 1.x and 2.x)" };
    if (!report.motifs || !report.motifs.length)
        return { report: report, empty: true };
    return { report: report };
}

// Every chord note of the score: per part index, per pitch, a list of {tick, note, track}
// sorted by tick; and per track the ticks where a cursor on it stops (chords and rests).
// Grace notes are left out (motif does not count them as onsets).
function indexNotes(api) {
    var score = api.curScore;
    var parts = score.parts;
    var cursor = score.newCursor();
    var byPart = [];
    var stops = {};
    for (var p = 0; p < parts.length; p++) {
        var byPitch = {};
        for (var track = parts[p].startTrack; track < parts[p].endTrack; track++) {
            stops[track] = {};
            cursor.track = track;
            cursor.rewind(0);
            while (cursor.segment) {
                var el = cursor.element;
                if (el)
                    stops[track][cursor.tick] = true;
                if (el && el.type === api.Element.CHORD) {
                    var notes = el.notes;
                    for (var i = 0; i < notes.length; i++) {
                        var pitch = notes[i].pitch;
                        if (!byPitch[pitch])
                            byPitch[pitch] = [];
                        byPitch[pitch].push({ tick: cursor.tick, note: notes[i], track: track });
                    }
                }
                cursor.next();
            }
        }
        for (var key in byPitch)
            byPitch[key].sort(function (a, b) { return a.tick - b.tick; });
        byPart.push(byPitch);
    }
    return { byPart: byPart, stops: stops };
}

// Where the "Motif A1" text of an occurrence goes: at its first note, in that note's staff (of
// simultaneous first notes, the top staff's; like motif's MusicXML output, whose bracket starts there). A cursor on the note's own track stands
// there for sure.
function textPlace(first) {
    // at the occurrence's first note, in that note's staff (voice 1 of it): the occurrence is its notes
    var staffTrack = first.track - (first.track % 4);
    return { cursorTrack: first.track, track: staffTrack, tick: first.tick };
}

// The score part of a report track: the same position when the report has as many tracks as the
// score has parts (motif reads a MusicXML part as a track), else the one part with that name.
function partOfTrack(api, report, track, trackName) {
    var parts = api.curScore.parts;
    if (report.tracks && report.tracks.length === parts.length && track < parts.length)
        return track;
    var found = -1;
    for (var p = 0; p < parts.length; p++) {
        if (parts[p].partName === trackName || parts[p].longName === trackName) {
            if (found >= 0)
                return -1;
            found = p;
        }
    }
    return found;
}

// The MuseScore track (part's start track + 4 x staff + voice) a report note was found in, or -1:
// voice 10 + n is the written MusicXML voice n of its staff (the `staff` field, in a part on several
// staves). MuseScore's own MusicXML export, which the plugin hands to motif, numbers a part's voices
// 1-4 in its first staff and 5-8 in its second, so without a staff (an older report) n - 1 is the
// track within the part.
function voiceTrack(api, part, want) {
    var p = api.curScore.parts[part];
    if (want.voice === undefined || want.voice === null || want.voice < 10 || want.voice >= 100)
        return -1;
    var n = want.voice - 10;
    var track = want.staff ? p.startTrack + 4 * (want.staff - 1) + (n - 1) % 4 : p.startTrack + n - 1;
    return track >= p.startTrack && track < p.endTrack ? track : -1;
}

// The note of `list` nearest to `tick` (within `tolerance`). Of two equally near (the same pitch
// at the same tick in two voices: a unison), first the one in the report note's staff and voice
// (`staffTracks`: [first, end) tracks of its staff, or null; `voiceTrack`: its track, or -1), so the
// occurrence's own note is coloured, as motif's MusicXML colours it; then one not yet in `taken`
// (the notes this occurrence already has), so that an occurrence holding that pitch twice gets both.
function nearest(list, tick, tolerance, taken, staffTracks, voiceTrack) {
    var best = null;
    var bestKey = null;
    for (var i = 0; i < list.length; i++) {
        var d = Math.abs(list[i].tick - tick);
        if (d > tolerance)
            continue;
        var t = list[i].track;
        var key = [d,
                   staffTracks && (t < staffTracks[0] || t >= staffTracks[1]) ? 1 : 0,
                   voiceTrack >= 0 && t !== voiceTrack ? 1 : 0,
                   taken && taken.indexOf(list[i]) >= 0 ? 1 : 0];
        var better = best === null;
        for (var k = 0; !better && k < key.length && key[k] <= bestKey[k]; k++)
            better = key[k] < bestKey[k];
        if (better) {
            best = list[i];
            bestKey = key;
        }
    }
    return best;
}

function setColor(note, color) {
    note.color = color;
    if (note.accidental)
        note.accidental.color = color;
    var dots = note.dots;
    for (var i = 0; i < dots.length; i++) {
        if (dots[i])
            dots[i].color = color;
    }
}

// Remove what an earlier run added: "Motif A1" staff texts; notes in motif colours back to black.
// Returns {notes, texts}: how many of each were reset/removed. Call inside startCmd()/endCmd().
function clearAnnotations(api) {
    var score = api.curScore;
    var cursor = score.newCursor();
    var notes = 0;
    for (var track = 0; track < score.ntracks; track++) {
        cursor.track = track;
        cursor.rewind(0);
        while (cursor.segment) {
            var el = cursor.element;
            if (el && el.type === api.Element.CHORD) {
                var chordNotes = el.notes;
                for (var i = 0; i < chordNotes.length; i++) {
                    if (isPaletteColor(chordNotes[i].color)) {
                        setColor(chordNotes[i], BLACK);
                        notes++;
                    }
                }
            }
            cursor.next();
        }
    }
    // Texts hang on segments (a segment lists the annotations of every staff): walk them all once.
    var doomed = [];
    for (var seg = score.firstSegment(); seg; seg = seg.next) {
        var anns = seg.annotations;
        for (var a = 0; a < anns.length; a++) {
            var said = labelOf(anns[a].text);  // a label motif's MusicXML or this plugin left room after
            if (anns[a].type === api.Element.STAFF_TEXT && (TEXT_PATTERN.test(said) || RUN_PATTERN.test(said) || isKey(said)))
                doomed.push(anns[a]);
        }
    }
    for (var d = 0; d < doomed.length; d++)
        api.removeElement(doomed[d]);
    return { notes: notes, texts: doomed.length };
}

// Colour exactly each occurrence's notes (report schema 2: an occurrence is its notes; 1.x reports
// list the same notes) and put a "Motif A1" staff text at its first note, in that note's staff.
// Returns {occurrences, notes, missedNotes, missedOccurrences: [labels], problems: [text]}.
function applyReport(api, report, toleranceTicks) {
    var score = api.curScore;
    var division = api.division;
    var indexed = indexNotes(api);
    var index = indexed.byPart;
    var result = { occurrences: 0, notes: 0, missedNotes: 0, missedOccurrences: [], problems: [] };
    var texts = [];  // {track, tick, text, color}
    var held = {};  // "track:tick:pitch" -> {hit, spans}: a note and the statements holding it (colourWinner)
    var order = inTimeOrder(report);
    var runs = runTexts(order);  // a run of statements back to back: one text, at its first
    var runWritten = false;
    for (var q = 0; q < order.length; q++) {
        var motif = order[q].motif;
        var occ = order[q].occ;
        var color = motif.color;
        var span = spanOf(occ);
        var holder = { start: Math.round(span[0] * 960), end: Math.round(span[1] * 960), color: color };
        {
            var label = order[q].label;
            var part = partOfTrack(api, report, occ.track, occ.track_name);
            if (part < 0) {
                result.missedOccurrences.push(label);
                result.problems.push(label + ": no part for track " + occ.track + " (" + occ.track_name + ")");
                continue;
            }
            var parts = {};  // schema 2: each note names its track (an occurrence is its notes)
            var first = null;
            var matched = 0;
            var taken = [];
            for (var n = 0; n < occ.notes.length; n++) {
                var want = occ.notes[n];
                var notePart = part;
                if (want.track !== undefined && want.track !== occ.track) {
                    if (parts[want.track] === undefined)
                        parts[want.track] = partOfTrack(api, report, want.track, (report.tracks || [])[want.track]);
                    notePart = parts[want.track];
                }
                var list = notePart >= 0 ? (index[notePart][want.pitch] || []) : [];
                var onset = Math.round(want.onset * division);
                var offset = Math.round(want.offset * division);
                var staffTracks = null;
                if (notePart >= 0 && want.staff) {
                    var staffStart = score.parts[notePart].startTrack + 4 * (want.staff - 1);
                    staffTracks = [staffStart, staffStart + 4];
                }
                var hit = nearest(list, onset, toleranceTicks, taken, staffTracks,
                                  notePart >= 0 ? voiceTrack(api, notePart, want) : -1);
                if (!hit) {
                    result.missedNotes++;
                    continue;
                }
                matched++;
                taken.push(hit);
                hold(held, hit, holder);
                // a note the score writes as tied pieces: colour the pieces after the first too.
                // MuseScore 3.2 gives plugins no ties, so these are the notes of its voice (track)
                // and pitch that start before the report's note ends: in one voice a note of the
                // same pitch cannot start again before it ends, so they are its tied pieces (motif
                // reads a tie chain as one note, onsets and ends exact, tuplets included).
                for (var k = 0; k < list.length; k++) {
                    if (list[k].tick > hit.tick && list[k].tick < offset && list[k].track === hit.track)
                        hold(held, list[k], holder);
                }
                if (first === null || hit.tick < first.tick || (hit.tick === first.tick && hit.track < first.track))
                    first = hit;  // the first note; of simultaneous ones, the one in the top staff
            }
            result.notes += matched;
            if (first === null) {
                result.missedOccurrences.push(label);
                continue;
            }
            result.occurrences++;
            if (runs[q] === "")
                continue;  // inside a run: its text stands at the run's first statement
            var place = textPlace(first);
            place.text = runs[q] !== undefined ? runs[q] : "Motif " + label;
            runWritten = runWritten || runs[q] !== undefined;
            place.color = color;
            texts.push(place);
        }
    }
    for (var key in held)  // each note in the colour of the statement colourWinner chooses of those holding it
        setColor(held[key].hit.note, held[key].spans[colourWinner(held[key].spans)].color);
    var room = needsRoom(texts.map(function (t) {
        return { start: t.tick / division, staff: t.track, side: "above", text: t.text };
    }));
    for (var r = 0; r < texts.length; r++) {
        if (room[r])
            texts[r].text += ROOM;
    }
    addTexts(api, texts);
    if (result.occurrences)
        addKey(api, runWritten);
    return result;
}

// The key under the bottom staff of the first bar (below it: clear of the labels above every staff).
function addKey(api, runs) {
    var score = api.curScore;
    var cursor = score.newCursor();
    cursor.track = (score.nstaves - 1) * 4;
    cursor.rewind(0);
    if (!cursor.segment)
        return;
    var t = api.newElement(api.Element.STAFF_TEXT);
    t.text = (runs ? KEY_LINES.concat([RUN_LINE]) : KEY_LINES).join("\n");
    cursor.add(t);
    t.fontSize = KEY_FONT_SIZE;  // after add(), as the colour of a label
    t.placement = api.Placement.BELOW;
}

// Every statement of the report as {motif, occ, label}, in the order motif's MusicXML writer colours
// them: by its first note's onset, then its last note's end (then track, family, number). A note in statements of
// two families takes one's colour (colourWinner: a cell inside a phrase its own), as in the writer.
// Occurrences of several families with the same notes (one statement) are one entry, as in motif's
// MusicXML and MIDI (motifcli/writers/shared.py): the most salient family's (lowest rank), labelled
// with every family holding it, most salient first ("A3 = B1").
function inTimeOrder(report) {
    var all = occurrencesInTimeOrder(report);
    var byNotes = {};
    var out = [];
    for (var i = 0; i < all.length; i++) {
        var key = noteSet(all[i].occ);
        if (byNotes[key] === undefined) {
            byNotes[key] = out.length;
            out.push([]);
        }
        out[byNotes[key]].push(all[i]);
    }
    for (var k = 0; k < out.length; k++) {
        var group = out[k];
        group.sort(function (a, b) { return rankKey(a.motif) - rankKey(b.motif) || (a.occ.number || 0) - (b.occ.number || 0); });
        var labels = [];
        for (var g = 0; g < group.length; g++)
            labels.push((group[g].occ.label || (group[g].motif.name + group[g].occ.number))
                        + statementMarks(group[g].occ));
        out[k] = { motif: group[0].motif, occ: group[0].occ, label: labels.join(" = "), group: group };
    }
    return out;
}

// A family's rank for ordering (1 = most salient; 0 or none: not ranked, after every ranked one).
function rankKey(motif) {
    var r = Number(motif.rank) || 0;
    return r > 0 ? r : 1e9;
}

// What makes two occurrences one statement: their track and their notes (track, onset, end, pitch).
function noteSet(occ) {
    var notes = [];
    var list = occ.notes || [];
    for (var n = 0; n < list.length; n++) {
        var x = list[n];
        notes.push([x.track === undefined ? occ.track : x.track, Number(x.onset).toFixed(6),
                    Number(x.offset).toFixed(6), x.pitch].join(","));
    }
    if (!notes.length)
        return "span:" + occ.track + ":" + occ.start_beat + ":" + occ.end_beat;
    notes.sort();
    return occ.track + "|" + notes.join(";");
}

// Every occurrence of the report as {motif, occ}, in time order (see inTimeOrder).
function occurrencesInTimeOrder(report) {
    var all = [];
    for (var m = 0; m < report.motifs.length; m++) {
        var motif = report.motifs[m];
        for (var o = 0; o < motif.occurrences.length; o++)
            all.push({ motif: motif, occ: motif.occurrences[o] });
    }
    function key(e) {
        return [Number(e.occ.start_beat) || 0, Number(e.occ.end_beat) || 0, e.occ.track || 0, e.motif.name || "",
                e.occ.number || 0];
    }
    all.sort(function (a, b) {
        var ka = key(a), kb = key(b);
        for (var i = 0; i < ka.length; i++) {
            if (ka[i] < kb[i])
                return -1;
            if (ka[i] > kb[i])
                return 1;
        }
        return 0;
    });
    return all;
}

// Note that the statement `holder` ({start, end, color}) holds the indexed note {tick, note, track}.
function hold(held, hit, holder) {
    var key = hit.track + ":" + hit.tick + ":" + hit.note.pitch;
    if (!held[key])
        held[key] = { hit: hit, spans: [] };
    if (held[key].spans.indexOf(holder) < 0)
        held[key].spans.push(holder);
}

// Of the statements holding one note ({start, end, color}, in inTimeOrder's order; times in 1/960 beats), the
// index of the one whose colour it takes: of those whose span contains no other's, the one starting first (then
// ending first; then the earliest): a cell inside a phrase keeps its colour, of two whose ends overlap the earlier
// keeps it (motifcli/writers/colour_order.py winner, policy "inner"; tests/test_plugin_colours.py compares them).
function colourWinner(spans) {
    function contains(a, b) {
        return a.start <= b.start && b.end <= a.end && !(a.start === b.start && a.end === b.end);
    }
    var best = -1, bestKey = null;
    for (var i = 0; i < spans.length; i++) {
        var outer = 0;
        for (var j = 0; j < spans.length && !outer; j++)
            outer = contains(spans[i], spans[j]) ? 1 : 0;
        var key = [outer, spans[i].start, spans[i].end];
        if (best < 0 || compareKeys(key, bestKey) < 0) {
            best = i;
            bestKey = key;
        }
    }
    return best;
}

// Per note of the report ("track|onset|pitch", onset in 1/960 beats) the colour the plugin gives it: each
// statement of inTimeOrder holds its lead occurrence's notes and colourWinner chooses, as applyReport does with
// the score's notes (tests/test_plugin_colours.py compares this with motif's writers).
function reportColours(report) {
    var order = inTimeOrder(report);
    var held = {};
    for (var q = 0; q < order.length; q++) {
        var occ = order[q].occ;
        var span = spanOf(occ);
        var holder = { start: Math.round(span[0] * 960), end: Math.round(span[1] * 960), color: order[q].motif.color };
        for (var n = 0; n < occ.notes.length; n++) {
            var x = occ.notes[n];
            var key = (x.track === undefined ? occ.track : x.track) + "|" + Math.round(x.onset * 960) + "|" + x.pitch;
            if (!held[key])
                held[key] = [];
            if (held[key].indexOf(holder) < 0)
                held[key].push(holder);
        }
    }
    var out = {};
    for (var k in held)
        out[k] = held[k][colourWinner(held[k])].color;
    return out;
}

// Staff texts at {cursorTrack, tick} on {track}, walking one cursor per cursorTrack.
function addTexts(api, texts) {
    texts.sort(function (a, b) { return a.cursorTrack - b.cursorTrack || a.tick - b.tick; });
    var cursor = api.curScore.newCursor();
    var i = 0;
    while (i < texts.length) {
        var track = texts[i].cursorTrack;
        cursor.track = track;
        cursor.rewind(0);
        while (i < texts.length && texts[i].cursorTrack === track) {
            while (cursor.segment && cursor.tick < texts[i].tick)
                cursor.next();
            if (!cursor.segment)
                break;
            var t = api.newElement(api.Element.STAFF_TEXT);
            t.text = texts[i].text;
            cursor.track = texts[i].track;  // the text belongs to the part's staff; the segment stays
            cursor.add(t);
            cursor.track = track;
            t.color = texts[i].color;  // after add(): MuseScore 3.2 drops a colour set before
            i++;
        }
        while (i < texts.length && texts[i].cursorTrack === track)
            i++;  // past the end of the track (cannot happen: every place is a stop of its track)
    }
}

function summary(result) {
    var s = result.occurrences + " occurrences marked, " + result.notes + " notes coloured.";
    if (result.missedNotes)
        s += "\n" + result.missedNotes + " notes of the report were not found in the score.";
    if (result.missedOccurrences.length)
        s += "\nNot placed: " + result.missedOccurrences.join(", ") + ".";
    if (result.problems.length)
        s += "\n" + result.problems.slice(0, 5).join("\n");
    return s;
}
