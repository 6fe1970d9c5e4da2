"""Desktop and education sources: KDE games and KLettres, GCompris, LMMS samples, sound themes.

Reviewed and left out on purpose (no entry, so nothing is downloaded for them): kapman, kbounce
and knights hold only synthetic game blips and short jingles; gnome-audio's one nameable file
(card_shuffle.wav) has no licence in its copyright file. Sound themes are mostly abstract tones:
only message/completion chimes, phone, alarm clock, camera and startup pieces of 7 s or more are
kept. Where a package ships the same sound twice in two formats, one copy is labelled.
"""

from __future__ import annotations

from querysep.data.corpus.rules.base import CLICK_GAP_SECONDS, Package, Rule, phrases

PACKAGES = {
    "khangman": Package(("khangman",), "https://apps.kde.org/khangman", "GPL-2+"),
    "kolf": Package(("kolf",), "https://apps.kde.org/kolf", "GPL-2+"),
    "klettres-data": Package(("klettres-data",), "https://apps.kde.org/klettres", "GPL-2+"),
    "gcompris-qt-data": Package(
        ("gcompris-qt-data",),
        "https://gcompris.net",
        "GPL-3+ (most sounds); some CC-BY-3.0, CC0-1.0, Free Art License (memory-sound) or "
        "CC-Sampling-Plus-1.0 (drum_kit.ogg) (see copyright file)",
    ),
    "lmms-common": Package(
        ("lmms-common",),
        "https://lmms.io",
        "GPL-2+ (Files: *; the copyright file notes the licence of the whole is disputed "
        "upstream, LMMS issue 2752)",
    ),
    "sound-theme-freedesktop": Package(
        ("sound-theme-freedesktop",),
        "https://www.freedesktop.org/wiki/Specifications/sound-theme-spec/",
        "per file: CC-BY-SA-3.0, CC-BY-3.0, GPL-2+ or GPL-2 (see copyright file)",
    ),
    "oxygen-sounds": Package(
        ("oxygen-sounds",), "https://invent.kde.org/plasma/oxygen-sounds", "LGPL-3.0-or-later"
    ),
    "yaru-theme-sound": Package(
        ("yaru-theme-sound",), "https://github.com/ubuntu/yaru", "CC-BY-SA-4.0"
    ),
    "deepin-sound-theme": Package(
        ("deepin-sound-theme",), "https://github.com/linuxdeepin/deepin-sound-theme", "GPL-3"
    ),
}

