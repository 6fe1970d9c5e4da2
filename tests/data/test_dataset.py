import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader

from querysep.audio.io import save_audio
from querysep.data.augment import AugmentConfig
from querysep.data.captions import CaptionedClip, load_clotho
from querysep.data.dataset import MixingConfig, MixtureDataset
from tests.conftest import tone


def make_dataset(clotho_folder, **overrides):
    clips = load_clotho(*clotho_folder)
    config = MixingConfig(**{"segment_seconds": 2.0, **overrides})
    return MixtureDataset(clips, config=config, length=40, seed=7, augment_config=AugmentConfig())


def test_same_index_gives_bit_identical_mixture(clotho_folder):
    first, second = make_dataset(clotho_folder), make_dataset(clotho_folder)
    for index in [0, 5, 17]:
        a, b = first[index], second[index]
        assert torch.equal(a["mixture"], b["mixture"]) and torch.equal(a["target"], b["target"])
        assert a["caption"] == b["caption"]
    assert not torch.equal(first[0]["mixture"], first[1]["mixture"])


def test_items_have_segment_shape_and_interferer_is_another_clip(clotho_folder):
    dataset = make_dataset(clotho_folder)
    snrs = []
    for index in range(len(dataset)):
        item = dataset[index]
        assert item["mixture"].shape == item["target"].shape == (1, 32000)
        assert item["interferer_index"] != item["target_index"]
        labels = [dataset.clips[item[key]].label for key in ("target_index", "interferer_index")]
        assert labels[0] != labels[1]  # classes are known here: always a different class
        assert item["caption"] in dataset.clips[item["target_index"]].captions
        snrs.append(item["snr_db"])
    # the reported SNR is measured on the returned audio: it must be the drawn one
    assert np.mean(np.abs(np.array(snrs)) <= 15.01) >= 0.9


def test_filter_threshold_is_respected_and_logged(clotho_folder):
    dataset = make_dataset(
        clotho_folder, filter_threshold=0.6, filter_max_tries=20, filter_snr_db=None
    )
    items = [dataset[i] for i in range(20)]
    for item in items:
        assert item["filter_accepted"] == (item["cosine"] <= 0.6)
    assert all(item["filter_accepted"] for item in items)
    assert any(item["filter_tries"] > 1 for item in items)  # some interferers were rejected


def test_loudness_mode_keeps_peak_below_one(clotho_folder):
    dataset = make_dataset(clotho_folder, mix_mode="loudness", filter_threshold=None)
    for index in range(10):
        item = dataset[index]
        assert item["mixture"].abs().max() <= 1.0
        assert item["filter_tries"] == 1


def test_workers_give_the_same_items_as_the_main_process(clotho_folder):
    dataset = make_dataset(clotho_folder)
    loader = DataLoader(dataset, batch_size=4, num_workers=2)
    batch = next(iter(loader))
    expected = torch.stack([dataset[i]["mixture"] for i in range(4)])
    assert torch.equal(batch["mixture"], expected)


def test_bad_configuration_is_rejected(clotho_folder):
    clips = load_clotho(*clotho_folder)
    with pytest.raises(ValueError, match="mix_mode"):
        MixtureDataset(clips, config=MixingConfig(mix_mode="pydub"), length=1)
    with pytest.raises(ValueError, match="two clips"):
        MixtureDataset(clips[:1], config=MixingConfig(), length=1)
    assert np.isfinite(make_dataset(clotho_folder)[0]["cosine"])


def test_filter_at_equal_power_keeps_target_dominant_mixtures(clotho_folder):
    """Judged at the drawn SNR, a strict filter rejects loud targets and so skews the SNRs
    negative; judged at equal power it keeps the drawn SNR range (and filters the pair)."""
    strict = {"filter_threshold": 0.6, "filter_max_tries": 10}
    at_drawn = make_dataset(clotho_folder, filter_snr_db=None, **strict)
    at_equal = make_dataset(clotho_folder, filter_snr_db=0.0, **strict)
    drawn = np.array([at_drawn[i]["snr_db"] for i in range(len(at_drawn))])
    equal = np.array([at_equal[i]["snr_db"] for i in range(len(at_equal))])
    assert np.mean(drawn > 5.0) < 0.1 and np.mean(equal > 5.0) > 0.2
    for index in range(len(at_equal)):  # the accepted pairs pass the filter at 0 dB
        item = at_equal[index]
        if item["filter_accepted"]:
            target = at_equal.clips[item["target_index"]]
            assert item["cosine"] <= 0.6 and item["interferer_index"] != item["target_index"]
            assert target.label != at_equal.clips[item["interferer_index"]].label


