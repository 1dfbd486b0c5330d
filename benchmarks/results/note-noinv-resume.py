# one-off: the 30-min time box killed the run in the triplet stage; the VICReg stage (3 epochs) was
# complete, so export it (pretrain-only) and run the triplet stage + export from its checkpoint
import dataclasses, json, sys, time
# (afterwards runs/note_noinv/pretrain-only.onnx was renamed noinv-pretrain-only.onnx by hand, so its
# benchmark rows do not collide with note-vicreg's pretrain-only.onnx)
from pathlib import Path
import torch
from training.config import load_config
from training.export import export_encoder
from training.note_pipeline import export, finetune, note_card, pretraining_windows
from training.pipeline import load_encoder
cfg = load_config("training/configs/note_noinv.toml")
torch.set_num_threads(cfg.threads)
out = Path("runs/note_noinv")
t0 = time.time(); windows = pretraining_windows(cfg); print(f"{len(windows)} windows ({time.time()-t0:.0f} s)", flush=True)
pre = dataclasses.replace(cfg, finetune=dataclasses.replace(cfg.finetune, epochs=0))
export_encoder(load_encoder(cfg, out, "pretrain"), out / "pretrain-only.onnx", note_card(pre, len(windows)))
print("exported pretrain-only", flush=True)
t = finetune(cfg, out, windows=windows); print(f"finetune {t:.0f} s", flush=True)
diff = export(cfg, out, Path("exported_models/ablations/note-noinv.onnx"), windows, len(windows))
json.dump({"pretrain_s": 1280.43, "data_s": 358, "finetune_s": t, "parity": diff, "windows": len(windows)}, open(out / "run.json", "w"))
print(f"exported (parity {diff:.1e})", flush=True)