CAPTIONS = {
    "alarm_clock": phrases(
        "an alarm clock rings; an alarm clock ringing loudly; the bell of an alarm clock; "
        "an old alarm clock is ringing in the morning; a wind-up alarm clock rattles and rings; "
        "the ringing of a mechanical alarm clock; an alarm clock goes off"
    ),
    "applause": phrases(
        "people applaud; applause from an audience; a crowd claps its hands; "
        "an audience is clapping and applauding; a round of applause; "
        "clapping and applause after a performance; many people clapping"
    ),
    "breathing": phrases(
        "someone breathes; a person breathing heavily; heavy breathing; "
        "a person is breathing in and out; deep breaths; the sound of someone breathing; "
        "a person inhales and exhales slowly"
    ),
    "bubbles": phrases(
        "bubbles; water bubbling; bubbles rising in water; air bubbles gurgle underwater; "
        "a bubble pops; bubbles are bubbling up; the blub of bubbles in water"
    ),
    "coins": phrases(
        "coins jingle; coins clinking together; the jingle of loose change; "
        "someone drops coins on a table; coins are being counted; metal coins rattle; "
        "the clink of money"
    ),
    "crowd": phrases(
        "a crowd cheers; a cheering crowd; crowd noise; a large crowd is shouting and cheering; "
        "people cheering at a party; the roar of a crowd; many people cheering and shouting"
    ),
    "frog": phrases(
        "a frog croaks; frogs croaking at night; the croak of a frog; "
        "a frog is croaking near a pond; frogs calling in a pond; many frogs croaking; "
        "croaking of frogs"
    ),
    "heartbeat": phrases(
        "a heart beats; a heartbeat; the thump of a beating heart; a heart is beating steadily; "
        "the sound of a heartbeat; a slow heartbeat; a pulsing heartbeat"
    ),
    "helicopter": phrases(
        "a helicopter flies; a helicopter flying overhead; the whirring rotor of a helicopter; "
        "a helicopter is hovering; the chop of helicopter blades; a helicopter passes by; "
        "helicopter rotor noise"
    ),
    "knock": phrases(
        "someone knocks; knocking on a door; a knock on wood; someone is knocking on a door; "
        "knuckles rapping on wood; a few knocks; the sound of knocking"
    ),
    "machinery": phrases(
        "machinery operates; factory machines running; the clatter of machinery; "
        "industrial machines are working; a mechanism grinding and clanking; factory noise; "
        "heavy machinery humming and clanking"
    ),
    "morse_code": phrases(
        "morse code beeps; a morse code signal; beeps of morse code; "
        "someone is tapping out morse code; dots and dashes of morse code; "
        "a telegraph sending morse code; short and long beeps of a morse message"
    ),
    "music": phrases(
        "music plays; a piece of music; background music; instrumental music; "
        "a band is playing music; a short piece of music is played; a melody with accompaniment; "
        "music with several instruments"
    ),
    "notification": phrases(
        "a notification chime; a computer plays a notification sound; a phone notification ding; "
        "a message alert sound; a short chime announces a new message; "
        "an electronic chime from a device; a gentle notification tone"
    ),
    "paper": phrases(
        "paper rustles; rustling paper; someone crumples paper; pages are turned; "
        "the crinkle of paper; a person is handling sheets of paper; paper being shuffled"
    ),
    "ringtone": phrases(
        "a ringtone plays; a mobile phone ringtone; a phone rings with a melody; "
        "a cell phone is ringing; an electronic ringtone melody; an incoming call ringtone; "
        "a phone plays its ringing tune"
    ),
    "scrape": phrases(
        "something scrapes; scraping on a surface; a scraping sound; "
        "an object is scraped across a hard surface; the scratch of something rough; "
        "someone scrapes and scratches; a rough scraping noise"
    ),
    "sliding": phrases(
        "something slides; an object sliding; something slides across a surface; "
        "a piece slides into place; the swish of a sliding object; an object is sliding down; "
        "a sliding sound"
    ),
    "telephone": phrases(
        "a telephone rings; a phone ringing; the ring of a telephone; "
        "a telephone is ringing in an office; an incoming call rings; an old phone rings; "
        "the telephone rings repeatedly"
    ),
    "train": phrases(
        "a train passes; a train on the tracks; a train rumbles by; "
        "the clatter of a train on rails; a locomotive rolling along; a train is moving; "
        "the rumble of a passing train"
    ),
    "water_drip": phrases(
        "water drips; dripping water; a dripping tap; drops of water falling; "
        "water is dripping slowly; a drip of water; droplets falling into water"
    ),
    # one more phrase, true of every clip of the class, for existing classes that have six
    "accordion": phrases("an accordion is being played"),
    "bass_guitar": phrases("the sound of a bass guitar"),
    "beep": phrases("electronic beeps"),
    "bell": phrases("the sound of a bell"),
    "camera_shutter": phrases("someone takes a photo with a camera"),
    "cello": phrases("someone is playing a cello"),
    "clarinet": phrases("a clarinet is being played"),
    "explosion": phrases("the boom of an explosion"),
    "flute": phrases("the sound of a flute"),
    "guitar": phrases("the sound of a guitar"),
    "harp": phrases("the sound of a harp"),
    "horn": phrases("the sound of a horn"),
    "organ": phrases("an organ is being played"),
    "pickaxe": phrases("the sound of a pickaxe on rock"),
    "saxophone": phrases("a saxophone is being played"),
    "splash": phrases("the sound of water splashing"),
    "trumpet": phrases("the sound of a trumpet"),
    "violin": phrases("someone is playing a violin"),
    "vinyl_scratch": phrases("a DJ scratches a record"),
    "xylophone": phrases("the sound of a xylophone"),
}

