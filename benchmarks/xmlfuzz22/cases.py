"""Adversarial <transpose>/<cue/> cases of phase22-xmlfuzz22.md: reader vs writer scan vs MuseScore 3 (run: python benchmarks/xmlfuzz22/cases.py [--nom] [CASE...]); files go to /tmp/xf/cases."""
import sys; sys.path.insert(0, __import__("os").path.dirname(__file__))
from harness import *
from test_readers_musicxml import to_timewise
C = "<cue/>"
def one(measures, tr="", staves=1, name="Clarinet"):
    measures = list(measures); measures[0] = attributes(tr, staves) + measures[0]
    return musicxml([("P1", name, measures)])
def T(ch="", dia=None, oc=None, number=None):
    n = f' number="{number}"' if number is not None else ""
    return (f"<transpose{n}>" + (f"<diatonic>{dia}</diatonic>" if dia is not None else "")
            + f"<chromatic>{ch}</chromatic>" + (f"<octave-change>{oc}</octave-change>" if oc is not None else "") + "</transpose>")
FILL = note("C5", 1) + note("D5", 1)
cases = {}
cases["cue_head_real_members"] = one([note("E5", 1, C) + note("G5", 1, chord=True) + note("C5", 1) + FILL])
cases["cue_head_real_members_tr"] = one([note("E5", 1, C) + note("G5", 1, chord=True) + note("C5", 1) + FILL], CLARINET_B_FLAT)
cases["real_head_cue_members"] = one([note("E5", 1) + note("G5", 1, C, chord=True) + note("C5", 1) + FILL], CLARINET_B_FLAT)
cases["cue_mid_chord"] = one([note("E5", 1) + note("G5", 1, C, chord=True) + note("B5", 1, chord=True) + note("C5", 1) + FILL])
v2 = lambda s: s.replace("<voice>1</voice>", "<voice>2</voice>")
cases["cue_voice2_backup"] = one([note("C5", 2) + note("D5", 2) + "<backup><duration>8</duration></backup>" + v2(note("E4", 1, C) + note("F4", 1, C) + note("G4", 2))], CLARINET_B_FLAT)
cases["cue_after_forward"] = one([note("C5", 2) + note("D5", 2) + "<backup><duration>8</duration></backup><forward><duration>4</duration></forward>" + v2(note("E4", 1, C) + note("F4", 1))], CLARINET_B_FLAT)
for label, tr in {"chrom_x": T("x"), "chrom_huge": T("1e308"), "chrom_999": T("999"), "chrom_frac": T("2.5"), "chrom_negfrac": T("-2.5"),
                  "chrom_nan": T("nan"), "chrom_inf": T("-inf"), "dia_huge": T("-2", "99999"), "dia_disagree": T("-2", "3"),
                  "oc_neg_nodia": T("0", None, "-1"), "oc_frac": T("0", "0", "-0.5"), "oc_huge": T("0", "0", "-1e9"), "chrom_empty": "<transpose/>",
                  "chrom_ws": T(" -2 ", " -1 "), "chrom_plus": T("+2", "+1"), "dia_x": T("-2", "x")}.items():
    cases["tr_" + label] = one([note("C5", 1) + note("E5", 1) + note("G5", 1) + note("B5", 1), note("F#5", 2) + note("Bb4", 2)], tr)
