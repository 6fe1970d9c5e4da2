from querysep.data.loader import EpochSampler, ResumableLoader


def test_ranks_split_each_epoch_without_overlap():
    samplers = [EpochSampler(epoch_length=10, rank=r, world_size=2) for r in range(2)]
    for sampler in samplers:
        sampler.set_epoch(3)
    first, second = (list(s) for s in samplers)
    assert sorted(first + second) == list(range(30, 40))
    assert not set(first) & set(second) and len(samplers[0]) == 5


def test_loader_resumes_inside_an_epoch():
    dataset = list(range(1000))
    uninterrupted = ResumableLoader(dataset, sampler=EpochSampler(epoch_length=12), batch_size=3)
    uninterrupted.sampler.set_epoch(2)
    expected = [batch.tolist() for batch in uninterrupted]
    resumed = ResumableLoader(dataset, sampler=EpochSampler(epoch_length=12), batch_size=3)
    resumed.load_state_dict({"epoch": 2, "batches": 2})
    assert [batch.tolist() for batch in resumed] == expected[2:]
    assert [batch.tolist() for batch in resumed] == expected  # the skip applies once
    resumed.position = lambda: 1
    assert resumed.state_dict() == {"epoch": 2, "batches": 1}


def test_loader_saved_at_an_epoch_s_last_batch_resumes_with_the_whole_next_epoch():
    """A checkpoint at the last step of an epoch (every 500 steps in the default run) holds
    {"epoch": e, "batches": all}; the trainer resumes in epoch e + 1, which must not be
    skipped (it was, and such resumes trained on other mixtures than the uninterrupted run)."""
    dataset = list(range(1000))
    uninterrupted = ResumableLoader(dataset, sampler=EpochSampler(epoch_length=12), batch_size=3)
    uninterrupted.sampler.set_epoch(3)
    expected = [batch.tolist() for batch in uninterrupted]
    resumed = ResumableLoader(dataset, sampler=EpochSampler(epoch_length=12), batch_size=3)
    resumed.load_state_dict({"epoch": 2, "batches": 4})
    resumed.sampler.set_epoch(3)  # what the trainer does when the next epoch starts
    assert [batch.tolist() for batch in resumed] == expected
