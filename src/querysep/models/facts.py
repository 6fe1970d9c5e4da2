"""Facts about a separation network that windowed inference needs, taken from the network.

``time_stride``: how many input frames one step of the network's coarsest level spans (a
window must start on a multiple of it to see the same grid as one pass). ``receptive_radius``:
how many frames on each side of a frame its mask can depend on: an upper bound found by running
the network once on a small input with hooks on every convolution, adding each one's reach
(half its kernel times its dilation, scaled by how much coarser than the input it runs).
Parallel branches (ASPP) count their widest branch only; layers that mix nothing in time
(1x1 convolutions, per-frame attention and squeeze-excitation) add nothing.
"""

from __future__ import annotations

import torch
from torch import nn

from querysep.models.blocks import ASPP

PROBE_FREQS = 64
PROBE_FRAMES = 1024


class NetworkFacts:
    """What windowed inference asks a separation network (mixed into the networks)."""

    text_dim: int

    def time_stride(self) -> int:
        """Input frames per frame of the coarsest level."""
        raise NotImplementedError

    def receptive_radius(self) -> int:
        """Input frames on each side that can reach one output frame (an upper bound: the
        convolutions' reach, plus one coarsest step for the pooling and interpolation)."""
        return receptive_radius(self, text_dim=self.text_dim) + self.time_stride()


def receptive_radius(network: nn.Module, *, text_dim: int) -> int:
    """Frames on each side of a frame that can reach its output (an upper bound)."""
    branch_of = {  # conv -> the ASPP it is a parallel branch of
        conv: aspp
        for aspp in network.modules()
        if isinstance(aspp, ASPP)
        for branch in aspp.branches
        for conv in branch.modules()
        if isinstance(conv, nn.Conv2d)
    }
    serial, parallel = [0.0], {}

    def reach(module: nn.Module, inputs, _output) -> None:
        scale = PROBE_FRAMES / inputs[0].shape[-1]  # input frames per frame at this layer
        kernel, dilation = module.kernel_size[-1], module.dilation[-1]
        if isinstance(module, nn.ConvTranspose2d):
            frames = (kernel - 1) * scale / module.stride[-1]
        else:
            frames = (kernel - 1) / 2 * dilation * scale
        if module in branch_of:
            group = branch_of[module]
            parallel[group] = max(parallel.get(group, 0.0), frames)
        else:
            serial[0] += frames

    convs = [m for m in network.modules() if isinstance(m, nn.Conv2d | nn.ConvTranspose2d)]
    hooks = [conv.register_forward_hook(reach) for conv in convs]
    was_training = network.training
    network.eval()
    try:
        with torch.no_grad():
            network(
                torch.zeros(1, 1, PROBE_FREQS, PROBE_FRAMES),
                torch.zeros(1, 1, text_dim),
                torch.ones(1, 1, dtype=torch.bool),
                torch.zeros(1, text_dim),
            )
    finally:
        for hook in hooks:
            hook.remove()
        network.train(was_training)
    return int(round(serial[0] + sum(parallel.values())))
