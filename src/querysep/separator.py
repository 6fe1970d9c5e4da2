"""The product ``Separator``: files, sample rates, channels, windows, ONNX, checkpoints.

It wraps a :class:`~querysep.models.separation.SeparationModel` (tensors only) the way demucs
keeps ``api.py`` and ``apply.py`` beside its networks:

- ``separate(waveform, sample_rate, query)``: arrays in memory, any shape and rate;
- ``separate_file(path, query, out_path)``: a file streamed in blocks (read, resampled,
  separated in windows, resampled back and written), so memory stays flat for any length,
  rate and channel count; the output appears only when complete.

Long signals are processed in ``window_seconds`` windows joined by ``overlap_seconds`` of
crossfade; each window is processed with the context the network's receptive field needs, on
the network's time grid, so windows agree with one pass over the whole signal.
"""

from __future__ import annotations

import ctypes
import math
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import torch

from querysep.apply import WindowPlan, overlap_add, stream_windows
from querysep.audio.io import BlockReader, BlockWriter, fit_length, resample
from querysep.audio.stft import DbStats, stft
from querysep.config import AudioConfig, Config
from querysep.examples import Example, ExampleError, Span, example_clip, read_span_clips, span_clips
from querysep.models.checkpoint import read_payload, resolve_checkpoint, save_payload
from querysep.models.example import join_conditions
from querysep.models.inference import inference_copy
from querysep.models.separation import SeparationModel, ratio_mask
from querysep.text import TextEmbedding, TextEncoder
from querysep.vocabulary import Vocabulary

WINDOW_SECONDS = 52.0  # the context (the receptive field) costs <= 1.3x the network work
OVERLAP_SECONDS = 1.0
# Files are read, resampled and written in pieces of this many seconds: soxr's streams keep
# buffers as large as the largest piece they were given (33 MiB for a whole window at 44.1 kHz)
IO_BLOCK_SECONDS = 2.0
# An extracted sound this far below its input means the model found (almost) nothing that
# matches: on test_ood every estimate below it was a give-up (near-silent, 32 of 42 caught)
# and no right answer fell below it, down to -15 dB input SNR (docs/MODEL_CARD.md)
QUIET_RESULT_DB = -20.0
# A long file's heap is trimmed when a window leaves it this much above the first window's
# resident size (see HeapTrimmer).
TRIM_GROWTH_MIB = 64.0


