"""Training of motif encoders (torch): VICReg pretraining, triplet fine-tuning, evaluation, ONNX export.

Not needed at run time: ``motifcli`` runs the exported ONNX model with onnxruntime alone.
"""
