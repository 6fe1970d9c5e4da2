"""Training mixtures closer to recordings: rooms, levels, codecs, several interferers, beds."""

import numpy as np
import pytest

from querysep.data.captions import load_clotho
from querysep.data.dataset import MixingConfig, MixtureDataset
from querysep.data.scene import codec_round_trip, set_level, simulate_room
from querysep.metrics import sdr


def noise(seconds: float = 2.0, seed: int = 0) -> np.ndarray:
    return (0.2 * np.random.default_rng(seed).standard_normal(int(16000 * seconds))).astype(
        np.float32
    )


def test_room_reverberates_every_source_and_keeps_lengths_and_energy():
    sources = [noise(seed=1), noise(1.5, seed=2)]
    first = simulate_room(sources, np.random.default_rng(3), 16000, (0.3, 0.8))
    again = simulate_room(sources, np.random.default_rng(3), 16000, (0.3, 0.8))
    for dry, wet, wet_again in zip(sources, first, again, strict=True):
        assert wet.shape == dry.shape and np.array_equal(wet, wet_again)
        assert sdr(dry, wet) < 10  # audibly changed by the room
        assert 0.3 < np.sum(wet**2) / np.sum(dry**2) < 1.5
    other = simulate_room(sources, np.random.default_rng(4), 16000, (0.3, 0.8))
    assert not np.array_equal(first[0], other[0])


def test_a_big_room_asked_to_be_very_dry_still_simulates():
    rng = np.random.default_rng(0)
    for _ in range(20):  # many big rooms with a very short RT60: none raises
        wet = simulate_room([noise(0.5)], rng, 16000, (0.01, 0.02))
        assert wet[0].shape == (8000,) and np.all(np.isfinite(wet[0]))


def test_level_sets_the_mixture_rms_and_keeps_the_ratio_and_the_peak_rule():
    source, mixture = noise(seed=1), noise(seed=1) + noise(seed=2)
    for seed in range(5):
        scaled_source, scaled = set_level(source, mixture, np.random.default_rng(seed), (-40, -20))
        rms_db = 20 * np.log10(np.sqrt(np.mean(scaled.astype(np.float64) ** 2)))
        assert -40 - 1e-3 <= rms_db <= -20 + 1e-3
        np.testing.assert_allclose(scaled_source / source, scaled / mixture, rtol=1e-4)
    _, loud = set_level(source, mixture, np.random.default_rng(0), (0, 0))
    assert np.max(np.abs(loud)) <= 0.9 + 1e-6  # 0 dBFS RMS would clip: the peak rule wins


def test_codec_round_trip_keeps_length_and_alignment():
    time = np.arange(32000) / 16000
    tone = (0.3 * np.sin(2 * np.pi * 440 * time)).astype(np.float32)
    for seed in range(4):
        coded = codec_round_trip(tone, np.random.default_rng(seed), 16000)
        assert coded.shape == tone.shape and not np.array_equal(coded, tone)
        assert sdr(tone[2000:-2000], coded[2000:-2000]) > 10  # aligned: no encoder delay


@pytest.fixture
def scene_dataset(clotho_folder):
    clips = load_clotho(*clotho_folder)
    config = MixingConfig(
        segment_seconds=2.0,
        num_interferers=(1, 3),
        background_probability=0.5,
        room_probability=0.5,
        level_dbfs_range=(-45.0, -15.0),
        codec_probability=0.3,
    )
    return MixtureDataset(clips, config=config, length=30, seed=3)


def test_scene_mixtures_are_seeded_and_use_several_distinct_classes(scene_dataset, clotho_folder):
    again = MixtureDataset(
        load_clotho(*clotho_folder), config=scene_dataset.config, length=30, seed=3
    )
    counts = []
    for index in range(len(scene_dataset)):
        item = scene_dataset[index]
        assert np.array_equal(item["mixture"].numpy(), again[index]["mixture"].numpy())
        assert item["mixture"].shape == item["target"].shape == (1, 32000)
        assert 1 <= item["num_interferers"] <= 4  # up to 3 interferers and a bed
        counts.append(item["num_interferers"])
        rms = float(np.sqrt(np.mean(item["mixture"].numpy().astype(np.float64) ** 2)))
        assert 20 * np.log10(rms) <= -15 + 0.5 and item["mixture"].abs().max() <= 0.9 + 1e-5
    assert len(set(counts)) >= 3  # several interferer counts occur


def test_default_config_still_makes_dcase_two_source_pairs(clotho_folder):
    clips = load_clotho(*clotho_folder)
    dataset = MixtureDataset(clips, config=MixingConfig(segment_seconds=2.0), length=10, seed=3)
    for index in range(10):
        item = dataset[index]
        assert item["num_interferers"] == 1
        np.testing.assert_allclose(
            item["snr_db"],
            10
            * np.log10(
                np.mean(item["target"].numpy() ** 2)
                / np.mean((item["mixture"] - item["target"]).numpy() ** 2)
            ),
            atol=1e-3,
        )
