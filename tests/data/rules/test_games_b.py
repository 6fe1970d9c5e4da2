"""Rule table games_b: realistic package paths get the expected label, or none."""

from __future__ import annotations

import re

import pytest

from querysep.data.corpus.rules import games_b
from tests.data.rules.checks import check_captions, check_tables, check_voices, label_of

MG = "usr/share/games/megaglest/"
MGC = MG + "techs/megapack/commondata/sounds/"
MGF = MG + "techs/megapack/factions/"
BOS = "usr/share/games/boswars/"
CUBE = "usr/share/games/cube2/packages/"
BLOB = "usr/share/games/blobwars/"
BT = "usr/share/games/btanks/data/"
EN = "usr/share/games/enigma/"
BER = "usr/share/games/berusky2/"
WMX = "usr/share/games/warmux/"
TR = "usr/share/games/trigger-rally/data.zip:sounds/"
VOICES = {"speech", "scream", "laughter", "grunt", "singing", "crying", "cough"}

CASES = [
    ("megaglest-data", MGF + "norsemen/music/manolo_camp-medieval.ogg", "music"),
    ("megaglest-data", MG + "tilesets/forest/sounds/wolf.wav", "wolf"),
    ("megaglest-data", MG + "tilesets/autumn/sounds/nightime.ogg", "insects"),
    ("megaglest-data", MG + "tilesets/desert2/sounds/day.ogg", None),
    ("megaglest-data", MGC + "technician_ack12.wav", "speech"),
    ("megaglest-data", MGC + "swordman_die2.wav", "scream"),
    ("megaglest-data", MGC + "golem_select3.wav", None),
    ("megaglest-data", MGC + "daemon_ack1.wav", None),
    ("megaglest-data", MGF + "norsemen/units/battleaxe_berserk/sounds/daemon_ack1.wav", "speech"),
    ("megaglest-data", MGF + "indian/units/horseman/sounds/horseman_die1.wav", None),
    ("megaglest-data", MGF + "magic/units/ghost_armor/sounds/ghost_armor_ack1.wav", None),
    ("megaglest-data", MGF + "persian/units/snake_basket/sounds/snake_attack2.wav", "snake"),
    ("megaglest-data", MGF + "indian/units/bull/sounds/bull_ack1.wav", "cow"),
    ("megaglest-data", MGC + "worker_mine3.wav", "pickaxe"),
    ("freeciv-data", "usr/share/games/freeciv/stdsounds/LrgCan.ogg", "cannon"),
    ("freeciv-data", "usr/share/games/freeciv/stdsounds/woodbrk.ogg", "wood_breaking"),
    ("freeciv-data", "usr/share/games/freeciv/stdsounds/illegal.ogg", None),
    ("boswars-data", BOS + "units/tank/tank.underattack.wav", "speech"),
    ("boswars-data", BOS + "campaigns/tutorial/level01-03.wav", "speech"),
    ("boswars-data", BOS + "units/destroyer/destroyer.ready.wav", None),
    ("boswars-data", BOS + "units/grenadier/grenadier_select.wav", None),
    ("boswars-data", BOS + "units/vault/sfx_fort.die.wav", "explosion"),
    ("cube2-data", CUBE + "sounds/audioaugust/chainsaw/idle.ogg", "chainsaw"),
    ("cube2-data", CUBE + "sounds/aard/pain3.wav", "scream"),
    ("cube2-data", CUBE + "sounds/q009/shotgun2.ogg", "gunshot"),
    ("cube2-data", CUBE + "sounds/q009/teleport.ogg", None),
    ("blobwars-data", BLOB + "music/grasslands", "music"),
    ("blobwars-data", BLOB + "sound/cheer", "crowd"),
    ("blobwars-data", BLOB + "sound/machinegun", "gunshot"),
    ("blobwars-data", BLOB + "sound/galdovPain", None),
    ("btanks-data", BT + "tunes/karbofos.ogg", "music"),
    ("btanks-data", BT + "tunes/boss-1.ogg", None),
    ("btanks-data", BT + "sounds/building-explosion2.ogg", "explosion"),
    ("btanks-data", BT + "sounds/laugh02.ogg", "laughter"),
    ("btanks-data", BT + "sounds/dirt-bullet-explosion.ogg", None),
    ("enigma-data", EN + "music/menu/enigma_rag.ogg", "music"),
    ("enigma-data", EN + "soundsets/enigma/shatter.wav", "glass_breaking"),
    ("enigma-data", EN + "soundsets/enigma/menuswitch.wav", None),
    ("berusky2-data", BER + "sound/sound/Krysa2.wav", "mouse"),
    ("berusky2-data", BER + "sound/sound/Hrom1.wav", "thunder"),
    ("berusky2-data", BER + "sound/sound/stepsgrass.wav", "footsteps"),
    ("berusky2-data", BER + "sound/sound/Tlacitko3.wav", None),
    ("berusky2-data", BER + "sound/sound/silence.wav", None),
    ("alienblaster-data", "usr/share/games/alienblaster/sound/alarm.wav", "alarm"),
    ("alienblaster-data", "usr/share/games/alienblaster/sound/playon.wav", "music"),
    ("alienblaster-data", "usr/share/games/alienblaster/sound/shotPrimary.wav", None),
    ("7kaa-data", "usr/share/games/7kaa/SOUND/QUAKE.WAV", "earthquake"),
    ("7kaa-data", "usr/share/games/7kaa/SOUND/RAIN.WAV", "rain"),
    ("7kaa-data", "usr/share/games/7kaa/SPRITE/LIGHTNING.WAV", None),
    ("openclonk-data", "usr/share/games/openclonk/Music.ocg/Cavern.ogg", "music"),
    ("openclonk-data", "usr/share/games/openclonk/Music.ocg/UrbanBolero.ogg", "music"),
    ("openclonk-data", "usr/share/games/openclonk/Sound.ocg:Hits/Materials/Wood1.ogg", None),
    ("xmoto-data", "usr/share/games/xmoto/Textures/Musics/foxrun.ogg", "music"),
    ("xmoto-data", "usr/share/games/xmoto/Textures/Musics/menu.ogg", "music"),
    ("xmoto-data", "usr/share/games/xmoto/Textures/Sounds/EndOfLevel.ogg", None),
    ("warmux-data", WMX + "music/ingame/woodlux.ogg", "music"),
    ("warmux-data", WMX + "sound/default/weapons/ricoche2.ogg", "ricochet"),
    ("warmux-data", WMX + "sound/default/voices/injured_high2.ogg", None),
    ("warmux-data", WMX + "sound/default/misc/frog_music.ogg", None),
    ("trigger-rally-data", TR + "codriver/paula/hairpin.wav", "speech"),
    ("trigger-rally-data", TR + "codriver/ab/LeftLongDontCut.wav", "speech"),
    ("trigger-rally-data", TR + "engine.wav", "engine"),
    ("trigger-rally-data", TR + "gear.wav", None),
]


@pytest.mark.parametrize(("package", "path", "label"), CASES)
def test_rules_label_paths(package, path, label):
    assert label_of(package, path) == label


def test_tables_captions_and_voices():
    check_tables(games_b, CASES)
    check_captions(games_b)
    check_voices(games_b, VOICES)


def test_speakers_of_merged_voices():
    """Berserk copies share their unit's voice; each co-driver is one speaker."""

    def speaker(package, path):
        rule = next(r for r in games_b.RULES[package] if re.search(r.pattern, path.lower()))
        match = re.search(rule.speaker, path.lower())
        return f"{package}:{match.groupdict().get('speaker') or match.group(0)}"

    plain = MGF + "norsemen/units/swordman/sounds/swordman_ack1.wav"
    berserk = MGF + "norsemen/units/swordman_berserk/sounds/swordman_ack1.wav"
    assert speaker("megaglest-data", plain) == speaker("megaglest-data", berserk)
    assert speaker("megaglest-data", plain) == "megaglest-data:norsemen/units/swordman"
    assert speaker("megaglest-data", MGC + "axe_thrower_select2.wav").endswith(":axe_thrower")
    assert speaker("trigger-rally-data", TR + "codriver/tim/left.wav") == "trigger-rally-data:tim"
