"""Rule table games_a: realistic package paths get the expected label, or none."""

from __future__ import annotations

import pytest

from querysep.data.corpus.rules import games_a
from tests.data.rules.checks import check_captions, check_tables, check_voices, label_of

STK = "usr/share/games/supertuxkart/data/"
RE = "usr/share/games/redeclipse/data/sounds/"
OA = "usr/share/games/openarena/baseoa/pak0.pk3:sound/"
OA_MP = "usr/share/games/openarena/missionpack/mp-pak0.pk3:sound/"
FD = "usr/share/freedroidrpg/data/sound/"
WL = "usr/share/games/widelands/data/"
MT = "usr/share/games/minetest/games/minetest_game/mods/"
FG = "usr/share/games/flightgear/"
NX = "usr/share/games/nexuiz/data/data.pk3:sound/"
VOICES = {"speech", "scream", "laughter", "grunt", "breathing", "snoring"}

CASES = [
    ("supertuxkart-data", STK + "music/Penguin_Party.ogg", "music"),
    ("supertuxkart-data", STK + "sfx/static-radio.ogg", "radio_static"),
    ("supertuxkart-data", STK + "karts/sara_the_racer/skid.ogg", "tire_squeal"),
    ("supertuxkart-data", STK + "sfx/grab_collectable.ogg", None),
    ("redeclipse-data", RE + "ambience/cavedrip.ogg", "water_drip"),
    ("redeclipse-data", RE + "player/concstep3.ogg", "footsteps"),
    ("redeclipse-data", RE + "voice/niceshot2.ogg", "speech"),
    ("redeclipse-data", RE + "voice/pzap.ogg", None),
    ("redeclipse-data", RE + "weapons/zapper/primary2.ogg", None),
    ("openarena-data", OA + "player/footsteps/clank2.wav", "footsteps"),
    ("openarena-data", OA + "weapons/machinegun/ric1.wav", "ricochet"),
    ("openarena-data", OA_MP + "voices/rott/followme.ogg", "speech"),
    ("openarena-data", OA_MP + "voices/festivoxmale/bzzz.ogg", None),
    ("openarena-data", OA + "misc/menu1.wav", None),
    ("freedroidrpg-data", FD + "music/temple.ogg", "music"),
    ("freedroidrpg-data", FD + "effects/tux_ingame_comments/CantRepairThat.ogg", "speech"),
    ("freedroidrpg-data", FD + "effects/Glass_Break.ogg", "glass_breaking"),
    ("freedroidrpg-data", FD + "effects/bot_sounds/voice_samples/12.ogg", None),
    ("widelands-data", WL + "sound/animals/frog.ogg", "frog"),
    ("widelands-data", WL + "sound/farm/donkey.ogg", "donkey"),
    ("widelands-data", WL + "sound/atlanteans/saw/benchsaw_01.ogg", "sawing"),
    ("widelands-data", WL + "sound/animals/moose_00.ogg", None),
    ("minetest-data", MT + "default/sounds/default_snow_footstep.4.ogg", "footsteps"),
    ("minetest-data", MT + "default/sounds/default_dig_cracky.2.ogg", "pickaxe"),
    ("minetest-data", MT + "doors/sounds/doors_steel_door_close.ogg", "door"),
    ("minetest-data", MT + "doors/sounds/doors_fencegate_open.ogg", None),
    ("pingus-data", "usr/share/games/pingus/data/sounds/splash.wav", "splash"),
    ("pingus-data", "usr/share/games/pingus/data/sounds/ohno.wav", None),
    ("pingus-data", "usr/share/games/pingus/data/sounds/tick.wav", None),
    ("frozen-bubble-data", "usr/share/games/frozen-bubble/snd/introzik.ogg", "music"),
    ("frozen-bubble-data", "usr/share/games/frozen-bubble/snd/snore.ogg", "snoring"),
    ("frozen-bubble-data", "usr/share/games/frozen-bubble/snd/typewriter.ogg", "typewriter"),
    ("frozen-bubble-data", "usr/share/games/frozen-bubble/snd/menu_change.ogg", None),
    ("extremetuxracer-data", "usr/share/games/etr/music/freezingpoint.ogg", "music"),
    ("extremetuxracer-data", "usr/share/games/etr/sounds/snow_slide.wav", "sliding"),
    ("extremetuxracer-data", "usr/share/games/etr/sounds/pickup2.wav", None),
    ("supertux-data", "usr/share/games/supertux2/music/forest/forest2.ogg", "music"),
    ("supertux-data", "usr/share/games/supertux2/sounds/phone.wav", "telephone"),
    ("supertux-data", "usr/share/games/supertux2/sounds/yeti_roar.wav", "monster"),
    ("supertux-data", "usr/share/games/supertux2/speech/tux_hello.ogg", None),
    ("colobot-common-sounds", "usr/share/games/colobot/music/Proton.ogg", "music"),
    ("colobot-common-sounds", "usr/share/games/colobot/sounds/sound076.wav", "thunder"),
    ("colobot-common-sounds", "usr/share/games/colobot/sounds/sound026.wav", "breathing"),
    ("colobot-common-sounds", "usr/share/games/colobot/sounds/sound000.wav", None),
    ("torcs-data", "usr/share/games/torcs/data/sound/lamborghinidiablo.wav", "engine"),
    ("torcs-data", "usr/share/games/torcs/data/sound/crash4.wav", "car_crash"),
    ("torcs-data", "usr/share/games/torcs/data/sound/skid_tyres.wav", "tire_squeal"),
    ("torcs-data", "usr/share/games/torcs/data/sound/gear_change1.wav", None),
    ("flightgear-data-base", FG + "Sounds/tcas/female/climb_now.wav", "speech"),
    ("flightgear-data-base", FG + "Sounds/rotor-2blade.wav", "helicopter"),
    ("flightgear-data-base", FG + "Aircraft/c172p/Sounds/double-click2.wav", "switch"),
    ("flightgear-data-base", FG + "Sounds/coughing.wav", None),
    ("lincity-ng-data", "usr/share/games/lincity-ng/sounds/RailTrain2.wav", "train"),
    ("lincity-ng-data", "usr/share/games/lincity-ng/sounds/SportsCroud3.wav", "crowd"),
    ("lincity-ng-data", "usr/share/games/lincity-ng/sounds/Blacksmith1.wav", "hammering"),
    ("lincity-ng-data", "usr/share/games/lincity-ng/sounds/School2.wav", None),
    ("nexuiz-data", NX + "player/marine/player/pain50.ogg", "scream"),
    ("nexuiz-data", NX + "player/fricka/coms/coverme.ogg", "speech"),
    ("nexuiz-data", NX + "misc/metalfootstep03.wav", "footsteps"),
    ("nexuiz-data", NX + "player/reptilian/coms/attack.ogg", None),
    ("nexuiz-data", NX + "announcer/robotic/leadlost.ogg", None),
    ("nexuiz-data", NX + "weapons/tuba_note12.ogg", None),
]


@pytest.mark.parametrize(("package", "path", "label"), CASES)
def test_rules_label_paths(package, path, label):
    assert label_of(package, path) == label


def test_tables_captions_and_voices():
    check_tables(games_a, CASES)
    check_captions(games_a)
    check_voices(games_a, VOICES)