_LANGUAGES = {
    "ar": "Arabic",
    "cs": "Czech",
    "da": "Danish",
    "de": "German",
    "en": "English",
    "en_gb": "British English",
    "es": "Spanish",
    "fr": "French",
    "he": "Hebrew",
    "hu": "Hungarian",
    "it": "Italian",
    "lt": "Lithuanian",
    "ml": "Malayalam",
    "nb": "Norwegian",
    "nds": "Low German",
    "nl": "Dutch",
    "pt_br": "Brazilian Portuguese",
    "ru": "Russian",
    "tn": "Setswana",
    "uk": "Ukrainian",
}

HINTS = {
    "speech": {
        r"klettres/[^/]+/alpha/": phrases(
            "someone pronounces a letter of the alphabet; a voice says a single letter"
        ),
        r"klettres/[^/]+/syllab/": phrases(
            "someone pronounces a syllable; a voice says a syllable"
        ),
        **{
            rf"klettres/{code}/": phrases(f"someone says a letter or a syllable in {language}")
            for code, language in _LANGUAGES.items()
        },
        r"klettres/ar/": phrases("a child's voice says a letter"),
        r"audio-channel-": phrases(
            "a voice announces a loudspeaker channel; a voice says front left or rear right"
        ),
    },
    "music": {
        r"/beethoven\.": phrases("classical music played by an orchestra"),
        r"/ireland\.": phrases("celtic folk music with a fiddle"),
        r"/japan\.": phrases("Japanese taiko drumming"),
        r"/italy\.": phrases("an opera singer sings with an orchestra"),
        r"/mexico\.": phrases("mariachi music with trumpets and guitars"),
        r"/africa\.": phrases("African drum music"),
        r"/middleeast\.": phrases("traditional Middle Eastern music"),
        r"/australia\.": phrases("aboriginal music with a didgeridoo"),
        r"/america\.": phrases("rock and roll music"),
        r"log-in|log-out|desktop-login": phrases(
            "the startup music of a computer; a calm synthesizer piece"
        ),
    },
    "scrape": {r"chalk": phrases("chalk scratching on a blackboard; someone writes with chalk")},
    "beep": {r"phone-outgoing-busy": phrases("a telephone busy signal")},
    "bell": {
        r"gong": phrases("a gong is struck; the long resonance of a temple gong"),
        r"wind_chimes": phrases("wind chimes tinkling"),
    },
    "frog": {r"storm": phrases("frogs croaking in a pond during a rainstorm")},
    "engine": {r"carengine": phrases("a car engine starts and then stops")},
    "stream": {r"water_fill": phrases("water rushing in to fill a canal lock")},
    "train": {r"slowing": phrases("a train slowing down")},
    "drums": {
        r"bongo": phrases("bongo drums are played; hands tapping on bongos"),
        r"timpani": phrases("timpani rumble; kettle drums are struck"),
        r"cymbal": phrases("a cymbal is struck and rings"),
        r"snare_drum": phrases("a snare drum is played"),
        r"909|electro_beat|house_loop|rave_": phrases("an electronic drum machine beat"),
        r"jungle|break0": phrases("a breakbeat drum loop"),
    },
    "guitar": {r"latin_guitar": phrases("a Spanish guitar plays a Latin rhythm")},
    "piano": {r"e_piano": phrases("an electric piano plays chords")},
    "organ": {r"e_organ": phrases("an electric organ plays")},
    "bass_guitar": {r"bassslap": phrases("a slap bass line")},
    "horn": {r"instruments/resource/horn\.": phrases("a French horn plays")},
    "camera_shutter": {r"screen-capture": phrases("a camera shutter sound for a screenshot")},
}

