"""The motif encoder: a Transformer over the steps of a one-bar piano roll, mean-pooled.

Paper defaults: 6 layers, d_model 256, 8 heads, 128-d latent; the shipped CPU model is smaller
(see configs/). The expander is the VICReg projector; it is used in pretraining only and is not
exported. ``Encoder.forward`` returns the latent; ``embed`` L2-normalises it, which is what the
ONNX model outputs and what the triplet loss sees (so distances are cosine distances).

``centre_latent``: the first note model's latent carried a large offset shared by every window, so
after L2 normalisation all embeddings sat in a narrow cone (median cosine distance between two
occurrences 0.046; benchmarks/NOTE-MODEL.md). A BatchNorm without affine parameters on the latent
removes that offset (and equalises the dimensions' scale) inside the model: batch statistics while
training, running statistics in eval mode, so the exported ONNX graph carries the centring.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn


@dataclass(frozen=True, slots=True)
class ModelConfig:
    d_model: int = 128
    layers: int = 4
    heads: int = 4
    ff: int = 256
    latent: int = 128
    expander: int = 512
    dropout: float = 0.1
    residual_roll: float = 0.0  # weight of the (normalised) raw roll concatenated to the embedding
    centre_latent: bool = False  # BatchNorm (no affine) on the latent: see ``Encoder`` (note model, issue 10)


class Encoder(nn.Module):
    """[N, steps, pitches] → [N, latent]."""

    def __init__(self, steps: int, pitches: int, cfg: ModelConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.input = nn.Linear(pitches, cfg.d_model)
        self.position = nn.Parameter(torch.zeros(1, steps, cfg.d_model))
        nn.init.normal_(self.position, std=0.02)
        layer = nn.TransformerEncoderLayer(
            cfg.d_model, cfg.heads, cfg.ff, cfg.dropout, batch_first=True, norm_first=True, activation="gelu"
        )
        self.transformer = nn.TransformerEncoder(layer, cfg.layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(cfg.d_model)
        self.head = nn.Linear(cfg.d_model, cfg.latent)
        # absent (not Identity) when off, so old checkpoints load unchanged
        self.centre = nn.BatchNorm1d(cfg.latent, affine=False) if cfg.centre_latent else None

    def forward(self, roll: torch.Tensor, embedding: bool = False) -> torch.Tensor:
        """The latent (VICReg's input); with ``embedding=True`` the exported embedding instead.

        One entry point for both, so a DistributedDataParallel wrapper sees every use.
        """
        if embedding:
            return self.embed(roll)
        h = self.input(roll) + self.position
        h = self.norm(self.transformer(h))
        z = self.head(h.mean(dim=1))
        return self.centre(z) if self.centre is not None else z

    def embed(self, roll: torch.Tensor) -> torch.Tensor:
        """The exported embedding: normalised latent, optionally with the normalised roll beside it.

        ``residual_roll`` > 0 concatenates the L2-normalised raw roll with that weight: the raw roll is
        a strong baseline for near-exact repeats, and the learned part then only has to add what
        the roll misses (trained that way in the triplet stage, not bolted on afterwards).
        """
        z = nn.functional.normalize(self(roll), dim=1)
        w = self.cfg.residual_roll
        if w <= 0:
            return z
        flat = nn.functional.normalize(roll.flatten(1), dim=1)
        return nn.functional.normalize(torch.cat([z, w * flat], dim=1), dim=1)


class Expander(nn.Module):
    """VICReg projector: latent → expander dims, Linear-BN-ReLU twice then Linear."""

    def __init__(self, latent: int, dim: int) -> None:
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(latent, dim),
            nn.BatchNorm1d(dim),
            nn.ReLU(inplace=True),
            nn.Linear(dim, dim),
            nn.BatchNorm1d(dim),
            nn.ReLU(inplace=True),
            nn.Linear(dim, dim),
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(z)


class EmbeddingHead(nn.Module):
    """What gets exported: roll → ``Encoder.embed``."""

    def __init__(self, encoder: Encoder) -> None:
        super().__init__()
        self.encoder = encoder

    def forward(self, pianoroll: torch.Tensor) -> torch.Tensor:
        return self.encoder.embed(pianoroll)