def speech_heavy_labels(tmp_path, **overrides) -> tuple[list[str], list[str]]:
    """Target and interferer labels of 400 items over 37 "speech" clips and one clip of each
    of three other classes."""
    clips = []
    for index in range(40):
        label = ["speech"] * 37 + ["bell", "rain", "dog"]
        path = tmp_path / f"clip{index}.wav"
        save_audio(path, tone(200 + 20 * index, 0.5), 16000)
        clips.append(CaptionedClip(path=path, captions=(f"sound {index}",), label=label[index]))
    config = MixingConfig(segment_seconds=0.5, filter_threshold=None, **overrides)
    dataset = MixtureDataset(clips, config=config, length=400, seed=3)
    targets, interferers = [], []
    for index in range(len(dataset)):
        item = dataset[index]
        targets.append(clips[item["target_index"]].label)
        interferers.append(clips[item["interferer_index"]].label)
    return targets, interferers


def test_interferer_classes_are_balanced_when_one_class_dominates(tmp_path):
    """Speech is most of the offline corpus: interferers must not be mostly speech."""
    targets, interferers = speech_heavy_labels(tmp_path)
    assert 0.15 < np.mean(np.array(targets) == "speech") < 0.35  # a quarter: 1 class of 4
    # the other three classes are drawn for the interferer of a speech target, and speech
    # is one of three for the others: about a quarter overall, never 37/40
    assert 0.15 < np.mean(np.array(interferers) == "speech") < 0.4
    assert all(t != i for t, i in zip(targets, interferers))


def test_class_weight_exponent_draws_large_classes_more_often_as_targets(tmp_path):
    """Exponent 0.5: speech weighs sqrt(37) = 6.1 against 1 for each other class, so it is
    the target 6.1 / 9.1 = 67 % of the time; interferers stay drawn among the other classes."""
    targets, interferers = speech_heavy_labels(tmp_path, class_weight_exponent=0.5)
    assert 0.58 < np.mean(np.array(targets) == "speech") < 0.76
    assert {"bell", "rain", "dog"} <= set(targets)
    assert np.mean(np.array(interferers) == "speech") < 0.2  # 1 in 3 for the other third
    assert all(t != i for t, i in zip(targets, interferers))


def test_example_items_mix_text_span_and_other_recordings(clotho_folder):
    dataset = make_dataset(
        clotho_folder, example_probability=0.75, example_text_probability=0.5, span_probability=0.5
    )
    plain = make_dataset(clotho_folder)
    counts = {"none": 0, "span": 0, "recording": 0, "text": 0}
    for index in range(len(dataset)):
        item = dataset[index]
        # the mixture is drawn before the example: adding examples changes no mixture
        assert torch.equal(item["mixture"], plain[index]["mixture"])
        length = item["example_samples"]
        assert item["example"].shape == (dataset.config.example_samples,)
        assert not item["example"][length:].any()  # zero padding after the example
        if length == 0:
            assert item["use_text"]
            counts["none"] += 1
            continue
        counts["text"] += item["use_text"]
        clip = item["example"][:length].numpy()
        mixture = item["mixture"][0].numpy()
        starts = [s for s in range(0, mixture.size - length + 1, 160)
                  if np.allclose(mixture[s : s + length], clip)]  # fmt: skip
        if starts:  # a span of the mixture, 1-2 s, where the target is active
            assert 16000 <= length <= 32000
            target = item["target"][0].numpy()
            span_energy = np.sum(target[starts[0] : starts[0] + length] ** 2)
            best = max(
                np.sum(target[s : s + length] ** 2) for s in range(0, target.size - length + 1, 160)
            )
            assert span_energy >= 0.5 * best - 1e-6
            counts["span"] += 1
        else:  # another recording of the target's class: only "tone" has several clips
            assert dataset.clips[item["target_index"]].label == "tone"
            assert length <= 4 * 16000
            counts["recording"] += 1
    assert counts["none"] > 0 and counts["span"] > 0 and counts["recording"] > 0
    assert 0 < counts["text"] < counts["span"] + counts["recording"]


