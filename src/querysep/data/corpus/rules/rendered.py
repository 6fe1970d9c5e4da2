"""Instruments and voices: soundfonts rendered by this build, real drum samples, espeak-ng.

Soundfont packages are not read file by file: ``render.py`` plays seeded melodies (drum and
percussion patterns) through each soundfont with fluidsynth into ``<class>/`` folders, which
the rules below label. Hydrogen's drum kits are real recorded one-shots, strung into
sequences per kit. espeak-ng speaks seeded sentences with many voice variants.
"""

from __future__ import annotations

from querysep.data.corpus.render import INSTRUMENTS, Soundfont
from querysep.data.corpus.rules.base import Package, Rule, phrases

_RENDERED = "melodies and patterns written and rendered with fluidsynth by this build"
PACKAGES = {
    "fluid-soundfont-gm": Package(
        ("fluid-soundfont-gm",),
        "https://github.com/FluidSynth/fluidsynth/wiki/SoundFont (FluidR3_GM by Frank Wen)",
        f"MIT (the soundfont); {_RENDERED}",
        rendered=True,
    ),
    "musescore-general-soundfont": Package(
        ("musescore-general-soundfont",),
        "https://musescore.org (MuseScore General by S. Christian Collins)",
        f"MIT (the soundfont); {_RENDERED}",
        rendered=True,
    ),
    "csound-soundfont": Package(
        ("csound-soundfont",),
        "https://csound.com (sf_GMbank)",
        f"LGPL-2.1+ (the soundfont, as Csound); {_RENDERED}",
        rendered=True,
    ),
    "avldrums.lv2-soundfont": Package(
        ("avldrums.lv2-soundfont",),
        "https://x42-plugins.com/x42/x42-avldrums (AVLinux drum kits: recorded drums)",
        f"CC-BY-SA-4.0 (the Black Pearl and Red Zeppelin kits); {_RENDERED}",
        rendered=True,
    ),
    "hydrogen-drumkits": Package(
        ("hydrogen-drumkits",),
        "http://hydrogen-music.org (drum kits by their authors, see copyright file)",
        "GPL-2+, CC-BY-SA and CC0 per kit (see the copyright file)",
    ),
    "espeak-ng": Package(
        ("espeak-ng",),
        "https://github.com/espeak-ng/espeak-ng",
        "GPL-3+ (the synthesizer and its voice data); sentences written for this build",
        rendered=True,
    ),
}

_DRUM_KITS = ("Black_Pearl_4_LV2.sf2", "Red_Zeppelin_4_LV2.sf2")
SOUNDFONTS: dict[str, tuple[Soundfont, ...]] = {
    "fluid-soundfont-gm": (Soundfont("usr/share/sounds/sf2/FluidR3_GM.sf2"),),
    "musescore-general-soundfont": (Soundfont("usr/share/sounds/sf3/MuseScore_General_Full.sf3"),),
    "csound-soundfont": (Soundfont("usr/share/sounds/sf2/sf_GMbank.sf2"),),
    "avldrums.lv2-soundfont": tuple(
        Soundfont(f"usr/share/sounds/sf2/{kit}", labels=("drums",), drum_channel=0)
        for kit in _DRUM_KITS
    ),
}

_KITS = r"drumkits/(?P<group>[^/]+)/"
_HITS = (0.08, 0.4)
_SOUNDFONT_RULES = tuple(Rule(rf"^[^/]+/{label}/", label) for label in INSTRUMENTS)
RULES: dict[str, tuple[Rule, ...]] = {
    **{package: _SOUNDFONT_RULES for package in SOUNDFONTS},
    "hydrogen-drumkits": (
        Rule(r"emptysample", None),
        Rule(r"varibreaks/beats_", "drums"),
        Rule(rf"{_KITS}(bongo)", "congas", _HITS),
        Rule(rf"{_KITS}(cowbell)", "cowbell", _HITS),
        Rule(rf"{_KITS}(maraca)", "maracas", _HITS),
        Rule(rf"{_KITS}(tambourine-)", "tambourine", _HITS),
        Rule(rf"{_KITS}(handclap)", "clapping", (0.15, 0.5)),
        Rule(rf"{_KITS}(woodblock|clave)", "woodblock", _HITS),
        Rule(r"gimme a hand|circafrique", None),  # fingersnaps, cajon, water glasses, djembe
        Rule(rf"{_KITS}", "drums", _HITS),
    ),
    "espeak-ng": (
        Rule(r"^speech/", "speech", speaker=r"^speech/[a-z]+_(?P<speaker>[a-z0-9]+)_\d+"),
    ),
}