class Separator:
    """Text-queried separation of arrays and files of any length, rate and channel count."""

    def __init__(self, model: SeparationModel) -> None:
        self.model = model.eval()
        self.metadata: dict = {}
        self.vocabulary: Vocabulary | None = None  # what it was trained on, when known
        self.window_seconds = WINDOW_SECONDS
        self.overlap_seconds = OVERLAP_SECONDS
        # None: the network's own receptive field (see context_samples)
        self.context_seconds: float | None = None
        # 0: each text query as typed. K >= 1: the masks for the K training captions nearest
        # to the query are averaged (K times the network work; needs the vocabulary)
        self.caption_ensemble = 0
        # the last separate_file's result level minus its input's (dB): see quiet_result_note
        self.last_level_gap_db: float | None = None

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def from_config(cls, path: str | Path, overrides: list[str] | None = None, **kwargs):
        """An untrained separator from a YAML config."""
        return cls(SeparationModel.from_config(path, overrides, **kwargs))

    @classmethod
    def load(
        cls,
        checkpoint: str | Path | None = None,
        *,
        text_encoder: TextEncoder | None = None,
        config: Config | None = None,
    ) -> Separator:
        """A trained separator; ``None`` loads the shipped default model.

        ``config`` forces an architecture (to check a checkpoint against it).
        """
        path = resolve_checkpoint(checkpoint)
        payload = read_payload(path)
        model = SeparationModel.from_payload(
            payload, text_encoder=text_encoder, config=config, source=str(path)
        )
        model.use_inference_network(inference_copy(model.network))  # folded, channels-last
        separator = cls(model)
        separator.metadata = payload.get("metadata", {})
        separator.vocabulary = Vocabulary.from_payload(payload.get("vocabulary"))
        return separator

    def save(self, path: str | Path, metadata: dict | None = None) -> Path:
        vocabulary = self.vocabulary.to_payload() if self.vocabulary is not None else None
        return save_payload(path, self.model.payload(metadata, vocabulary))

    def query_hint(self, query: str) -> str | None:
        """A warning when ``query`` is far from everything the model was trained on."""
        if self.vocabulary is None:
            return None
        return self.vocabulary.hint(query, self.text_encoder)

    def use_onnx(self, path: str | Path | None, *, num_threads: int | None = None) -> Separator:
        """Run the network through ONNX Runtime from an exported file (``None``: PyTorch).

        Export with ``querysep export-onnx`` (:func:`querysep.export.export_onnx`) from the
        same checkpoint: STFT, text encoding and windows stay in PyTorch either way.
        """
        from querysep.export import OnnxExampleEncoder, OnnxNetwork, example_path

        if path is None:
            runner = inference_copy(self.model.network)
        else:
            runner = OnnxNetwork(path, num_threads=num_threads)
        example_runner = None
        if path is not None and self.model.takes_examples:
            example_runner = OnnxExampleEncoder(example_path(path), num_threads=num_threads)
        self.model.use_inference_network(runner)
        self.model.inference_example_encoder = example_runner
        return self

    # -- what it is -----------------------------------------------------------------------
    @property
    def config(self) -> Config:
        return self.model.config

    @property
    def network(self) -> torch.nn.Module:
        return self.model.network

    @property
    def text_encoder(self) -> TextEncoder:
        return self.model.text_encoder

    @property
    def sample_rate(self) -> int:
        return self.model.sample_rate

    def num_parameters(self) -> int:
        return self.model.num_parameters()

    def encode_text(self, queries: list[str]) -> TextEmbedding:
        return self.model.encode_text(queries)

    def to(self, device: str | torch.device) -> Separator:
        self.model.to(device)
        if isinstance(self.model.inference_network, torch.nn.Module):
            self.model.inference_network.to(device)
        return self

    def eval(self) -> Separator:
        self.model.eval()
        return self

    @property
    def context_samples(self) -> int:
        """Context on each side of a window: the receptive field, on the network's grid."""
        if self.context_seconds is not None:
            return int(self.context_seconds * self.sample_rate)
        grid = self.model.time_stride_samples
        return math.ceil(self.model.receptive_radius_samples / grid) * grid

    def window_plan(self) -> WindowPlan:
        return WindowPlan(
            window=int(self.window_seconds * self.sample_rate),
            overlap=int(self.overlap_seconds * self.sample_rate),
            context=self.context_samples,
            align=self.model.time_stride_samples,
        )

    # -- arrays ---------------------------------------------------------------------------
    @torch.inference_mode()
    def separate(
        self,
        waveform: np.ndarray | torch.Tensor,
        sample_rate: int,
        query: str | list[str] | None = None,
        *,
        example: Example | None = None,
        example_spans: list[Span] | None = None,
        negative_query: str | None = None,
        remove: bool = False,
        caption_ensemble: int | None = None,
        progress: bool = False,
    ) -> np.ndarray:
        """Extract the sound ``query`` describes from ``waveform`` (any length).

        ``waveform``: numpy or torch, ``(time,)`` or ``(channels, time)`` at ``sample_rate``.
        Returns float32 numpy of the same shape and rate; with a list of queries, one such
        array per query stacked first (the input's STFT is shared). The mask is predicted
        from the channels' mean and applied to each channel with its own phase.
        ``remove`` returns everything but the query (1 − mask); ``negative_query`` B
        suppresses B from the estimate (mask_A · (1 − mask_B)).

        Audio queries (models with an example encoder), alone or beside the text:
        ``example`` is a recording of the wanted sound (a file path or a ``(waveform,
        sample_rate)`` pair); ``example_spans`` are ``(start_seconds, end_seconds)`` of
        ``waveform`` where the sound plays. Bad spans or examples raise ``ExampleError``.

        ``caption_ensemble``: this call's caption ensemble size (see
        :meth:`use_caption_ensemble`; None: the separator's).
        """
        queries = _queries(query, example is not None or bool(example_spans))
        captions = self.ensemble_captions(queries, caption_ensemble)  # checked before the work
        audio = torch.as_tensor(np.asarray(waveform, dtype=np.float32))
        squeeze = audio.ndim == 1
        audio = audio[None] if squeeze else audio  # (channels, time)
        if audio.ndim != 2 or audio.shape[-1] == 0:
            raise ValueError(
                f"expected (time,) or (channels, time) audio, got {tuple(audio.shape)}"
            )
        model_audio = torch.from_numpy(resample(audio.numpy(), sample_rate, self.sample_rate))
        clips = self._example_clips(example)
        if example_spans:
            mono = model_audio.mean(0).numpy()
            clips += span_clips(mono, example_spans, self.sample_rate)
        was_training = self.model.training
        self.model.eval()  # inference always uses running statistics, also mid-training
        try:
            stats = self._stats(model_audio.mean(0))
            process = self._window_process(
                captions, len(queries), negative_query, remove, stats, clips
            )
            estimates = overlap_add(
                process,
                model_audio,
                window_samples=self.window_plan().window,
                overlap_samples=self.window_plan().overlap,
                context_samples=self.context_samples,
                align_samples=self.model.time_stride_samples,
                progress=progress,
            )  # (queries, channels, time)
        finally:
            self.model.train(was_training)
        out = np.stack(
            [
                fit_length(resample(e.numpy(), self.sample_rate, sample_rate), audio.shape[-1])
                for e in estimates
            ]
        )
        out = out[:, 0] if squeeze else out
        return out if isinstance(query, list) else out[0]

    # -- files ----------------------------------------------------------------------------
    @torch.inference_mode()
    def separate_file(
        self,
        path: str | Path,
        query: str | None,
        out_path: str | Path,
        *,
        example: Example | None = None,
        example_spans: list[Span] | None = None,
        negative_query: str | None = None,
        remove: bool = False,
        progress: bool = False,
    ) -> Path:
        """Separate an audio file into ``out_path``, streaming: memory does not grow with the
        file. The output has the input's rate and channels and appears only when complete.
        ``example`` and ``example_spans`` (seconds of this file) as in :meth:`separate`.
        Raises ``AudioError`` for unreadable input, ``ExampleError`` for bad examples."""
        queries = _queries(query, example is not None or bool(example_spans))
        reader = BlockReader(path, self.sample_rate, block_seconds=IO_BLOCK_SECONDS)
        clips = self._example_clips(example)
        if example_spans:
            clips += read_span_clips(path, example_spans, self.sample_rate)
        stats = None
        if self.model.needs_statistics():  # v1 features: one extra pass for the file's dB range
            stats = self._file_stats(reader)
        captions = self.ensemble_captions(queries)
        process = self._window_process(captions, len(queries), negative_query, remove, stats, clips)
        source_level, result_level = LevelMeter(), LevelMeter()
        blocks = stream_windows(
            process,
            map(source_level.add, reader.blocks()),
            reader.length,
            self.window_plan(),
            progress=Path(path).name if progress else False,
            sample_rate=self.sample_rate,
        )
        write_samples = int(IO_BLOCK_SECONDS * self.sample_rate)
        with BlockWriter(
            out_path,
            sample_rate=self.sample_rate,
            file_rate=reader.file_rate,
            num_channels=reader.num_channels,
            num_frames=reader.num_frames,
        ) as writer:
            trim = HeapTrimmer()
            for block in blocks:  # (channels, n) of the one query, n about a window
                result_level.add(block[0].numpy())
                write_in_pieces(writer, block[0], write_samples)
                del block  # not held through the next window
                trim.after_window()
        self.last_level_gap_db = result_level.db - source_level.db
        return Path(out_path)

    def _file_stats(self, reader: BlockReader) -> DbStats:
        """The whole file's dB range over exactly the STFT frames of one pass (streamed)."""
        low, high = math.inf, -math.inf
        for magnitude in stft_frames(reader.blocks(mono=True), reader.length, self.config.audio):
            stats = self.model.db_stats(magnitude)
            low, high = min(low, float(stats.low)), max(high, float(stats.high))
        return DbStats(low=torch.tensor(low), high=torch.tensor(high))

    def _stats(self, mono: torch.Tensor) -> DbStats:
        return self.model.db_stats(self.model.spectrogram(mono.to(self.model.device())).abs())

    def _example_clips(self, example: Example | None) -> list[np.ndarray]:
        if example is None:
            return []
        self._require_example_encoder()
        return [example_clip(example, self.sample_rate)]

    def _require_example_encoder(self) -> None:
        if not self.model.takes_examples:
            raise ExampleError(
                "this model takes text queries only (it has no example encoder); "
                "use a checkpoint trained with examples"
            )

    def condition(self, queries: list[str], clips: list[np.ndarray] | None = None) -> TextEmbedding:
        """The conditioning tokens of ``queries`` (one row each) and/or one audio example made
        of ``clips`` (mono, model rate): text only, example only, or both joined."""
        text = self.model.encode_text(queries) if queries else None
        if not clips:
            return text
        self._require_example_encoder()
        device = self.model.device()
        example = self.model.encode_example([torch.from_numpy(c).to(device) for c in clips])
        if text is not None:
            rows = text.tokens.shape[0]
            example = TextEmbedding(
                example.tokens.expand(rows, -1, -1),
                example.mask.expand(rows, -1),
                example.pooled.expand(rows, -1),
            )
        return join_conditions(text, example)

    def use_caption_ensemble(self, size: int) -> Separator:
        """Average each text query's masks over its ``size`` nearest training captions (0: the
        query as typed). Needs the checkpoint's vocabulary."""
        self.caption_ensemble = self._checked_ensemble(size)
        return self

    def _checked_ensemble(self, size: int) -> int:
        if size < 0:
            raise ValueError(f"a caption ensemble is 0 (off) or more captions, got {size}")
        if size and self.vocabulary is None:
            raise ValueError(
                "a caption ensemble needs the training captions, and this checkpoint has no "
                "vocabulary; separate without it"
            )
        return size

    def ensemble_captions(self, queries: list[str], size: int | None = None) -> list[str]:
        """Each query's ``size`` (None: ``caption_ensemble``) nearest training captions, in
        query order (the queries themselves when the ensemble is off)."""
        if not queries:  # audio queries only: no words to match
            return queries
        size = self._checked_ensemble(self.caption_ensemble if size is None else size)
        if not size:
            return queries
        nearest = self.vocabulary.nearest_captions
        return [c for q in queries for c in nearest(q, self.text_encoder, size)]

    def _window_process(self, captions, num_queries, negative_query, remove, stats, clips=None):
        """``captions``: the queries, or each query's ensemble of captions in turn."""
        group = len(captions) // num_queries if num_queries else 1
        text = self.condition(captions, clips)
        negative = self.model.encode_text([negative_query]) if negative_query else None
        device = self.model.device()

        def process(chunk: torch.Tensor) -> torch.Tensor:
            chunk = chunk.to(device)
            return self.separate_window(
                chunk, text, stats, negative=negative, remove=remove, group=group
            ).cpu()

        return process

    def separate_window(
        self,
        chunk: torch.Tensor,
        text: TextEmbedding,
        stats: DbStats | None,
        *,
        negative: TextEmbedding | None = None,
        remove: bool = False,
        group: int = 1,
    ) -> torch.Tensor:
        """One window ``(channels, time)`` -> ``(queries, channels, time)``.

        ``group`` > 1: the conditions come in groups of that many per query (a caption
        ensemble), and each group's masks are averaged into one output.

        The channels' STFT is taken after the network has run, so that it is not held through
        the network's peak memory (it is as large as four of the network's widest feature maps).
        """
        model = self.model
        mono = model.spectrogram(chunk.mean(0)).abs()[None, None]  # (1, 1, freq, frames)
        num_queries = text.tokens.shape[0]
        _, magnitude = model.predict_mask(mono.expand(num_queries, -1, -1, -1), text, stats)
        gain = ratio_mask(magnitude, mono)  # (queries * group, 1, freq, frames)
        gain = gain.unflatten(0, (-1, group)).mean(1)  # (queries, 1, freq, frames)
        if negative is not None:
            _, negative_magnitude = model.predict_mask(mono, negative, stats)
            gain = gain * (1.0 - ratio_mask(negative_magnitude, mono))
        if remove:
            gain = 1.0 - gain
        spec = model.spectrogram(chunk)  # (channels, freq, frames), complex
        return model.waveform(spec[None] * gain, chunk.shape[-1])


