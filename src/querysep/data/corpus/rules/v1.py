"""Corpus v1 sources: the game, sample and keyboard packages the first corpus was built from."""

from __future__ import annotations

from querysep.data.corpus.rules.base import (
    BEEP_GAP_SECONDS,
    CLICK_GAP_SECONDS,
    HIT_GAP_SECONDS,
    STEP_GAP_SECONDS,
    SWING_GAP_SECONDS,
    Package,
    Rule,
)

PACKAGES = {
    "0ad-data": Package(("0ad-data",), "https://play0ad.com", "CC-BY-SA-3.0"),
    "tuxpaint-stamps-default": Package(
        ("tuxpaint-stamps-default",), "https://tuxpaint.org", "GPL-2"
    ),
    "ufoai-sound": Package(
        ("ufoai-sound",),
        "https://ufoai.org",
        "GPL-2+; some files CC-BY-3.0, CC-BY-SA-3.0 or public domain (see copyright file)",
    ),
    "hedgewars-data": Package(
        ("hedgewars-data",), "https://hedgewars.org", "GFDL-1.3 (Data/Sounds); GPL-2"
    ),
    "sonic-pi-samples": Package(
        ("sonic-pi-samples",),
        "https://sonic-pi.net",
        "CC0 (most samples, from freesound.org); some CC-BY-SA-4.0 / MIT (see copyright file)",
    ),
    "bucklespring-data": Package(
        ("bucklespring-data",), "https://github.com/zevv/bucklespring", "GPL-2+"
    ),
    "wesnoth-1.16-data": Package(
        ("wesnoth-1.16-data", "wesnoth-1.18-data"), "https://www.wesnoth.org", "GPL-2+"
    ),
    "warzone2100-data": Package(("warzone2100-data",), "https://wz2100.net", "GPL-2+"),
}

_WORDS = (
    "amazing|boring|brilliant|bugger|byebye|comeonthen|coward|cutitout|drat|enemydown|excellent"
    "|fire|firstblood|flawless|flyaway|gonnagetyou|grenade|hello|hurry|illgetyou|incoming"
    "|justyouwait|kamikaze|leavemealone|melon|missed|nutter|ohdear|oops|reinforcements|revenge"
    "|runaway|sameteam|solong|stupid|takecover|thisoneismine|traitor|victory|watchit|watchthis"
    "|whatthe|yessir|youllregretthat"
)
_SURFACES = "carpet|dirt|grass|gravel|metal|sand|snow|stone|tile|wood|splash"

