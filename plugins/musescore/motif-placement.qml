//=============================================================================
//  motif for MuseScore 3: "Restore motif placement"
//
//  For a score of motif's MusicXML output (brackets "Motif A1"), opened in MuseScore and saved as .mscz: MuseScore
//  3.2 keeps no placement of what its MusicXML import put below a staff, so motif's brackets below (drawn apart
//  from one opened above them), their labels and the key stand above again after a save and reopen. This saves a
//  copy of the score as .mscx (in the work folder, else the system's temp folder), puts <placement>below</placement>
//  back on motif's brackets whose hooks point up, its labels of size 10 and the key (placement.js), and opens that copy,
//  NAME-placed.mscx: save it as .mscz and the placement stays. The open score is left as it was.
//  Also useful on motif's MusicXML just opened, before the first save.
//=============================================================================

import QtQuick 2.2
import QtQuick.Dialogs 1.2
import MuseScore 3.0
import FileIO 3.0
import Qt.labs.settings 1.0
import "motif.js" as Motif
import "placement.js" as Placement

MuseScore {
    id: plugin
    menuPath: "Plugins.Motif.Restore motif placement"
    version: "0.1.0"
    description: "Open a copy of the score with motif's brackets, labels and key below their staff again (MuseScore 3.2 loses that placement when it saves motif's MusicXML as .mscz)."
    requiresScore: true

    // The same list as in motif.qml (Qt.labs.settings quirk: keep it the same in every motif plugin file).
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

    FileIO { id: saved }
    FileIO { id: placed }

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

    onRun: {
        if (typeof curScore === "undefined" || !curScore) {
            say("Open a score first.", true);
            return;
        }
        var dir = settings.workDir !== "" ? settings.workDir : saved.tempPath();
        var name = Motif.safeName(curScore.scoreName);
        var savedPath = dir + "/" + name + "-" + Date.now() + ".mscx";
        var placedPath = dir + "/" + name + "-placed.mscx";
        if (!writeScore(curScore, savedPath, "mscx")) {
            say("Could not save a copy of the score to " + savedPath + " (does the folder exist?)", true);
            return;
        }
        saved.source = savedPath;
        var result = Placement.restorePlacement(saved.read());
        saved.remove();
        if (result.lines + result.labels + result.key === 0) {
            say("Nothing to restore: this score has no bracket of motif's below a staff (hooks pointing up) and no key"
                + " of motif's without its placement.", false);
            return;
        }
        placed.source = placedPath;
        if (!placed.write(result.text)) {
            say("Could not write " + placedPath, true);
            return;
        }
        var copy = readScore(placedPath);
        say("Opened " + placedPath + ": " + result.lines + " brackets, " + result.labels + " labels"
            + (result.key ? " and the key" : "") + " below their staff again"
            + ". Save it as .mscz (File > Save As) to keep it." + (copy ? "" : " (MuseScore could not open it.)"), !copy);
    }
}
