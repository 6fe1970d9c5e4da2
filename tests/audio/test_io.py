import numpy as np
import pytest
import soundfile as sf

from querysep.audio.io import AudioError, load_audio, resample, save_audio
from tests.conftest import tone


@pytest.mark.parametrize("suffix", [".wav", ".flac", ".ogg", ".mp3"])
def test_formats_round_trip(tmp_path, suffix):
    stereo = np.stack([tone(440, 1.0), tone(660, 1.0, amplitude=0.3)])
    path = tmp_path / f"clip{suffix}"
    if suffix in {".ogg", ".mp3"}:  # lossy formats: written by soundfile directly
        sf.write(path, stereo.T, 16000)
    else:
        save_audio(path, stereo, 16000)
    waveform, sample_rate = load_audio(path)
    assert sample_rate == 16000 and waveform.dtype == np.float32 and waveform.shape[0] == 2
    if suffix in {".wav", ".flac"}:
        assert waveform.shape == stereo.shape
        assert np.max(np.abs(waveform - stereo)) < 1e-4
    else:  # lossy: length within codec padding, and the tone's frequency survives
        assert abs(waveform.shape[-1] - stereo.shape[-1]) < 2000
        spectrum = np.abs(np.fft.rfft(waveform[0]))
        assert abs(np.argmax(spectrum) * 16000 / waveform.shape[-1] - 440) < 5


def test_resample_keeps_frequency_and_mono_downmix(tmp_path):
    path = tmp_path / "clip.wav"
    save_audio(path, np.stack([tone(1000, 2.0, 44100), tone(1000, 2.0, 44100)]), 44100)
    waveform, sample_rate = load_audio(path, sample_rate=16000, mono=True)
    assert sample_rate == 16000 and waveform.shape == (1, 32000)
    spectrum = np.abs(np.fft.rfft(waveform[0]))
    assert abs(np.argmax(spectrum) * 16000 / 32000 - 1000) <= 1
    assert np.allclose(resample(waveform, 16000, 16000), waveform)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: p.write_text("this is not audio"), "cannot read"),
        (lambda p: sf.write(p, np.zeros((0, 1), np.float32), 16000), "empty"),
        (
            lambda p: sf.write(p, np.full((100, 1), np.nan, np.float32), 16000, subtype="FLOAT"),
            "NaN",
        ),
    ],
)
def test_bad_input_raises_audio_error_with_name(tmp_path, make, message):
    path = tmp_path / "bad_input.wav"
    make(path)
    with pytest.raises(AudioError, match=message) as info:
        load_audio(path)
    assert "bad_input.wav" in str(info.value)


def test_missing_file_and_bytes_input(tmp_path):
    with pytest.raises(AudioError, match="nowhere.wav"):
        load_audio(tmp_path / "nowhere.wav")
    path = save_audio(tmp_path / "a.wav", tone(300, 0.5), 16000)
    waveform, _ = load_audio(path.read_bytes())
    assert waveform.shape == (1, 8000)


def test_save_is_atomic_and_leaves_no_temp_files(tmp_path):
    save_audio(tmp_path / "out.flac", tone(300, 0.5), 16000)
    assert [p.name for p in tmp_path.iterdir()] == ["out.flac"]
    assert (tmp_path / "out.flac").stat().st_mode & 0o777 == 0o644  # readable, not 0600
    with pytest.raises(AudioError):
        save_audio(tmp_path / "empty.wav", np.zeros(0, np.float32), 16000)
    assert not (tmp_path / "empty.wav").exists()
