"""What a model was trained on: its classes and captions, with pooled text embeddings.

A checkpoint carries its ``vocabulary`` (plain data: lists and one float16 tensor), so the
product can tell users, before they judge a result, when a query is far from everything the
model heard in training, and which training captions are nearest. MiniLM's pooled embeddings
are compared by cosine: wordings of one sound score about 0.6-0.9, unrelated sounds below 0.3.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from querysep.text import TextEncoder

FAR_COSINE = 0.5  # below this for every training caption, a query is "far" from the model


@dataclass(frozen=True)
class Match:
    caption: str
    label: str
    cosine: float


@dataclass
class Vocabulary:
    classes: list[str]
    captions: list[str]
    caption_classes: list[str]  # the class of each caption
    embeddings: torch.Tensor  # (captions, dim) unit-norm pooled embeddings

    @classmethod
    def build(cls, labelled: dict[str, set[str]], encoder: TextEncoder) -> Vocabulary:
        """From ``class -> captions`` of the training clips."""
        pairs = sorted((caption, label) for label, items in labelled.items() for caption in items)
        captions = [caption for caption, _ in pairs]
        pooled = torch.cat(
            [encoder.encode(captions[i : i + 256]).pooled for i in range(0, len(captions), 256)]
        )
        return cls(
            classes=sorted(labelled),
            captions=captions,
            caption_classes=[label for _, label in pairs],
            embeddings=torch.nn.functional.normalize(pooled.float(), dim=-1),
        )

    def to_payload(self) -> dict:
        return {
            "classes": list(self.classes),
            "captions": list(self.captions),
            "caption_classes": list(self.caption_classes),
            "embeddings": self.embeddings.to(torch.float16),
        }

    @classmethod
    def from_payload(cls, payload: dict | None) -> Vocabulary | None:
        if not payload:
            return None
        return cls(
            classes=list(payload["classes"]),
            captions=list(payload["captions"]),
            caption_classes=list(payload["caption_classes"]),
            embeddings=payload["embeddings"].float(),
        )

    def cosines(self, query: str, encoder: TextEncoder) -> torch.Tensor:
        """(captions,) cosine of ``query``'s pooled embedding to every training caption."""
        pooled = torch.nn.functional.normalize(encoder.encode([query]).pooled.float(), dim=-1)
        return self.embeddings @ pooled[0].cpu()

    def nearest(self, query: str, encoder: TextEncoder, k: int = 3) -> list[Match]:
        """The ``k`` training captions nearest to ``query`` (one per class), best first."""
        cosines = self.cosines(query, encoder).tolist()
        best: dict[str, Match] = {}
        for caption, label, cosine in zip(
            self.captions, self.caption_classes, cosines, strict=True
        ):
            if label not in best or cosine > best[label].cosine:
                best[label] = Match(caption, label, cosine)
        return sorted(best.values(), key=lambda m: -m.cosine)[:k]

    def nearest_captions(self, query: str, encoder: TextEncoder, k: int) -> list[str]:
        """The ``k`` training captions nearest to ``query``, of any class, best first."""
        order = torch.argsort(self.cosines(query, encoder), descending=True, stable=True)[:k]
        return [self.captions[i] for i in order.tolist()]

    def hint(self, query: str, encoder: TextEncoder) -> str | None:
        """A warning when ``query`` is far from every training caption, else ``None``."""
        matches = self.nearest(query, encoder)
        if not matches or matches[0].cosine >= FAR_COSINE:
            return None
        nearest = "; ".join(f'"{m.caption}" ({m.label})' for m in matches)
        return (
            "this model was not trained on anything close to this query, so it may return the "
            f"wrong sound or near-silence. Nearest sounds it knows: {nearest}"
        )
