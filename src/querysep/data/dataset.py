"""On-the-fly two-source mixtures: no mixture files, the same index gives the same mixture.

Each item draws a target clip and one of its captions, then an interferer from a different
clip (of a different class when classes are known; with ``balance_classes`` both the target's
and the interferer's class are drawn uniformly), crops both to ``segment_seconds``,
mixes them (DCASE SNR rule or the thesis' equal loudness), and rejects the interferer while
the mixture is too similar to the target (cosine filter, thesis 5.3.4). In SNR mode the
filter can judge the pair mixed at a fixed SNR (``filter_snr_db``, e.g. 0 dB: equal power,
like the thesis' equal-loudness mixtures) instead of at the drawn SNR: judged at the drawn
SNR, a 0.75 threshold rejects almost every mixture whose target is the louder sound.
All randomness comes from ``numpy.random.default_rng((seed, index))``.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import torch
from torch.utils.data import Dataset

from querysep.audio.io import load_audio
from querysep.data.augment import AugmentConfig, augment
from querysep.data.captions import CaptionedClip
from querysep.data.filtering import cosine_similarity, is_accepted, magnitude
from querysep.data.mixing import PEAK_LIMIT, fit_length, mix_at_snr, mix_equal_loudness
from querysep.metrics import POWER_FLOOR

SILENCE_RMS = 1e-4  # crops quieter than -80 dBFS RMS count as silent
NUM_CROP_TRIES = 4


@dataclass(frozen=True)
class MixingConfig:
    sample_rate: int = 16000
    segment_seconds: float = 4.0
    mix_mode: str = "snr"  # snr | loudness
    snr_db_range: tuple[float, float] = (-15.0, 15.0)
    loudness_lufs: float = -23.0
    filter_threshold: float | None = 0.75
    filter_max_tries: int = 10
    filter_snr_db: float | None = None  # judge pairs at this SNR (None: the drawn one)
    caption_choice: str = "random"  # random | first
    balance_classes: bool = True  # target class drawn uniformly, then a clip of that class
    n_fft: int = 512
    hop_length: int = 256

    @property
    def segment_samples(self) -> int:
        return int(round(self.segment_seconds * self.sample_rate))


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
            interferer_index = self._interferer_index(target_index, rng)
            interferer = self._segment(self.clips[interferer_index], rng)
            source, mixture = MIXERS[self.config.mix_mode](self, target, interferer, rng)
            similarity = self._similarity(target, target_magnitude, interferer, mixture)
            if best is None or similarity < best[2]:
                best = (source, mixture, similarity, interferer_index)
            if is_accepted(similarity, self.config.filter_threshold):
                break
        source, mixture, similarity, interferer_index = best
        return {
            "mixture": torch.from_numpy(mixture)[None],  # (1, time)
            "target": torch.from_numpy(source)[None],  # (1, time)
            "caption": caption,
            "snr_db": energy_ratio_db(source, mixture - source),
            "target_index": target_index,
            "interferer_index": interferer_index,
            "cosine": float(similarity),
            "filter_tries": num_tries,
            "filter_accepted": bool(is_accepted(similarity, self.config.filter_threshold)),
        }

    def _similarity(self, target, target_magnitude, interferer, mixture) -> float:
        """Cosine of the target and the mixture the filter judges (see ``filter_snr_db``)."""
        if self.config.filter_snr_db is not None and self.config.mix_mode == "snr":
            mixture = mix_at_snr(target, interferer, self.config.filter_snr_db)[1]
        mixture_magnitude = magnitude(mixture, self.config.n_fft, self.config.hop_length)
        return cosine_similarity(mixture_magnitude, target_magnitude)

    def _target_index(self, rng: np.random.Generator) -> int:
        """A uniformly drawn clip, or (balanced) a uniformly drawn class, then one of its clips."""
        if not self.clips_by_label:
            return int(rng.integers(len(self.clips)))
        labels = sorted(self.clips_by_label)
        members = self.clips_by_label[labels[int(rng.integers(len(labels)))]]
        return members[int(rng.integers(len(members)))]

    def _caption(self, clip: CaptionedClip, rng: np.random.Generator) -> str:
        if self.config.caption_choice == "first":
            return clip.captions[0]
        return clip.captions[int(rng.integers(len(clip.captions)))]

    def _interferer_index(self, target_index: int, rng: np.random.Generator) -> int:
        """A different clip; of a different class when the target's class is known.

        Balanced: a class drawn uniformly among the other classes, then one of its clips, as
        the DCASE-style test specs draw noise. (Drawn uniformly over clips, the interferer
        would almost always come from the largest class: speech is 87 % of the offline
        corpus' clips, and a model trained so learns to remove speech, little else.)
        """
        label = self.clips[target_index].label
        if self.clips_by_label and len(self.clips_by_label) > 1:
            others = [name for name in sorted(self.clips_by_label) if name != label]
            members = self.clips_by_label[others[int(rng.integers(len(others)))]]
            return members[int(rng.integers(len(members)))]
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
