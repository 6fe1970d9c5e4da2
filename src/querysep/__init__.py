"""querysep: language-queried audio source separation.

>>> from querysep import Separator
>>> separator = Separator.load()            # the shipped default model
>>> estimate = separator.separate(waveform, sample_rate, "a dog barking")
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["Separator", "__version__", "load_model"]


def __getattr__(name: str):
    # Lazy: importing the package (e.g. for the CLI's --help) must not import torch.
    if name in {"Separator", "load_model"}:
        from querysep import separator

        return getattr(separator, name)
    raise AttributeError(f"module 'querysep' has no attribute {name!r}")
