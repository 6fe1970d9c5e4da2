"""Game packages, group A: racing, shooter, RPG and strategy games whose sound files are named.

Voices processed beyond recognition (robots, pitched penguins, monster player models) are
dropped; soundtrack pieces are labelled ``music``. neverball-data ships no audio we can read.
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
    "supertuxkart-data": Package(
        ("supertuxkart-data",),
        "https://supertuxkart.net",
        "CC-BY-SA-3.0/4.0, CC-BY-3.0, CC0, GPL-2+ or public domain per file (see copyright file)",
    ),
    "redeclipse-data": Package(
        ("redeclipse-data",),
        "https://www.redeclipse.net",
        "CC-BY-SA-3.0; some ambience CC-BY-3.0, tonatiuh.ogg CC0-1.0 (see copyright file)",
    ),
    "openarena-data": Package(("openarena-data",), "https://openarena.ws", "GPL-2+"),
    "freedroidrpg-data": Package(("freedroidrpg-data",), "https://www.freedroid.org", "GPL-2+"),
    "widelands-data": Package(
        ("widelands-data",),
        "https://www.widelands.org",
        "GPL-2+; music/ingame_24-26 CC-BY-SA-3.0",
    ),
    "minetest-data": Package(
        ("minetest-data",),
        "https://www.minetest.net",
        "CC-BY-SA-3.0; doors sounds CC-BY-3.0, tnt and glass door sounds CC0-1.0 "
        "(see copyright file)",
    ),
    "pingus-data": Package(("pingus-data",), "https://pingus.seul.org", "GPL-2+"),
    "frozen-bubble-data": Package(
        ("frozen-bubble-data",),
        "http://www.frozen-bubble.org",
        "GPL-2",
    ),
    "extremetuxracer-data": Package(
        ("extremetuxracer-data",), "https://sourceforge.net/projects/extremetuxracer", "GPL-2+"
    ),
    "supertux-data": Package(
        ("supertux-data",), "https://www.supertux.org", "GPL-3+; music GPL-2+"
    ),
    "colobot-common-sounds": Package(("colobot-common-sounds",), "https://colobot.info", "GPL-3+"),
    "torcs-data": Package(("torcs-data",), "https://torcs.sourceforge.net", "GPL-2+"),
    "flightgear-data-base": Package(
        ("flightgear-data-base",), "https://www.flightgear.org", "GPL-2+"
    ),
    "lincity-ng-data": Package(
        ("lincity-ng-data",), "https://github.com/lincity-ng/lincity-ng", "GPL-2+ or CC-BY-SA-2.0"
    ),
    "nexuiz-data": Package(("nexuiz-data",), "https://alientrap.org/nexuiz", "GPL-2+"),
}

CAPTIONS = {
    "music": phrases(
        "background music; a piece of music; instrumental music playing; "
        "a melody is played by several instruments; video game music; "
        "an upbeat instrumental tune; music with drums and synthesizers; "
        "a soundtrack piece plays"
    ),
    "train": phrases(
        "a train passes by; a steam locomotive chugging; the rumble of a train on the tracks; "
        "a train is moving along the rails; a steam train puffs and whistles; "
        "railway noise of a passing train; a locomotive pulls a train"
    ),
    "applause": phrases(
        "applause; an audience applauding; people clapping their hands; "
        "a crowd gives a round of applause; clapping and cheering of an audience; "
        "enthusiastic applause in a hall; many people are clapping"
    ),
    "crowd": phrases(
        "a crowd murmuring; people talking in a crowd; a cheering crowd; "
        "the chatter of many people; a crowd of people is cheering loudly; "
        "background voices of a busy crowd; a large group of people talking at once"
    ),
    "clock_tick": phrases(
        "a clock ticks; the ticking of a clock; a clock is ticking steadily; "
        "tick tock of a clock; a mechanical clock ticking in a quiet room; "
        "a wall clock ticking; regular ticking of a watch"
    ),
    "radio_static": phrases(
        "radio static; white noise from a radio; a radio hisses and crackles; "
        "static noise of an untuned radio; crackling radio interference; "
        "a radio is tuned between stations; hissing static"
    ),
    "tire_squeal": phrases(
        "tires squeal; a car skids; screeching tires; the squeal of tires on asphalt; "
        "a car brakes hard and the tires screech; tires skidding on the road; "
        "a vehicle skids with squealing tires"
    ),
    "car_horn": phrases(
        "a car horn honks; a car honking; the beep of a car horn; "
        "a driver honks the horn; a short honk of a vehicle horn; "
        "a horn honks in traffic; a car horn is sounded"
    ),
    "spring": phrases(
        "a spring boings; a comical boing sound; a bouncing spring; "
        "the boing of a trampoline; a springy twang; something bounces with a boing; "
        "a cartoon spring bounce"
    ),
    "ball_bounce": phrases(
        "a ball bounces; a ball bouncing on the floor; bouncing of a rubber ball; "
        "a ball is bounced repeatedly; a basketball bouncing; "
        "a ball hits the ground and bounces; thumps of a bouncing ball"
    ),
    "metal_clang": phrases(
        "a metal clang; metal objects clanging; a loud clank of metal; "
        "metal hits metal with a clang; a heavy metal object is dropped; "
        "clanging and rattling of metal; a metallic bang"
    ),
    "machinery": phrases(
        "machinery running; a machine is working; gears turning and clanking; "
        "the hum and clatter of machines; industrial machinery operating; "
        "a mechanical device whirs and clunks; factory machines running"
    ),
    "sci_fi": phrases(
        "a science fiction sound effect; a futuristic energy hum; a teleporter activates; "
        "a force field buzzes; a sci-fi device powers up; an otherworldly electronic whoosh; "
        "a spaceship device hums"
    ),
    "frog": phrases(
        "a frog croaks; frogs croaking at night; the croak of a frog; "
        "a frog is croaking near a pond; croaking of frogs; a toad calls; "
        "a frog ribbits repeatedly"
    ),
    "donkey": phrases(
        "a donkey brays; the bray of a donkey; a donkey hee-haws loudly; "
        "a donkey is braying on a farm; hee-haw of a donkey; a mule brays; "
        "a donkey calls out"
    ),
    "monster": phrases(
        "a monster growls; a creature roars; the snarl of a monster; "
        "a beast growls menacingly; a large creature is roaring; "
        "an alien creature screeches; a monster grunts and roars"
    ),
    "grunt": phrases(
        "a person grunts; a man grunts with effort; a grunt of pain; "
        "someone groans briefly; a short pained grunt; a person grunts as they jump; "
        "an effort grunt"
    ),
    "breathing": phrases(
        "a person breathing heavily; panting; someone gasps for air; "
        "heavy breathing; a person is out of breath and panting; "
        "deep breaths in and out; someone breathes through a mask"
    ),
    "water_drip": phrases(
        "water dripping; drops of water falling; a dripping tap; "
        "water drips in a cave; drops fall into a puddle; a slow drip of water; "
        "water is dripping steadily"
    ),
    "bubbles": phrases(
        "bubbles; liquid bubbling; bubbles rising in water; a liquid is bubbling; "
        "the gurgle of bubbles; fermenting liquid bubbles; blowing bubbles in water"
    ),
    "electric_hum": phrases(
        "an electric hum; the buzz of electricity; a transformer humming; "
        "an electrical device hums steadily; a low electrical buzz; "
        "humming of a neon light; mains hum from equipment"
    ),
    "switch": phrases(
        "a switch clicks; a light switch is flipped; the click of a lever; "
        "someone flips a switch; a mechanical click of a switch; "
        "a button is pressed with a click; switches clicking"
    ),
    "ricochet": phrases(
        "a bullet ricochets; the whine of a ricochet; bullets ricocheting off metal; "
        "a ricochet zings past; a bullet bounces off a wall; "
        "ricochets whizzing by; a ping of a ricocheting bullet"
    ),
    "gun_reload": phrases(
        "a gun is reloaded; a weapon being cocked; a magazine is inserted into a gun; "
        "someone reloads a rifle; the click and clack of reloading a gun; "
        "a firearm is racked; mechanical clicks of a gun being reloaded"
    ),
    "rocket": phrases(
        "a rocket launches; a missile flies past; the whoosh of a rocket; "
        "a rocket is fired and flies away; a rocket engine roars; "
        "a missile streaks through the air; a rocket takes off"
    ),
    "telephone": phrases(
        "a telephone rings; a phone ringing; the ring of an old telephone; "
        "a telephone is ringing repeatedly; a landline phone rings; "
        "ringing of a phone; a phone rings in an office"
    ),
    "snoring": phrases(
        "someone snoring; a person snores loudly; snoring while asleep; "
        "the snore of a sleeping person; loud snoring; a man is snoring; "
        "a sleeper snores and breathes"
    ),
    "typewriter": phrases(
        "a typewriter typing; keys of a typewriter clacking; someone types on a typewriter; "
        "clatter of an old typewriter; a mechanical typewriter is used; "
        "typewriter keys striking paper; typing on a manual typewriter"
    ),
    "sliding": phrases(
        "something slides; sliding over a surface; a body slides across snow; "
        "the swish of sliding; someone is sliding down a slope; "
        "friction noise of sliding; a sled slides along the ground"
    ),
    "helicopter": phrases(
        "a helicopter flies; the whir of helicopter rotors; a helicopter hovering; "
        "rotor blades chopping the air; a helicopter is flying overhead; "
        "the thump of a helicopter rotor; a helicopter passes by"
    ),
    "keys": phrases(
        "keys jingling; a bunch of keys jangles; someone shakes a set of keys; "
        "the jingle of keys; keys rattling on a key ring; keys are picked up; "
        "jangling keys"
    ),
    "crash": phrases(
        "a loud crash; something crashes down; a heavy crash and debris; "
        "objects crash to the ground; a violent impact and crash; "
        "things falling and crashing; a crash with breaking parts"
    ),
    "car_crash": phrases(
        "a car crashes; a vehicle collision; cars colliding with a bang; "
        "the crunch of a car crash; a car hits something hard; "
        "a crash of metal as vehicles collide; a car smashes into a wall"
    ),
    "electric_motor": phrases(
        "an electric motor whirs; a servo motor whining; the whir of a small motor; "
        "an electric motor is running; a motorized mechanism moves; "
        "a whining electric drive; a motor hums and whirs"
    ),
    "alarm": phrases(
        "an alarm sounds; an alarm signal going off; a warning alarm; "
        "a klaxon blares; an alarm is ringing loudly; a security alarm; "
        "an alert signal repeats"
    ),
    "pump": phrases(
        "a pump is working; a mechanical pump pumping; the rhythmic sound of a pump; "
        "a pump pushes water; a piston pump runs; a hydraulic pump operates; "
        "pumping machinery"
    ),
    "thud": phrases(
        "a thud; a dull thump; something heavy hits the ground; a soft thud; "
        "a heavy object thumps down; dull impacts; a muffled thump"
    ),
}

HINTS = {
    "explosion": {
        r"fireworks": phrases("fireworks exploding in the sky; a fireworks display bangs"),
    },
    "crowd": {
        r"restaurant": phrases("people chatting in a busy restaurant; murmur of diners"),
        r"sportscroud": phrases("a sports crowd cheering; spectators cheer in a stadium"),
    },
    "engine": {
        r"distant_cars|trafic": phrases("traffic passing on a road; cars driving by"),
        r"c172p|r-1535|p51d|engine-prop|starter_": phrases(
            "a propeller plane engine running; the engine of a small aircraft"
        ),
    },
    "aircraft": {
        r"turbine|turbojet|jet\.|jetengine|exhaust_": phrases("a jet engine whines and roars"),
    },
    "gunshot": {
        r"gatling|machgf|vulcan|uzi_": phrases("a machine gun fires a burst"),
    },
    "footsteps": {
        r"footsteps/clank": phrases("footsteps on a metal floor"),
        r"footsteps/boot": phrases("boots stepping on a hard floor"),
        r"concstep": phrases("footsteps on concrete"),
    },
    "speech": {
        r"mk-viii|tcas/": phrases("an automated cockpit voice calls out a warning"),
        r"festivox": phrases("a synthetic voice speaks; a text-to-speech voice talks"),
        r"sara_airport_pa": phrases("an announcement over an airport loudspeaker"),
        r"announcer": phrases("a game announcer calls out"),
    },
    "hammering": {
        r"smith": phrases("a blacksmith hammers metal on an anvil"),
    },
    "wolf": {
        r"coyote": phrases("a coyote howls; coyotes yipping and howling"),
    },
    "sliding": {
        r"snow_": phrases("sliding over snow"),
        r"ice_": phrases("sliding over ice"),
        r"leaves_": phrases("sliding through dry leaves"),
        r"mud_": phrases("sliding through mud"),
        r"rock_": phrases("sliding over rocks"),
        r"grass_": phrases("sliding over grass"),
    },
    "rocket": {
        r"takeoff": phrases("a rocket lifts off with a roar"),
    },
}

_STK = "supertuxkart/data/"
_TORCS_ENGINES = (
    "206_engine|935|944|alpha-romeo|cleanviper|corolla1400hi2|engine-1|evo7_engine(_f)?|f360"
    "|ferrarif355|ferrarif50|ford1b|ford2c|gt40|impreza2002_engine|lamborghinidiablo|lotus"
    "|mclarenf1|nsx|porsche_engine|renault-v10|viper2|viper_long|xj220"
)
_NEXUIZ_PLAYER = r"nexuiz/data/data\.pk3:sound/player/[a-z-]+/"
_RE_VOICE = r"redeclipse/data/sounds/voice/"
_OA_SARGE = r"openarena/baseoa/pak0\.pk3:sound/player/sarge/"
_OA_VOICES = r"mp-pak0\.pk3:sound/voices/[^/]+/"
_MT_SURFACES = "dirt|grass|gravel|hard|ice|metal|sand|snow|wood|glass"

RULES: dict[str, tuple[Rule, ...]] = {
    "supertuxkart-data": (
        Rule(
            _STK + r"(music/|tracks/(ancient_colosseum_labyrinth/battle_theme|battleisland/"
            r"gran_paradiso|cave/beneath_the_rabbit_hole))",
            "music",
        ),
        Rule(r"steamlocomotive", "train"),
        Rule(r"sfx/wilhelmscream", "scream", speaker=r"supertuxkart/data/sfx/wilhelmscream"),
        Rule(r"sfx/sara_airport_pa", "speech", speaker=r"supertuxkart/data/sfx/sara_airport_pa"),
        Rule(r"sfx/airplane_jetengine", "aircraft"),
        Rule(r"sfx/boing\.", "spring"),
        Rule(r"sfx/ball_bounce\.", "ball_bounce", (0.3, 0.9)),
        Rule(r"sfx/(car_accel|car_revup|engine_large|engine_small)\.", "engine"),
        Rule(r"sfx/clock\.", "clock_tick"),
        Rule(r"sfx/exotic-birds", "bird"),
        Rule(r"sfx/(explosion|fireworks_show)\.", "explosion"),
        Rule(r"sfx/gnu_flute", "flute"),
        Rule(r"sfx/gp_end\.", "applause"),
        Rule(r"sfx/horn\.", "car_horn"),
        Rule(r"sfx/lenautile_restaurant", "crowd"),
        Rule(r"sfx/machine_sound", "machinery"),
        Rule(r"sfx/metal_clang", "metal_clang"),
        Rule(r"sfx/rain\.", "rain"),
        Rule(r"sfx/(river_loop|waterfall_loop)", "stream"),
        Rule(r"/skid\.", "tire_squeal"),
        Rule(r"sfx/splash\.", "splash"),
        Rule(r"sfx/static-radio", "radio_static"),
        Rule(r"sfx/thunder\.", "thunder"),
        Rule(r"sfx/forcefield\.", "sci_fi"),
        Rule(r"black_forest/cow\.", "cow"),
        Rule(r"scotland/sheep\.", "sheep"),
    ),
    "redeclipse-data": (
        Rule(r"maps/tonatiuh\.ogg|sounds/(music/|theme(_chip)?\.ogg|original\.ogg)", "music"),
        Rule(r"ambience/(blowwind|hollowwind|wastewind|wind|morph/(storm)?wind)", "wind"),
        Rule(r"ambience/cavedrip", "water_drip"),
        Rule(r"ambience/(creek|river|waterfall)", "stream"),
        Rule(r"ambience/(cycadas|nightcrickets)", "insects"),
        Rule(r"ambience/distant_cars", "engine"),
        Rule(r"ambience/(morph/)?door\.", "door"),
        Rule(r"ambience/fire\.|sfx/(burnfire|burning)\.", "fire"),
        Rule(r"ambience/(morph/)?machine\d", "machinery"),
        Rule(r"ambience/morph/(storm)?rain\.", "rain"),
        Rule(r"ambience/morph/stormbolts", "thunder"),
        Rule(r"ambience/hum\.", "electric_hum"),
        Rule(r"ambience/teleport\.", "sci_fi"),
        Rule(r"ambience/vapour\.", "steam"),
        Rule(r"sounds/announcer/", "speech", speaker=r"redeclipse/data/sounds/announcer/"),
        Rule(r"player/(?P<group>conc|foot)step", "footsteps", STEP_GAP_SECONDS),
        Rule(r"player/death", "scream", speaker=r"redeclipse/data/sounds/player/"),
        Rule(r"player/swimstep", "splash", (0.3, 0.8)),
        Rule(r"sfx/(splashin|splashout)", "splash"),
        Rule(r"voice/haha", "laughter", speaker=_RE_VOICE),
        Rule(r"voice/(argh|pzap)", None),
        Rule(r"sounds/voice/", "speech", speaker=_RE_VOICE),
        Rule(r"weapons/(explode\d?|mine/explode\d?)\.", "explosion"),
        Rule(r"weapons/(pistol|shotgun)/primary", "gunshot"),
        Rule(r"weapons/(pistol|shotgun|smg)/reload", "gun_reload"),
        Rule(r"weapons/ricochet", "ricochet", HIT_GAP_SECONDS),
        Rule(r"weapons/flamer/(primary|secondary)", "flamethrower"),
        Rule(r"weapons/rocket/(primary|transit)", "rocket"),
        Rule(r"weapons/(grenade|mine)/beep", "beep", BEEP_GAP_SECONDS),
        Rule(r"weapons/thud", "thud", HIT_GAP_SECONDS),
    ),
    "openarena-data": (
        Rule(r"footsteps/(?P<group>boot|clank|step|splash)\d", "footsteps", STEP_GAP_SECONDS),
        Rule(r"player/sarge/(death|pain|falling)", "scream", speaker=_OA_SARGE),
        Rule(r"player/sarge/gasp", "breathing", speaker=_OA_SARGE),
        Rule(r"player/sarge/jump", "grunt", speaker=_OA_SARGE),
        Rule(
            r"player/announcer/",
            "speech",
            speaker=r"openarena/baseoa/pak0\.pk3:sound/player/announcer/",
        ),
        Rule(r"player/watr_(in|out)", "splash"),
        Rule(r"machinegun/machgf", "gunshot", (0.05, 0.3)),
        Rule(r"(vulcan/vulcanf|vulcan/wvulfire|shotgun/sshotf)", "gunshot"),
        Rule(r"machinegun/ric\d", "ricochet", HIT_GAP_SECONDS),
        Rule(r"rocket/(rocklf|rockfly)", "rocket"),
        Rule(r"rocket/rocklx|proxmine/wstbexpl|items/kam_explode", "explosion"),
        Rule(r"railgun/railgf", "laser"),
        Rule(r"world/(fire\d|firesoft)", "fire"),
        Rule(r"world/wind\d", "wind"),
        Rule(r"world/waterfall", "stream"),
        Rule(r"world/drops\.", "water_drip"),
        Rule(r"world/(machinerydrone|tim_machine)", "machinery"),
        Rule(r"world/tim_pump", "pump"),
        Rule(r"world/neonhum", "electric_hum"),
        Rule(r"world/growl", "monster"),
        Rule(r"(world|items)/tele(in|out)", "sci_fi"),
        Rule(r"movers/doors/", "door"),
        Rule(r"movers/switches/butn", "switch"),
        Rule(r"voices/festivoxmale/(bzzz|heh|ugh|boom)\.", None),
        Rule(r"voices/(festivoxmale|rott)/", "speech", speaker=_OA_VOICES),
    ),
    "freedroidrpg-data": (
        Rule(r"sound/music/|/titles/", "music"),
        Rule(r"bot_sounds/", None),  # robot voices
        Rule(
            r"tux_ingame_comments/",
            "speech",
            speaker=r"freedroidrpg/data/sound/effects/tux_ingame_comments/",
        ),
        Rule(r"effects/glass_break", "glass_breaking"),
        Rule(r"effects/cameratakespicture", "camera_shutter", CLICK_GAP_SECONDS),
        Rule(r"effects/swing_then_nohit", "whoosh", SWING_GAP_SECONDS),
        Rule(r"effects/tux_footstep", "footsteps", STEP_GAP_SECONDS),
        Rule(r"bullets/(laser_rifle|single_laser)", "laser", (0.2, 0.8)),
        Rule(r"effects/blast_sound", "explosion"),
    ),
    "widelands-data": (
        Rule(r"data/music/", "music"),
        Rule(r"animals/bird\d", "bird"),
        Rule(r"animals/boar", "pig"),
        Rule(r"animals/(coyote|wolf)", "wolf"),
        Rule(r"animals/crickets", "insects"),
        Rule(r"animals/frog", "frog"),
        Rule(r"farm/donkey", "donkey"),
        Rule(r"farm/horse", "horse"),
        Rule(r"farm/ox_", "cow"),
        Rule(r"farm/sheep", "sheep"),
        Rule(r"critters/duck/", "duck"),
        Rule(r"sound/hammering/|smiths/(smith|toolsmith)_", "hammering"),
        Rule(r"saw/(benchsaw|sawing)|sound/sawmill/", "sawing"),
        Rule(r"woodcutting/(fast_)?woodcutting", "wood_chopping"),
        Rule(r"mill/mill_turning", "machinery"),
        Rule(r"empire/(beer|wine)bubble", "bubbles"),
    ),
    "minetest-data": (
        Rule(rf"default_(?P<group>{_MT_SURFACES})_footstep", "footsteps", STEP_GAP_SECONDS),
        Rule(r"default_break_glass", "glass_breaking"),
        Rule(r"default_dig_choppy", "wood_chopping", HIT_GAP_SECONDS),
        Rule(r"default_dig_cracky", "pickaxe", HIT_GAP_SECONDS),
        Rule(r"doors_fencegate", None),  # a light fence gate, not a door
        Rule(r"doors/sounds/doors_|xpanes_steel_bar_door", "door"),
        Rule(r"default_furnace_active|fire/sounds/fire_(fire|large|small)", "fire"),
        Rule(r"env_sounds_water", "stream"),
        Rule(r"tnt_explode", "explosion"),
    ),
    "pingus-data": (
        Rule(r"sounds/(goodidea|letsgo|ohno|yipee)\.", None),  # sped-up penguin voices
        Rule(r"sounds/splash\.", "splash", (0.5, 1.5)),
    ),
    "frozen-bubble-data": (
        Rule(r"snd/(frozen-mainzik|introzik)", "music"),
        Rule(r"snd/applause\.", "applause"),
        Rule(r"snd/snore\.", "snoring", speaker=r"frozen-bubble/snd/snore"),
        Rule(r"snd/typewriter\.", "typewriter", (0.08, 0.3)),
    ),
    "extremetuxracer-data": (
        Rule(r"etr/music/", "music"),
        Rule(r"etr/sounds/(?P<group>[a-z]+)_slide\.", "sliding"),
    ),
    "supertux-data": (
        Rule(r"supertux2/music/", "music"),
        Rule(r"supertux2/speech/", None),  # penguin gibberish voices
        Rule(r"sounds/rain\.", "rain"),
        Rule(r"sounds/(thunder|lightning)\.", "thunder"),
        Rule(r"sounds/waterfall\.", "stream"),
        Rule(r"sounds/explosion\.", "explosion"),
        Rule(r"sounds/phone\.", "telephone"),
        Rule(r"sounds/door\.", "door"),
        Rule(r"sounds/splash\.", "splash"),
        Rule(r"sounds/savebell", "bell"),
        Rule(r"sounds/yeti_roar", "monster"),
        Rule(r"sounds/trampoline", "spring"),
        Rule(r"sounds/switch\.", "switch"),
    ),
    "colobot-common-sounds": (
        # file numbers follow Colobot's SoundType enum (src/sound/sound_type.h)
        Rule(r"colobot/music/", "music"),
        Rule(r"sounds/sound0(02|56|57|58)\.", "explosion"),
        Rule(r"sounds/sound0(05|59|60)\.", "footsteps", STEP_GAP_SECONDS),
        Rule(r"sounds/sound012\.", "splash"),
        Rule(r"sounds/sound0(20|34|36|37)\.", "monster"),  # alien spider, ant, worm, queen
        Rule(r"sounds/sound021\.", "fire"),
        Rule(r"sounds/sound026\.", "breathing", speaker=r"colobot/sounds/"),  # astronaut
        Rule(r"sounds/sound063\.", "grunt", speaker=r"colobot/sounds/"),
        Rule(r"sounds/sound069\.", "scream", speaker=r"colobot/sounds/"),
        Rule(r"sounds/sound053\.", "metal_clang"),
        Rule(r"sounds/sound076\.", "thunder"),
        Rule(r"sounds/sound078\.", "laser"),
        Rule(r"sounds/sound044\.", "machinery"),
    ),
    "torcs-data": (
        Rule(r"torcs/data/music/", "music"),
        Rule(rf"sound/({_TORCS_ENGINES})\.wav", "engine"),
        Rule(r"sound/crash\d", "car_crash"),
        Rule(r"sound/skid(_tyres)?\.wav", "tire_squeal"),
    ),
    "flightgear-data-base": (
        Rule(r"sounds/intro\.mp3", "music"),
        Rule(r"sounds/mk-viii/", "speech", speaker=r"flightgear/sounds/mk-viii/"),
        Rule(r"sounds/tcas/female/", "speech", speaker=r"flightgear/sounds/tcas/female/"),
        Rule(r"c172p/sounds/engine(-idle|-cut|-start)?\.wav", "engine"),
        Rule(
            r"sounds/(r-1535slow|engine-prop|p51d_rpm1|p51d_starter|p51d_startup|starter_loop"
            r"|starter_start|starter_stop)\.wav",
            "engine",
        ),
        Rule(
            r"sounds/(jet|turbine_loop|turbine_start|turbine_shutdown|turbojet_fan|turboprop1"
            r"|exhaust_loop|exhaust_start|exhaust_shutdown|prop)\.wav",
            "aircraft",
        ),
        Rule(r"sounds/(helicopter|rotor|rotor-2blade)\.wav", "helicopter"),
        Rule(r"sounds/thunder\d?\.", "thunder"),
        Rule(r"sounds/rain(-windshield)?\.", "rain"),
        Rule(r"sounds/wind(1|-8khz)?\.", "wind"),
        Rule(r"sounds/radionoise", "radio_static"),
        Rule(r"sounds/avionics-400hz", "electric_hum"),
        Rule(r"sounds/beep\.", "beep"),
        Rule(r"sounds/gatling", "gunshot"),
        Rule(r"(c172p/sounds|/sounds)/crash\.", "crash"),
        Rule(r"c172p/sounds/door-(opening|closing)|sounds/door_close", "door"),
        Rule(r"c172p/sounds/keys", "keys", (0.3, 1.0)),
        Rule(r"c172p/sounds/(double-)?click\d?\.wav", "switch", CLICK_GAP_SECONDS),
        Rule(r"c172p/sounds/flaps-motor", "electric_motor"),
        Rule(r"c172p/sounds/tires-screech-asphalt", "tire_squeal"),
    ),
    "lincity-ng-data": (
        Rule(r"lincity-ng/music/", "music"),
        Rule(r"sounds/blacksmith\d", "hammering"),
        Rule(r"sounds/fire\d", "fire"),
        Rule(r"sounds/railtrain", "train"),
        Rule(r"sounds/rockettakeoff", "rocket"),
        Rule(r"sounds/rocketexplosion", "explosion"),
        Rule(r"sounds/sportscroud", "crowd"),
        Rule(r"sounds/trafic(high|low)", "engine"),
    ),
    "nexuiz-data": (
        Rule(r"player/(carni-lycan|reptilian|torus)/", None),  # creature or processed voices
        Rule(_NEXUIZ_PLAYER + r"player/(death|pain|falling)", "scream", speaker=_NEXUIZ_PLAYER),
        Rule(_NEXUIZ_PLAYER + r"player/gasp", "breathing", speaker=_NEXUIZ_PLAYER),
        Rule(_NEXUIZ_PLAYER + r"player/jump", "grunt", speaker=_NEXUIZ_PLAYER),
        Rule(_NEXUIZ_PLAYER + r"coms/", "speech", speaker=_NEXUIZ_PLAYER),
        Rule(r"announcer/male/", "speech", speaker=r"nexuiz/data/data\.pk3:sound/announcer/male/"),
        Rule(r"tutorial/misc-(at_corp_rap|door|detonate|emergency_tele)", None),
        Rule(r"sound/tutorial/", "speech", speaker=r"nexuiz/data/data\.pk3:sound/tutorial/"),
        Rule(r"desertfactory/cricket_loop", "insects"),
        Rule(r"desertfactory/radiostatic_loop", "radio_static"),
        Rule(r"desertfactory/steam_(burst|fade|loop)", "steam"),
        Rule(r"desertfactory/wind(howling|outside)_loop", "wind"),
        Rule(r"ambient/(machine\d|machinerydrone)|desertfactory/generator_loop", "machinery"),
        Rule(r"ambient/sparks|onslaught/(ons_spark|electricity_explode)", "sparks"),
        Rule(r"ambient/transformer", "electric_hum"),
        Rule(r"misc/footstep\d", "footsteps", STEP_GAP_SECONDS),
        Rule(r"misc/(?P<group>metal)footstep\d", "footsteps", STEP_GAP_SECONDS),
        Rule(r"weapons/(campingrifle_fire2?|shotgun_fire|uzi_fire)\.", "gunshot"),
        Rule(r"weapons/campingrifle_reload", "gun_reload"),
        Rule(r"weapons/ric\d", "ricochet"),
        Rule(r"weapons/rocket_(fire|fly)|misc/missile_fly", "rocket"),
        Rule(r"weapons/(rocket_impact|grenade_impact|hagexp\d)", "explosion"),
        Rule(r"weapons/lasergun_fire|turrets/phaser", "laser"),
        Rule(r"weather/rain", "rain"),
        Rule(r"kh/alarm\.", "alarm"),
    ),
}
