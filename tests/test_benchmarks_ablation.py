"""The ablation's rows (benchmarks/ablation.py) still train the recipe its table measured:
model v1's, although configs/default.yaml has moved on to v2."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import ablation  # noqa: E402

from querysep.config import Config  # noqa: E402

V1_RECIPE = REPO / "training" / "default" / "config.yaml"  # the v1 default run, as it trained


def resolved(row: ablation.Row) -> Config:
    arguments = ablation.train_arguments(row, 0, Path("runs/x"), 2000)
    config_path = arguments[arguments.index("--config") + 1]
    overrides = [a for a in arguments[3:] if "=" in a]
    return Config.from_yaml(config_path, overrides)


def test_every_row_resolves_to_a_valid_config():
    for row in ablation.ROWS:
        config = resolved(row)
        assert config.train.max_steps == 2000
        assert config.train.scheduler_t_max == 20000  # the v1 default's schedule


def test_the_default_row_is_the_v1_default_run_recipe():
    """Keys the v1 run's saved config has must match it; keys added for v2 must be back at
    their dataclass defaults (which is what v1 trained with)."""
    v1 = yaml.safe_load(V1_RECIPE.read_text())
    defaults = Config().to_dict()
    config = resolved(ablation.ROWS[0]).to_dict()
    for section in ("model", "loss", "data"):
        for key, value in config[section].items():
            if key.startswith(("train", "validation", "example", "span", "dominant")):
                continue  # paths, and the query-by-example keys (off: example_probability 0)
            expected = v1[section].get(key, defaults[section][key])
            assert value == expected, f"{section}.{key}: {value!r} != {expected!r}"
    assert config["train"]["ema_decay"] is None
