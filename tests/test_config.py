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
