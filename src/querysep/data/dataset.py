"""On-the-fly two-source mixtures: no mixture files, the same index gives the same mixture.

Each item draws a target clip and one of its captions, then an interferer from a different
clip (of a different class when classes are known; with ``balance_classes`` both the target's
and the interferer's class are drawn uniformly), crops both to ``segment_seconds``,
mixes them (DCASE SNR rule or the thesis' equal loudness), and rejects the interferer while
the mixture is too similar to the target (cosine filter, thesis 5.3.4). In SNR mode the
filter can judge the pair mixed at a fixed SNR (``filter_snr_db``, e.g. 0 dB: equal power,
like the thesis' equal-loudness mixtures) instead of at the drawn SNR: judged at the drawn
SNR, a 0.75 threshold rejects almost every mixture whose target is the louder sound.
Closer to real recordings (all off by default): 1-3 interferers of different classes with
random relative gains, a background bed (an ambient class well below the interferers), one
simulated room for all sources, a random mixture level and a lossy codec on the mixture
(:mod:`querysep.data.scene`). The target stays as the microphone hears it (reverberant, not
coded), at the mixture's level.
All randomness comes from ``numpy.random.default_rng((seed, index))``.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch.utils.data import Dataset

from querysep.audio.io import fit_length, load_audio
from querysep.data.augment import AugmentConfig, augment
from querysep.data.captions import CaptionedClip
from querysep.data.filtering import cosine_similarity, is_accepted, magnitude
from querysep.data.mixing import (
    PEAK_LIMIT,
    active_span,
    dominant_span,
    mix_at_snr,
    mix_equal_loudness,
)
from querysep.data.scene import codec_round_trip, set_level, simulate_room
from querysep.metrics import POWER_FLOOR

SILENCE_RMS = 1e-4  # crops quieter than -80 dBFS RMS count as silent
NUM_CROP_TRIES = 4
# classes that make a background bed: sounds that fill a scene rather than happen in it
BACKGROUND_LABELS = frozenset(
    {
        "rain",
        "wind",
        "stream",
        "ocean_waves",
        "fire",
        "insects",
        "crowd",
        "machinery",
        "engine",
        "electric_hum",
        "bird",
        "music",
    }
)


@dataclass(frozen=True)
class MixingConfig:
    sample_rate: int = 16000
    segment_seconds: float = 4.0
    mix_mode: str = "snr"  # snr | loudness
    snr_db_range: tuple[float, float] = (-15.0, 15.0)
    loudness_lufs: float = -23.0
    filter_threshold: float | None = 0.75
    filter_max_tries: int = 10
    filter_snr_db: float | None = 0.0  # judge pairs at this SNR (None: the drawn one)
    caption_choice: str = "random"  # random | first
    # the share of targets queried by their class name alone ("dog", "gun reload"), as users
    # often type; 0 draws nothing, so runs without it see exactly the mixtures they saw before
    label_query_probability: float = 0.0
    balance_classes: bool = True  # target class drawn uniformly, then a clip of that class
    # balanced: target class drawn with probability ∝ (its clips)^exponent; 0 = uniform
    class_weight_exponent: float = 0.0
    balance_sources: bool = False  # balanced: a class's source drawn uniformly, then a clip
    n_fft: int = 512
    hop_length: int = 256
    # closer to real recordings (querysep.data.scene); the defaults make DCASE two-source pairs
    num_interferers: tuple[int, int] = (1, 1)  # drawn uniformly in this range
    interferer_gain_db: float = 6.0  # interferers' relative gains drawn in ±this (several only)
    background_probability: float = 0.0  # add a bed of an ambient class
    background_db_range: tuple[float, float] = (-15.0, -5.0)  # bed power / interferers' power
    room_probability: float = 0.0  # one simulated room for every source
    rt60_seconds_range: tuple[float, float] = (0.15, 0.8)
    level_dbfs_range: tuple[float, float] | None = None  # mixture RMS; None keeps the DCASE level
    codec_probability: float = 0.0  # MP3 or Ogg Vorbis round trip of the mixture
    # query by example (off by default): see DataConfig
    example_probability: float = 0.0
    example_text_probability: float = 0.5
    span_probability: float = 0.5
    dominant_span_probability: float = 0.0
    span_seconds_range: tuple[float, float] = (1.0, 2.0)
    example_seconds_range: tuple[float, float] = (1.0, 4.0)

    @property
    def segment_samples(self) -> int:
        return int(round(self.segment_seconds * self.sample_rate))

    @property
    def example_samples(self) -> int:
        """Room for the longest example or span (items are zero-padded to it)."""
        longest = max(self.span_seconds_range[1], self.example_seconds_range[1])
        return int(round(longest * self.sample_rate))


class ClipCache:
    """Decoded mono clips kept in memory (least recently used dropped past ``max_samples``)."""

    def __init__(self, *, sample_rate: int, max_samples: int = 64_000_000) -> None:
        self.sample_rate = sample_rate
        self.max_samples = max_samples
        self._clips: OrderedDict[str, np.ndarray] = OrderedDict()
        self._num_samples = 0

    def get(self, path) -> np.ndarray:
        key = str(path)
        if key in self._clips:
            self._clips.move_to_end(key)
            return self._clips[key]
        waveform = load_audio(path, self.sample_rate, mono=True)[0][0]  # (time,)
        self._clips[key] = waveform
        self._num_samples += waveform.size
        while self._num_samples > self.max_samples and len(self._clips) > 1:
            _, dropped = self._clips.popitem(last=False)
            self._num_samples -= dropped.size
        return waveform


class MixtureDataset(Dataset):
    """``length`` seeded mixtures over ``clips``; items are dicts of tensors and metadata."""

    def __init__(
        self,
        clips: list[CaptionedClip],
        *,
        config: MixingConfig,
        length: int,
        seed: int = 0,
        augment_config: AugmentConfig | None = None,
    ) -> None:
        if len(clips) < 2:
            raise ValueError("MixtureDataset needs at least two clips to mix")
        if config.mix_mode not in MIXERS:
            raise ValueError(f"mix_mode must be one of {sorted(MIXERS)}, got {config.mix_mode!r}")
        self.clips = clips
        self.config = config
        self.length = length
        self.seed = seed
        self.augment_config = augment_config
        self.cache = ClipCache(sample_rate=config.sample_rate)
        self.clips_by_label: dict[str, list[int]] = {}
        if config.balance_classes and all(clip.label for clip in clips):
            for index, clip in enumerate(clips):
                self.clips_by_label.setdefault(clip.label, []).append(index)
        # class -> source -> clips, when sources are balanced and every clip names its source
        self.clips_by_source: dict[str, dict[str, list[int]]] = {}
        if config.balance_sources and self.clips_by_label and all(c.source for c in clips):
            for label, members in self.clips_by_label.items():
                for index in members:
                    by_source = self.clips_by_source.setdefault(label, {})
                    by_source.setdefault(clips[index].source, []).append(index)

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index: int) -> dict:
        rng = np.random.default_rng((self.seed, index))
        target_index = self._target_index(rng)
        target_clip = self.clips[target_index]
        caption = self._caption(target_clip, rng)
        target = self._segment(target_clip, rng)
        # the mixing rules only rescale the target, and the cosine is scale invariant:
        # its magnitude spectrogram is computed once for all candidate interferers
        target_magnitude = magnitude(target, self.config.n_fft, self.config.hop_length)
        best = None
        for num_tries in range(1, self.config.filter_max_tries + 1):  # noqa: B007 (reported)
            indices, parts = self._interferers(target_index, rng)
            interferer = parts[0] if len(parts) == 1 else np.sum(parts, axis=0)
            source, mixture = MIXERS[self.config.mix_mode](self, target, interferer, rng)
            similarity = self._similarity(target, target_magnitude, interferer, mixture)
            if best is None or similarity < best[2]:
                best = (source, mixture, similarity, indices, parts)
            if is_accepted(similarity, self.config.filter_threshold):
                break
        source, mixture, similarity, indices, parts = best
        source, mixture = self._scene(target, parts, source, mixture, rng)
        item = {
            "mixture": torch.from_numpy(mixture)[None],  # (1, time)
            "target": torch.from_numpy(source)[None],  # (1, time)
            "caption": caption,
            "snr_db": energy_ratio_db(source, mixture - source),
            "target_index": target_index,
            "interferer_index": indices[0],
            "num_interferers": len(indices),
            "cosine": float(similarity),
            "filter_tries": num_tries,
            "filter_accepted": bool(is_accepted(similarity, self.config.filter_threshold)),
        }
        if self.config.example_probability > 0:
            item.update(self._example(target_index, source, mixture, rng))
        return item

    def _example(self, target_index: int, source, mixture, rng: np.random.Generator) -> dict:
        """Conditioning dropout for query by example: text only, example only, or both; the
        example is a span of the mixture where the target is active, or a crop of another
        recording of the target's class (at its own level). Zero-padded to ``example_samples``
        with its length in ``example_samples`` (0: no example)."""
        config = self.config
        example = np.zeros(config.example_samples, dtype=np.float32)
        if rng.random() >= config.example_probability:
            return {"example": torch.from_numpy(example), "example_samples": 0, "use_text": True}
        use_text = bool(rng.random() < config.example_text_probability)
        label = self.clips[target_index].label
        others = [i for i in self.clips_by_label.get(label, []) if i != target_index]
        if rng.random() < config.span_probability or not others:
            length = int(rng.uniform(*config.span_seconds_range) * config.sample_rate)
            length = min(length, mixture.shape[-1])
            if rng.random() < config.dominant_span_probability:
                start = dominant_span(source, mixture - source, length, rng)
            else:
                start = active_span(source, length, rng)
            clip = mixture[start : start + length]
        else:
            length = int(rng.uniform(*config.example_seconds_range) * config.sample_rate)
            recording = self.cache.get(self.clips[others[int(rng.integers(len(others)))]].path)
            clip = self._crop(recording, min(length, recording.size), rng)
            if config.level_dbfs_range is not None:
                clip = set_level(clip, clip, rng, config.level_dbfs_range)[1]
        example[: clip.shape[-1]] = clip
        return {
            "example": torch.from_numpy(example),  # (example_samples,)
            "example_samples": int(clip.shape[-1]),
            "use_text": use_text,
        }

    def _interferers(self, target_index: int, rng: np.random.Generator):
        """Indices and crops of the interferers (and bed) of one try; one crop by default."""
        config = self.config
        low, high = config.num_interferers
        if (low, high) == (1, 1) and config.background_probability == 0.0:
            index = self._interferer_index(target_index, rng)
            return [index], [self._segment(self.clips[index], rng)]
        indices, parts = [], []
        for _ in range(int(rng.integers(low, high + 1))):
            index = self._interferer_index(target_index, rng, exclude=indices)
            gain = 10.0 ** (rng.uniform(-1.0, 1.0) * config.interferer_gain_db / 20.0)
            indices.append(index)
            parts.append(self._segment(self.clips[index], rng) * np.float32(gain))
        bed = self._background_index(target_index, rng)
        if bed is not None:
            crop = self._segment(self.clips[bed], rng)
            power = np.mean(np.square(np.sum(parts, axis=0), dtype=np.float64))
            bed_power = max(float(np.mean(np.square(crop, dtype=np.float64))), POWER_FLOOR)
            relative = 10.0 ** (rng.uniform(*config.background_db_range) / 10.0)
            indices.append(bed)
            parts.append((crop * np.sqrt(power * relative / bed_power)).astype(np.float32))
        return indices, parts

    def _background_index(self, target_index: int, rng: np.random.Generator) -> int | None:
        """A clip of an ambient class other than the target's, with its probability."""
        if rng.random() >= self.config.background_probability:
            return None
        label = self.clips[target_index].label
        labels = sorted(x for x in self.clips_by_label if x in BACKGROUND_LABELS and x != label)
        if not labels:
            return None
        return self._clip_of_class(labels[int(rng.integers(len(labels)))], rng)

    def _scene(self, target, parts, source, mixture, rng) -> tuple[np.ndarray, np.ndarray]:
        """Room, level and codec (each with its probability) on the chosen mixture."""
        config = self.config
        if config.room_probability and rng.random() < config.room_probability:
            snr_db = energy_ratio_db(source, mixture - source)
            target, *parts = simulate_room(
                [target, *parts], rng, config.sample_rate, config.rt60_seconds_range
            )
            noise = np.sum(parts, axis=0)
            if config.mix_mode == "snr":
                source, mixture = mix_at_snr(target, noise, snr_db)
            else:
                source, mixture = self._mix_loudness(target, noise, rng)
        if config.level_dbfs_range is not None:
            source, mixture = set_level(source, mixture, rng, config.level_dbfs_range)
        if config.codec_probability and rng.random() < config.codec_probability:
            mixture = codec_round_trip(mixture, rng, config.sample_rate)
        return source, mixture

    def _similarity(self, target, target_magnitude, interferer, mixture) -> float:
        """Cosine of the target and the mixture the filter judges (see ``filter_snr_db``)."""
        if self.config.filter_snr_db is not None and self.config.mix_mode == "snr":
            mixture = mix_at_snr(target, interferer, self.config.filter_snr_db)[1]
        mixture_magnitude = magnitude(mixture, self.config.n_fft, self.config.hop_length)
        return cosine_similarity(mixture_magnitude, target_magnitude)

    def _target_index(self, rng: np.random.Generator) -> int:
        """A uniformly drawn clip, or (balanced) a class, then one of its clips.

        The class is drawn uniformly, or with ``class_weight_exponent`` a > 0 with probability
        ∝ (its number of clips)^a: with a = 0.3 on corpus v2, speech (8,023 of 13,103 clips)
        is the target 4.3 % of the time instead of 0.7 %, and a class of median size keeps
        its 0.7 %.
        """
        if not self.clips_by_label:
            return int(rng.integers(len(self.clips)))
        labels = sorted(self.clips_by_label)
        if self.config.class_weight_exponent == 0:
            label = labels[int(rng.integers(len(labels)))]
        else:
            sizes = np.array([len(self.clips_by_label[name]) for name in labels], dtype=float)
            weights = sizes**self.config.class_weight_exponent
            label = labels[int(rng.choice(len(labels), p=weights / weights.sum()))]
        return self._clip_of_class(label, rng)

    def _clip_of_class(self, label: str, rng: np.random.Generator) -> int:
        """One clip of ``label``: drawn uniformly, or (``balance_sources``) a source drawn
        uniformly among the class's sources, then one of its clips."""
        by_source = self.clips_by_source.get(label)
        if by_source:
            sources = sorted(by_source)
            members = by_source[sources[int(rng.integers(len(sources)))]]
        else:
            members = self.clips_by_label[label]
        return members[int(rng.integers(len(members)))]

    def _caption(self, clip: CaptionedClip, rng: np.random.Generator) -> str:
        share = self.config.label_query_probability
        if share > 0.0 and clip.label is not None and rng.random() < share:
            return clip.label.replace("_", " ")
        if self.config.caption_choice == "first":
            return clip.captions[0]
        return clip.captions[int(rng.integers(len(clip.captions)))]

    def _interferer_index(
        self, target_index: int, rng: np.random.Generator, exclude: Sequence[int] = ()
    ) -> int:
        """A different clip; of a different class when the target's class is known.

        ``exclude``: clips already in the mixture, whose classes are avoided too (balanced).

        Balanced: a class drawn uniformly among the other classes, then one of its clips, as
        the DCASE-style test specs draw noise. (Drawn uniformly over clips, the interferer
        would almost always come from the largest class: speech is 87 % of the offline
        corpus' clips, and a model trained so learns to remove speech, little else.)
        """
        label = self.clips[target_index].label
        taken = {label} | {self.clips[i].label for i in exclude}
        if self.clips_by_label and len(self.clips_by_label) > len(taken):
            others = [name for name in sorted(self.clips_by_label) if name not in taken]
            return self._clip_of_class(others[int(rng.integers(len(others)))], rng)
        for _ in range(32):
            candidate = int(rng.integers(len(self.clips)))
            if candidate != target_index and (
                label is None or self.clips[candidate].label != label
            ):
                return candidate
        candidate = int(rng.integers(len(self.clips) - 1))
        return candidate + (candidate >= target_index)  # any other clip

    def _segment(self, clip: CaptionedClip, rng: np.random.Generator) -> np.ndarray:
        """A non-silent random crop (or random-offset zero pad) of ``segment_samples``.

        Augmentation runs on the crop (with headroom for speed changes), not the whole clip.
        """
        length = self.config.segment_samples
        headroom = 1.0 if self.augment_config is None else max(self.augment_config.speed_range)
        crop = self._crop(self.cache.get(clip.path), int(np.ceil(length * headroom)), rng)
        if self.augment_config is not None:
            crop = augment(crop, rng, self.config.sample_rate, self.augment_config)
        return np.ascontiguousarray(fit_length(crop, length), dtype=np.float32)

    @staticmethod
    def _crop(waveform: np.ndarray, length: int, rng: np.random.Generator) -> np.ndarray:
        if waveform.size <= length:
            offset = int(rng.integers(length - waveform.size + 1))
            return np.pad(waveform, (offset, length - waveform.size - offset))
        for _ in range(NUM_CROP_TRIES):
            start = int(rng.integers(waveform.size - length + 1))
            crop = waveform[start : start + length]
            if np.sqrt(np.mean(crop**2)) > SILENCE_RMS:
                break
        return crop

    def _mix_snr(self, target, interferer, rng) -> tuple[np.ndarray, np.ndarray]:
        return mix_at_snr(target, interferer, float(rng.uniform(*self.config.snr_db_range)))

    def _mix_loudness(self, target, interferer, rng) -> tuple[np.ndarray, np.ndarray]:
        sample_rate = self.config.sample_rate
        source, _, mixture = mix_equal_loudness(
            target, interferer, sample_rate, self.config.loudness_lufs
        )
        length = self.config.segment_samples
        source, mixture = fit_length(source, length), fit_length(mixture, length)
        peak = float(np.max(np.abs(mixture)))
        if peak > 1.0:
            source, mixture = source * (PEAK_LIMIT / peak), mixture * (PEAK_LIMIT / peak)
        return source.astype(np.float32), mixture.astype(np.float32)


def energy_ratio_db(signal: np.ndarray, noise: np.ndarray) -> float:
    """10·log10(P_signal / P_noise) with P = mean(x²), floored like the metrics."""
    signal_power = max(float(np.mean(np.square(signal, dtype=np.float64))), POWER_FLOOR)
    noise_power = max(float(np.mean(np.square(noise, dtype=np.float64))), POWER_FLOOR)
    return 10.0 * float(np.log10(signal_power / noise_power))


MIXERS = {"snr": MixtureDataset._mix_snr, "loudness": MixtureDataset._mix_loudness}
