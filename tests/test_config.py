import pytest

from querysep.config import Config


def test_yaml_with_overrides(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("train:\n  batch_size: 4\nmodel:\n  channels: [8, 16]\n")
    config = Config.from_yaml(path, ["train.batch_size=2", "data.filter_threshold=null"])
    assert config.train.batch_size == 2
    assert config.model.channels == [8, 16]
    assert config.data.filter_threshold is None
    assert config.audio.sample_rate == 16000  # defaults fill the rest
    assert Config.from_dict(config.to_dict()) == config


def test_unknown_keys_fail_loudly(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("train:\n  batchsize: 4\n")
    with pytest.raises(ValueError, match="train.batchsize"):
        Config.from_yaml(path)
    with pytest.raises(ValueError, match="key=value"):
        Config().with_overrides(["train.batch_size"])


def test_values_are_checked_against_the_field_types(tmp_path):
    from querysep.config import ConfigError

    path = tmp_path / "c.yaml"
    path.write_text("train:\n  batch_size: 4\n")
    config = Config.from_yaml(path, ["train.learning_rate=1e-4", "train.eta_min=0"])
    assert config.train.learning_rate == 1e-4 and isinstance(config.train.learning_rate, float)
    assert isinstance(config.train.eta_min, float)  # an int where a float goes
    assert Config.from_yaml(path, ["train.devices=auto"]).train.devices == "auto"  # int | str
    bad = {
        "train.batch_size=eight": "train.batch_size: expected int, got 'eight'",
        "train.batch_size=4.5": "train.batch_size: expected int",
        "model.channels=[8, x]": "model.channels: expected a list of int",
        "data.augment=maybe": "data.augment: expected bool",
        "text.name=3": "text.name: expected str",
        "data.filter_threshold=high": "data.filter_threshold: expected float or null",
        "train=4": "config section train must be a mapping",
    }
    for override, message in bad.items():
        with pytest.raises(ConfigError, match=message.replace("[", r"\[")):
            Config.from_yaml(path, [override])
    path.write_text("train: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        Config.from_yaml(path)


def test_train_command_reports_config_mistakes_with_exit_status_2(tmp_path, capsys):
    from querysep.cli import main

    path = tmp_path / "c.yaml"
    path.write_text("train:\n  batch_size: 4\n")
    assert main(["train", "--config", str(path), "train.batch_size=eight"]) == 2
    err = capsys.readouterr().err
    assert "train.batch_size" in err and "Traceback" not in err
    assert main(["train", "--config", str(path), "train.nope=1"]) == 2
    assert "unknown config key(s): train.nope" in capsys.readouterr().err
    assert main(["train", "--config", str(tmp_path / "missing.yaml")]) == 2


def test_a_config_changes_a_base_file_key_by_key(tmp_path):
    from querysep.config import ConfigError

    (tmp_path / "base.yaml").write_text(
        "train:\n  batch_size: 4\n  seed: 3\nmodel:\n  num_heads: 2\n"
    )
    (tmp_path / "child.yaml").write_text("base: base.yaml\ntrain:\n  batch_size: 8\n")
    config = Config.from_yaml(tmp_path / "child.yaml", ["model.num_heads=1"])
    assert (config.train.batch_size, config.train.seed, config.model.num_heads) == (8, 3, 1)
    (tmp_path / "loop.yaml").write_text("base: loop.yaml\n")
    with pytest.raises(ConfigError, match="include each other"):
        Config.from_yaml(tmp_path / "loop.yaml")
    (tmp_path / "orphan.yaml").write_text("base: missing.yaml\n")
    with pytest.raises(ConfigError, match="missing.yaml"):
        Config.from_yaml(tmp_path / "orphan.yaml")


def test_every_shipped_config_loads():
    from pathlib import Path

    for path in sorted((Path(__file__).resolve().parents[1] / "configs").glob("*.yaml")):
        assert Config.from_yaml(path).audio.sample_rate == 16000, path
