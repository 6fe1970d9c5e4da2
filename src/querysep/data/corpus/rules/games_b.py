"""Game packages, group B: strategy, action and puzzle games with recorded sounds and music.

Labels come from file names checked against each file's duration and a rough look at its signal
(voicing, pitch, spectral centroid): unit voices of MegaGlest ("my family, some friends and
neighbours", says its copyright file) and the Bos Wars announcer are speech; processed monster
and spirit voices, interface blips and fantasy weapons are left out. Berusky 2 names its sounds
in Czech (ptak = bird, krysa = rat, hrom = thunder, parnik = steamboat, ...). OpenClonk's sound
effects sit in its own packed group format (``Sound.ocg``), which the builder cannot read: only
its music is covered.
"""

from __future__ import annotations

from querysep.data.corpus.rules.base import (
    BEEP_GAP_SECONDS,
    CLICK_GAP_SECONDS,
    HIT_GAP_SECONDS,
    STEP_GAP_SECONDS,
    SWING_GAP_SECONDS,
    Package,
    Rule,
    phrases,
)

PACKAGES = {
    "megaglest-data": Package(("megaglest-data",), "https://megaglest.org", "CC-BY-SA-3.0"),
    "freeciv-data": Package(("freeciv-data",), "https://www.freeciv.org", "GPL-2+"),
    "boswars-data": Package(("boswars-data",), "https://www.boswars.org", "GPL-2+"),
    "cube2-data": Package(
        ("cube2-data",),
        "https://gitlab.com/cube2-data/cube2-data",
        "CC-BY-3.0; aard sounds public domain, chainsaw CC-BY-SA-4.0 (see copyright file)",
    ),
    "blobwars-data": Package(
        ("blobwars-data",),
        "https://github.com/perpendicular-dimensions/blobwars",
        "GPL-2+; music CC-BY-SA-3.0 or CC-BY-3.0, some sounds CC-BY(-SA)-3.0, LGPL-2.1, "
        "BSD-3-clause or public domain (see copyright file)",
    ),
    "btanks-data": Package(
        ("btanks-data",),
        "https://sourceforge.net/projects/btanks",
        "GPL-2 with the Battle Tanks exception (see copyright file)",
    ),
    "enigma-data": Package(("enigma-data",), "https://www.nongnu.org/enigma", "GPL-2"),
    "berusky2-data": Package(
        ("berusky2-data",), "https://sourceforge.net/projects/berusky2", "GPL-2+"
    ),
    "alienblaster-data": Package(
        ("alienblaster-data",), "http://www.schwardtnet.de/alienblaster", "GPL-2+"
    ),
    "7kaa-data": Package(("7kaa-data",), "https://7kfans.com", "GPL-2+"),
    "openclonk-data": Package(
        ("openclonk-data",),
        "https://www.openclonk.org",
        "ISC; some game content CC-BY-3.0 or CC0 (see copyright file)",
    ),
    "xmoto-data": Package(("xmoto-data",), "https://xmoto.tuxfamily.org", "GPL-2+"),
    "warmux-data": Package(("warmux-data",), "https://www.warmux.org", "GPL-2+"),
    "trigger-rally-data": Package(
        ("trigger-rally-data",),
        "https://trigger-rally.sourceforge.io",
        "GPL-2+; some sounds CC0 (see copyright file)",
    ),
}