class LevelMeter:
    """The mean power of the blocks it has seen, in dB (a float64 total: any length)."""

    def __init__(self) -> None:
        self.sum_squares = 0.0
        self.count = 0

    def add(self, block: np.ndarray) -> np.ndarray:
        """Count ``block`` (any shape) and return it unchanged."""
        flat = np.ascontiguousarray(block).ravel()
        self.sum_squares += float(np.dot(flat, flat))  # no float64 copy of a whole window
        self.count += flat.size
        return block

    @property
    def db(self) -> float:
        return 10.0 * math.log10(self.sum_squares / max(self.count, 1) + 1e-20)


def level_gap_db(result: np.ndarray, mixture: np.ndarray) -> float:
    """The result's mean power minus the mixture's, in dB."""
    meters = LevelMeter(), LevelMeter()
    meters[0].add(np.asarray(result))
    meters[1].add(np.asarray(mixture))
    return meters[0].db - meters[1].db


def quiet_result_note(gap_db: float | None, query: str | None) -> str | None:
    """A note when an extracted sound is ``QUIET_RESULT_DB`` or more below its input (the
    model found little that matches), else None."""
    if gap_db is None or gap_db >= QUIET_RESULT_DB:
        return None
    what = f"'{query}'" if query else "the audio query"
    return (
        f"the result is {-gap_db:.0f} dB quieter than the input: the model found little that "
        f"matches {what}. The sound may be absent, or the model may not know it by these words"
    )


