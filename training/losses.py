"""The two losses of the paper, each a small documented function.

VICReg: Bardes, Ponce, LeCun, "VICReg: Variance-Invariance-Covariance Regularization for
Self-Supervised Learning", ICLR 2022, Eq. (1)-(6); the code follows facebookresearch/vicreg
``main_vicreg.py``. Triplet: Schroff et al., FaceNet, CVPR 2015, Eq. (1), as used by Wu et al. 2023
for the supervised stage.

``LatentSpreadLoss`` (a small ``nn.Module``, as lightly writes its losses) puts VICReg's variance
and covariance terms on the *exported latent* too: issue 10's fix for the note model's collapsed
cone, passed to ``loop.vicreg_step`` as its ``latent_loss``.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def invariance_term(z_a: torch.Tensor, z_b: torch.Tensor) -> torch.Tensor:
    """Mean squared distance between the two views' embeddings (VICReg Eq. 5)."""
    return F.mse_loss(z_a, z_b)


def variance_term(z: torch.Tensor, gamma: float = 1.0, eps: float = 1e-4) -> torch.Tensor:
    """Hinge on the std of every dimension over the batch, keeping it above ``gamma`` (Eq. 1-2).

    This is what stops collapse: a constant embedding has zero std and a loss of ``gamma``.
    """
    std = torch.sqrt(z.var(dim=0) + eps)
    return F.relu(gamma - std).mean()


def covariance_term(z: torch.Tensor) -> torch.Tensor:
    """Sum of squared off-diagonal covariances, divided by the dimension (Eq. 3-4)."""
    n, d = z.shape
    z = z - z.mean(dim=0)
    cov = (z.T @ z) / (n - 1)
    off = cov - torch.diag(torch.diag(cov))
    return off.pow(2).sum() / d


def vicreg_loss(
    z_a: torch.Tensor,
    z_b: torch.Tensor,
    invariance: float = 25.0,
    variance: float = 25.0,
    covariance: float = 1.0,
) -> tuple[torch.Tensor, dict[str, float]]:
    """VICReg loss of two batches of expanded embeddings; also returns each term for logging."""
    inv = invariance_term(z_a, z_b)
    var = 0.5 * (variance_term(z_a) + variance_term(z_b))
    cov = covariance_term(z_a) + covariance_term(z_b)
    loss = invariance * inv + variance * var + covariance * cov
    return loss, {"inv": float(inv.detach()), "var": float(var.detach()), "cov": float(cov.detach())}


def triplet_loss(
    anchor: torch.Tensor, positive: torch.Tensor, negative: torch.Tensor, margin: float = 1.0
) -> torch.Tensor:
    """max(0, d(a, p) - d(a, n) + margin) with Euclidean distance, averaged over the batch."""
    return F.triplet_margin_loss(anchor, positive, negative, margin=margin, p=2.0)


def latent_spread_loss(
    h_a: torch.Tensor, h_b: torch.Tensor, variance: float = 25.0, covariance: float = 1.0
) -> tuple[torch.Tensor, dict[str, float]]:
    """VICReg's variance and covariance terms on the two views' latents (no invariance term).

    VICReg puts them on the expander's output only; nothing then stops the latent the model exports
    from sharing one large offset or one direction (the first note model: every embedding within
    cosine distance 0.05 of every other). Here they keep each latent dimension spread over the
    batch and the dimensions decorrelated.
    """
    var = 0.5 * (variance_term(h_a) + variance_term(h_b))
    cov = covariance_term(h_a) + covariance_term(h_b)
    return variance * var + covariance * cov, {"lat_var": float(var.detach()), "lat_cov": float(cov.detach())}


class LatentSpreadLoss(nn.Module):
    """``latent_spread_loss`` scaled by ``weight`` (0 turns it off without a branch at the call site)."""

    def __init__(self, weight: float, variance: float = 25.0, covariance: float = 1.0) -> None:
        super().__init__()
        self.weight, self.variance, self.covariance = weight, variance, covariance

    def forward(self, h_a: torch.Tensor, h_b: torch.Tensor) -> tuple[torch.Tensor, dict[str, float]]:
        if self.weight <= 0:
            return h_a.new_zeros(()), {}
        loss, terms = latent_spread_loss(h_a, h_b, self.variance, self.covariance)
        return self.weight * loss, terms
