"""Spectrogram pictures (PNG) for the result page and the span picker, drawn with
matplotlib's Agg backend.

Figures are made without pyplot, so drawing from several request threads is safe.
"""

from __future__ import annotations

import io

import numpy as np
import torch
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from querysep.audio.stft import stft

N_FFT = 512
HOP_LENGTH = 256
RANGE_DB = 80.0


def spectrogram_db(waveform: np.ndarray) -> np.ndarray:
    """Log-magnitude (dB) of ``(time,)`` or ``(channels, time)`` audio -> ``(freq, frames)``."""
    mono = np.asarray(waveform, dtype=np.float32)
    mono = mono.mean(axis=0) if mono.ndim == 2 else mono
    magnitude = stft(torch.from_numpy(np.ascontiguousarray(mono)), N_FFT, HOP_LENGTH).abs()
    return 20.0 * np.log10(magnitude.numpy() + 1e-8)  # (freq, frames)


def draw_spectrogram(
    axes, waveform: np.ndarray, sample_rate: int, *, reference_db: float | None = None
) -> float:
    """Draw the dB spectrogram of ``waveform`` on matplotlib ``axes`` (seconds, kHz), the
    colour scale running ``RANGE_DB`` down from ``reference_db`` (default: its own peak).
    Returns the peak used, to draw more panels on the same scale."""
    spectrogram = spectrogram_db(waveform)
    top_db = float(spectrogram.max()) if reference_db is None else reference_db
    seconds = np.asarray(waveform).shape[-1] / sample_rate
    axes.imshow(
        spectrogram,
        origin="lower",
        aspect="auto",
        cmap="magma",
        vmin=top_db - RANGE_DB,
        vmax=top_db,
        extent=(0.0, seconds, 0.0, sample_rate / 2000.0),
        interpolation="nearest",
    )
    return top_db


def spectrogram_png(
    waveform: np.ndarray,
    sample_rate: int,
    *,
    reference_db: float | None = None,
    bare: bool = False,
) -> bytes:
    """A PNG spectrogram; pass the mixture's peak as ``reference_db`` to share one colour scale.

    ``bare``: a wide picture without axes or margins, whose x runs linearly from 0 to the
    audio's duration (the page's span picker maps clicks to times with it)."""
    figure = Figure(figsize=(8.0, 2.0) if bare else (4.4, 2.4), dpi=100 if bare else 150)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0.0, 0.0, 1.0, 1.0)) if bare else figure.add_subplot()
    draw_spectrogram(axes, waveform, sample_rate, reference_db=reference_db)
    if bare:
        axes.set_axis_off()
    else:
        axes.set_xlabel("time (s)")
        axes.set_ylabel("frequency (kHz)")
        figure.tight_layout(pad=0.4)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
