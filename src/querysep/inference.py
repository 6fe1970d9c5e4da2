"""Any-length processing: overlapping windows joined by a linear crossfade (overlap-add).

``overlap_add(process, waveform, window_samples=..., overlap_samples=...)`` cuts
``(..., time)`` into windows that overlap by ``overlap_samples``, runs ``process`` on
each (it may add leading dims, e.g. one output per query), and adds the outputs back with
weights that ramp linearly across each overlap and sum to one everywhere. With
``context_samples`` each window is processed with that much extra audio on both sides
(where the signal has it) and only the window's own part of the output is kept: a network
whose receptive field is within the context then gives what one pass over the whole signal
gives, provided each segment starts on the same grid as one pass (``align_samples``: a
multiple of the STFT hop times the network's time stride). Memory is that of one
(extended) window plus the output; an identity ``process`` returns the input exactly.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from tqdm import tqdm


def window_starts(length: int, window_samples: int, overlap_samples: int) -> list[int]:
    if window_samples <= overlap_samples:
        raise ValueError("window_samples must be larger than overlap_samples")
    if length <= window_samples:
        return [0]
    hop = window_samples - overlap_samples
    starts = list(range(0, length - window_samples, hop))
    starts.append(length - window_samples)  # the last window ends exactly at the end
    return starts


def crossfade_weights(size: int, fade_in: int, fade_out: int) -> torch.Tensor:
    """Ones with linear ramps of ``fade_in`` / ``fade_out`` samples at the ends."""
    weights = torch.ones(size)
    if fade_in:
        weights[:fade_in] = torch.arange(1, fade_in + 1) / (fade_in + 1)
    if fade_out:
        weights[size - fade_out :] = torch.arange(fade_out, 0, -1) / (fade_out + 1)
    return weights


def overlap_add(
    process: Callable[[torch.Tensor], torch.Tensor],
    waveform: torch.Tensor,
    *,
    window_samples: int,
    overlap_samples: int,
    context_samples: int = 0,
    align_samples: int = 1,
    progress: bool = False,
) -> torch.Tensor:
    """Apply ``process`` to ``(..., time)`` in crossfaded windows -> ``(*extra, ..., time)``."""
    length = waveform.shape[-1]
    starts = window_starts(length, window_samples, overlap_samples)
    output = None
    total = torch.zeros(length)
    previous_end = 0
    for index, start in enumerate(
        tqdm(starts, desc="windows", disable=not progress or len(starts) < 2, leave=False)
    ):
        end = min(start + window_samples, length)
        next_start = starts[index + 1] if index + 1 < len(starts) else end
        fade_in = previous_end - start if index > 0 else 0  # overlap with the previous window
        fade_out = end - next_start if index + 1 < len(starts) else 0
        # segments start on multiples of ``align_samples``, so that STFT frames and strided
        # layers see the same grid as in one pass over the whole signal
        context_start = max(start - context_samples, 0) // align_samples * align_samples
        context_end = min(end + context_samples, length)
        extended = process(waveform[..., context_start:context_end])
        chunk = extended[..., start - context_start : end - context_start]
        if output is None:
            output = torch.zeros(*chunk.shape[:-1], length, dtype=chunk.dtype)
        weights = crossfade_weights(end - start, fade_in, fade_out)
        output[..., start:end] += chunk * weights
        total[start:end] += weights
        previous_end = end
    return output / total