# per staff on a 2-staff part
two = lambda tr: one([note("C5", 2, staff=1) + note("E5", 2, staff=1) + "<backup><duration>8</duration></backup>" + note("C4", 4, staff=2)], tr, staves=2)
cases["tr_number0"] = two(T("-2", "-1", number="0"))
cases["tr_number3"] = two(T("-2", "-1", number="3"))
cases["tr_number2"] = two(T("-2", "-1", number="2"))
cases["tr_number_x"] = two(T("-2", "-1", number="x"))
cases["tr_number0_staff0"] = one([note("C5", 2, staff=0) + note("E5", 2, staff=0)], T("-2", "-1", number="0"), staves=2)
cases["tr_number_both"] = two(T("-2", "-1", number="1") + T("-7", "-4", number="2"))
# mid-measure change
mid_attr = "<attributes>" + CLARINET_A + "</attributes>"
cases["tr_mid_measure"] = one([note("C5", 1) + note("D5", 1) + mid_attr + note("E5", 1) + note("F5", 1), note("G5", 4)], CLARINET_B_FLAT)
cases["tr_after_backup"] = one([note("C5", 2) + note("D5", 2) + "<backup><duration>8</duration></backup>" + mid_attr + v2(note("E4", 2) + note("F4", 2)), note("G5", 4)], CLARINET_B_FLAT)
tie_s = lambda s: s.replace("<voice>", '<tie type="start"/><voice>').replace("</type>", '</type><notations><tied type="start"/></notations>')
tie_e = lambda s: s.replace("<voice>", '<tie type="stop"/><voice>').replace("</type>", '</type><notations><tied type="stop"/></notations>')
cases["tie_across_change"] = one([note("C5", 2) + tie_s(note("D5", 2)), "<attributes>" + CLARINET_A + "</attributes>" + tie_e(note("D5", 2)) + note("E5", 2)], CLARINET_B_FLAT)
cases["tie_across_change_same_sound"] = one([note("C5", 2) + tie_s(note("D5", 2)), "<attributes>" + CLARINET_A + "</attributes>" + tie_e(note("D#5", 2)) + note("E5", 2)], CLARINET_B_FLAT)
cases["cue_only_measure"] = one([note("C5", 4, C), note("D5", 4)], CLARINET_B_FLAT)
cases["cue_only_part"] = musicxml([("P1", "Violin", [attributes() + bar([("C5", 1), ("D5", 1), ("E5", 1), ("F5", 1)]), bar([("G5", 4)])]),
                                   ("P2", "Cl", [attributes(CLARINET_B_FLAT) + note("C5", 4, C), note("D5", 4, C)])])