def write_in_pieces(writer: BlockWriter, block: torch.Tensor, samples: int) -> None:
    """Write ``(channels, n)`` in pieces of at most ``samples`` (see ``IO_BLOCK_SECONDS``)."""
    for piece in torch.split(block, samples, dim=-1):
        writer.write(piece.numpy())


def release_freed_memory() -> None:
    """Give freed heap memory back to the system (glibc's ``malloc_trim``); elsewhere this
    does nothing."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def resident_mib() -> float:
    """This process's resident set size (Linux; 0 elsewhere)."""
    try:
        return (
            int(Path("/proc/self/statm").read_text().split()[1])
            * os.sysconf("SC_PAGE_SIZE")
            / 2**20
        )
    except (OSError, ValueError, IndexError):
        return 0.0


class HeapTrimmer:
    """Trims the heap between windows only when it has grown.

    glibc keeps the memory a window's tensors freed; the next window reuses it without page
    faults. Trimming after every window kept the resident size at its lowest but made the
    next window fault every page in again (about 20 % of the time of a long file on a 2-core
    VM, docs/BENCHMARKS.md). So the first window's resident size is the reference, and the
    heap is trimmed only when a later window leaves it more than ``growth_mib`` above.
    """

    def __init__(self, growth_mib: float = TRIM_GROWTH_MIB) -> None:
        self.growth_mib = growth_mib
        self.reference_mib: float | None = None
        self.num_trims = 0

    def after_window(self) -> None:
        resident = resident_mib()
        if self.reference_mib is None:
            self.reference_mib = resident
        elif resident > self.reference_mib + self.growth_mib:
            release_freed_memory()
            self.num_trims += 1