_FARM = "explore_farm_animals/resource/animals/"
_INSTRUMENTS = "gcompris/src/activities/instruments/resource/"
_MEMORY = "memory-sound/resource/lr"
_WORLD = "explore_world_music/resource/music/"
_VOCAL_MUSIC = "america|australia|italy|japan|mexico|middleeast"  # may hold singing or shouts
_DRUM_HITS = "bassdrum|kick|snare|hihat|tom|crash|ride|rim|sidestick|clap|nasty_(rim|snare)"

RULES: dict[str, tuple[Rule, ...]] = {
    "khangman": (Rule(r"qml/sounds/chalk\.wav", "scrape"),),  # chalk.ogg is the same sound
    "kolf": (
        Rule(r"sounds/holeinone\.", "applause"),
        Rule(r"sounds/puddle\.", "splash"),
    ),
    "klettres-data": (
        Rule(
            r"klettres/[^/]+/(alpha|syllab)/",
            "speech",
            speaker=r"klettres/(?P<speaker>[^/]+)/",  # one recording voice per language folder
        ),
    ),
    "gcompris-qt-data": (
        Rule(_FARM + r"cat\.", "cat"),
        Rule(_FARM + r"chickens\.", "chicken"),
        Rule(_FARM + r"cow\.", "cow"),
        Rule(_FARM + r"dog\.", "dog"),
        Rule(_FARM + r"duck\.", "duck"),
        Rule(_FARM + r"horse\.", "horse"),
        Rule(_FARM + r"owl\.", "bird"),
        Rule(_FARM + r"pig\.", "pig"),
        Rule(_FARM + r"sheep\.", "sheep"),
        Rule(_WORLD + r"(beethoven|ireland|africa)\.", "music"),
        Rule(
            _WORLD + rf"({_VOCAL_MUSIC})\.",
            "music",
            speaker=_WORLD + rf"(?P<speaker>{_VOCAL_MUSIC})\.",
        ),
        Rule(r"core/resource/intro\.ogg", "music"),
        Rule(_INSTRUMENTS + r"accordion\.", "accordion"),
        Rule(_INSTRUMENTS + r"(bongo|cymbal|drum_kit|snare_drum|timpani)\.", "drums"),
        Rule(_INSTRUMENTS + r"cello\.", "cello"),
        Rule(_INSTRUMENTS + r"clarinet\.", "clarinet"),
        Rule(_INSTRUMENTS + r"(electric_guitar|guitar)\.", "guitar"),
        Rule(_INSTRUMENTS + r"flute_traversiere\.", "flute"),
        Rule(_INSTRUMENTS + r"harp\.", "harp"),
        Rule(_INSTRUMENTS + r"horn\.", "horn"),
        Rule(_INSTRUMENTS + r"organ\.", "organ"),
        Rule(_INSTRUMENTS + r"piano\.", "piano"),
        Rule(_INSTRUMENTS + r"saxophone\.", "saxophone"),
        Rule(_INSTRUMENTS + r"trumpet\.", "trumpet"),
        Rule(_INSTRUMENTS + r"violin\.", "violin"),
        Rule(r"melody/resource/xylofon_son\d", "xylophone", (0.1, 0.4)),
        Rule(r"melody/resource/knock\.", "knock"),
        Rule(_MEMORY + r"applauses", "applause"),
        Rule(_MEMORY + r"bark_", "dog"),
        Rule(_MEMORY + r"buddhist_gong", "bell"),
        Rule(_MEMORY + r"door_open", "door"),
        Rule(_MEMORY + r"factory_noise", "machinery"),
        Rule(_MEMORY + r"frogsinpond", "frog"),
        Rule(_MEMORY + r"heart_beat", "heartbeat"),
        Rule(_MEMORY + r"rain_in_garden", "rain"),
        Rule(_MEMORY + r"startandstopcarengine", "engine"),
        Rule(_MEMORY + r"train_slowing", "train"),
        Rule(r"memory-sound/resource/guitar_(melody|son\d)\.", "guitar"),
        Rule(r"railroad/resource/sounds/train\.", "train"),
        Rule(r"guessnumber/resource/helicopter\.", "helicopter"),
        Rule(r"mining/resource/pickaxe\.", "pickaxe"),
        Rule(r"money/resource/money\d\.", "coins"),
        Rule(r"morse_code/resource/(dash|dot)\.", "morse_code", (0.08, 0.35)),
        Rule(r"(clickgame|watercycle)/resource/bubble\.", "bubbles"),
        Rule(r"clickgame/resource/drip\.", "water_drip", (0.3, 1.2)),
        Rule(r"canal_lock/resource/water_fill\.", "stream"),
        Rule(r"align4_2players/resource/slide\.", "sliding"),
    ),
    "lmms-common": (
        Rule(r"samples/beats/", "drums"),  # drum loops
        Rule(rf"samples/(?P<group>drums)/({_DRUM_HITS})", "drums", (0.08, 0.4)),
        Rule(r"effects/explode\d", "explosion"),
        Rule(r"effects/scratch\d", "vinyl_scratch"),
        Rule(r"effects/wind_chimes\d", "bell"),
        Rule(r"instruments/bassslap\d", "bass_guitar"),
        Rule(r"instruments/cello\d", "cello"),
        Rule(r"instruments/(church_organ|e_organ)\d", "organ"),
        Rule(r"instruments/(piano|e_piano_accord)\d", "piano"),
        Rule(r"instruments/flute\d", "flute"),
        Rule(r"instruments/steel_guitar\d", "guitar"),  # the *_distorted copies are left out
        Rule(r"latin/latin_guitar\d", "guitar"),
        Rule(r"instruments/trumpet\d", "trumpet"),
        Rule(r"instruments/violin_", "violin"),
        Rule(r"misc/applause\d", "applause"),
        Rule(r"misc/breath\d", "breathing", speaker=r"misc/breath01"),
        Rule(r"misc/raving_crowd\d", "crowd", speaker=r"misc/raving_crowd01"),
    ),
    "sound-theme-freedesktop": (
        Rule(r"stereo/alarm-clock-elapsed\.", "alarm_clock"),
        Rule(r"stereo/audio-channel-", "speech", speaker=r"freedesktop/stereo/audio-channel-"),
        Rule(r"stereo/(camera-shutter|screen-capture)\.", "camera_shutter"),
        Rule(r"stereo/(complete|message-new-instant)\.", "notification"),
        Rule(r"stereo/phone-incoming-call\.", "telephone"),
        Rule(r"stereo/phone-outgoing-busy\.", "beep"),
    ),
    "oxygen-sounds": (
        Rule(r"oxygen-sys-log-(in|in-long|in-short|out-long)\.", "music"),
        Rule(r"oxygen-im-phone-ring\.", "ringtone"),
        Rule(
            r"oxygen-(im-(message-in|message-out|new-mail|sms|highlight-msg|low-priority-message"
            r"|irc-event|contact-in|contact-out)|sys-app-message)\.",
            "notification",
        ),
    ),
    "yaru-theme-sound": (
        Rule(
            r"stereo/(message|message-new-email|complete|battery-low|dialog-question"
            r"|dialog-warning)\.",
            "notification",
        ),
    ),
    "deepin-sound-theme": (
        Rule(r"stereo/camera-shutter\.", "camera_shutter", CLICK_GAP_SECONDS),
        Rule(r"stereo/(message|complete-print)\.", "notification"),
        Rule(r"stereo/desktop-login\.", "music"),
    ),
}
