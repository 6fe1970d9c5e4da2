"""Configuration: nested dataclasses loaded from YAML, with ``key=value`` overrides.

One dataclass per concern. ``Config.from_yaml(path, overrides=["train.batch_size=8"])``
reads a file, applies dotted overrides (values parsed as YAML), and checks every key and
value against the dataclass fields and their types, so a typo or a wrong type fails loudly
(``ConfigError``, naming the key) instead of surfacing later. Ints are accepted where floats
are expected, and so are strings that read as numbers (YAML reads ``1e-4`` as a string).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


@dataclass
class AudioConfig:
    sample_rate: int = 16000
    n_fft: int = 512
    hop_length: int = 256


@dataclass
class TextConfig:
    name: str = "minilm"  # minilm | flan-t5-small | flan-t5-base | flan-t5-large
    path: str | None = None  # local weights directory (T5); None = package / HF cache
    max_tokens: int = 32
    cache_dir: str | None = None  # optional on-disk embedding cache


@dataclass
class ModelConfig:
    architecture: str = "resunetpp"  # resunetpp | film_resunet
    channels: list[int] = field(default_factory=lambda: [16, 32, 64, 128])
    bridge_channels: int = 256
    conditioning: str = "cross_attention"  # cross_attention | film
    attention_dim: int = 64
    num_heads: int = 4
    aspp_rates: list[int] = field(default_factory=lambda: [1, 6, 12, 18])
    num_blocks_per_level: int = 1
    mask_domain: str = "magnitude"  # magnitude | normalized_db (thesis variant)
    # network input: "clip" scales each clip's dB to [0, 1] by its min/max (the thesis; long
    # files use the whole file's); "absolute" maps a fixed dB range (no statistics at all)
    features: str = "clip"
    patch_size: int = 2  # ResUNet++ runs on patch x patch space-to-depth cells; 1 = full resolution
    # query by example (models/example.py): conditioning tokens an example clip becomes
    # (0 = no example encoder, the text-only model), and the encoder's width
    example_tokens: int = 0
    example_dim: int = 256


@dataclass
class LossConfig:
    spectral_convergence: float = 1.0
    log_magnitude: float = 1.0
    waveform_l1: float = 0.0
    neg_si_sdr: float = 0.0
    neg_snr: float = 0.0  # thresholded SNR (30 dB cap): silence is never cheaper than the mixture


@dataclass
class DataConfig:
    train: str | None = None  # Clotho CSV or manifest (CSV/JSONL)
    train_audio_dir: str | None = None  # audio folder for a Clotho CSV
    validation: str | None = None
    validation_audio_dir: str | None = None
    segment_seconds: float = 4.0
    mix_mode: str = "snr"  # snr | loudness (thesis 5.3.2)
    snr_db_range: list[float] = field(default_factory=lambda: [-15.0, 15.0])
    loudness_lufs: float = -23.0
    filter_threshold: float | None = 0.75  # None = cosine filter off
    # SNR of the mixture the filter judges: 0.0 judges each pair at equal power (as the thesis'
    # equal-loudness mixtures), then mixes at the drawn SNR; None judges the drawn-SNR mixture,
    # which rejects nearly every target-dominant mixture (SNR > 0 dB) in "snr" mode.
    filter_snr_db: float | None = 0.0
    filter_max_tries: int = 10
    caption_choice: str = "random"  # random | first
    # the share of targets queried by their class name alone ("dog", "gun reload"), as users
    # often type (class-labelled corpora only)
    label_query_probability: float = 0.0
    balance_classes: bool = True  # draw the target's class uniformly when classes are known
    # balanced: the target's class drawn with probability ∝ (its clips)^exponent (0: uniform)
    class_weight_exponent: float = 0.0
    # balanced: within a class, draw the source (package) uniformly, then one of its clips, so
    # that a class is not learnt as the sound of the package that supplies most of its clips
    balance_sources: bool = False
    num_workers: int = 2
    num_validation: int = 64
    augment: bool = True
    # timbre variety (querysep.data.augment): resampling factor (tempo and pitch together) and
    # the random EQ's largest gain
    augment_speed_range: list[float] = field(default_factory=lambda: [0.9, 1.1])
    augment_eq_max_db: float = 6.0
    # band limits of recording chains: the share of clips low-passed, and the cutoff range (Hz)
    augment_lowpass_probability: float = 0.0
    augment_lowpass_hz_range: list[float] = field(default_factory=lambda: [2000.0, 7500.0])
    # closer to real recordings (querysep.data.scene; see MixingConfig): off by default
    num_interferers: list[int] = field(default_factory=lambda: [1, 1])
    background_probability: float = 0.0
    room_probability: float = 0.0
    level_dbfs_range: list[float] | None = None
    codec_probability: float = 0.0
    epoch_length: int = 2000  # mixtures per training "epoch" (on the fly, any number)
    # query by example (needs model.example_tokens > 0): the share of mixtures conditioned on
    # an example clip, of those the share that keep their text too, and of those the share
    # whose example is a span of the mixture where the target is active (else another
    # recording of the target's class); span and example lengths in seconds
    example_probability: float = 0.0
    example_text_probability: float = 0.5
    span_probability: float = 0.5
    dominant_span_probability: float = 0.0  # of spans, those placed where the target dominates
    span_seconds_range: list[float] = field(default_factory=lambda: [1.0, 2.0])
    example_seconds_range: list[float] = field(default_factory=lambda: [1.0, 4.0])


@dataclass
class TrainConfig:
    batch_size: int = 8
    learning_rate: float = 1e-4
    eta_min: float = 1e-6
    scheduler_t_max: int = 20000  # steps (scheduler_interval=step) or epochs
    scheduler_interval: str = "step"  # step | epoch
    max_steps: int = 20000
    max_epochs: int = -1
    precision: str = "bf16-mixed"  # 32-true | bf16-mixed
    seed: int = 0
    out_dir: str = "runs/default"
    val_check_interval: int | None = None  # steps between validations; None = each epoch
    checkpoint_every_steps: int = 200
    strategy: str = "auto"  # auto | ddp
    devices: int | str = 1
    num_nodes: int = 1
    gradient_clip_val: float | None = 5.0
    log_every_steps: int = 20
    num_threads: int | None = None  # torch compute threads; None = torch's default
    # fine-tuning: start from this checkpoint's separation network (new parts such as the
    # example encoder start fresh), and optionally train only the new parts
    init_from: str | None = None
    freeze_network: bool = False
    # exponential moving average of the weights (None: off). Validation, checkpoints' payloads
    # and the exported separator use the average; training goes on with the raw weights.
    ema_decay: float | None = None


@dataclass
class Config:
    audio: AudioConfig = field(default_factory=AudioConfig)
    text: TextConfig = field(default_factory=TextConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    loss: LossConfig = field(default_factory=LossConfig)
    data: DataConfig = field(default_factory=DataConfig)
    train: TrainConfig = field(default_factory=TrainConfig)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> Config:
        return _build(cls, values, prefix="")

    @classmethod
    def from_yaml(cls, path: str | Path, overrides: list[str] | None = None) -> Config:
        """Read ``path`` (which may name a ``base:`` file it changes), then ``overrides``."""
        values = read_yaml(Path(path))
        for override in overrides or []:
            apply_override(values, override)
        return cls.from_dict(values)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def with_overrides(self, overrides: list[str]) -> Config:
        values = self.to_dict()
        for override in overrides:
            apply_override(values, override)
        return Config.from_dict(values)


class ConfigError(ValueError):
    """An unknown config key or a value of the wrong type; the message names the key."""


def read_yaml(path: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """A config file's values; ``base: other.yaml`` (relative to the file) is read first and
    the file's own values replace the base's, key by key."""
    if path.resolve() in seen:
        raise ConfigError(f"{path}: 'base' files include each other")
    try:
        values = yaml.safe_load(path.read_text()) or {}
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the config ({error.strerror})") from error
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: not valid YAML ({error})") from error
    if not isinstance(values, dict):
        raise ConfigError(f"{path}: a config is a mapping of sections")
    base = values.pop("base", None)
    if base is None:
        return values
    return _merged(read_yaml(path.parent / base, (*seen, path.resolve())), values)


def _merged(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in changes.items():
        both_sections = isinstance(value, dict) and isinstance(out.get(key), dict)
        out[key] = _merged(out[key], value) if both_sections else value
    return out


def apply_override(values: dict[str, Any], override: str) -> None:
    """Set ``section.key=value`` in a nested dict; the value is parsed as YAML."""
    if "=" not in override:
        raise ConfigError(f"override {override!r} is not of the form key=value")
    key, raw = override.split("=", 1)
    *parents, leaf = key.strip().split(".")
    node = values
    for part in parents:
        node = node.setdefault(part, {})
    try:
        node[leaf] = yaml.safe_load(raw)
    except yaml.YAMLError as error:
        raise ConfigError(f"override {override!r}: the value is not valid YAML") from error


def _build(cls: type, values: dict[str, Any], prefix: str) -> Any:
    if not isinstance(values, dict):
        raise ConfigError(f"config section {prefix.rstrip('.') or '(top)'} must be a mapping")
    known = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        names = ", ".join(prefix + name for name in unknown)
        raise ConfigError(f"unknown config key(s): {names}")
    hints = typing.get_type_hints(cls)
    kwargs = {}
    for name, value in values.items():
        kind = hints[name]
        if dataclasses.is_dataclass(kind):
            kwargs[name] = _build(kind, value, prefix=f"{prefix}{name}.")
        else:
            kwargs[name] = _checked(value, kind, prefix + name)
    return cls(**kwargs)


def _checked(value: Any, kind: Any, key: str) -> Any:
    """``value`` as the field type ``kind`` (int -> float, numeric strings -> float)."""
    converted = _convert(value, kind)
    if converted is _WRONG:
        raise ConfigError(f"config key {key}: expected {_describe(kind)}, got {value!r}")
    return converted


_WRONG = object()


def _convert(value: Any, kind: Any) -> Any:
    origin = typing.get_origin(kind)
    if origin in (types.UnionType, typing.Union):
        for option in typing.get_args(kind):
            converted = _convert(value, option)
            if converted is not _WRONG:
                return converted
        return _WRONG
    if kind is type(None):
        return None if value is None else _WRONG
    if origin in (list, tuple):
        (item,) = typing.get_args(kind)[:1] or (Any,)
        if not isinstance(value, list | tuple):
            return _WRONG
        items = [_convert(v, item) for v in value]
        return _WRONG if any(i is _WRONG for i in items) else items
    if kind is Any:
        return value
    if kind is bool:
        return value if isinstance(value, bool) else _WRONG
    if kind is int:
        return value if isinstance(value, int) and not isinstance(value, bool) else _WRONG
    if kind is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                return _WRONG
        return _WRONG
    if kind is str:
        return value if isinstance(value, str) else _WRONG
    return value


def _describe(kind: Any) -> str:
    if typing.get_origin(kind) in (types.UnionType, typing.Union):
        return " or ".join(_describe(option) for option in typing.get_args(kind))
    if kind is type(None):
        return "null"
    if typing.get_origin(kind) in (list, tuple):
        return f"a list of {_describe(typing.get_args(kind)[0])}"
    return getattr(kind, "__name__", str(kind))
