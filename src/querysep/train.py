"""Training on PyTorch Lightning: on-the-fly cosine-filtered mixtures, exact resume, DDP.

``train(config, resume=...)`` is what ``querysep train`` runs. The run folder
(``train.out_dir``) gets ``checkpoints/last.ckpt`` (every ``checkpoint_every_steps``),
``checkpoints/best.ckpt`` (highest validation SDRi), CSV logs (and TensorBoard logs when
the optional ``tensorboard`` package is installed), the resolved ``config.yaml``, and at the
end ``separator.pt``: the slim, self-describing checkpoint of the best model that
``querysep separate --checkpoint`` takes.
"""

from __future__ import annotations

import time
from pathlib import Path

import lightning as L
import torch
import yaml
from lightning.pytorch.callbacks import Callback, EMAWeightAveraging, ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from lightning.pytorch.plugins.io import TorchCheckpointIO

from querysep.config import Config, ConfigError
from querysep.data.augment import AugmentConfig
from querysep.data.captions import CaptionedClip, load_captions
from querysep.data.dataset import MixingConfig, MixtureDataset
from querysep.data.loader import EpochSampler, ResumableLoader
from querysep.losses import separation_loss
from querysep.metrics import batch_sdr, batch_si_sdr
from querysep.models.checkpoint import atomic_torch_save, load_network_weights, read_payload
from querysep.models.example import join_conditions
from querysep.models.separation import SeparationModel
from querysep.vocabulary import Vocabulary

VALIDATION_SEED_OFFSET = 1_000_003  # validation mixtures never share indices with training


class SeparationModule(L.LightningModule):
    """The separation model plus its loss, metrics and optimiser."""

    def __init__(self, config: dict) -> None:
        super().__init__()
        self.save_hyperparameters({"config": config})
        self.config = Config.from_dict(config)
        self.separator = SeparationModel(self.config)
        if self.config.train.freeze_network:
            self.separator.network.requires_grad_(False)

    def on_train_batch_start(self, batch: dict, batch_index: int) -> None:
        # frozen: batch norms keep their running statistics (Lightning sets modes itself, so
        # this is redone before every step rather than once)
        if self.config.train.freeze_network:
            self.separator.network.eval()

    def condition(self, batch: dict):
        """Text tokens of the captions, joined with example tokens where the batch has them
        (each row: text only, example only, or both)."""
        text = self.separator.encode_text(list(batch["caption"]))
        if "example" not in batch or not self.separator.takes_examples:
            return text
        lengths = batch["example_samples"]
        example = self.separator.encode_examples(batch["example"], lengths)
        return join_conditions(
            text, example, use_text=batch["use_text"].bool(), use_example=lengths > 0
        )

    def _step(self, batch: dict):
        output = self.separator(batch["mixture"], self.condition(batch))
        target_magnitude = self.separator.spectrogram(batch["target"]).abs()
        loss, terms = separation_loss(
            self.config.loss,
            estimate_magnitude=output.magnitude,
            target_magnitude=target_magnitude,
            estimate_waveform=output.waveform,
            target_waveform=batch["target"],
        )
        return output, loss, terms

    def training_step(self, batch: dict, batch_index: int) -> torch.Tensor:
        _, loss, terms = self._step(batch)
        batch_size = batch["mixture"].shape[0]
        self.log("train/loss", loss, prog_bar=True, batch_size=batch_size)
        for name, value in terms.items():
            self.log(f"train/{name}", value, batch_size=batch_size)
        acceptance = batch["filter_accepted"].float().sum() / batch["filter_tries"].float().sum()
        self.log("train/filter_acceptance", acceptance, batch_size=batch_size)
        return loss

    def validation_step(self, batch: dict, batch_index: int) -> None:
        output, loss, _ = self._step(batch)
        target, mixture = batch["target"][:, 0], batch["mixture"][:, 0]  # (batch, time)
        estimate = output.waveform[:, 0].float()
        sdr = batch_sdr(target, estimate)
        metrics = {
            "val/loss": loss,
            "val/sdr": sdr.mean(),
            "val/sdri": (sdr - batch_sdr(target, mixture)).mean(),
            "val/si_sdri": (batch_si_sdr(target, estimate) - batch_si_sdr(target, mixture)).mean(),
        }
        batch_size = target.shape[0]
        self.log_dict(metrics, prog_bar=True, sync_dist=True, batch_size=batch_size)

    def configure_optimizers(self):
        train = self.config.train
        parameters = [p for p in self.separator.parameters() if p.requires_grad]
        optimizer = torch.optim.Adam(parameters, lr=train.learning_rate)
        scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(
            optimizer, T_max=train.scheduler_t_max, eta_min=train.eta_min
        )
        interval = {"step": "step", "epoch": "epoch"}[train.scheduler_interval]
        return {
            "optimizer": optimizer,
            "lr_scheduler": {"scheduler": scheduler, "interval": interval},
        }

    def on_fit_start(self) -> None:
        """The training vocabulary (classes, captions, embeddings) every checkpoint carries."""
        clips = self.trainer.datamodule.train_set.clips
        labelled: dict[str, set[str]] = {}
        for clip in clips:
            labelled.setdefault(clip.label or "unlabelled", set()).update(clip.captions)
        vocabulary = Vocabulary.build(labelled, self.separator.text_encoder)
        self.vocabulary = vocabulary.to_payload()

    def on_save_checkpoint(self, checkpoint: dict) -> None:
        metadata = {"global_step": self.global_step, "epoch": self.current_epoch}
        metadata.update(
            {k: float(v) for k, v in self.trainer.callback_metrics.items() if "val/" in k}
        )
        vocabulary = getattr(self, "vocabulary", None)
        payload = self.separator.payload(metadata, vocabulary)
        if "current_model_state" in checkpoint:  # EMA on: the callback put the average here
            payload |= averaged_weights(checkpoint["state_dict"], payload)
            payload["metadata"]["ema_decay"] = self.config.train.ema_decay
        checkpoint["querysep"] = payload


