//=============================================================================
//  motif for MuseScore 3: "Settings..." for the "Annotate motifs" plugin
//  (same Settings category, "motif", so both plugins read and write the same values).
//=============================================================================

import QtQuick 2.2
import QtQuick.Controls 1.4
import QtQuick.Layouts 1.1
import MuseScore 3.0
import Qt.labs.settings 1.0

MuseScore {
    id: plugin
    menuPath: "Plugins.Motif.Settings..."
    version: "0.1.0"
    description: "Where the motif program is, what an occurrence is (notes or bars), how loosely motifs are grouped, and whether inversions, augmentations and retrogrades count."
    pluginType: "dialog"
    requiresScore: false
    width: 480
    height: 400

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

    GridLayout {
        anchors.fill: parent
        anchors.margins: 12
        columns: 2

        Label { text: "motif program:" }
        TextField {
            id: pathField
            Layout.fillWidth: true
            text: settings.motifPath
            placeholderText: "motif, or the full path, e.g. /home/me/.local/bin/motif"
        }

        Label { text: "Model (optional):" }
        TextField {
            id: modelField
            Layout.fillWidth: true
            text: settings.modelPath
            placeholderText: "empty: the model shipped with motif"
        }

        Label { text: "Unit:" }
        ComboBox {
            id: unitField
            Layout.fillWidth: true
            model: ["note: the notes of each statement (default)", "bar: whole bars (POP909-style pop songs)"]
            currentIndex: settings.unit === "bar" ? 1 : 0
        }

        Label { text: "Sensitivity:" }
        RowLayout {
            Slider {
                id: sensitivityField
                Layout.fillWidth: true
                minimumValue: 0
                maximumValue: 1
                stepSize: 0.05
                value: settings.sensitivity
            }
            Label { text: sensitivityField.value.toFixed(2) }
        }

        Label { text: "" }
        Label {
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
            text: "0.5 = the tuned default; higher = looser (more varied statements, more families); 0 = exact (note) or identical (bar) repeats only."
        }

        Label { text: "Inversions:" }
        CheckBox {
            id: inversionsField
            text: "also statements upside down (canons, fugues, inventions; note unit only)"
            checked: settings.inversions
        }

        Label { text: "Augmentations:" }
        CheckBox {
            id: augmentationsField
            text: "also statements in doubled or halved note values (fugues; note unit only)"
            checked: settings.augmentations
        }

        Label { text: "Retrogrades:" }
        CheckBox {
            id: retrogradesField
            text: "also statements with the notes in reverse order (crab canons; note unit only)"
            checked: settings.retrogrades
        }

        Label { text: "Wait up to (s):" }
        SpinBox {
            id: timeoutField
            minimumValue: 10
            maximumValue: 3600
            value: settings.timeoutSeconds
        }

        Label { text: "Report file:" }
        TextField {
            id: reportField
            Layout.fillWidth: true
            text: settings.reportPath
            placeholderText: "empty: run motif (or apply this existing .motifs.json)"
        }

        RowLayout {
            Layout.columnSpan: 2
            Layout.alignment: Qt.AlignRight
            Button {
                text: "Cancel"
                onClicked: Qt.quit()
            }
            Button {
                text: "Save"
                isDefault: true
                onClicked: {
                    settings.motifPath = pathField.text.trim() || "motif";
                    settings.modelPath = modelField.text.trim();
                    settings.sensitivity = sensitivityField.value;
                    settings.unit = unitField.currentIndex === 1 ? "bar" : "note";
                    settings.inversions = inversionsField.checked;
                    settings.augmentations = augmentationsField.checked;
                    settings.retrogrades = retrogradesField.checked;
                    settings.timeoutSeconds = timeoutField.value;
                    settings.reportPath = reportField.text.trim();
                    Qt.quit();
                }
            }
        }
    }
}
