"""all-MiniLM-L6-v2 on ``torch.nn.TransformerEncoder``: the query encoder without transformers.

MiniLM is a 6-layer BERT. Its layers are exactly torch's post-norm encoder layers (attention,
add & norm, GELU feed-forward, add & norm), so the model is torch's modules with the
package's weights mapped onto them, and the tokenizer is the package's own ``tokenizer.json``
run by the ``tokenizers`` library. Importing transformers' BERT costs about 150 MB of memory
(it pulls in torch._dynamo, sympy and scipy.stats), a quarter of the long-file memory goal
(docs/BENCHMARKS.md); this path needs none of it. ``tests/text/test_minilm.py`` checks it
against transformers' ``BertModel`` token by token.
"""

from __future__ import annotations

import json
from pathlib import Path

import torch
from torch import nn

from querysep.text.encoders import TextEncoder, TextEncoderError


class MiniLM(nn.Module):
    """BERT encoder: word + position + token-type embeddings, LayerNorm, post-norm layers."""

    def __init__(
        self,
        *,
        vocab_size: int,
        hidden_size: int,
        num_layers: int,
        num_heads: int,
        intermediate_size: int,
        max_positions: int,
        type_vocab_size: int,
        layer_norm_eps: float,
    ) -> None:
        super().__init__()
        self.word_embeddings = _embedding(vocab_size, hidden_size)
        self.position_embeddings = _embedding(max_positions, hidden_size)
        self.token_type_embeddings = _embedding(type_vocab_size, hidden_size)
        self.norm = nn.LayerNorm(hidden_size, eps=layer_norm_eps)
        layer = nn.TransformerEncoderLayer(
            hidden_size,
            num_heads,
            intermediate_size,
            dropout=0.0,
            activation="gelu",  # BERT's "gelu" is the exact (erf) one, as torch's
            layer_norm_eps=layer_norm_eps,
            batch_first=True,
        )
        self.encoder = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)

    @classmethod
    def from_bert_config(cls, config: dict) -> MiniLM:
        if config.get("hidden_act", "gelu") != "gelu" or config.get("model_type") != "bert":
            raise TextEncoderError("expected a BERT config with GELU activations (MiniLM)")
        return cls(
            vocab_size=config["vocab_size"],
            hidden_size=config["hidden_size"],
            num_layers=config["num_hidden_layers"],
            num_heads=config["num_attention_heads"],
            intermediate_size=config["intermediate_size"],
            max_positions=config["max_position_embeddings"],
            type_vocab_size=config["type_vocab_size"],
            layer_norm_eps=config["layer_norm_eps"],
        )

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """ids: (batch, tokens) int64; mask: (batch, tokens) bool, False on padding
        -> last hidden state (batch, tokens, hidden) (padded positions: anything)."""
        positions = torch.arange(ids.shape[1], device=ids.device)  # (tokens,)
        x = self.word_embeddings(ids) + self.position_embeddings(positions)
        x = self.norm(x + self.token_type_embeddings(torch.zeros_like(ids)))
        return self.encoder(x, src_key_padding_mask=~mask)  # (batch, tokens, hidden)


def _embedding(rows: int, dim: int) -> nn.Embedding:
    """An embedding table left uninitialised: :func:`load_model` assigns the file's weights.

    Not ``nn.Embedding(rows, dim)``: its random ``normal_`` init, on the meta device that
    :func:`load_model` builds on, runs torch's Python reference kernels, which import
    torch._dynamo and sympy (about 70 MB that stay resident after the encoder is freed).
    """
    return nn.Embedding.from_pretrained(torch.empty(rows, dim), freeze=True)


def bert_state_dict(weights: dict[str, torch.Tensor], num_layers: int) -> dict[str, torch.Tensor]:
    """Hugging Face ``BertModel`` weight names -> :class:`MiniLM`'s."""
    state = {
        "word_embeddings.weight": weights["embeddings.word_embeddings.weight"],
        "position_embeddings.weight": weights["embeddings.position_embeddings.weight"],
        "token_type_embeddings.weight": weights["embeddings.token_type_embeddings.weight"],
        "norm.weight": weights["embeddings.LayerNorm.weight"],
        "norm.bias": weights["embeddings.LayerNorm.bias"],
    }
    for index in range(num_layers):
        bert, ours = f"encoder.layer.{index}.", f"encoder.layers.{index}."
        attention = bert + "attention.self."
        for kind in ("weight", "bias"):
            state[ours + f"self_attn.in_proj_{kind}"] = torch.cat(
                [weights[attention + f"{part}.{kind}"] for part in ("query", "key", "value")]
            )
            state[ours + f"self_attn.out_proj.{kind}"] = weights[
                bert + f"attention.output.dense.{kind}"
            ]
            state[ours + f"norm1.{kind}"] = weights[bert + f"attention.output.LayerNorm.{kind}"]
            state[ours + f"linear1.{kind}"] = weights[bert + f"intermediate.dense.{kind}"]
            state[ours + f"linear2.{kind}"] = weights[bert + f"output.dense.{kind}"]
            state[ours + f"norm2.{kind}"] = weights[bert + f"output.LayerNorm.{kind}"]
    return state


def load_model(model_dir: Path) -> MiniLM:
    """The MiniLM of a Hugging Face directory (``config.json``, ``model.safetensors``)."""
    from safetensors.torch import load_file

    config = json.loads((model_dir / "config.json").read_text())
    with torch.device("meta"):  # no random initial weights: the file's tensors are used as is
        model = MiniLM.from_bert_config(config)
    weights = load_file(model_dir / "model.safetensors")
    state = bert_state_dict(weights, config["num_hidden_layers"])
    model.load_state_dict(state, assign=True)
    return model.eval().requires_grad_(False)


class MiniLMTextEncoder(TextEncoder):
    """Frozen MiniLM: tokens = the last hidden state of each text's own tokens."""

    def __init__(
        self, *, name: str, model_dir: Path, max_tokens: int, cache_dir: str | Path | None = None
    ) -> None:
        from tokenizers import Tokenizer

        super().__init__(
            cache_dir=cache_dir, cache_namespace=f"{model_dir.resolve()}\n{max_tokens}"
        )
        self.name = name
        self.model_dir = model_dir
        self.max_tokens = max_tokens
        try:
            self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
            self.model: MiniLM | None = load_model(model_dir)
        except (OSError, ValueError, KeyError, RuntimeError, json.JSONDecodeError) as error:
            raise TextEncoderError(
                f"cannot load MiniLM weights from {model_dir}: {error}"
            ) from error
        self.tokenizer.enable_truncation(max_tokens)
        self.tokenizer.enable_padding(pad_id=self.tokenizer.token_to_id("[PAD]") or 0)
        self.dim = self.model.word_embeddings.embedding_dim

    def release(self) -> None:
        self.model = None

    @torch.no_grad()  # not inference_mode: training uses the tokens beside autograd
    def encode_uncached(self, texts: list[str]) -> list[torch.Tensor]:
        if self.model is None:
            self.model = load_model(self.model_dir)
        batch = self.tokenizer.encode_batch(texts)
        ids = torch.tensor([item.ids for item in batch])  # (batch, tokens)
        mask = torch.tensor([item.attention_mask for item in batch]).bool()  # (batch, tokens)
        hidden = self.model(ids, mask).float()  # (batch, tokens, dim)
        return [row[keep].clone() for row, keep in zip(hidden, mask)]  # each (tokens_i, dim)