def averaged_weights(state_dict: dict, payload: dict) -> dict:
    """The payload's weight entries taken from the module's (averaged) ``state_dict``."""
    weights = {"state_dict": "separator.network."}
    if payload.get("example_encoder") is not None:
        weights["example_encoder"] = "separator.example_encoder."
    return {
        key: {name: state_dict[prefix + name] for name in payload[key]}
        for key, prefix in weights.items()
    }


class MixtureDataModule(L.LightningDataModule):
    def __init__(self, config: Config) -> None:
        super().__init__()
        self.config = config
        # checked here, before training starts (setup runs inside Trainer.fit)
        self.augment = augment_config(config) if config.data.augment else None

    def setup(self, stage: str | None = None) -> None:
        data = self.config.data
        if data.train is None:
            raise ValueError("data.train is not set: give a Clotho CSV or a path,caption manifest")
        train_clips = load_captions(data.train, data.train_audio_dir)
        if data.validation is not None:
            validation_clips = load_captions(data.validation, data.validation_audio_dir)
        else:  # hold out every tenth clip so validation never hears a training clip
            train_clips, validation_clips = split_clips(train_clips)
        if data.balance_sources and not all(c.source for c in train_clips + validation_clips):
            raise ConfigError(
                "data.balance_sources needs every clip's package: a metadata.csv with "
                "file_name,package columns in the audio folder (`querysep corpus build` writes "
                "it); for data without packages, set data.balance_sources=false"
            )
        mixing = mixing_config(self.config)
        seed = self.config.train.seed
        self.train_set = MixtureDataset(
            train_clips, config=mixing, length=2**62, seed=seed, augment_config=self.augment
        )
        self.validation_set = MixtureDataset(
            validation_clips,
            config=mixing,
            length=data.num_validation,
            seed=seed + VALIDATION_SEED_OFFSET,
        )

    def train_dataloader(self) -> ResumableLoader:
        trainer = self.trainer
        sampler = EpochSampler(
            epoch_length=self.config.data.epoch_length,
            rank=trainer.global_rank if trainer else 0,
            world_size=trainer.world_size if trainer else 1,
        )
        loader = ResumableLoader(
            self.train_set,
            sampler=sampler,
            batch_size=self.config.train.batch_size,
            num_workers=self.config.data.num_workers,
            persistent_workers=self.config.data.num_workers > 0,
            drop_last=True,
        )
        if trainer is not None:
            progress = trainer.fit_loop.epoch_loop.batch_progress
            loader.position = lambda: progress.current.processed
        return loader

    def val_dataloader(self):
        trainer = self.trainer
        sampler = EpochSampler(
            epoch_length=len(self.validation_set),
            rank=trainer.global_rank if trainer else 0,
            world_size=trainer.world_size if trainer else 1,
        )
        return torch.utils.data.DataLoader(
            self.validation_set,
            sampler=sampler,
            batch_size=self.config.train.batch_size,
            num_workers=min(self.config.data.num_workers, 1),
        )