def _load_libc():
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim  # noqa: B018 (glibc only)
        return libc
    except (OSError, AttributeError):
        return None


_LIBC = _load_libc()


def stft_frames(blocks, length: int, audio: AudioConfig) -> Iterator[torch.Tensor]:
    """Magnitudes ``(freq, frames)`` of a mono signal arriving in ``(1, n)`` blocks: together,
    exactly the frames of one centred STFT over the whole signal (reflect-padded ends)."""
    n_fft, hop = audio.n_fft, audio.hop_length
    half = n_fft // 2
    if length <= half:  # too short to reflect: torch.stft pads with zeros (see stft())
        signal = torch.from_numpy(np.concatenate([b[0] for b in blocks]))
        yield stft(signal, n_fft, hop).abs()
        return
    window = torch.hann_window(n_fft)
    carry, seen, started = torch.zeros(0), 0, False
    for block in blocks:
        carry = torch.cat([carry, torch.from_numpy(np.ascontiguousarray(block[0]))])
        seen += block.shape[-1]
        last = seen >= length
        if not started:
            if carry.shape[-1] <= half and not last:
                continue  # reflecting needs more than ``half`` samples
            carry = _reflect(carry, (half, 0))  # the start, as torch.stft(center=True)
            started = True
        if last:
            carry = _reflect(carry, (0, half))  # the end
        # keep n_fft samples back (the end still has to reflect them), unless this is the end
        usable = carry.shape[-1] if last else carry.shape[-1] - n_fft
        if usable < n_fft:
            continue
        num_frames = (usable - n_fft) // hop + 1
        used = num_frames * hop
        segment = carry[: used - hop + n_fft]
        spec = torch.stft(segment, n_fft, hop, window=window, center=False, return_complex=True)
        carry = carry[used:]
        yield spec.abs()  # (freq, num_frames)


def _reflect(signal: torch.Tensor, pad: tuple[int, int]) -> torch.Tensor:
    return torch.nn.functional.pad(signal[None, None], pad, mode="reflect")[0, 0]


def _queries(query: str | list[str] | None, has_example: bool = False) -> list[str]:
    """The text queries as a list; none is fine when an example or span is given."""
    if query is None:
        if not has_example:
            raise ValueError("give a text query, an example recording, or a time span")
        return []
    queries = [query] if isinstance(query, str) else list(query)
    if not queries or any(not q.strip() for q in queries):
        raise ValueError("the query must be a non-empty sentence")
    return queries


def load_model(checkpoint: str | Path | None = None, **kwargs) -> Separator:
    """Shortcut for :meth:`Separator.load`."""
    return Separator.load(checkpoint, **kwargs)
