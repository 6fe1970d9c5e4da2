"""Natural captions per sound class, plus hints taken from file names where they are safe.

``CAPTIONS`` holds general templates for each class; ``HINTS`` adds specific captions when a
keyword appears in the source path (a rooster among the chickens, footsteps on gravel, a woman
speaking). A clip gets ``num_captions`` distinct captions drawn with a seeded generator: up to
two hints first, the rest from the class templates.
"""

from __future__ import annotations

import re

import numpy as np

from querysep.data.corpus.rules import extra_captions, extra_hints


def _phrases(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(";"))


_MALE = r"(?<!fe)male|_m\d_"
_FEMALE = r"female|civfem|_f\d_"

CAPTIONS: dict[str, tuple[str, ...]] = {
    "dog": _phrases(
        "a dog barks; a dog barking loudly outside; barking of a dog; a dog is barking repeatedly; "
        "a dog barks and yelps nearby; a single dog barking; a dog barking in the distance; "
        "woof of a barking dog"
    ),
    "cat": _phrases(
        "a cat meows; a cat meowing; meowing of a cat; a cat mews loudly; a cat cries out; "
        "a domestic cat meowing nearby; a cat making a meow sound"
    ),
    "cow": _phrases(
        "a cow moos; a cow mooing loudly; mooing of cattle; cattle lowing on a farm; "
        "a cow is mooing in a field; the deep moo of a cow; a cow moos nearby"
    ),
    "horse": _phrases(
        "a horse neighs; a horse whinnying; neighing of a horse; a horse snorts and neighs; "
        "a horse is whinnying loudly; a horse neighing outside; a horse makes a loud neigh"
    ),
    "sheep": _phrases(
        "a sheep bleats; bleating of sheep; a sheep baaing; a sheep is bleating loudly; "
        "sheep bleating on a farm; a goat or sheep bleats; baa of a sheep"
    ),
    "pig": _phrases(
        "a pig oinks; a pig grunting; oinking of a pig; a pig squeals; "
        "pigs grunting and squealing; a pig is snorting and oinking; grunts of a pig on a farm"
    ),
    "chicken": _phrases(
        "a chicken clucks; chickens clucking; clucking of hens; a chicken is clucking on a farm; "
        "poultry clucking and squawking; a hen clucks nearby; chickens cluck in a yard"
    ),
    "duck": _phrases(
        "a duck quacks; ducks quacking; quacking of a duck; a duck is quacking loudly; "
        "a duck quacks by the pond; waterfowl quacking; a loud quack of a duck"
    ),
    "bird": _phrases(
        "a bird sings; birds chirping; birdsong outside; a bird is chirping and tweeting; "
        "birds singing in the trees; a bird call; chirping of birds; a bird calls out"
    ),
    "insects": _phrases(
        "insects buzzing; an insect buzzes; buzzing of insects; an insect is buzzing nearby; "
        "the drone of a buzzing insect; insects chirping and buzzing; a flying insect buzzes around"
    ),
    "elephant": _phrases(
        "an elephant trumpets; an elephant trumpeting loudly; trumpeting of an elephant; "
        "an elephant is calling; the loud trumpet call of an elephant; "
        "an elephant roars and trumpets"
    ),
    "lion": _phrases(
        "a lion roars; a lion roaring loudly; roar of a big cat; a lion is growling and roaring; "
        "the deep roar of a lion; a big cat snarls and roars"
    ),
    "wolf": _phrases(
        "a wolf growls; a wolf snarling; growling of a wolf; a wolf is growling menacingly; "
        "an angry wolf snarls; a wild dog growls and yelps"
    ),
    "whale": _phrases(
        "a whale calls; whale song underwater; a marine mammal calling; "
        "whistles and clicks of a sea animal; a whale is singing; sea mammal sounds underwater"
    ),
    "rain": _phrases(
        "rain falls; rain falling steadily; the sound of rain; heavy rain pouring down; "
        "rain is falling outside; raindrops pattering on the ground; a steady rainfall"
    ),
    "thunder": _phrases(
        "thunder rumbles; a clap of thunder; thunder rumbling in the distance; a loud thunderclap; "
        "thunder is rolling during a storm; the deep rumble of thunder"
    ),
    "wind": _phrases(
        "wind blows; strong wind blowing; the sound of wind; wind is howling; "
        "gusts of wind blowing outside; a cold wind whistles; wind blowing through the trees"
    ),
    "stream": _phrases(
        "water flows; a stream flowing; running water in a river; water is trickling and flowing; "
        "the babbling of a brook; a river rushes by; flowing water"
    ),
    "ocean_waves": _phrases(
        "waves crash; ocean waves crashing; waves breaking on the shore; "
        "the sea washing on a beach; surf rolling in; waves are crashing against the coast"
    ),
    "fire": _phrases(
        "a fire crackles; fire crackling; the crackle of burning wood; "
        "a fire is burning and crackling; flames crackling and popping; a fire burns steadily"
    ),
    "speech": _phrases(
        "someone speaks; a person talking; a voice speaking; a person is speaking clearly; "
        "speech of a single speaker; someone says something; a human voice talking; "
        "a person speaks a few words"
    ),
    "scream": _phrases(
        "a person screams; someone cries out in pain; a scream of pain; "
        "a person is yelling and groaning; a loud pained shout; a human scream; "
        "someone groans and screams"
    ),
    "laughter": _phrases(
        "someone laughs; a person laughing; laughter; a person is laughing loudly; a hearty laugh; "
        "someone laughs out loud; a cackling laugh"
    ),
    "footsteps": _phrases(
        "footsteps; someone walking; footsteps of a person walking; "
        "a person is walking step by step; steps on the ground; the sound of footsteps; "
        "someone walks by"
    ),
    "typing": _phrases(
        "typing on a keyboard; someone types on a keyboard; keyboard keys clicking; "
        "a person is typing quickly; clicking keys of a mechanical keyboard; "
        "keystrokes on a computer keyboard; the clatter of typing"
    ),
    "galloping": _phrases(
        "a horse gallops; hooves of a galloping horse; a horse trotting; "
        "clip clop of horse hooves; a horse is galloping by; the sound of hooves on the ground"
    ),
    "door": _phrases(
        "a door opens and closes; a door creaks; a door slams shut; a door is being opened; "
        "the creak of a door; a door closing; someone opens a door"
    ),
    "glass_breaking": _phrases(
        "glass shatters; glass breaking; a window shattering; the crash of breaking glass; "
        "glass is smashed into pieces; shards of glass falling"
    ),
    "sawing": _phrases(
        "someone saws wood; a saw cutting wood; sawing; the rasp of a hand saw; "
        "a person is sawing through a plank; wood being sawn"
    ),
    "hammering": _phrases(
        "a hammer strikes; someone hammering; hammering nails; a person is hammering on wood; "
        "repeated hammer blows; the bang of a hammer"
    ),
    "wood_chopping": _phrases(
        "someone chops wood; an axe chopping wood; chopping a tree; the thud of an axe into wood; "
        "a person is chopping firewood; wood being chopped with an axe"
    ),
    "pickaxe": _phrases(
        "a pickaxe strikes rock; someone mining with a pickaxe; metal tools hitting stone; "
        "a person is breaking rocks; the clink of a pick on stone; digging in rock with a pick"
    ),
    "arrow_impact": _phrases(
        "an arrow hits a target; arrows thudding into a target; the thud of an arrow strike; "
        "arrows are hitting a surface; projectiles striking a target; an arrow lands with a thunk"
    ),
    "bow": _phrases(
        "an arrow is shot; a bow is fired; an archer shoots an arrow; the twang of a bowstring; "
        "an arrow whizzes by; arrows being shot from a bow"
    ),
    "sword": _phrases(
        "swords clash; metal swords clanging; a sword fight; blades clashing together; "
        "the clang of steel swords; a sword strikes metal"
    ),
    "whoosh": _phrases(
        "a whoosh; something swishes through the air; a fast swoosh; "
        "a blade swishing through the air; the whoosh of a quick movement; "
        "an object swings past with a whoosh"
    ),
    "explosion": _phrases(
        "an explosion; a loud explosion; a bomb explodes; something explodes with a boom; "
        "a blast and rumble; a large explosion booms"
    ),
    "gunshot": _phrases(
        "a gunshot; a gun fires; gunfire; shots are fired; a loud gunshot rings out; "
        "a firearm being shot; the bang of a gun"
    ),
    "laser": _phrases(
        "a laser gun fires; a sci-fi laser zap; laser blasts; a futuristic laser weapon shoots; "
        "electronic zapping of a laser; a ray gun firing"
    ),
    "flamethrower": _phrases(
        "a flamethrower roars; a burst of flame; fire whooshing from a flamethrower; "
        "a jet of flames roaring; a flamethrower is blasting fire; the whoosh of flames"
    ),
    "sparks": _phrases(
        "electric sparks crackle; electricity buzzing and sparking; an electric spark; "
        "sparks are crackling; the crackle of electrical arcs; a short circuit sparking"
    ),
    "splash": _phrases(
        "water splashes; a splash in the water; something falls into water; a big splash; "
        "water is splashing; an object splashing into a pool"
    ),
    "steam": _phrases(
        "steam hisses; a hiss of steam; steam escaping; hissing steam from a valve; "
        "pressurized steam is released; a loud steam hiss"
    ),
    "engine": _phrases(
        "an engine runs; an engine rumbling; a motor running; a vehicle engine idling; "
        "the drone of an engine; a heavy vehicle engine revving; a motor is running steadily"
    ),
    "aircraft": _phrases(
        "an aircraft flies over; an airplane engine; a plane flying by; the roar of an aircraft; "
        "a plane is passing overhead; an aircraft engine humming"
    ),
    "siren": _phrases(
        "a siren wails; an emergency siren; a siren blaring; a fire truck siren; "
        "a siren is sounding; the wail of a siren"
    ),
    "horn": _phrases(
        "a horn blows; a hunting horn sounds; a horn signal; someone blows a horn; "
        "the call of a brass horn; a loud horn blast"
    ),
    "bell": _phrases(
        "a bell rings; bells ringing; a bell chimes; the ring of a bell; "
        "a bell is ringing clearly; chiming bells"
    ),
    "beep": _phrases(
        "a beep; electronic beeping; a device beeps; a short electronic tone; "
        "beeping of a machine; an electronic beep sounds"
    ),
    "camera_shutter": _phrases(
        "a camera shutter clicks; a photo is taken; the click of a camera; "
        "a camera taking a picture; a shutter click; the snap of a camera shutter"
    ),
    "vinyl_scratch": _phrases(
        "a record scratches; vinyl scratching; a DJ scratching a record; a turntable scratch; "
        "a record being scratched; the scratch of a vinyl record"
    ),
    "piano": _phrases(
        "a piano plays; someone plays the piano; piano music; a piano melody; "
        "notes played on a piano; a gentle piano tune; a solo piano piece"
    ),
    "organ": _phrases(
        "an organ plays; organ music; someone plays the organ; an organ melody; "
        "chords on an organ; the sound of an organ"
    ),
    "guitar": _phrases(
        "a guitar plays; someone plays the guitar; guitar music; a guitar melody; "
        "strumming a guitar; notes plucked on a guitar"
    ),
    "violin": _phrases(
        "a violin plays; someone plays the violin; violin music; a violin melody; a bowed violin; "
        "the sound of a violin"
    ),
    "cello": _phrases(
        "a cello plays; someone plays the cello; cello music; a deep cello melody; a bowed cello; "
        "the warm tone of a cello"
    ),
    "flute": _phrases(
        "a flute plays; someone plays the flute; flute music; a flute melody; a gentle flute tune; "
        "notes played on a flute"
    ),
    "trumpet": _phrases(
        "a trumpet plays; someone plays the trumpet; trumpet music; a trumpet melody; "
        "a brassy trumpet tune; notes blown on a trumpet"
    ),
    "saxophone": _phrases(
        "a saxophone plays; someone plays the saxophone; saxophone music; a saxophone melody; "
        "a smooth sax tune; the sound of a saxophone"
    ),
    "clarinet": _phrases(
        "a clarinet plays; someone plays the clarinet; clarinet music; a clarinet melody; "
        "a woodwind tune on a clarinet; the sound of a clarinet"
    ),
    "harp": _phrases(
        "a harp plays; someone plays the harp; harp music; a harp melody; "
        "strings plucked on a harp; gentle harp arpeggios"
    ),
    "xylophone": _phrases(
        "a xylophone plays; someone plays the xylophone; mallets on a xylophone; a marimba melody; "
        "a tune on a xylophone; wooden bars struck with mallets"
    ),
    "accordion": _phrases(
        "an accordion plays; someone plays the accordion; accordion music; an accordion melody; "
        "a squeezebox tune; the sound of an accordion"
    ),
    "bass_guitar": _phrases(
        "a bass guitar plays; someone plays the bass; a bass line; a bass guitar melody; "
        "low notes on a bass guitar; a deep bass line"
    ),
    "drums": _phrases(
        "drums are played; someone plays the drums; a drum beat; drumming; "
        "a drummer plays a rhythm; drums and cymbals; a percussion rhythm"
    ),
}