def test_balance_sources_draws_a_class_source_uniformly(tmp_path):
    """A class with 9 clips from one package and 1 from another: with sources balanced, the
    lone clip is the target about half the time of that class instead of a tenth; off, the
    draws are exactly those of before (the same generator calls)."""
    labels = ["dog"] * 10 + ["bell", "rain", "wind", "cat"]
    sources = ["big"] * 9 + ["small"] + ["other"] * 4
    clips = []
    for index, (label, source) in enumerate(zip(labels, sources)):
        path = tmp_path / f"clip{index}.wav"
        save_audio(path, tone(200 + 20 * index, 0.5), 16000)
        clips.append(CaptionedClip(path, (f"sound {index}",), label, source))

    def targets(clips, balance_sources: bool) -> list[int]:
        config = MixingConfig(
            segment_seconds=0.5, filter_threshold=None, balance_sources=balance_sources
        )
        dataset = MixtureDataset(clips, config=config, length=300, seed=5)
        return [dataset[index]["target_index"] for index in range(len(dataset))]

    def lone_share(drawn: list[int]) -> float:
        dogs = np.array([t for t in drawn if t <= 9])
        return float(np.mean(dogs == 9))

    plain = targets(clips, False)
    assert 0.35 < lone_share(targets(clips, True)) < 0.65
    assert lone_share(plain) < 0.25
    without_sources = [CaptionedClip(c.path, c.captions, c.label) for c in clips]
    assert targets(without_sources, True) == plain  # nothing to balance: the plain draws


def test_label_queries_replace_a_share_of_captions_by_the_class_name(tmp_path):
    """A fifth of the targets are queried by their class name ("gun reload"); off, none."""
    labels = ["gun_reload", "bell", "rain", "dog"]
    clips = []
    for index in range(8):
        path = tmp_path / f"clip{index}.wav"
        save_audio(path, tone(200 + 40 * index, 0.5), 16000)
        clips.append(
            CaptionedClip(path, (f"caption {index}", f"wording {index}"), labels[index % 4])
        )

    def items(share: float) -> list[dict]:
        config = MixingConfig(
            segment_seconds=0.5, filter_threshold=None, label_query_probability=share
        )
        dataset = MixtureDataset(clips, config=config, length=300, seed=4)
        return [dataset[index] for index in range(len(dataset))]

    plain, labelled = items(0.0), items(0.2)
    names = {label.replace("_", " ") for label in labels}
    by_name = [item for item in labelled if item["caption"] in names]
    assert 0.13 < len(by_name) / len(labelled) < 0.27
    for item in by_name:
        assert item["caption"] == clips[item["target_index"]].label.replace("_", " ")
    assert "gun reload" in {item["caption"] for item in by_name}
    assert not any(item["caption"] in names for item in plain)


def test_clotho_loader_reads_each_clip_source_from_metadata(clotho_folder):
    csv_path, audio_dir = clotho_folder
    assert all(clip.source is None for clip in load_clotho(csv_path, audio_dir))  # no metadata
    names = [clip.path.name for clip in load_clotho(csv_path, audio_dir)]
    (audio_dir / "metadata.csv").write_text(
        "file_name,class,package\n" + "".join(f"{n},x,pkg{i % 2}\n" for i, n in enumerate(names))
    )
    clips = load_clotho(csv_path, audio_dir)
    assert [clip.source for clip in clips] == [f"pkg{i % 2}" for i in range(len(names))]
    assert clips[0].label != "x"  # the captions file's class column comes first
