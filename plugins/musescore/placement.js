// motif for MuseScore 3: put motif's marks back below their staff in a score MuseScore saved (motif-placement.qml).
//
// MuseScore 3.2's MusicXML import draws motif's brackets below a staff (placement="below", hooks up), their labels
// and the key below it, but does not mark that placement as set, and its file writer stores a property only where it
// was set: a .mscz / .mscx it saves has them all above again (benchmarks/phase28-save28.md). Its plugin API cannot
// reach lines (3.2.3 has no selection.selectRange), so this works on the score as MuseScore writes it (.mscx text),
// where each of them is still known:
//   - a bracket below by its hooks: motif points them up (line-end="up") exactly for a bracket below, and the file
//     keeps them (a negative <beginHookHeight> in its <TextLine>);
//   - a label below by its size: motif's words of a label below say font-size="10" (MuseScore's own staff text size,
//     so they look the same: motifcli/writers/musicxml_sides.py BELOW_WORDS_SIZE), which the file keeps in the text
//     (<text><font size="10"/>Motif B2</text>); a label above says no size;
//   - the key by its words ("Motifs: one colour per motif; ...": motif writes it below the bottom staff).
// Each gets <placement>below</placement>; one with a <placement> already (set in MuseScore) is left as it is.
// Written for the QML JavaScript engine of Qt 5.9-5.15 (ES5).

.pragma library

var KEY_START = "Motifs: one colour per motif;";
var BELOW_WORDS_SIZE = 10;  // motifcli/writers/musicxml_sides.py BELOW_WORDS_SIZE (a test compares them)
// as MuseScore writes it: <font size="10"/> when it saved the imported score, <font size="10"></font> once it read it
var LABEL_BELOW = new RegExp("<text>\\s*<font size=\"" + BELOW_WORDS_SIZE + "\"\\s*/?>(?:\\s*</font>)?\\s*Motif ");

// The .mscx text with motif's placement put back; returns {text, lines, labels, key}: how many of each.
function restorePlacement(text) {
    var lines = String(text).split("\n");
    var done = { lines: 0, labels: 0, key: 0 };
    var out = [];
    for (var i = 0; i < lines.length; i++) {
        out.push(lines[i]);
        var tag = lines[i].trim();
        if (tag !== "<StaffText>" && tag !== "<TextLine>")
            continue;
        var close = tag.replace("<", "</");
        var end = i + 1;
        while (end < lines.length && lines[end].trim() !== close)
            end++;
        var body = lines.slice(i + 1, end).join("\n");
        if (/<placement>/.test(body))
            continue;
        var below = null;
        if (tag === "<TextLine>" && /<beginHookHeight>\s*-/.test(body))
            below = "lines";
        else if (tag === "<StaffText>" && LABEL_BELOW.test(body))
            below = "labels";
        else if (tag === "<StaffText>" && body.replace(/<[^>]*>/g, "").indexOf(KEY_START) >= 0)
            below = "key";
        if (below !== null) {
            out.push(/^\s*/.exec(lines[i])[0] + "  <placement>below</placement>");
            done[below]++;
        }
    }
    done.text = out.join("\n");
    return done;
}
