import json

import pytest

from querysep.audio.io import save_audio
from querysep.data.captions import CaptionError, load_captions, load_clotho, load_manifest
from tests.conftest import tone


def test_clotho_loader_reads_captions_and_classes(clotho_folder):
    csv_path, audio_dir = clotho_folder
    clips = load_clotho(csv_path, audio_dir)
    assert len(clips) == 6
    assert all(len(clip.captions) == 5 and clip.path.is_file() for clip in clips)
    assert clips[0].label == "tone" and clips[3].label == "noise"
    assert load_captions(csv_path, audio_dir) == clips


def test_clotho_missing_file_names_the_line(clotho_folder, tmp_path):
    csv_path, audio_dir = clotho_folder
    lines = csv_path.read_text().splitlines()
    lines.insert(3, "ghost.wav,a ghost,,,,,")
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines))
    with pytest.raises(CaptionError, match=r"bad.csv:4: .*ghost.wav"):
        load_clotho(bad, audio_dir)


def test_manifest_csv_and_jsonl_merge_captions(tmp_path):
    save_audio(tmp_path / "a.wav", tone(300, 0.5), 16000)
    save_audio(tmp_path / "b.wav", tone(600, 0.5), 16000)
    (tmp_path / "m.csv").write_text("path,caption\na.wav,a low hum\nb.wav,a beep\na.wav,humming\n")
    clips = load_manifest(tmp_path / "m.csv")
    assert {c.path.name: c.captions for c in clips} == {
        "a.wav": ("a low hum", "humming"),
        "b.wav": ("a beep",),
    }
    rows = [
        {"path": "a.wav", "caption": "a low hum"},
        {"path": str(tmp_path / "b.wav"), "caption": "beep"},
    ]
    (tmp_path / "m.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    assert len(load_captions(tmp_path / "m.jsonl")) == 2


@pytest.mark.parametrize(
    "text, match",
    [
        ("path,caption\na.wav,\n", r"m.csv:2: .*non-empty"),
        ("path,text\na.wav,hum\n", "path,caption"),
        ("path,caption\nmissing.wav,hum\n", r"m.csv:2: .*not found"),
    ],
)
def test_bad_manifest_rows_give_clear_errors(tmp_path, text, match):
    save_audio(tmp_path / "a.wav", tone(300, 0.5), 16000)
    (tmp_path / "m.csv").write_text(text)
    with pytest.raises(CaptionError, match=match):
        load_manifest(tmp_path / "m.csv")


def test_bad_jsonl_line(tmp_path):
    (tmp_path / "m.jsonl").write_text('{"path": "a.wav", "caption": "x"}\n{oops\n')
    with pytest.raises(CaptionError, match=r"m.jsonl:2: not valid JSON"):
        load_manifest(tmp_path / "m.jsonl")