cases["grace_cue"] = one([note("A5", 0.5, "<grace/><cue/>") + note("C5", 1) + note("D5", 1) + FILL], CLARINET_B_FLAT)
cases["cue_grace_head_real_members"] = one([note("A5", 0.5, "<grace/><cue/>") + note("C6", 0.5, "<grace/>", chord=True) + note("C5", 1) + note("D5", 1) + FILL], CLARINET_B_FLAT)
unp = '<note><cue/><unpitched><display-step>E</display-step><display-octave>4</display-octave></unpitched><duration>2</duration><voice>1</voice><type>quarter</type></note>'
unp2 = unp.replace("<cue/>", "")
cases["unpitched_cue"] = one([unp + note("C5", 1) + FILL], CLARINET_B_FLAT)
cases["unpitched_tr"] = one([unp2 + note("C5", 1) + FILL], CLARINET_B_FLAT)
cases["cue_rest"] = one([note(None, 1, C) + note("C5", 1) + FILL], CLARINET_B_FLAT)
cases["octave_float"] = one([note("C5", 1).replace("<octave>5", "<octave>5.0") + note("C5", 1) + FILL], CLARINET_B_FLAT)
cases["step_lower"] = one([note("C5", 1).replace("<step>C", "<step>c") + note("C5", 1) + FILL], CLARINET_B_FLAT)
cases["step_lower_notr"] = one([note("C5", 1).replace("<step>C", "<step>c") + note("C5", 1) + FILL])
cases["alter_huge"] = one([note("C5", 1).replace("<step>C</step>", "<step>C</step><alter>1e30</alter>") + note("C5", 1) + FILL], CLARINET_B_FLAT)
cases["alter_frac"] = one([note("C5", 1).replace("<step>C</step>", "<step>C</step><alter>0.5</alter>") + note("C5", 1) + FILL], CLARINET_B_FLAT)
cases["octave_huge"] = one([note("C5", 1).replace("<octave>5", "<octave>99999") + note("C5", 1) + FILL], CLARINET_B_FLAT)
cases["tr_in_note_level"] = one([note("C5", 1) + "<attributes><transpose><chromatic>-2</chromatic></transpose><transpose><chromatic>-3</chromatic></transpose></attributes>" + note("C5", 1) + FILL])
cases["timewise"] = to_timewise(one([note("E5", 1, C) + note("G5", 1, chord=True) + note("C5", 1) + FILL, note("D5", 4)], CLARINET_B_FLAT)) if True else None
cases2 = {}
cases2["unpitched_notr"] = one([unp2 + note("C5", 1) + FILL])
cases2["octave_float_notr"] = one([note("C5", 1).replace("<octave>5", "<octave>5.0") + note("C5", 1) + FILL])
cases2["alter_huge_notr"] = one([note("C5", 1).replace("<step>C</step>", "<step>C</step><alter>1e30</alter>") + note("C5", 1) + FILL])
cases2["cue_grace_head_after_note"] = one([note("C5", 1) + note("A5", 0.5, "<grace/><cue/>") + note("C6", 0.5, "<grace/>", chord=True) + note("D5", 1) + FILL], CLARINET_B_FLAT)
cases2["cue_head_cue_member_real_member"] = one([note("E5", 1, C) + note("G5", 1, C, chord=True) + note("B5", 1, chord=True) + note("C5", 1) + FILL])
cases2["cue_head_real_member_longer"] = one([note("E5", 1, C) + note("G5", 2, chord=True) + note("C5", 1) + note("D5", 1)])
cases2["cue_head_after_backup_v2"] = one([note("C5", 4) + "<backup><duration>8</duration></backup>" + v2(note("E4", 2, C) + note("G4", 2, chord=True) + note("F4", 2))], CLARINET_B_FLAT)
cases2["cue_chord_member_first_in_measure"] = one([note("G5", 1, C, chord=True) + note("C5", 1) + FILL + note("D5", 1)])
cases2["real_member_first_in_measure"] = one([note("G5", 1, chord=True) + note("C5", 1) + FILL + note("D5", 1)])
cases2["octave_frac_tr"] = one([note("C5", 1).replace("<octave>5", "<octave>5.5") + note("C5", 1) + FILL], CLARINET_B_FLAT)
cases2["octave_frac_notr"] = one([note("C5", 1).replace("<octave>5", "<octave>5.5") + note("C5", 1) + FILL])
cases2["step_bad_tr"] = one([note("C5", 1).replace("<step>C", "<step>H") + note("C5", 1) + FILL], CLARINET_B_FLAT)
cases2["alter_frac_tr"] = one([note("C5", 1).replace("<step>C</step>", "<step>C</step><alter>1.5</alter>") + note("C5", 1) + FILL], CLARINET_B_FLAT)
cases2["alter_x_tr"] = one([note("C5", 1).replace("<step>C</step>", "<step>C</step><alter>x</alter>") + note("C5", 1) + FILL], CLARINET_B_FLAT)
cases2["alter_x_notr"] = one([note("C5", 1).replace("<step>C</step>", "<step>C</step><alter>x</alter>") + note("C5", 1) + FILL])
cases.update(cases2)
import zipfile as _z
def mxl_case(name, text):
    p = Path(f"/tmp/xf/cases/{name}.mxl")
    with _z.ZipFile(p, "w") as z:
        z.writestr("META-INF/container.xml", '<?xml version="1.0"?><container><rootfiles><rootfile full-path="s.xml"/></rootfiles></container>')
        z.writestr("s.xml", text)
    r = CliRunner().invoke(app, ["annotate", str(p), "-o", "/tmp/xf/cases/mxl_out/", "-f", "json", "--workers", "1"])
    s = read_musicxml(p)
    return r.exit_code, {t.part_id: sorted((n.onset, n.pitch) for n in t.notes) for t in s.tracks}

if __name__ == "__main__":
    sel = [a for a in sys.argv[1:] if not a.startswith("--")] or list(cases)
    for k in sel:
        show(check(k, cases[k], mscore="--nom" not in sys.argv))
