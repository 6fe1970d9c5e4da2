import numpy as np

from querysep.data.filtering import filter_pairs, is_accepted, waveform_similarity
from tests.conftest import noise_burst, tone


def test_rejects_pair_whose_target_is_almost_the_mixture():
    target = tone(440, 2.0)
    mixture = target + noise_burst(0, 2.0, amplitude=0.005)
    similarity = waveform_similarity(mixture, target)
    assert similarity > 0.99
    assert not is_accepted(similarity, 0.75)


def test_accepts_clearly_different_pair():
    target = tone(300, 2.0, amplitude=0.1)
    mixture = target + tone(5000, 2.0, amplitude=0.9) + noise_burst(1, 2.0, amplitude=0.3)
    similarity = waveform_similarity(mixture, target)
    assert similarity < 0.5
    assert is_accepted(similarity, 0.75)


def test_filter_pairs_and_filter_off():
    target = tone(300, 1.0)
    pairs = [(target * 1.01, target), (tone(4000, 1.0) + 0.05 * target, target)]
    results = filter_pairs(pairs, threshold=0.75)
    assert [accepted for accepted, _ in results] == [False, True]
    assert all(0.0 <= cosine <= 1.0 + 1e-9 for _, cosine in results)
    assert is_accepted(0.99, None)


def test_silent_target_is_rejected():
    assert waveform_similarity(tone(300, 1.0), np.zeros(16000, np.float32)) == 1.0