RULES: dict[str, tuple[Rule, ...]] = {
    "0ad-data": (
        Rule(r"voice/global/civ_dog_bark", "dog"),
        Rule(r"fauna/animal/cattle", "cow"),
        Rule(r"fauna/animal/chicken", "chicken"),
        Rule(r"fauna/animal/elephant", "elephant"),
        Rule(r"fauna/animal/(flamingo|peacock)|dayscape/day_temperate", "bird"),
        Rule(r"fauna/(animal/horse|death/death_horse)|mounted/death", "horse"),
        Rule(r"fauna/animal/lion", "lion"),
        Rule(r"fauna/animal/pig", "pig"),
        Rule(r"fauna/animal/sheep|fauna/death/goat", "sheep"),
        Rule(r"human/death/", "scream"),
        Rule(r"human/movement/(footsteps/|hstep)", "footsteps"),
        Rule(r"singlesteps/fs_(?P<group>[a-z]+)", "footsteps", STEP_GAP_SECONDS),
        Rule(r"mounted/movement/mstep", "galloping"),
        Rule(r"actor/gate/stonegate", "door"),
        Rule(r"water/(river_|waterfall)", "stream"),
        Rule(r"water/wave", "ocean_waves"),
        Rule(r"weather/rain", "rain"),
        Rule(r"weather/thunder", "thunder"),
        Rule(r"weather/(wind|snowstorm)", "wind"),
        Rule(r"destruction/explode_debris", "explosion"),
        Rule(r"impact/arrow_(?P<group>[a-z]+)", "arrow_impact", HIT_GAP_SECONDS),
        Rule(r"weapon/musket", "gunshot"),
        Rule(r"weapon/(bow_attack|arrowfly)", "bow"),
        Rule(r"weapon/sword", "sword", (0.15, 0.6)),
        Rule(r"construction/con_saw", "sawing", (0.02, 0.15)),
        Rule(r"construction/con_wood", "hammering", (0.25, 0.7)),
        Rule(r"lumbering/lumber_tree_", "wood_chopping", HIT_GAP_SECONDS),
        Rule(r"mining/mine_(?P<group>[a-z]+)", "pickaxe", HIT_GAP_SECONDS),
        Rule(r"voice/.*/civ_(fe)?male_", "speech"),
    ),
    "tuxpaint-stamps-default": (
        Rule(r"_desc", "speech"),  # spoken descriptions of every stamp, many languages
        Rule(r"symbols/(math|alphabets)/", "speech"),
        Rule(r"birds/(blackbird|crow|cuckoo|lark|owl|quetzal|seagull|tucan)\.", "bird"),
        Rule(r"birds/(duck|drake|gander)\.", "duck"),
        Rule(r"birds/(hen|rooster)\.", "chicken"),
        Rule(r"insects/(bee|hornet|mosquito|grasshopper)\.", "insects"),
        Rule(r"bovines/(bison|bull|cow|cow_white)\.", "cow"),
        Rule(r"bovines/(goat|mountaingoat|ram|sheep|sheep_lamb)\.", "sheep"),
        Rule(r"cats/(lion|tiger)\.", "lion"),
        Rule(r"dogs/dog\.", "dog"),
        Rule(r"mammals/elephant\.", "elephant"),
        Rule(r"equines/horse\.", "horse"),
        Rule(r"mammals/pig(_golden2?)?\.", "pig"),
        Rule(r"aquatic/(dolphin|orca|whale)\.", "whale"),
        Rule(r"halloween/blackcat\.", "cat"),
        Rule(r"music/percussion/", "drums"),
        Rule(r"string/cello\.", "cello"),
        Rule(r"string/violin\.", "violin"),
        Rule(r"tools/(hammer|mallet_metal)\.", "hammering"),
        Rule(r"tools/saw\.", "sawing"),
        Rule(r"camera_35mm\.", "camera_shutter", CLICK_GAP_SECONDS),
        Rule(r"lightningbolt\.", "thunder"),
        Rule(r"emergency/firetruck\.", "siren"),
    ),
    "hedgewars-data": (
        Rule(r"voices/(robot|singer)/", None),  # processed or sung voices
        Rule(r"voices/[^/]+/laugh\.", "laughter"),
        Rule(rf"voices/[^/]+/({_WORDS})\.", "speech"),
        Rule(r"sounds/explosion\.", "explosion"),
        Rule(r"sounds/(shotgunfire|gun|minigun)\.", "gunshot"),
        Rule(r"sounds/bee\.", "insects"),
        Rule(r"sounds/splash\.", "splash"),
        Rule(r"sounds/(plane|rcplane)\.", "aircraft"),
        Rule(r"sounds/flamethrower\.", "flamethrower"),
        Rule(r"sounds/shutterclick\.", "camera_shutter", CLICK_GAP_SECONDS),
        Rule(r"sounds/steam\.", "steam"),
    ),
    "ufoai-sound": (
        Rule(r"ambience/arcticwind", "wind"),
        Rule(r"ambience/cricket", "insects"),
        Rule(r"ambience/(fire|smallfire)", "fire"),
        Rule(r"ambience/thunder", "thunder"),
        Rule(r"ambience/water", "stream"),
        Rule(r"ambience/sparks|misc/(breakelectric|electro)", "sparks"),
        Rule(r"ambience/steam", "steam"),
        Rule(r"sound/(civilians|soldiers)/", "scream"),
        Rule(r"sound/doors/", "door"),
        Rule(rf"footsteps/(?P<group>{_SURFACES})\d", "footsteps", STEP_GAP_SECONDS),
        Rule(r"geoscape/combat-(explosion|rocket-exp)", "explosion"),
        Rule(r"geoscape/combat-gun", "gunshot"),
        Rule(r"geoscape/combat-airlaser", "laser"),
        Rule(r"impact/water(bullet)?-impact", "splash"),
        Rule(r"misc/breakglass", "glass_breaking"),
        Rule(r"seq/sword-hit", "sword"),
        Rule(r"seq/(alien|human)flyby", "aircraft"),
        Rule(r"ugv/diesel", "engine"),
        Rule(r"sound/ui/beep", "beep", BEEP_GAP_SECONDS),
        Rule(r"bullet-(pistol|rifle|smg|shotgun|sniper|hmg|chaingun)", "gunshot"),
        Rule(r"weapons/explosion(-fire|-grenade|-rocket|-flashbang)?\.", "explosion"),
        Rule(r"weapons/flamer", "flamethrower"),
        Rule(r"weapons/laser", "laser"),
        Rule(r"weapons/melee-swoosh", "whoosh", SWING_GAP_SECONDS),
    ),
    "warzone2100-data": (
        Rule(r"audio/(nexus/laugh|taunts/taunt\d/haha)", "laughter"),
        Rule(
            r"audio/(tutorial|countdown|extra|memressp|proxmessages|trnsppil|vtoltalk)/", "speech"
        ),
        Rule(r"audio/taunts/", "speech"),
        Rule(r"explons/(lrgexpl|smlexpl|atnkexpl|mpodexpl|nxsexpld)", "explosion"),
        Rule(r"sfx/misc/scream", "scream"),
        Rule(r"sfx/vehicle/(tread|con-move\.|hovmove)", "engine"),
        Rule(r"sfx/vehicle/(vtol-move|tflight|thover|tland|vtolland|vtoloff)", "aircraft"),
        Rule(r"sfx/weapons/(mgbar|mgheavy|mgtower|asltmg)", "gunshot"),
        Rule(r"sfx/weapons/(bemlsr|plslsr|rotlsr)|multi/(hevlsr|lasstrk)", "laser"),
        Rule(r"sfx/weapons/flmthrow", "flamethrower"),
        Rule(r"sfx/weapons/splash", "splash"),
        Rule(r"sfx/building/steam", "steam"),
        Rule(r"sfx/interfce/beep", "beep", BEEP_GAP_SECONDS),
    ),
    "wesnoth-1.16-data": (
        Rule(r"sounds/ambient/birds", "bird"),
        Rule(r"sounds/ambient/campfire", "fire"),
        Rule(r"sounds/ambient/wardrums", "drums"),
        Rule(r"sounds/(bow|crossbow)", "bow"),
        Rule(r"sounds/sword-", "sword"),
        Rule(r"sounds/explosion", "explosion"),
        Rule(r"sounds/(gunshot|thunderstick)", "gunshot"),
        Rule(r"sounds/horse-(elf-)?canter", "galloping"),
        Rule(r"sounds/horse-(die|hit)", "horse"),
        Rule(r"sounds/human-", "scream"),
        Rule(r"sounds/wolf-", "wolf"),
        Rule(r"(dwarf|witches)-laugh", "laughter"),
        Rule(r"sounds/(dagger-swish|miss-\d|throw-\d)", "whoosh", SWING_GAP_SECONDS),
        Rule(r"sounds/horn-signals/", "horn"),
    ),
    "sonic-pi-samples": (
        Rule(r"/ambi_piano\.", "piano"),
        Rule(r"/guit_", "guitar"),
        Rule(r"/loop_(amen|amen_full|breakbeat|perc1|perc2|safari|tabla)\.", "drums"),
        Rule(r"/(bd_|drum_|sn_|(?P<group>tabla)_)", "drums", (0.08, 0.4)),
        Rule(r"/perc_bell", "bell"),
        Rule(r"/perc_door\.", "door"),
        Rule(r"/(perc_swoosh|perc_swash|ambi_swoosh)\.", "whoosh", SWING_GAP_SECONDS),
        Rule(r"/vinyl_(scratch|backspin|rewind)\.", "vinyl_scratch"),
        Rule(r"/misc_crow\.", "bird"),
    ),
    "bucklespring-data": (Rule(r"buckle/wav/", "typing", (0.03, 0.25)),),
}
