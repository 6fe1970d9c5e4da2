"""Any-length processing: overlapping windows joined by a linear crossfade (overlap-add).

A ``WindowPlan`` cuts ``length`` samples into windows that overlap by ``overlap`` samples;
each window is processed with ``context`` extra samples on both sides (where the signal has
them) and only the window's own part of the output is kept. A network whose receptive field
is within the context then gives what one pass over the whole signal gives, provided each
processed segment starts on the same grid as one pass (``align``: a multiple of the STFT hop
times the network's time stride). Outputs are added with weights that ramp linearly across
each overlap and sum to one everywhere, so an identity process returns the input exactly.

Two drivers share the plan: :func:`overlap_add` for a signal in memory, and
:func:`stream_windows` for a signal that arrives and leaves in blocks (a file read and
written piece by piece), whose memory is one extended window whatever the length.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import torch
from tqdm import tqdm


@dataclass(frozen=True)
class Window:
    start: int  # the window's own samples: [start, end)
    end: int
    context_start: int  # what is processed: [context_start, context_end)
    context_end: int
    fade_in: int  # overlap with the previous window
    fade_out: int  # overlap with the next window


@dataclass(frozen=True)
class WindowPlan:
    window: int  # samples per window
    overlap: int  # samples shared by neighbouring windows (crossfaded)
    context: int = 0  # extra samples processed on both sides
    align: int = 1  # processed segments start on multiples of this

    def windows(self, length: int) -> list[Window]:
        starts = window_starts(length, self.window, self.overlap)
        out, previous_end = [], 0
        for index, start in enumerate(starts):
            end = min(start + self.window, length)
            next_start = starts[index + 1] if index + 1 < len(starts) else end
            out.append(
                Window(
                    start=start,
                    end=end,
                    context_start=max(start - self.context, 0) // self.align * self.align,
                    context_end=min(end + self.context, length),
                    fade_in=previous_end - start if index > 0 else 0,
                    fade_out=end - next_start if index + 1 < len(starts) else 0,
                )
            )
            previous_end = end
        return out

    def cost(self, length: int) -> float:
        """Samples processed per sample of signal (1.0: no context overhead)."""
        windows = self.windows(length)
        return sum(w.context_end - w.context_start for w in windows) / max(length, 1)


def window_starts(length: int, window_samples: int, overlap_samples: int) -> list[int]:
    """Window starts: every ``window - overlap`` samples, the last one ending at ``length``."""
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


def _own_part(process, segment: torch.Tensor, window: Window):
    """``process`` the extended segment; the window's own samples, weighted, and the weights.

    The weights of overlapping windows sum to one, except where the last window (aligned to
    the end) overlaps more than its neighbour: dividing by the summed weights fixes that.
    """
    extended = process(segment)
    chunk = extended[..., window.start - window.context_start : window.end - window.context_start]
    weights = crossfade_weights(window.end - window.start, window.fade_in, window.fade_out)
    return chunk * weights, weights


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
    plan = WindowPlan(window_samples, overlap_samples, context_samples, align_samples)
    length = waveform.shape[-1]
    windows = plan.windows(length)
    output, total = None, torch.zeros(length)
    show = progress and len(windows) > 1
    for window in tqdm(windows, desc="windows", disable=not show, leave=False):
        segment = waveform[..., window.context_start : window.context_end]
        chunk, weights = _own_part(process, segment, window)
        if output is None:
            output = torch.zeros(*chunk.shape[:-1], length, dtype=chunk.dtype)
        output[..., window.start : window.end] += chunk
        total[window.start : window.end] += weights
    return output / total


def stream_windows(
    process: Callable[[torch.Tensor], torch.Tensor],
    blocks: Iterable[np.ndarray],
    length: int,
    plan: WindowPlan,
    *,
    progress: bool | str = False,
    sample_rate: int | None = None,
) -> Iterator[torch.Tensor]:
    """:func:`overlap_add` over a signal that arrives in blocks, yielding finished output.

    ``blocks``: ``(channels, n)`` arrays that together hold ``length`` samples, in order.
    Yields ``(*extra, channels, n)`` output blocks, in order, ``length`` samples in all.
    Only the samples that some window still needs are kept. ``progress`` (True, or the bar's
    name) shows a bar, in seconds of signal when ``sample_rate`` is given.
    """
    windows = plan.windows(length)
    source = iter(blocks)
    buffer, buffer_start = None, 0  # input samples [buffer_start, buffer_start + width)
    pending, pending_start = None, 0  # output summed but not final: [pending_start, ...)
    total = torch.zeros(0)  # the summed window weights of the pending output
    description = progress if isinstance(progress, str) else "windows"
    bar = tqdm(
        total=length,
        desc=description,
        unit=" s" if sample_rate else " samples",
        unit_scale=1 / sample_rate if sample_rate else False,
        disable=not progress,
        leave=False,
    )
    for index, window in enumerate(windows):
        pieces = [] if buffer is None else [buffer]  # joined once per window, not per block
        available = buffer_start + (0 if buffer is None else buffer.shape[-1])
        while available < window.context_end:
            pieces.append(torch.from_numpy(np.ascontiguousarray(next(source), dtype=np.float32)))
            available += pieces[-1].shape[-1]
        buffer = pieces[0] if len(pieces) == 1 else torch.cat(pieces, dim=-1)
        del pieces
        offset = window.context_start - buffer_start
        segment = buffer[..., offset : offset + window.context_end - window.context_start]
        chunk, weights = _own_part(process, segment, window)
        if pending is None:
            pending = torch.zeros(*chunk.shape[:-1], 0)
        # extend the pending output to the window's end and add the window in
        grow = window.end - (pending_start + pending.shape[-1])
        if grow > 0:
            pending = torch.cat([pending, torch.zeros(*pending.shape[:-1], grow)], dim=-1)
            total = torch.cat([total, torch.zeros(grow)])
        pending[..., window.start - pending_start : window.end - pending_start] += chunk
        total[window.start - pending_start : window.end - pending_start] += weights
        del chunk, weights  # not held through the next window's processing
        # everything before the next window's start is final
        final_end = windows[index + 1].start if index + 1 < len(windows) else length
        done = final_end - pending_start
        yield pending[..., :done] / total[:done]
        bar.update(done)
        # copies of the unfinished tail (the overlap): views would keep the whole window alive
        pending, total = pending[..., done:].clone(), total[done:].clone()
        pending_start = final_end
        # input before the next window's context is no longer needed
        keep_from = windows[index + 1].context_start if index + 1 < len(windows) else length
        drop = max(0, keep_from - buffer_start)
        buffer, buffer_start = buffer[..., drop:], buffer_start + drop
    bar.close()