def split_clips(
    clips: list[CaptionedClip], every: int = 10
) -> tuple[list[CaptionedClip], list[CaptionedClip]]:
    """Deterministic hold-out: every ``every``-th clip (at least two) goes to validation."""
    if len(clips) < 4:
        raise ValueError(
            f"only {len(clips)} training clips: give at least 4, or a data.validation set"
        )
    step = min(every, len(clips) // 2)
    validation = clips[step - 1 :: step]
    held = {id(clip) for clip in validation}
    return [c for c in clips if id(c) not in held], validation


class AtomicCheckpointIO(TorchCheckpointIO):
    """Checkpoints are written to a temp file in the same folder, then renamed."""

    def save_checkpoint(self, checkpoint: dict, path, storage_options=None) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_torch_save(checkpoint, path)


class StepTimer(Callback):
    """Logs seconds per optimiser step (data waiting included)."""

    def on_train_batch_start(self, trainer, module, batch, batch_index) -> None:
        now = time.perf_counter()
        if getattr(self, "_last", None) is not None:
            module.log("train/seconds_per_step", now - self._last, batch_size=1)
        self._last = now


def build_trainer(config: Config, out_dir: Path) -> L.Trainer:
    train = config.train
    # no version counter: a checkpoint copied in from another folder or machine (whose
    # stored paths differ) must still be overwritten, or `--resume last` finds a stale one
    last = ModelCheckpoint(
        dirpath=out_dir / "checkpoints",
        save_top_k=0,
        save_last=True,
        every_n_train_steps=train.checkpoint_every_steps,
        enable_version_counter=False,
    )
    best = ModelCheckpoint(
        dirpath=out_dir / "checkpoints",
        filename="best",
        monitor="val/sdri",
        mode="max",
        enable_version_counter=False,
    )
    # one version folder per (re)start: a resumed run never overwrites earlier logs
    loggers = [CSVLogger(out_dir, name="logs")]
    try:
        import tensorboard  # noqa: F401
        from lightning.pytorch.loggers import TensorBoardLogger

        loggers.append(TensorBoardLogger(out_dir, name="tensorboard"))
    except ImportError:
        pass
    strategy = train.strategy
    if strategy == "ddp":
        from lightning.pytorch.strategies import DDPStrategy

        backend = "nccl" if torch.cuda.is_available() else "gloo"
        strategy = DDPStrategy(process_group_backend=backend)
    validation = (
        {"val_check_interval": train.val_check_interval, "check_val_every_n_epoch": None}
        if train.val_check_interval
        else {}
    )
    return L.Trainer(
        default_root_dir=out_dir,
        max_steps=train.max_steps,
        max_epochs=train.max_epochs,
        precision=train.precision,
        strategy=strategy,
        devices=train.devices,
        num_nodes=train.num_nodes,
        accelerator="auto",
        gradient_clip_val=train.gradient_clip_val,
        log_every_n_steps=train.log_every_steps,
        callbacks=[last, best, StepTimer(), *weight_averaging(train)],
        logger=loggers,
        plugins=[AtomicCheckpointIO()],
        use_distributed_sampler=False,
        num_sanity_val_steps=0,
        deterministic=False,
        **validation,
    )


def weight_averaging(train) -> list[Callback]:
    """Lightning's EMA callback when ``train.ema_decay`` is set. A run resumed from a checkpoint
    without an average starts the average at the checkpoint's weights."""
    if train.ema_decay is None:
        return []
    if not 0.0 < train.ema_decay < 1.0:
        raise ConfigError(f"train.ema_decay must be in (0, 1), got {train.ema_decay}")
    return [EMAWeightAveraging(decay=train.ema_decay, use_buffers=True)]


def resolve_resume(resume: str | None, out_dir: Path) -> str | None:
    """``last`` means this run's ``checkpoints/last.ckpt`` (if it exists yet)."""
    if resume == "last":
        candidate = out_dir / "checkpoints" / "last.ckpt"
        return str(candidate) if candidate.is_file() else None
    return resume


def train(config: Config, resume: str | None = None) -> Path:
    """Train (or resume) and return the path of the exported ``separator.pt``."""
    if config.data.example_probability > 0 and config.model.example_tokens <= 0:
        raise ConfigError(
            "data.example_probability > 0 draws example queries, but the model has no example "
            "encoder: set model.example_tokens (e.g. 4), or data.example_probability=0"
        )
    out_dir = Path(config.train.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "config.yaml").write_text(yaml.safe_dump(config.to_dict(), sort_keys=False))
    L.seed_everything(config.train.seed, workers=True, verbose=False)
    if config.train.num_threads:
        torch.set_num_threads(config.train.num_threads)
    module = SeparationModule(config.to_dict())
    checkpoint = resolve_resume(resume, out_dir)
    if config.train.init_from and checkpoint is None:
        initialise(module.separator, config.train.init_from)
    trainer = build_trainer(config, out_dir)
    trainer.fit(module, datamodule=MixtureDataModule(config), ckpt_path=checkpoint)
    return export_best(out_dir) if trainer.is_global_zero else out_dir / "separator.pt"


def initialise(model: SeparationModel, path: str) -> None:
    """Fine-tuning: the separation network's weights (and the example encoder's, when both
    have one) from a checkpoint whose architecture matches; new parts keep their init."""
    payload = read_payload(path)
    load_network_weights(model.network, payload["state_dict"], source=path)
    if model.example_encoder is not None and "example_encoder" in payload:
        load_network_weights(model.example_encoder, payload["example_encoder"], source=path)


def export_best(out_dir: Path) -> Path:
    """Write ``separator.pt`` (weights + config only) from ``best.ckpt``, else ``last.ckpt``."""
    checkpoints = out_dir / "checkpoints"
    source = checkpoints / "best.ckpt"
    if not source.is_file():
        source = checkpoints / "last.ckpt"
    target = out_dir / "separator.pt"
    atomic_torch_save(read_payload(source), target)
    return target


def augment_config(config: Config) -> AugmentConfig:
    """The training clips' augmentation that ``config``'s data section describes."""
    speed_range = config.data.augment_speed_range
    if len(speed_range) != 2 or not 0.0 < speed_range[0] <= speed_range[1]:
        raise ConfigError(
            f"data.augment_speed_range must be two factors 0 < low <= high, got {speed_range}"
        )
    lowpass_range = config.data.augment_lowpass_hz_range
    nyquist = config.audio.sample_rate / 2
    if len(lowpass_range) != 2 or not 0.0 < lowpass_range[0] <= lowpass_range[1] < nyquist:
        raise ConfigError(
            "data.augment_lowpass_hz_range must be two cutoffs 0 < low <= high < "
            f"{nyquist:g} Hz (half the sample rate), got {lowpass_range}"
        )
    if not 0.0 <= config.data.augment_lowpass_probability <= 1.0:
        raise ConfigError(
            "data.augment_lowpass_probability must be within [0, 1], got "
            f"{config.data.augment_lowpass_probability}"
        )
    return AugmentConfig(
        speed_range=tuple(speed_range),
        eq_max_db=config.data.augment_eq_max_db,
        lowpass_probability=config.data.augment_lowpass_probability,
        lowpass_hz_range=tuple(lowpass_range),
    )


def mixing_config(config: Config) -> MixingConfig:
    """The on-the-fly mixing that ``config``'s data section describes."""
    data = config.data
    share = data.label_query_probability
    if not 0.0 <= share <= 1.0:
        raise ConfigError(f"data.label_query_probability must be within [0, 1], got {share}")
    return MixingConfig(
        sample_rate=config.audio.sample_rate,
        segment_seconds=data.segment_seconds,
        mix_mode=data.mix_mode,
        snr_db_range=tuple(data.snr_db_range),
        loudness_lufs=data.loudness_lufs,
        filter_threshold=data.filter_threshold,
        filter_max_tries=data.filter_max_tries,
        filter_snr_db=data.filter_snr_db,
        caption_choice=data.caption_choice,
        label_query_probability=data.label_query_probability,
        balance_classes=data.balance_classes,
        class_weight_exponent=data.class_weight_exponent,
        balance_sources=data.balance_sources,
        n_fft=config.audio.n_fft,
        hop_length=config.audio.hop_length,
        num_interferers=tuple(data.num_interferers),
        background_probability=data.background_probability,
        room_probability=data.room_probability,
        level_dbfs_range=tuple(data.level_dbfs_range) if data.level_dbfs_range else None,
        codec_probability=data.codec_probability,
        example_probability=data.example_probability,
        example_text_probability=data.example_text_probability,
        span_probability=data.span_probability,
        dominant_span_probability=data.dominant_span_probability,
        span_seconds_range=tuple(data.span_seconds_range),
        example_seconds_range=tuple(data.example_seconds_range),
    )
