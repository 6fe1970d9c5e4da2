"""The desktop rule table labels real package paths as intended."""

from __future__ import annotations

import re

import pytest

from querysep.data.corpus.rules import desktop
from tests.data.rules.checks import check_captions, check_tables, check_voices, label_of

_RCC = "usr/share/gcompris-qt/rcc/"
_LMMS = "usr/share/lmms/samples/"
_FREEDESKTOP = "usr/share/sounds/freedesktop/stereo/"

CASES = [
    ("khangman", "usr/share/khangman/qml/sounds/chalk.wav", "scrape"),
    ("khangman", "usr/share/khangman/qml/sounds/chalk.ogg", None),
    ("khangman", "usr/share/khangman/qml/sounds/splash.wav", None),
    ("kolf", "usr/share/kolf/sounds/holeinone.wav", "applause"),
    ("kolf", "usr/share/kolf/sounds/puddle.wav", "splash"),
    ("kolf", "usr/share/kolf/sounds/woohoo.wav", None),
    ("klettres-data", "usr/share/klettres/fr/alpha/a.ogg", "speech"),
    ("klettres-data", "usr/share/klettres/pt_BR/syllab/ba.ogg", "speech"),
    ("klettres-data", "usr/share/klettres/en/sounds.xml", None),
    (
        "gcompris-qt-data",
        _RCC + "explore_farm_animals.rcc:gcompris/src/activities/explore_farm_animals/"
        "resource/animals/owl.ogg",
        "bird",
    ),
    (
        "gcompris-qt-data",
        _RCC + "explore_world_music.rcc:gcompris/src/activities/explore_world_music/"
        "resource/music/beethoven.ogg",
        "music",
    ),
    (
        "gcompris-qt-data",
        _RCC + "instruments.rcc:gcompris/src/activities/instruments/resource/electric_guitar.ogg",
        "guitar",
    ),
    (
        "gcompris-qt-data",
        _RCC + "instruments.rcc:gcompris/src/activities/instruments/resource/timpani.ogg",
        "drums",
    ),
    (
        "gcompris-qt-data",
        _RCC + "instruments.rcc:gcompris/src/activities/instruments/resource/trombone.ogg",
        None,
    ),
    (
        "gcompris-qt-data",
        _RCC + "memory-sound.rcc:gcompris/src/activities/memory-sound/resource/"
        "LRFrogsInPondDuringStormLACut.ogg",
        "frog",
    ),
    (
        "gcompris-qt-data",
        _RCC + "memory-sound.rcc:gcompris/src/activities/memory-sound/resource/LRWeird_3_LA.ogg",
        None,
    ),
    (
        "gcompris-qt-data",
        _RCC + "morse_code.rcc:gcompris/src/activities/morse_code/resource/dash.wav",
        "morse_code",
    ),
    (
        "gcompris-qt-data",
        _RCC + "morse_code.rcc:gcompris/src/activities/morse_code/resource/silence.wav",
        None,
    ),
    ("gcompris-qt-data", _RCC + "core.rcc:gcompris/src/core/resource/intro.ogg", "music"),
    ("gcompris-qt-data", _RCC + "core.rcc:gcompris/src/core/resource/sounds/win.wav", None),
    ("lmms-common", _LMMS + "drums/snare_hiphop01.ogg", "drums"),
    ("lmms-common", _LMMS + "drums/hihat_closed03.ogg", "drums"),
    ("lmms-common", _LMMS + "beats/jungle01.ogg", "drums"),
    ("lmms-common", _LMMS + "drums/zap02.ogg", None),
    ("lmms-common", _LMMS + "instruments/church_organ02.ogg", "organ"),
    ("lmms-common", _LMMS + "instruments/steel_guitar01.ogg", "guitar"),
    ("lmms-common", _LMMS + "instruments/steel_guitar_heavy_distorted01.ogg", None),
    ("lmms-common", _LMMS + "misc/raving_crowd01.ogg", "crowd"),
    ("lmms-common", _LMMS + "waveforms/fmsaw1.flac", None),
    ("sound-theme-freedesktop", _FREEDESKTOP + "alarm-clock-elapsed.oga", "alarm_clock"),
    ("sound-theme-freedesktop", _FREEDESKTOP + "audio-channel-rear-left.oga", "speech"),
    ("sound-theme-freedesktop", _FREEDESKTOP + "phone-incoming-call.oga", "telephone"),
    ("sound-theme-freedesktop", _FREEDESKTOP + "power-plug.oga", None),
    ("oxygen-sounds", "usr/share/sounds/Oxygen-Im-Phone-Ring.ogg", "ringtone"),
    ("oxygen-sounds", "usr/share/sounds/Oxygen-Sys-Log-In-Long.ogg", "music"),
    ("oxygen-sounds", "usr/share/sounds/Oxygen-Im-New-Mail.ogg", "notification"),
    ("oxygen-sounds", "usr/share/sounds/Oxygen-Sys-Log-Out.ogg", None),
    ("oxygen-sounds", "usr/share/sounds/Oxygen-Window-Close.ogg", None),
    ("yaru-theme-sound", "usr/share/sounds/Yaru/stereo/message-new-email.oga", "notification"),
    ("yaru-theme-sound", "usr/share/sounds/Yaru/stereo/complete.oga", "notification"),
    ("yaru-theme-sound", "usr/share/sounds/Yaru/stereo/trash-empty.oga", None),
    ("deepin-sound-theme", "usr/share/sounds/deepin/stereo/camera-shutter.wav", "camera_shutter"),
    ("deepin-sound-theme", "usr/share/sounds/deepin/stereo/desktop-login.wav", "music"),
    ("deepin-sound-theme", "usr/share/sounds/deepin/stereo/system-shutdown.wav", None),
]


def rule_of(rules, path):
    return next((r for r in rules if re.search(r.pattern, path.lower())), None)


@pytest.mark.parametrize(("package", "path", "expected"), CASES)
def test_paths_get_the_expected_label(package, path, expected):
    assert label_of(package, path) == expected


def test_tables_and_captions():
    check_tables(desktop, CASES)
    check_captions(desktop)


def test_voices_name_their_speaker():
    klettres = desktop.RULES["klettres-data"]
    fr = rule_of(klettres, "usr/share/klettres/fr/alpha/a.ogg")
    speaker = re.search(fr.speaker, "usr/share/klettres/pt_br/syllab/ba.ogg")
    assert speaker.group("speaker") == "pt_br"
    check_voices(desktop, {"speech", "breathing", "crowd"})
