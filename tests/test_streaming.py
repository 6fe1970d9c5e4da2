"""Streaming separation of files: blocks in, windows, blocks out, the same as in memory."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf
import torch

from querysep.apply import WindowPlan, overlap_add, stream_windows
from querysep.audio.io import AudioError, BlockReader, load_audio, save_audio
from querysep.audio.stft import stft
from querysep.config import AudioConfig, Config
from querysep.metrics import sdr
from querysep.models.separation import SeparationModel
from querysep.separator import Separator, stft_frames
from tests.conftest import TINY_CONFIG, noise_burst, tone


def blocks_of(signal: np.ndarray, sizes: list[int]):
    position, index = 0, 0
    while position < signal.shape[-1]:
        size = sizes[index % len(sizes)]
        yield signal[..., position : position + size]
        position, index = position + size, index + 1


@pytest.mark.parametrize("length", [700, 5000, 12345])
def test_streamed_windows_equal_overlap_add(length):
    rng = np.random.default_rng(0)
    signal = rng.standard_normal((2, length)).astype(np.float32)
    plan = WindowPlan(window=1000, overlap=200, context=300, align=64)

    def process(segment: torch.Tensor) -> torch.Tensor:  # depends on its context
        return torch.stack([segment * 2, torch.roll(segment, 1, dims=-1)])

    whole = overlap_add(
        process,
        torch.from_numpy(signal),
        window_samples=1000,
        overlap_samples=200,
        context_samples=300,
        align_samples=64,
    )
    streamed = torch.cat(
        list(stream_windows(process, blocks_of(signal, [333, 1700, 1]), length, plan)), dim=-1
    )
    assert streamed.shape == whole.shape
    assert torch.allclose(streamed, whole, atol=1e-6)
    identity = torch.cat(
        list(stream_windows(lambda x: x[None], blocks_of(signal, [777]), length, plan)), dim=-1
    )
    assert torch.allclose(identity[0], torch.from_numpy(signal), atol=1e-6)
    assert plan.cost(length) >= 1.0


@pytest.mark.parametrize("length", [200, 513, 100_003])
def test_streamed_stft_frames_are_exactly_the_one_pass_frames(length):
    signal = np.random.default_rng(1).standard_normal((1, length)).astype(np.float32)
    frames = torch.cat(list(stft_frames(blocks_of(signal, [300, 4000]), length, AudioConfig())), -1)
    assert torch.equal(frames, stft(torch.from_numpy(signal[0])).abs())


def test_block_reader_resamples_like_the_whole_file(tmp_path):
    audio = np.stack([tone(300, 3.1, 44100), noise_burst(2, 3.1, 44100)])
    save_audio(tmp_path / "in.wav", audio, 44100)
    reader = BlockReader(tmp_path / "in.wav", 16000, block_seconds=0.37)
    streamed = np.concatenate(list(reader.blocks()), axis=-1)
    whole = load_audio(tmp_path / "in.wav", 16000)[0]
    assert streamed.shape == whole.shape == (2, reader.length)
    np.testing.assert_allclose(streamed, whole, atol=1e-6)


@pytest.fixture(params=["clip", "absolute"])
def small_windows(request, text_encoder):
    """The tiny model with short windows (3 s), so a 10 s file takes several windows."""
    config = Config.from_yaml(TINY_CONFIG, overrides=[f"model.features={request.param}"])
    torch.manual_seed(0)
    separator = Separator(SeparationModel(config, text_encoder=text_encoder))
    separator.window_seconds = 3.0
    return separator


@pytest.mark.parametrize(("rate", "channels"), [(16000, 1), (44100, 2), (22050, 3)])
def test_a_streamed_file_equals_the_in_memory_separation(small_windows, tmp_path, rate, channels):
    seconds = 10.0
    audio = np.stack(
        [
            tone(200 + 150 * c, seconds, rate) + noise_burst(c, seconds, rate, amplitude=0.1)
            for c in range(channels)
        ]
    )
    save_audio(tmp_path / "in.wav", audio, rate)
    out = small_windows.separate_file(tmp_path / "in.wav", "a tone", tmp_path / "out.wav")
    streamed, out_rate = load_audio(out)
    assert out_rate == rate and streamed.shape == audio.shape
    in_memory = small_windows.separate(audio, rate, "a tone")
    for channel in range(channels):
        assert sdr(in_memory[channel], streamed[channel]) > 30
    single = small_windows
    single.window_seconds = 11.0  # one window: a single pass over the file
    one_pass = single.separate(audio, rate, "a tone")
    assert sdr(one_pass[0], streamed[0]) > 30


def test_files_are_read_and_written_in_short_pieces(small_windows, tmp_path, monkeypatch):
    """soxr's streams keep buffers as large as the largest piece they were given: files are
    read and written in pieces of at most IO_BLOCK_SECONDS (issue 15), all of it in order."""
    from querysep import separator as separator_module
    from querysep.audio.io import BlockWriter

    monkeypatch.setattr(separator_module, "IO_BLOCK_SECONDS", 0.5)
    pieces, read = [], []
    original_write, original_blocks = BlockWriter.write, BlockReader.blocks

    def recording(self, block, **kwargs):
        pieces.append(block.shape[-1])
        original_write(self, block, **kwargs)

    def reading(self, **kwargs):
        for block in original_blocks(self, **kwargs):
            read.append(block.shape[-1])
            yield block

    monkeypatch.setattr(BlockWriter, "write", recording)
    monkeypatch.setattr(BlockReader, "blocks", reading)
    audio = tone(300, 10.0, 44100)
    save_audio(tmp_path / "in.wav", audio, 44100)
    out = small_windows.separate_file(tmp_path / "in.wav", "a tone", tmp_path / "out.wav")
    assert max(pieces) <= 8000  # 0.5 s at the model's 16 kHz
    assert len(read) >= 20 and max(read) < 9000  # 0.5 s of 44.1 kHz resampled, soxr's delay
    assert sum(pieces) == BlockReader(tmp_path / "in.wav", 16000).length
    assert load_audio(out)[0].shape == (1, audio.shape[-1])


def test_an_interrupted_file_leaves_no_output(small_windows, tmp_path, monkeypatch):
    save_audio(tmp_path / "in.wav", tone(300, 8.0), 16000)
    calls = []
    original = small_windows.separate_window

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return original(*args, **kwargs)

    monkeypatch.setattr(small_windows, "separate_window", failing)
    with pytest.raises(KeyboardInterrupt):
        small_windows.separate_file(tmp_path / "in.wav", "a tone", tmp_path / "out.wav")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.wav"]


def test_non_finite_audio_in_a_late_block_is_a_clear_error(small_windows, tmp_path):
    from querysep.audio.io import AudioError

    audio = tone(300, 12.0)
    audio[-100] = np.nan
    sf.write(tmp_path / "bad.wav", audio, 16000, subtype="FLOAT")
    with pytest.raises(AudioError, match="bad.wav: audio contains NaN"):
        small_windows.separate_file(tmp_path / "bad.wav", "a tone", tmp_path / "out.wav")
    assert not (tmp_path / "out.wav").exists()


def test_heap_is_trimmed_only_when_a_window_leaves_it_grown(monkeypatch):
    """The first window's resident size is the reference; trimming every window would make
    each next window fault its pages in again."""
    import querysep.separator as separator_module

    sizes = iter([500.0, 520.0, 563.0, 565.0, 530.0, 700.0])
    trims = []
    monkeypatch.setattr(separator_module, "resident_mib", lambda: next(sizes))
    monkeypatch.setattr(separator_module, "release_freed_memory", lambda: trims.append(1))
    trimmer = separator_module.HeapTrimmer(growth_mib=64.0)
    for _ in range(6):
        trimmer.after_window()
    assert trimmer.reference_mib == 500.0
    assert trimmer.num_trims == len(trims) == 2  # 565 and 700 are more than 64 above 500


def test_resident_size_is_read():
    from querysep.separator import resident_mib

    before = resident_mib()
    block = np.ones(64 * 2**20 // 8)  # 64 MiB, touched
    assert resident_mib() > before + 48
    del block


def test_a_file_shorter_than_one_model_sample_is_a_clear_error(tmp_path):
    sf.write(tmp_path / "one.wav", np.zeros(1, dtype=np.float32), 48000)
    with pytest.raises(AudioError, match="too short"):
        BlockReader(tmp_path / "one.wav", 16000)


def test_level_meter_and_the_quiet_result_note():
    from querysep.separator import LevelMeter, level_gap_db, quiet_result_note

    signal = tone(440, 1.0)
    meter = LevelMeter()
    for piece in np.array_split(signal, 7):
        assert meter.add(piece) is piece
    power = np.mean(np.square(signal, dtype=np.float64))
    assert meter.db == pytest.approx(10 * np.log10(power), abs=1e-4)  # float32 sums
    assert level_gap_db(0.1 * signal, signal) == pytest.approx(-20.0, abs=1e-6)
    assert quiet_result_note(-19.0, "a dog") is None
    note = quiet_result_note(level_gap_db(0.01 * signal, signal), "a dog")
    assert note.startswith("the result is 40 dB quieter than the input") and "'a dog'" in note
    assert "the audio query" in quiet_result_note(-300.0, None)
    assert quiet_result_note(None, "a dog") is None


def test_separate_file_measures_its_result_against_its_input(small_windows, tmp_path):
    """The streamed level gap equals the gap of the in-memory separation (model rate)."""
    from querysep.separator import level_gap_db

    audio = tone(300, 7.0) + noise_burst(0, 7.0, amplitude=0.2)
    save_audio(tmp_path / "in.wav", audio, 16000)
    small_windows.separate_file(tmp_path / "in.wav", "a tone", tmp_path / "out.wav")
    in_memory = small_windows.separate(audio, 16000, "a tone")
    expected = level_gap_db(in_memory, audio)
    assert small_windows.last_level_gap_db == pytest.approx(expected, abs=0.05)
