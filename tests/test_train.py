"""Training: a SIGKILLed run resumes to the same weights; DDP with 2 CPU processes (gloo)."""

import os
import signal
import subprocess
import sys
import time

import pytest
import torch

from tests.conftest import TINY_CONFIG


def train_command(clotho_folder, out_dir, *extra):
    csv_path, audio_dir = clotho_folder
    return [
        sys.executable, "-m", "querysep.cli", "train", "--config", str(TINY_CONFIG),
        f"data.train={csv_path}", f"data.train_audio_dir={audio_dir}",
        f"train.out_dir={out_dir}", "data.segment_seconds=1.0", "data.epoch_length=8",
        "data.num_validation=4", "data.num_workers=0", "train.batch_size=2",
        "train.max_steps=12", "train.checkpoint_every_steps=1", "train.precision=32-true",
        "train.log_every_steps=1", *extra,
    ]  # fmt: skip


def environment():
    return {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONUNBUFFERED": "1"}


def network_weights(path):
    state = torch.load(path, map_location="cpu", weights_only=False)["state_dict"]
    return {k: v for k, v in state.items() if "num_batches_tracked" not in k}


def global_step(path):
    return torch.load(path, map_location="cpu", weights_only=False)["global_step"]


@pytest.mark.slow
def test_killed_run_resumes_to_the_same_weights(clotho_folder, tmp_path):
    reference = tmp_path / "reference"
    subprocess.run(train_command(clotho_folder, reference), check=True, env=environment(),
                   capture_output=True, timeout=600)  # fmt: skip
    interrupted = tmp_path / "interrupted"
    process = subprocess.Popen(
        train_command(clotho_folder, interrupted), env=environment(),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    last = interrupted / "checkpoints" / "last.ckpt"
    deadline = time.time() + 300
    while time.time() < deadline and process.poll() is None:
        if last.is_file() and global_step(last) >= 5:  # midway, inside the second epoch
            break
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL, "the run finished before it could be killed"
    killed_at = global_step(last)
    assert 5 <= killed_at < 12
    subprocess.run(train_command(clotho_folder, interrupted, "--resume", "last"), check=True,
                   env=environment(), capture_output=True, timeout=600)  # fmt: skip
    assert global_step(last) == 12 == global_step(reference / "checkpoints" / "last.ckpt")
    expected = network_weights(reference / "checkpoints" / "last.ckpt")
    resumed = network_weights(last)
    assert expected.keys() == resumed.keys()
    for name, tensor in expected.items():
        assert torch.allclose(resumed[name], tensor, atol=1e-6), name
    assert (interrupted / "separator.pt").is_file()
    assert len(list((interrupted / "logs").glob("version_*"))) == 2  # a folder per (re)start
    log = "".join(p.read_text() for p in (interrupted / "logs").glob("version_*/metrics.csv"))
    assert "val/sdri" in log and "train/filter_acceptance" in log


@pytest.mark.slow
def test_checkpoint_copied_to_another_folder_resumes_there(clotho_folder, tmp_path):
    """The committed checkpoints resume on a new machine: Lightning stores absolute paths,
    and a version counter would write ``last-v1.ckpt`` beside the copied, stale one."""
    first, moved = tmp_path / "first", tmp_path / "elsewhere"
    subprocess.run(train_command(clotho_folder, first, "train.max_steps=4"), check=True,
                   env=environment(), capture_output=True, timeout=600)  # fmt: skip
    (moved / "checkpoints").mkdir(parents=True)
    (moved / "checkpoints" / "last.ckpt").write_bytes(
        (first / "checkpoints" / "last.ckpt").read_bytes()
    )
    for steps in (6, 8):  # the second resume must start from the first one's step 6
        subprocess.run(
            train_command(clotho_folder, moved, f"train.max_steps={steps}", "--resume", "last"),
            check=True, env=environment(), capture_output=True, timeout=600,
        )  # fmt: skip
        assert global_step(moved / "checkpoints" / "last.ckpt") == steps
    assert sorted(p.name for p in (moved / "checkpoints").iterdir()) == ["best.ckpt", "last.ckpt"]


@pytest.mark.slow
def test_two_ddp_processes_on_cpu(clotho_folder, tmp_path):
    out = tmp_path / "ddp"
    result = subprocess.run(
        train_command(clotho_folder, out, "train.strategy=ddp", "train.devices=2",
                      "train.max_steps=4"),
        env=environment(), capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert global_step(out / "checkpoints" / "last.ckpt") == 4
    assert "distributed_backend=gloo" in result.stderr + result.stdout


@pytest.mark.slow
def test_example_encoder_fine_tunes_from_a_text_model_with_the_network_frozen(
    clotho_folder, tmp_path
):
    """train.init_from takes the network of a text-only checkpoint; with freeze_network only
    the new example encoder learns, so text-only separation stays exactly as it was."""
    from querysep.models.checkpoint import read_payload

    text_run = tmp_path / "text"
    subprocess.run(train_command(clotho_folder, text_run, "train.max_steps=2"), check=True,
                   env=environment(), capture_output=True, timeout=600)  # fmt: skip
    base = text_run / "separator.pt"
    tuned_run = tmp_path / "tuned"
    result = subprocess.run(
        train_command(
            clotho_folder, tuned_run, "train.max_steps=3", f"train.init_from={base}",
            "train.freeze_network=true", "model.example_tokens=4", "model.example_dim=32",
            "data.example_probability=0.8", "train.learning_rate=0.01",
        ),
        env=environment(), capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    before, after = read_payload(base), read_payload(tuned_run / "checkpoints" / "last.ckpt")
    for name, tensor in before["state_dict"].items():
        assert torch.equal(after["state_dict"][name], tensor), name  # BN statistics included
    assert "example_encoder" in after and "example_encoder" not in before
    bad = subprocess.run(
        train_command(clotho_folder, tmp_path / "bad", f"train.init_from={base}",
                      "model.channels=[8,16,32,32]"),
        env=environment(), capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert bad.returncode == 2 and "do not fit" in bad.stderr and "Traceback" not in bad.stderr


def test_example_queries_without_an_example_encoder_are_a_config_error(clotho_folder, tmp_path):
    result = subprocess.run(
        train_command(clotho_folder, tmp_path / "run", "data.example_probability=0.5"),
        env=environment(), capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 2 and "model.example_tokens" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_weight_average_resumes_from_a_plain_checkpoint_and_is_what_ships(clotho_folder, tmp_path):
    """train.ema_decay: a run without an average resumes with one (started at the
    checkpoint's weights); checkpoints keep the raw weights to train on and put the average
    in the payload, which is what separator.pt and a shipped model carry; a run with one
    resumes exactly."""
    from querysep.models.checkpoint import read_payload

    out = tmp_path / "ema"
    subprocess.run(train_command(clotho_folder, out, "train.max_steps=2"), check=True,
                   env=environment(), capture_output=True, timeout=600)  # fmt: skip
    plain_checkpoint = (out / "checkpoints" / "last.ckpt").read_bytes()
    result = subprocess.run(
        train_command(clotho_folder, out, "train.max_steps=5", "train.ema_decay=0.5",
                      "train.learning_rate=0.01", "--resume", "last"),
        env=environment(), capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    checkpoint = torch.load(out / "checkpoints" / "last.ckpt", map_location="cpu",
                            weights_only=False)  # fmt: skip
    assert checkpoint["global_step"] == 5
    payload = checkpoint["querysep"]
    assert payload["metadata"]["ema_decay"] == 0.5
    average, raw = checkpoint["state_dict"], checkpoint["current_model_state"]
    differs = 0
    for name, tensor in payload["state_dict"].items():
        assert torch.equal(tensor, average[f"separator.network.{name}"]), name
        differs += not torch.equal(tensor, raw[f"separator.network.{name}"])
    assert differs > 0  # the average is not the raw weights
    best = torch.load(out / "checkpoints" / "best.ckpt", map_location="cpu", weights_only=False)
    assert best["querysep"]["metadata"]["ema_decay"] == 0.5  # what separator.pt is made from
    shipped = read_payload(out / "separator.pt")["state_dict"]
    for name, tensor in shipped.items():
        assert torch.equal(tensor, best["state_dict"][f"separator.network.{name}"]), name
    # resumed mid-way, the average and the raw weights go on exactly: 2 -> 4 -> 5 as 2 -> 5
    stepped = tmp_path / "stepped"
    (stepped / "checkpoints").mkdir(parents=True)
    (stepped / "checkpoints" / "last.ckpt").write_bytes(plain_checkpoint)
    for steps in (4, 5):
        subprocess.run(
            train_command(clotho_folder, stepped, f"train.max_steps={steps}",
                          "train.ema_decay=0.5", "train.learning_rate=0.01", "--resume", "last"),
            check=True, env=environment(), capture_output=True, timeout=600,
        )  # fmt: skip
    again = torch.load(stepped / "checkpoints" / "last.ckpt", map_location="cpu",
                       weights_only=False)  # fmt: skip
    for key in ("state_dict", "current_model_state"):
        for name, tensor in checkpoint[key].items():
            assert torch.allclose(again[key][name].float(), tensor.float(), atol=1e-6), name
    bad = subprocess.run(
        train_command(clotho_folder, tmp_path / "bad", "train.ema_decay=1.5"),
        env=environment(), capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert bad.returncode == 2 and "ema_decay" in bad.stderr and "Traceback" not in bad.stderr


def test_augmentation_ranges_come_from_the_config():
    from querysep.config import Config, ConfigError
    from querysep.train import augment_config

    default = augment_config(Config())
    assert default.speed_range == (0.9, 1.1) and default.eq_max_db == 6.0
    wider = augment_config(
        Config.from_yaml(
            TINY_CONFIG, ["data.augment_speed_range=[0.8, 1.25]", "data.augment_eq_max_db=12"]
        )
    )
    assert wider.speed_range == (0.8, 1.25) and wider.eq_max_db == 12.0
    for wrong in ("[1.2, 0.8]", "[0.0, 1.1]", "[0.9]"):
        with pytest.raises(ConfigError, match="augment_speed_range"):
            augment_config(Config.from_yaml(TINY_CONFIG, [f"data.augment_speed_range={wrong}"]))
    assert default.lowpass_probability == 0.0
    band_limited = augment_config(
        Config.from_yaml(
            TINY_CONFIG,
            ["data.augment_lowpass_probability=0.3", "data.augment_lowpass_hz_range=[3000, 6000]"],
        )
    )
    assert band_limited.lowpass_probability == 0.3
    assert band_limited.lowpass_hz_range == (3000.0, 6000.0)
    for key, wrong in (
        ("augment_lowpass_hz_range", "[3000, 9000]"),  # above half of 16 kHz
        ("augment_lowpass_hz_range", "[6000, 3000]"),
        ("augment_lowpass_probability", "1.5"),
    ):
        with pytest.raises(ConfigError, match=key):
            augment_config(Config.from_yaml(TINY_CONFIG, [f"data.{key}={wrong}"]))
    from querysep.train import mixing_config

    assert mixing_config(Config()).label_query_probability == 0.0
    with pytest.raises(ConfigError, match="label_query_probability"):
        mixing_config(Config.from_yaml(TINY_CONFIG, ["data.label_query_probability=-0.1"]))


def test_balance_sources_without_packages_is_a_clear_config_error(clotho_folder):
    from querysep.config import Config, ConfigError
    from querysep.train import MixtureDataModule

    csv_path, audio_dir = clotho_folder  # no metadata.csv: no packages
    config = Config.from_yaml(
        TINY_CONFIG,
        [
            f"data.train={csv_path}",
            f"data.train_audio_dir={audio_dir}",
            "data.balance_sources=true",
        ],
    )
    with pytest.raises(ConfigError, match="balance_sources needs every clip's package"):
        MixtureDataModule(config).setup()
