"""Resumable loading of on-the-fly mixtures: global indices per epoch, sharded by rank.

Epoch ``e`` on rank ``r`` of ``w`` draws the mixtures ``e·epoch_length + i`` for
``i ≡ r (mod w)``; every index is a fixed mixture (see ``MixtureDataset``), so the data
position is just (epoch, batches consumed). ``ResumableLoader`` reports that position in
``state_dict`` and resumes from it, which Lightning uses for exact mid-epoch resume.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from torch.utils.data import DataLoader, Sampler


class EpochSampler(Sampler[int]):
    def __init__(self, *, epoch_length: int, rank: int = 0, world_size: int = 1) -> None:
        self.epoch_length = epoch_length
        self.local_indices = range(rank, epoch_length, world_size)
        self.epoch = 0
        self.skip = 0  # local indices to skip once (resume inside an epoch) ...
        self.skip_epoch = 0  # ... of this epoch only

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def __len__(self) -> int:
        return len(self.local_indices)

    def __iter__(self) -> Iterator[int]:
        # a run saved at an epoch's last batch resumes in the next epoch: nothing to skip there
        skip = self.skip if self.epoch == self.skip_epoch else 0
        self.skip = 0
        offset = self.epoch * self.epoch_length
        return iter([offset + index for index in self.local_indices[skip:]])


class ResumableLoader(DataLoader):
    """A DataLoader over an :class:`EpochSampler` whose position can be saved and restored.

    ``position`` returns the batches consumed in the current epoch (set by the trainer).
    """

    def __init__(self, dataset, *, sampler: EpochSampler, batch_size: int, **kwargs) -> None:
        super().__init__(dataset, sampler=sampler, batch_size=batch_size, **kwargs)
        self.position: Callable[[], int] = lambda: 0

    def state_dict(self) -> dict:
        return {"epoch": self.sampler.epoch, "batches": int(self.position())}

    def load_state_dict(self, state: dict) -> None:
        self.sampler.set_epoch(int(state["epoch"]))
        self.sampler.skip = int(state["batches"]) * self.batch_size
        self.sampler.skip_epoch = int(state["epoch"])
