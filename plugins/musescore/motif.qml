//=============================================================================
//  motif for MuseScore 3: "Annotate motifs"
//
//  Saves the open score as MusicXML to a work folder, runs
//      motif annotate <score>.musicxml --format json -o <score>.motifs.json --sensitivity S --unit U [--inversions] [--augmentations] [--retrogrades]
//  reads the report and, as one undoable step, colours the notes of every motif occurrence in its
//  family's colour and puts a "Motif A1" staff text at the occurrence's first note.
//  Marks from an earlier run are removed first, so running it again replaces them.
//
//  Settings (Plugins > Motif > Settings..., stored in MuseScore3.ini, group [motif]):
//    motifPath    the motif program ("motif" = look on PATH; give the full path on macOS/Windows)
//    sensitivity  0..1, passed as --sensitivity (0.5 = the tuned default; higher = looser)
//    modelPath    an ONNX model for --model (empty = the model shipped with motif; at note level used only for a leading chordal part's bars)
//    workDir      folder for the temporary MusicXML and report (empty = the system's temp folder)
//    reportPath   a report to apply instead of running motif (for tests, or a report made earlier)
//    timeoutSeconds  how long to wait for motif
//    quiet        no message boxes (headless runs)
//    unit         "note" (the default: an occurrence is the notes of one statement) or "bar" (whole bars,
//                 POP909-style pop songs), passed as --unit
//    inversions   true: also statements in strict inversion (canons, fugues, inventions), passed as --inversions
//                 (note level only; marked "Motif A3 inv.")
//    augmentations  true: also statements in augmentation or diminution (every note value doubled or halved),
//                 passed as --augmentations (note level only; marked "Motif A3 aug." / "dim.")
//    retrogrades  true: also statements in retrograde (the notes in reverse order: crab canons, rows), passed as
//                 --retrogrades (note level only; marked "Motif A3 retr.", "retr. inv." with inversions)
//
//  MIT licence, part of motif (https://github.com/ -- see the repository's README).
//=============================================================================

import QtQuick 2.2
import QtQuick.Dialogs 1.2
import MuseScore 3.0
import FileIO 3.0
import Qt.labs.settings 1.0
import "motif.js" as Motif

MuseScore {
    id: plugin
    menuPath: "Plugins.Motif.Annotate motifs"
    version: "0.1.0"
    description: "Find the motifs of the score with motif and colour them: one colour per motif family, a \"Motif A1\" text at each occurrence."
    requiresScore: true

    // Qt.labs.settings (Qt 5) quirk: when a key is missing from the stored settings, the properties
    // declared after it are written back with their defaults. Keep this list the same in every
    // motif plugin file, and add new properties at the end only.
    Settings {
        id: settings
        category: "motif"
        property string motifPath: "motif"
        property string modelPath: ""
        property real sensitivity: 0.5
        property string workDir: ""
        property string reportPath: ""
        property int timeoutSeconds: 300
        property bool quiet: false
        property string unit: "note"
        property bool inversions: false
        property bool augmentations: false
        property bool retrogrades: false
    }

    QProcess { id: proc }
    FileIO { id: scoreFile }
    FileIO { id: reportFile }

    MessageDialog {
        id: message
        title: "motif"
        onAccepted: Qt.quit()
        onRejected: Qt.quit()
    }

    function say(text, isError) {
        console.log("motif: " + text);
        if (settings.quiet) {
            Qt.quit();
            return;
        }
        message.icon = isError ? StandardIcon.Warning : StandardIcon.Information;
        message.text = text;
        message.open();
    }

    // The unit to pass: "note" or "bar"; anything else (an empty or mistyped setting) is the default, "note".
    function unitOf(value) {
        var unit = String(value || "").trim().toLowerCase();
        return unit === "bar" ? "bar" : "note";
    }

    // Run motif on the score; returns {path} of the report or {error}.
    function runMotif() {
        var dir = settings.workDir !== "" ? settings.workDir : scoreFile.tempPath();
        var base = dir + "/" + Motif.safeName(curScore.scoreName) + "-" + Date.now();
        var xmlPath = base + ".musicxml";
        var reportPath = base + ".motifs.json";
        if (!writeScore(curScore, xmlPath, "musicxml"))
            return { error: "could not save the score as MusicXML to " + xmlPath + " (does the folder exist?)" };
        var command = Motif.quoteArg(settings.motifPath) + " annotate " + Motif.quoteArg(xmlPath)
                + " --format json -o " + Motif.quoteArg(reportPath)
                + " --sensitivity " + settings.sensitivity + " --unit " + Motif.quoteArg(unitOf(settings.unit))
                + Motif.transformFlags(settings, unitOf(settings.unit))
                + " --json"
                + (settings.modelPath !== "" ? " --model " + Motif.quoteArg(settings.modelPath) : "");
        console.log("motif: running " + command);
        var started = Date.now();
        proc.start(command);
        var finished = proc.waitForFinished(settings.timeoutSeconds * 1000);
        var seconds = Math.round((Date.now() - started) / 1000);
        var output = String(proc.readAllStandardOutput());
        scoreFile.source = xmlPath;
        scoreFile.remove();
        reportFile.source = reportPath;
        if (!finished || !reportFile.exists()) {
            var what = finished ? "motif wrote no report."
                    : seconds < settings.timeoutSeconds ? "motif could not be started."
                    : "motif did not finish in " + settings.timeoutSeconds + " s.";
            return { error: what
                    + "\n\nCommand:\n" + command
                    + (output ? "\n\nIts output:\n" + output.substring(0, 1500) : "")
                    + "\n\nIs motif installed, and is its path right in Plugins > Motif > Settings?"
                    + " Running the command in a terminal shows the error." };
        }
        return { path: reportPath, temporary: true };
    }

    onRun: {
        if (typeof curScore === "undefined" || !curScore) {
            say("Open a score first.", true);
            return;
        }
        var source = settings.reportPath !== "" ? { path: settings.reportPath, temporary: false } : runMotif();
        if (source.error) {
            say(source.error, true);
            return;
        }
        reportFile.source = source.path;
        if (!reportFile.exists()) {
            say("No report at " + source.path, true);
            return;
        }
        var parsed = Motif.parseReport(reportFile.read());
        if (source.temporary && settings.workDir === "")
            reportFile.remove();
        if (parsed.error) {
            say(parsed.error, true);
            return;
        }
        curScore.startCmd();
        var cleared = Motif.clearAnnotations(plugin);
        var result = parsed.empty
                ? { occurrences: 0, notes: 0, missedNotes: 0, missedOccurrences: [], problems: [] }
                : Motif.applyReport(plugin, parsed.report, Math.round(division / 8));
        curScore.endCmd();
        var text = parsed.empty ? "motif found no motifs in this score." : Motif.summary(result);
        if (cleared.texts)
            text += "\n(" + cleared.texts + " marks of an earlier run were replaced.)";
        say(text, result.missedOccurrences.length > 0);
    }
}