HINTS: dict[str, dict[str, tuple[str, ...]]] = {
    "cow": {
        r"bull": _phrases("a bull bellows; the bellow of a bull"),
        r"bison": _phrases("a bison grunts and bellows"),
    },
    "sheep": {
        r"goat": _phrases("a goat bleats; bleating of a goat"),
        r"lamb": _phrases("a lamb bleats softly"),
    },
    "chicken": {
        r"rooster": _phrases(
            "a rooster crows; a rooster crowing in the morning; cock-a-doodle-doo of a rooster"
        ),
        r"/hen\.": _phrases("a hen clucks; clucking of a hen"),
    },
    "duck": {
        r"gander": _phrases("a goose honks; honking of a goose"),
    },
    "bird": {
        r"crow": _phrases("a crow caws; cawing of a crow"),
        r"owl": _phrases("an owl hoots; hooting of an owl"),
        r"seagull": _phrases("a seagull cries; seagulls calling by the sea"),
        r"cuckoo": _phrases("a cuckoo calls; the call of a cuckoo"),
        r"peacock": _phrases("a peacock calls loudly"),
        r"day_temperate|ambient/birds": _phrases(
            "birds chirping in a forest; many birds singing outdoors"
        ),
        r"lark|blackbird": _phrases("a songbird sings a melody"),
        r"tucan|quetzal|flamingo": _phrases("a tropical bird calls"),
    },
    "insects": {
        r"/bee\.": _phrases("a bee buzzes; a bee buzzing around"),
        r"hornet": _phrases("a hornet buzzes angrily"),
        r"mosquito": _phrases("a mosquito whines; the high whine of a mosquito"),
        r"cricket|grasshopper": _phrases("crickets chirping; chirping of crickets at night"),
    },
    "lion": {
        r"tiger": _phrases("a tiger roars; a tiger growling"),
    },
    "whale": {
        r"dolphin": _phrases("a dolphin clicks and whistles"),
        r"orca|whale": _phrases("a whale calls underwater"),
    },
    "scream": {
        _FEMALE: _phrases("a woman screams; a woman cries out in pain"),
        _MALE: _phrases("a man screams; a man groans in pain"),
    },
    "speech": {
        _FEMALE: _phrases("a woman speaks; a woman talking; a female voice says something"),
        _MALE: _phrases("a man speaks; a man talking; a male voice says something"),
        r"_desc": _phrases("someone speaking in a foreign language; a person describes something"),
        r"symbols/math": _phrases("a voice says a number; someone says a digit"),
        r"alphabets": _phrases("a voice says a letter; someone pronounces a letter"),
        r"vtoltalk|trnsppil": _phrases("a pilot talks over the radio; radio chatter from a pilot"),
        r"^speech/": _phrases("a synthetic voice speaks; a computer voice reads a sentence"),
    },
    "laughter": {
        r"witch": _phrases("a witch cackles; an evil cackling laugh"),
        r"nexus|haha": _phrases("an evil laugh; a villain laughing menacingly"),
    },
    "footsteps": {
        r"grass": _phrases("footsteps on grass; someone walking through grass"),
        r"gravel": _phrases("footsteps on gravel; crunching steps on gravel"),
        r"snow": _phrases("footsteps in the snow; boots crunching through snow"),
        r"wood": _phrases("footsteps on a wooden floor"),
        r"sand": _phrases("footsteps in sand"),
        r"stone|rock": _phrases("footsteps on stone"),
        r"carpet": _phrases("soft footsteps on carpet"),
        r"metal": _phrases("footsteps on a metal floor"),
        r"tile": _phrases("footsteps on tiles"),
        r"dirt": _phrases("footsteps on a dirt path"),
        r"splash": _phrases("footsteps splashing through water"),
        r"running|_run_": _phrases("someone running; a person running fast"),
    },
    "stream": {
        r"waterfall": _phrases("a waterfall roars; water cascading down a waterfall"),
        r"raging|fast": _phrases("a fast river rushing"),
        r"slow": _phrases("a slow stream trickles"),
        r"fontain": _phrases("water splashing in a fountain"),
    },
    "ocean_waves": {
        r"crash|rocky": _phrases("waves crashing on rocks"),
    },
    "wind": {
        r"gust": _phrases("a gust of wind"),
        r"storm": _phrases("a howling storm; a wind storm blowing hard"),
        r"leaves": _phrases("wind rustling the leaves"),
        r"arctic|snow": _phrases("an icy wind howls"),
    },
    "fire": {
        r"campfire": _phrases("a campfire crackles; crackling of a campfire"),
        r"small|soft": _phrases("a small fire crackling quietly"),
    },
    "thunder": {
        r"lightning": _phrases("a lightning strike followed by thunder"),
    },
    "door": {
        r"close": _phrases("a door closes; a door being shut"),
        r"open": _phrases("a door opens"),
        r"creak": _phrases("a door creaks slowly"),
        r"gate": _phrases("a heavy gate opens; a large stone gate moving"),
    },
    "gunshot": {
        r"pistol": _phrases("a pistol fires"),
        r"rifle|sniper": _phrases("a rifle shot"),
        r"shotgun": _phrases("a shotgun blast"),
        r"musket|thunderstick": _phrases("an old musket fires"),
        r"hmg|chaingun|minigun|/mg|smg|asltmg": _phrases(
            "a machine gun fires a burst; rapid machine gun fire"
        ),
    },
    "explosion": {
        r"grenade": _phrases("a grenade explodes"),
        r"rocket": _phrases("a rocket explodes"),
        r"debris": _phrases("an explosion throws debris around"),
    },
    "engine": {
        r"diesel": _phrases("a diesel engine rumbles"),
        r"tread": _phrases("a tank rolls on its tracks"),
        r"hov": _phrases("a hovercraft engine hums"),
    },
    "aircraft": {
        r"plane": _phrases("a propeller plane flies over"),
        r"flyby": _phrases("a jet flies by"),
        r"vtol|tflight|thover|tland": _phrases("an aircraft hovers and lands"),
    },
    "bell": {
        r"tubular": _phrases("tubular bells ring a melody; church bells chime a tune"),
    },
    "drums": {
        r"tabla": _phrases("a tabla is played; indian tabla drumming"),
        r"amen|breakbeat": _phrases("a breakbeat drum loop"),
        r"wardrums": _phrases("war drums beating"),
        r"brush|jazz": _phrases("a jazz drum beat"),
    },
    "guitar": {
        r"guit_e|electric": _phrases("an electric guitar plays"),
        r"nylon": _phrases("a classical guitar plays"),
        r"steel": _phrases("an acoustic guitar strumming"),
    },
    "organ": {
        r"church": _phrases("a church organ plays"),
    },
    "piano": {
        r"honkytonk": _phrases("an old honky-tonk piano"),
    },
    "xylophone": {
        r"marimba": _phrases("a marimba plays"),
    },
    "saxophone": {
        r"tenor": _phrases("a tenor saxophone plays"),
    },
}


for _label, _phrases_of_rules in extra_captions().items():
    CAPTIONS[_label] = CAPTIONS.get(_label, ()) + tuple(
        p for p in _phrases_of_rules if p not in CAPTIONS.get(_label, ())
    )
for _label, _hints in extra_hints().items():
    HINTS.setdefault(_label, {}).update(_hints)


def hints_for(label: str, path: str) -> list[str]:
    """Specific captions that keywords of ``path`` justify for a clip of ``label``."""
    lowered = path.lower()
    hints = HINTS.get(label, {})
    return [
        c for pattern, captions in hints.items() if re.search(pattern, lowered) for c in captions
    ]


def make_captions(
    label: str, path: str, rng: np.random.Generator, num_captions: int = 5
) -> list[str]:
    """``num_captions`` distinct captions: up to two path hints, then class templates."""
    hints = hints_for(label, path)
    chosen = [str(c) for c in rng.permutation(hints)[:2]] if hints else []
    templates = [c for c in CAPTIONS[label] if c not in chosen]
    chosen += [str(c) for c in rng.permutation(templates)[: num_captions - len(chosen)]]
    return [str(c) for c in rng.permutation(chosen)]
