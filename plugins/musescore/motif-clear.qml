//=============================================================================
//  motif for MuseScore 3: "Clear motif colours"
//
//  As one undoable step: notes in motif's colours go back to black, and the "Motif A1" staff
//  texts the "Annotate motifs" plugin added are removed. Notes in other colours and other texts
//  are left alone.
//=============================================================================

import QtQuick 2.2
import MuseScore 3.0
import "motif.js" as Motif

MuseScore {
    id: plugin
    menuPath: "Plugins.Motif.Clear motif colours"
    version: "0.1.0"
    description: "Remove what \"Annotate motifs\" added: motif colours back to black, \"Motif A1\" texts removed."
    requiresScore: true

    onRun: {
        if (typeof curScore === "undefined" || !curScore) {
            Qt.quit();
            return;
        }
        curScore.startCmd();
        var cleared = Motif.clearAnnotations(plugin);
        curScore.endCmd();
        console.log("motif: " + cleared.notes + " notes reset, " + cleared.texts + " texts removed");
        Qt.quit();
    }
}
