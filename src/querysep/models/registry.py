"""Build a separation network from a ``ModelConfig`` by its ``architecture`` name."""

from __future__ import annotations

from collections.abc import Callable

from torch import nn

from querysep.config import ModelConfig
from querysep.models.film_resunet import FiLMResUNet
from querysep.models.resunetpp import ResUNetPlusPlus

NETWORKS: dict[str, Callable[[ModelConfig, int], nn.Module]] = {
    "resunetpp": ResUNetPlusPlus.from_config,
    "film_resunet": FiLMResUNet.from_config,
}


def build_network(config: ModelConfig, text_dim: int) -> nn.Module:
    """``network(features, text_tokens, text_mask, text_pooled) -> mask``, see ResUNetPlusPlus."""
    if config.architecture not in NETWORKS:
        raise ValueError(
            f"unknown model.architecture {config.architecture!r}; choose one of {sorted(NETWORKS)}"
        )
    return NETWORKS[config.architecture](config, text_dim)


def num_parameters(network: nn.Module) -> int:
    return sum(parameter.numel() for parameter in network.parameters())