CAPTIONS = {
    "music": phrases(
        "music plays; a piece of music; background music playing; an instrumental song; "
        "a melody is played by several instruments; upbeat music with a steady beat; "
        "game music playing in the background; an instrumental tune"
    ),
    "snake": phrases(
        "a snake hisses; the hiss of a snake; a snake is hissing angrily; "
        "hissing of a serpent; a loud hissing snake; a cobra hisses; a snake hisses nearby"
    ),
    "singing": phrases(
        "someone sings; a person singing; a man is singing a melody; singing voice; "
        "a voice sings a long chant; a solo singer; someone chants a song"
    ),
    "crash": phrases(
        "something crashes down; a building collapses; a loud crash of falling debris; "
        "a structure crumbles and crashes to the ground; things falling with a crash; "
        "the rumble and crash of a collapsing wall; a heavy crash"
    ),
    "monster": phrases(
        "a monster growls; a creature roars; the growl of a beast; a monster is snarling; "
        "a zombie groans; a scary creature growling; a beast roars loudly"
    ),
    "grunt": phrases(
        "a man grunts; a grunt of effort; someone grunts in pain; a short grunt; "
        "a person is grunting; a strained grunt; a man groans briefly"
    ),
    "chainsaw": phrases(
        "a chainsaw runs; a chainsaw revving; the buzz of a chainsaw; "
        "a chainsaw is cutting; a chainsaw idles and revs up; the whine of a chainsaw motor; "
        "someone uses a chainsaw"
    ),
    "rocket": phrases(
        "a rocket launches; a missile flies past; the whoosh of a rocket; "
        "a rocket is launched with a roar; a missile streaks through the air; "
        "a rocket launcher fires; the hiss of a flying missile"
    ),
    "water_drip": phrases(
        "water drips; dripping water; drops of water falling; water is dripping slowly; "
        "a drip of water in a cave; water drops plink; a leaking tap drips"
    ),
    "crowd": phrases(
        "a crowd cheers; people cheering; cheering and applause of a crowd; "
        "a crowd is shouting and cheering; many people cheer loudly; the roar of a crowd; "
        "spectators cheering"
    ),
    "metal_clang": phrases(
        "metal clangs; a metallic clang; a metal object is struck; the clank of metal; "
        "something metal hits the ground; a loud clang of iron; metal banging"
    ),
    "clock_tick": phrases(
        "a clock ticks; ticking of a clock; a clock is ticking steadily; tick tock of a clock; "
        "a ticking timer; the regular tick of a clock; a watch ticking"
    ),
    "punch": phrases(
        "a punch lands; someone punches; the thump of a punch; a fist hits someone; "
        "punches being thrown; a hard punch; someone is punching"
    ),
    "ricochet": phrases(
        "a bullet ricochets; the whine of a ricochet; bullets ricocheting; "
        "a ricochet whizzes off metal; a bullet bounces off with a ping; ricochets zing past; "
        "a ricocheting bullet"
    ),
    "rockfall": phrases(
        "rocks crumble; stone breaking apart; rubble falling; a rock shatters; "
        "stones are crumbling and falling; the crack of breaking stone; a small rockfall"
    ),
    "switch": phrases(
        "a switch clicks; flipping a switch; the click of a switch; a lever is pulled; "
        "someone flips a switch; a switch is clicked on and off; a mechanical click"
    ),
    "earthquake": phrases(
        "the ground rumbles; an earthquake rumbles; a deep rumble of the earth; "
        "the earth is shaking and rumbling; a low rumbling quake; rumbling underground; "
        "a tremor shakes the ground"
    ),
    "alarm": phrases(
        "an alarm sounds; an alarm is blaring; a klaxon wails; a warning alarm; "
        "an alarm signal repeats; a loud alarm goes off; an emergency alarm"
    ),
    "helicopter": phrases(
        "a helicopter flies; helicopter rotor blades; a helicopter is hovering; "
        "the whop whop of a helicopter; a helicopter flies overhead; "
        "the thumping rotor of a helicopter; a helicopter passes by"
    ),
    "train": phrases(
        "a train passes; a train running on tracks; the rumble of a passing train; "
        "a train is moving along the rails; clatter of train wheels; a train goes by; "
        "a locomotive rolls past"
    ),
    "cannon": phrases(
        "a cannon fires; cannon fire; the boom of a cannon; a cannon is fired; "
        "artillery firing; a loud cannon shot; heavy guns boom"
    ),
    "bubbles": phrases(
        "bubbles rise in water; bubbling water; bubbles gurgle; water is bubbling; "
        "air bubbles underwater; a stream of bubbles; bubbles popping in water"
    ),
    "mouse": phrases(
        "a mouse squeaks; a rat squeaking; squeaking of mice; a rodent squeaks; "
        "a rat is squeaking and scurrying; high squeaks of a mouse; a small rodent squeals"
    ),
    "chewing": phrases(
        "someone chews; chewing food; a person eating and chewing; munching sounds; "
        "someone is munching on food; chomping and chewing; crunchy chewing"
    ),
    "frog": phrases(
        "a frog croaks; frogs croaking; the croak of a frog; a frog is croaking near a pond; "
        "croaking of a toad; frogs croaking at night; a frog croaks repeatedly"
    ),
    "boat": phrases(
        "a boat sails; a ship's horn blows; a steamboat horn sounds; a boat on the water; "
        "the horn of a ship; a ship is sounding its horn; the deep horn of a steamboat"
    ),
    "sliding": phrases(
        "something slides; a crate is pushed across the floor; an object sliding; "
        "a heavy box slides along the ground; something is being dragged; "
        "the scrape of a sliding crate; an object is slid across a surface"
    ),
    "spring": phrases(
        "a spring boings; a boing sound; a bouncy spring; a spring bounces; "
        "the twang of a spring; a cartoon boing; something springs up with a boing"
    ),
    "thud": phrases(
        "a thud; something falls with a thud; a dull thud; a heavy object hits the ground; "
        "a soft thump; something thuds; a muffled impact"
    ),
    "wood_breaking": phrases(
        "wood breaks; wood cracking and splintering; a plank snaps; wood is breaking apart; "
        "the crack of breaking wood; splintering wood; a wooden board breaks"
    ),
}