CAPTIONS = {
    "electric_piano": phrases(
        "an electric piano plays; a Rhodes piano melody; electric piano chords; "
        "someone is playing an electric piano; a mellow electric keyboard; "
        "the warm tone of an electric piano; a keyboard playing soft chords"
    ),
    "harpsichord": phrases(
        "a harpsichord plays; baroque harpsichord music; the plucked sound of a harpsichord; "
        "someone is playing a harpsichord; a harpsichord melody with chords; "
        "an old keyboard instrument playing; bright plucked keyboard notes"
    ),
    "music_box": phrases(
        "a music box plays a tune; the tinkling of a music box; a celesta melody; "
        "a delicate music box melody; small bell-like notes of a music box; "
        "a music box is playing; twinkling notes of a celesta"
    ),
    "glockenspiel": phrases(
        "a glockenspiel plays; bright metallic notes of a glockenspiel; "
        "someone is playing the glockenspiel; a glockenspiel melody; chiming metal bars; "
        "high ringing notes of a glockenspiel; a tune on a glockenspiel"
    ),
    "vibraphone": phrases(
        "a vibraphone plays; mellow vibraphone notes; a jazz vibraphone melody; "
        "someone is playing the vibes; shimmering notes of a vibraphone; "
        "a vibraphone solo; soft mallet notes on a vibraphone"
    ),
    "harmonica": phrases(
        "a harmonica plays; someone playing the harmonica; a bluesy harmonica melody; "
        "a mouth organ is playing; the reedy sound of a harmonica; a harmonica tune; "
        "a person blows a harmonica"
    ),
    "viola": phrases(
        "a viola plays; a bowed viola melody; someone is playing the viola; "
        "the warm tone of a viola; a string instrument is bowed; a viola solo; "
        "a slow melody on a viola"
    ),
    "double_bass": phrases(
        "a double bass plays; a deep bowed bass; someone is playing the contrabass; "
        "low notes of a double bass; a string bass melody; the deep tone of an upright bass; "
        "a contrabass is playing"
    ),
    "pizzicato": phrases(
        "plucked strings; pizzicato strings play; strings are plucked; "
        "someone plucks a violin; a pizzicato melody; plucked string notes; "
        "short plucked notes of a string section"
    ),
    "timpani": phrases(
        "timpani drums roll; kettle drums play; the boom of timpani; "
        "orchestral timpani are struck; deep kettle drum beats; a timpani roll; "
        "someone plays the timpani"
    ),
    "strings": phrases(
        "a string section plays; an orchestra of strings; strings playing chords; "
        "a string ensemble is playing; lush orchestral strings; violins and cellos together; "
        "a slow string arrangement"
    ),
    "choir": phrases(
        "a choir sings; voices singing aah together; a choir of voices; "
        "people singing in harmony; choral voices; a chorus is singing; "
        "a group of singers holds a chord"
    ),
    "trombone": phrases(
        "a trombone plays; someone playing the trombone; a brassy trombone melody; "
        "the low blare of a trombone; a trombone solo; sliding notes of a trombone; "
        "a brass instrument is playing"
    ),
    "tuba": phrases(
        "a tuba plays; the deep oompah of a tuba; someone is playing a tuba; "
        "low brass notes of a tuba; a tuba melody; a big brass instrument playing low; "
        "the bass notes of a tuba"
    ),
    "french_horn": phrases(
        "a French horn plays; a horn melody; the mellow sound of a French horn; "
        "someone is playing the French horn; an orchestral horn solo; brass horn notes; "
        "a warm horn tune"
    ),
    "oboe": phrases(
        "an oboe plays; a melody on the oboe; the nasal tone of an oboe; "
        "someone is playing the oboe; a woodwind melody; an oboe solo; "
        "a double reed instrument playing"
    ),
    "bassoon": phrases(
        "a bassoon plays; low notes of a bassoon; someone is playing the bassoon; "
        "a woodwind plays a low melody; the reedy sound of a bassoon; a bassoon solo; "
        "a deep woodwind tune"
    ),
    "recorder": phrases(
        "a recorder plays; someone playing a recorder; a simple recorder melody; "
        "a wooden flute tune; the breathy sound of a recorder; a recorder is being played; "
        "a child plays the recorder"
    ),
    "pan_flute": phrases(
        "a pan flute plays; the breathy tone of pan pipes; someone plays the pan pipes; "
        "a pan flute melody; an Andean flute tune; pipes are blown; airy notes of a pan flute"
    ),
    "ocarina": phrases(
        "an ocarina plays; a melody on an ocarina; the pure tone of an ocarina; "
        "someone is playing the ocarina; a small clay flute plays a tune; an ocarina solo; "
        "soft whistling notes of an ocarina"
    ),
    "synthesizer": phrases(
        "a synthesizer plays; electronic synth notes; a synth melody; "
        "someone is playing a synthesizer; an electronic keyboard pad; synth chords; "
        "a retro synthesizer lead"
    ),
    "sitar": phrases(
        "a sitar plays; the twang of a sitar; Indian sitar music; someone is playing a sitar; "
        "a sitar melody; plucked strings of a sitar; a resonant sitar tune"
    ),
    "banjo": phrases(
        "a banjo plays; someone picking a banjo; a bluegrass banjo tune; "
        "the twang of a banjo; a banjo is being played; bright plucked banjo notes; "
        "a country banjo melody"
    ),
    "koto": phrases(
        "a koto plays; Japanese koto music; plucked strings of a koto; "
        "someone is playing the koto; a koto melody; a Japanese zither is plucked; "
        "a traditional Japanese string instrument"
    ),
    "kalimba": phrases(
        "a kalimba plays; a thumb piano melody; plinking notes of a kalimba; "
        "someone is playing a kalimba; a mbira tune; soft metal tines are plucked; "
        "a gentle thumb piano"
    ),
    "bagpipe": phrases(
        "bagpipes play; the drone of bagpipes; someone is playing the bagpipes; "
        "a Scottish bagpipe tune; bagpipes are droning; a piper plays a melody; "
        "the loud wail of bagpipes"
    ),
    "steel_drum": phrases(
        "a steel drum plays; a steelpan melody; Caribbean steel drum music; "
        "someone is playing a steel pan; bright metallic notes of a steel drum; "
        "a calypso steel drum tune; a steel drum is struck"
    ),
    "taiko": phrases(
        "taiko drums are struck; Japanese taiko drumming; big drums boom; "
        "someone beats a taiko drum; deep drum hits; heavy drum beats; a large drum is pounded"
    ),
    "tambourine": phrases(
        "a tambourine is shaken; a tambourine jingles; someone plays a tambourine; "
        "the jingle of a tambourine; a tambourine rhythm; a tambourine is tapped; "
        "rattling jingles of a tambourine"
    ),
    "cowbell": phrases(
        "a cowbell is struck; someone plays a cowbell; a cowbell rhythm; "
        "the clank of a cowbell; a metallic cowbell beat; a cowbell is being hit; "
        "a percussion cowbell"
    ),
    "congas": phrases(
        "congas are played; bongo drums; someone plays hand drums; a conga rhythm; "
        "Latin hand drums; bongos being tapped; a person slaps conga drums"
    ),
    "maracas": phrases(
        "maracas shake; someone shakes maracas; a shaker rhythm; the rattle of maracas; "
        "a shaker is shaken in rhythm; maracas are being played; a rattling shaker"
    ),
    "triangle": phrases(
        "a triangle rings; someone plays a triangle; the ting of a triangle; "
        "a metal triangle is struck; a triangle rhythm; high ringing triangle notes; "
        "a percussion triangle"
    ),
    "woodblock": phrases(
        "a woodblock is struck; wooden clicks of a woodblock; claves are tapped; "
        "someone hits a woodblock; a woodblock rhythm; hollow wooden knocks; "
        "wooden percussion clicking"
    ),
    "clapping": phrases(
        "hands clapping; someone claps; a person claps their hands; clapping in rhythm; "
        "hand claps; rhythmic clapping; someone is clapping"
    ),
}

HINTS = {
    "drums": {r"/drums_(power|room|standard)_": phrases("a rock drum beat")},
    "music_box": {r"celesta": phrases("a celesta plays")},
    "flute": {r"piccolo": phrases("a piccolo plays")},
    "congas": {r"bongo": phrases("bongo drums are tapped")},
}