HINTS = {
    "wolf": {r"tilesets/": phrases("a wolf howls; the howl of a wolf; a wolf howling at night")},
    "bird": {
        r"hawk": phrases("a hawk screeches; the cry of a bird of prey"),
        r"racek": phrases("a seagull cries; seagulls calling by the sea"),
        r"les\d|ambient/forest|sounds/day|sunny_day": phrases(
            "birds chirping in a forest; many birds singing outdoors"
        ),
    },
    "insects": {
        r"night": phrases("crickets chirping at night; insects chirping in the dark"),
        r"bee\d": phrases("bees buzzing; a swarm of bees buzzing"),
    },
    "engine": {r"sound/auto\d": phrases("a car drives past; a car passing by")},
    "boat": {r"parnik": phrases("a steamboat horn blows")},
    "pig": {r"wild_sow": phrases("a wild boar grunts and squeals")},
    "singing": {r"minaret": phrases("a muezzin sings the call to prayer")},
    "speech": {r"codriver": phrases("a rally co-driver reads out pace notes")},
}

_MG_COMMON_VOICES = "archer|axe_thrower|guard|horseman|swordman|technician|worker"
_MG_UNIT_VOICES = (
    "indian/units/(archer|fire_archer|horseman|shaman|spearman|stickfighter|worker)"
    "|magic/units/(battlemage|initiate|summoner)"
    "|norsemen/units/(battleaxe|cudgel_lady|flying_valkyrie|spearman|swordman|valkyrie)"
    "|persian/units/(fakir|flying_carpet|magician|princess|stickfighter|swordman)"
)
_MG_UNIT_SCREAMS = (  # horseman and flying-carpet deaths mix in a horse or a crash
    "indian/units/(archer|fire_archer|shaman|spearman|stickfighter)"
    "|magic/units/(battlemage|initiate|summoner)"
    "|norsemen/units/(battleaxe|cudgel_lady|spearman|swordman|valkyrie)"
    "|persian/units/(fakir|magician|princess|stickfighter|swordman)"
)
_MG_UNIT_SPEAKER = r"factions/(?P<speaker>[a-z]+/units/[a-z_]+?)(_berserk)?/"
_MG_FOREST = (
    "autumn|birch_forest|dark_forest|evergreen|fernland|forest|jungle|karningul|meadow"
    "|pine_peat|pine_rock|scrub_land|spring"
)

RULES: dict[str, tuple[Rule, ...]] = {
    "megaglest-data": (
        Rule(r"/music/", "music"),
        Rule(rf"tilesets/({_MG_FOREST})/sounds/(sunny_)?day\.", "bird"),
        Rule(rf"tilesets/({_MG_FOREST})/sounds/night(ime|time)?\.", "insects"),
        Rule(r"tilesets/[^/]+/sounds/(owl|hawk)\.", "bird"),
        Rule(r"tilesets/[^/]+/sounds/(chicken|rooster)\.", "chicken"),
        Rule(r"tilesets/[^/]+/sounds/mudchute_cow", "cow"),
        Rule(r"tilesets/[^/]+/sounds/rain\.", "rain"),
        Rule(r"tilesets/[^/]+/sounds/wind\.", "wind"),
        Rule(r"tilesets/[^/]+/sounds/wolf\.", "wolf"),
        Rule(r"core/water_sounds/water\d", "splash"),
        Rule(r"commondata/sounds/cow_", "cow"),
        Rule(r"/sounds/pig_", "pig"),  # commondata pigs and the norse wild sow
        Rule(r"commondata/sounds/anvil\d", "hammering", (0.4, 1.0)),
        Rule(r"commondata/sounds/arrow_hit\d", "arrow_impact", HIT_GAP_SECONDS),
        Rule(r"(commondata|indian/units/(fire_)?archer)/sounds/archer_attack", "bow"),
        Rule(r"commondata/sounds/horseman_walk", "galloping"),
        Rule(r"commondata/sounds/worker_harvest_wood", "wood_chopping", HIT_GAP_SECONDS),
        Rule(r"commondata/sounds/worker_mine", "pickaxe", HIT_GAP_SECONDS),
        Rule(r"commondata/sounds/tech_building_fall", "crash"),
        Rule(
            rf"commondata/sounds/({_MG_COMMON_VOICES})_(ack|select)\d",
            "speech",
            speaker=r"sounds/(?P<speaker>[a-z_]+?)_(ack|select)",
        ),
        Rule(
            r"commondata/sounds/(archer|axe_thrower|guard|swordman|technician|worker)_die\d",
            "scream",
            speaker=r"sounds/(?P<speaker>[a-z_]+?)_die",
        ),
        Rule(
            rf"({_MG_UNIT_VOICES})(_berserk)?/sounds/([a-z_]+_)?(ack|select|sel)\d",
            "speech",
            speaker=_MG_UNIT_SPEAKER,
        ),
        Rule(
            rf"({_MG_UNIT_SCREAMS})(_berserk)?/sounds/([a-z_]+_)?die\d",
            "scream",
            speaker=_MG_UNIT_SPEAKER,
        ),
        Rule(r"egypt/units/chicken/sounds/chicken_(ack|die|select)", "chicken"),
        Rule(r"indian/units/bull/sounds/bull_(ack|die|select)", "cow"),
        Rule(r"indian/units/beehive/sounds/bee\d", "insects"),
        Rule(r"persian/units/sheep/sounds/sheep", "sheep"),
        Rule(r"persian/units/elephant/sounds/ele\d", "elephant"),
        Rule(r"persian/units/snake_basket/sounds/snake_attack", "snake"),
        Rule(r"persian/units/minaret/sounds/minarett\d", "singing", speaker=r"minaret"),
        Rule(r"wicker_behemoth/sounds/wicker_fire", "fire"),
    ),
    "freeciv-data": (
        Rule(r"stdmusic/", "music"),
        Rule(r"stdsounds/(lrgcan|medcan|mortar)\.", "cannon"),
        Rule(r"stdsounds/(lrgexpl|smlexpl)\.", "explosion"),
        Rule(r"stdsounds/(mgbar\d|mgheavy)\.", "gunshot"),
        Rule(r"stdsounds/(splash|inh2o)\.", "splash"),
        Rule(r"stdsounds/thover\.", "aircraft"),
        Rule(r"stdsounds/tread\.", "engine"),
        Rule(r"stdsounds/foot\d", "footsteps", STEP_GAP_SECONDS),
        Rule(r"stdsounds/woodbrk\.", "wood_breaking"),
    ),
    "boswars-data": (
        Rule(r"units/destroyer/", None),  # its .ready/.underattack files are not the announcer
        Rule(r"campaigns/tutorial/level01", "speech", speaker=r"(?P<speaker>boswars)"),
        Rule(
            r"units/[^/]+/[a-z.]+\.(ready|underattack|completed)\.wav",
            "speech",
            speaker=r"(?P<speaker>boswars)",
        ),
        Rule(r"sounds/(bazoo|grenadier)_g_hit\.", "explosion"),
        Rule(r"units/[^/]+/sfx_[a-z]+\.die\.wav", "explosion"),  # buildings blowing up
    ),
    "cube2-data": (
        Rule(r"packages/music/", "music"),
        Rule(r"sounds/0ad/death_", "scream", speaker=r"sounds/(?P<speaker>0ad)/"),
        Rule(r"sounds/0ad/fs_(?P<group>[a-z]+)", "footsteps", STEP_GAP_SECONDS),
        Rule(r"sounds/0ad/thunder_", "thunder"),
        Rule(r"sounds/0ad/windgust_", "wind"),
        Rule(r"sounds/aard/(die|pain)\d", "scream", speaker=r"sounds/(?P<speaker>aard)/"),
        Rule(r"sounds/aard/grunt\d", "grunt", speaker=r"sounds/(?P<speaker>aard)/"),
        Rule(r"audioaugust/chainsaw/", "chainsaw"),
        Rule(r"olpc/michaelbierylo/sfx_doorslam", "door"),
        Rule(r"sounds/(q009/explosion|sfx/explode)\.", "explosion"),
        Rule(r"q009/(pistol|rifle|shotgun|minigun)\d?\.", "gunshot"),
        Rule(r"q009/rlauncher\d?\.", "rocket"),
        Rule(r"sounds/sfx/burning\.", "fire"),
        Rule(r"yo_frankie/amb_waterdrip", "water_drip"),
        Rule(r"yo_frankie/watersplash", "splash"),
    ),
    "blobwars-data": (
        Rule(r"blobwars/music/", "music"),
        Rule(r"sound/blizzard", "wind"),
        Rule(r"sound/cheer$", "crowd"),
        Rule(r"sound/clang$", "metal_clang"),
        Rule(r"sound/clock$", "clock_tick", (0.7, 0.8)),
        Rule(r"sound/electricity\d$", "sparks"),
        Rule(r"sound/firecrackle$", "fire"),
        Rule(r"sound/grenade$", "explosion"),
        Rule(r"sound/laser$", "laser"),
        Rule(r"sound/machinegun$", "gunshot", (0.02, 0.12)),
        Rule(r"sound/pistol$", "gunshot", HIT_GAP_SECONDS),
        Rule(r"sound/punch$", "punch", HIT_GAP_SECONDS),
        Rule(r"sound/rain$", "rain"),
        Rule(r"sound/rico\d$", "ricochet", HIT_GAP_SECONDS),
        Rule(r"sound/rocket$", "rocket"),
        Rule(r"sound/stonebreak$", "rockfall"),
        Rule(r"sound/switch\d?$", "switch", CLICK_GAP_SECONDS),
        Rule(r"sound/water(in|out)$", "splash"),
    ),
    "btanks-data": (
        Rule(r"tunes/boss-1\.", None),  # a 4 s loop, not a piece
        Rule(r"data/tunes/", "music"),
        Rule(r"ambient/forest\.", "bird"),
        Rule(r"sounds/(building-|(old-)?nuke-|vehicle-)?explosion\d?\.", "explosion"),
        Rule(r"sounds/cannon\d", "cannon", (0.5, 1.5)),
        Rule(r"sounds/cow\.", "cow"),
        Rule(r"sounds/deadman\d", "scream", speaker=r"sounds/(?P<speaker>deadman)"),
        Rule(r"sounds/kamikaze-scream", "scream", speaker=r"sounds/(?P<speaker>kamikaze)"),
        Rule(r"sounds/laugh\d", "laughter", speaker=r"sounds/(?P<speaker>laugh)"),
        Rule(r"sounds/(engine-start|engine-vehicle|tank-move)\.", "engine"),
        Rule(r"sounds/fire(-fadeout)?\.", "fire"),
        Rule(r"sounds/helicopter\.", "helicopter"),
        Rule(r"sounds/man-steps\.", "footsteps"),
        Rule(r"sounds/machinegunner-bullet\.", "gunshot", (0.05, 0.3)),
        Rule(r"sounds/(guided|nuke|dumb|smoke)-missile\.", "rocket"),
        Rule(r"sounds/train\.", "train"),
        Rule(r"sounds/zombie(-dead)?\.", "monster"),
    ),
    "enigma-data": (
        Rule(r"enigma/music/", "music"),
        Rule(r"soundsets/enigma/explosion\d", "explosion"),
        Rule(r"soundsets/enigma/shatter\.", "glass_breaking"),
        Rule(r"soundsets/enigma/drip\.", "water_drip", (0.4, 1.5)),
        Rule(r"soundsets/enigma/dropinwater\.", "splash"),
        Rule(r"soundsets/enigma/boing\.", "spring", SWING_GAP_SECONDS),
        Rule(r"soundsets/enigma/st-metal\.", "metal_clang", HIT_GAP_SECONDS),
        Rule(r"soundsets/enigma/st-thud\.", "thud", HIT_GAP_SECONDS),
        Rule(r"soundsets/enigma/(st-)?switch\.", "switch", CLICK_GAP_SECONDS),
    ),
    "berusky2-data": (
        Rule(r"berusky2/music/", "music"),
        Rule(r"sound/silence\.", None),
        Rule(r"sound/auto\d", "engine"),  # cars driving past
        Rule(r"sound/(blesk|hrom)\d", "thunder"),
        Rule(r"sound/bubl(\d|iny\d)", "bubbles"),
        Rule(r"sound/(crow|ptak|racek|les)\d", "bird"),
        Rule(r"sound/dest\d", "rain"),
        Rule(r"sound/exploze\d", "explosion"),
        Rule(r"sound/kap\d", "water_drip"),
        Rule(r"sound/krysa\d", "mouse"),
        Rule(r"sound/vitr\d", "wind"),
        Rule(r"sound/voda\d", "stream"),
        Rule(r"sound/zblunk\d", "splash"),
        Rule(r"sound/dvere(otevrit|zavrit)", "door"),
        Rule(r"sound/eat\d", "chewing"),
        Rule(r"sound/frog\d", "frog"),
        Rule(r"sound/krumpac\d", "pickaxe", HIT_GAP_SECONDS),
        Rule(r"sound/parnik\d", "boat"),
        Rule(r"sound/push (snow|steel|stone|wood)\.", "sliding"),
        Rule(r"sound/steps(?P<group>[a-z]+)", "footsteps", STEP_GAP_SECONDS),
        Rule(r"sound/zvon\d", "bell"),
    ),
    "alienblaster-data": (
        Rule(r"sound/alarm\.", "alarm"),
        Rule(r"sound/explosion(boss)?\.", "explosion"),
        Rule(r"sound/(intro|playon)\.", "music"),  # the menu and in-game music loops
    ),
    "7kaa-data": (
        Rule(r"sound/fire\.wav", "fire"),
        Rule(r"sound/quake\.wav", "earthquake"),
        Rule(r"sound/rain\.wav", "rain"),
        Rule(r"sound/thunder\.wav", "thunder"),
        Rule(r"sound/wind\.wav", "wind"),
    ),
    "openclonk-data": (Rule(r"music\.ocg/", "music"),),
    "xmoto-data": (Rule(r"textures/musics/", "music"),),
    "warmux-data": (
        Rule(r"warmux/music/", "music"),
        Rule(r"weapons/disco_grenade_music\.", "music"),
        Rule(r"weapons/(explosion\d|dynamite_exp)\.", "explosion"),
        Rule(r"weapons/(gun|shotgun)\.", "gunshot"),
        Rule(r"weapons/m16\.", "gunshot", (0.05, 0.3)),
        Rule(r"weapons/ricoche\d", "ricochet"),
        Rule(r"weapons/aircraft_flying\.", "aircraft"),
        Rule(r"weapons/anvil_collision\.", "metal_clang"),
        Rule(r"weapons/mine_beep\.", "beep", BEEP_GAP_SECONDS),
        Rule(r"misc/step\.", "footsteps", STEP_GAP_SECONDS),
    ),
    "trigger-rally-data": (
        Rule(
            r"sounds/codriver/(?P<group>[a-z]+)/",
            "speech",
            (0.15, 0.6),
            speaker=r"codriver/(?P<speaker>[a-z]+)/",
        ),
        Rule(r"sounds/engine\.wav", "engine"),
        Rule(r"sounds/wind\.wav", "wind"),
    ),
}
