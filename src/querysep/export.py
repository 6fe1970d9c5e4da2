"""ONNX export of the separation network, and an ONNX Runtime stand-in for it.

The exported graph is the network alone: normalised dB features and the query's text
embeddings in, the mask out. STFT, the text encoder and the overlap-add windows stay in
the :class:`~querysep.separator.Separator`, so an ONNX file runs any input length
(the frame axis is dynamic) and any query (the text encoder output is an input).

    separator.use_onnx("default.onnx")   # the same separate() API, network in ONNX Runtime

A model that takes audio queries also gets its example encoder exported beside it
(``default.example.onnx``: an example's dB features and frame mask in, tokens out); example
tokens join the text tokens on the network's dynamic token axis, so the network graph is the
same for every kind of query.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import torch

INPUT_NAMES = ("features", "text_tokens", "text_mask", "text_pooled")
OPSET_VERSION = 17
DYNAMIC_AXES = {
    "features": {0: "batch", 3: "frames"},
    "text_tokens": {0: "batch", 1: "tokens"},
    "text_mask": {0: "batch", 1: "tokens"},
    "text_pooled": {0: "batch"},
    "mask": {0: "batch", 3: "frames"},
}


EXAMPLE_INPUT_NAMES = ("example_features", "frame_mask")
EXAMPLE_DYNAMIC_AXES = {
    "example_features": {0: "batch", 3: "frames"},
    "frame_mask": {0: "batch", 1: "frames"},
    "example_tokens": {0: "batch"},
}


def example_path(path: str | Path) -> Path:
    """Where the example encoder of the network exported to ``path`` goes."""
    path = Path(path)
    return path.with_name(f"{path.stem}.example.onnx")


class _ExampleTokens(torch.nn.Module):
    """The example encoder with a tensor output (ONNX exports tensors, not dataclasses)."""

    def __init__(self, encoder: torch.nn.Module) -> None:
        super().__init__()
        self.encoder = encoder

    def forward(self, features: torch.Tensor, frame_mask: torch.Tensor) -> torch.Tensor:
        return self.encoder(features, frame_mask).tokens  # (batch, num_tokens, dim)


class OnnxError(RuntimeError):
    """onnxruntime/onnx missing, or an ONNX file that does not fit the separator."""


def export_onnx(separator, path: str | Path, *, example_seconds: float = 4.0) -> Path:
    """Write ``separator.network`` as ONNX (opset 17, dynamic batch, frames and tokens)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    config = separator.config.audio
    num_frames = int(example_seconds * config.sample_rate) // config.hop_length + 1
    features = torch.rand(1, 1, config.n_fft // 2 + 1, num_frames)  # (batch, 1, freq, frames)
    text = separator.encode_text(["an example query"])
    network = separator.network.eval()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer warnings about the (fixed) frequency axis
        torch.onnx.export(
            network,
            (features, text.tokens, text.mask, text.pooled),
            str(path),
            input_names=list(INPUT_NAMES),
            output_names=["mask"],
            dynamic_axes=DYNAMIC_AXES,
            opset_version=OPSET_VERSION,
            dynamo=False,
        )
    if separator.model.takes_examples:
        frame_mask = torch.ones(1, num_frames, dtype=torch.bool)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                _ExampleTokens(separator.model.example_encoder.eval()),
                (features, frame_mask),
                str(example_path(path)),
                input_names=list(EXAMPLE_INPUT_NAMES),
                output_names=["example_tokens"],
                dynamic_axes=EXAMPLE_DYNAMIC_AXES,
                opset_version=OPSET_VERSION,
                dynamo=False,
            )
    return path


class OnnxNetwork:
    """Calls an exported network through ONNX Runtime with the PyTorch network's signature."""

    def __init__(self, path: str | Path, *, num_threads: int | None = None) -> None:
        self.session = _session(path, num_threads)
        # inputs the graph does not use (e.g. the pooled vector of cross-attention) are pruned
        self.input_names = [node.name for node in self.session.get_inputs()]
        unknown = set(self.input_names) - set(INPUT_NAMES)
        if unknown:
            raise OnnxError(f"{path}: not a querysep network (inputs {sorted(unknown)})")
        self.path = Path(path)

    def __call__(
        self,
        features: torch.Tensor,
        text_tokens: torch.Tensor,
        text_mask: torch.Tensor,
        text_pooled: torch.Tensor,
    ) -> torch.Tensor:
        """Same contract as the networks' forward: -> mask (batch, 1, freq, frames)."""
        values = dict(zip(INPUT_NAMES, (features, text_tokens, text_mask, text_pooled)))
        feed = {name: _numpy(values[name]) for name in self.input_names}
        (mask,) = self.session.run(["mask"], feed)
        return torch.from_numpy(mask)


class OnnxExampleEncoder:
    """Calls an exported example encoder with the PyTorch encoder's signature."""

    def __init__(self, path: str | Path, *, num_threads: int | None = None) -> None:
        path = Path(path)
        if not path.is_file():
            raise OnnxError(
                f"{path}: missing; this model takes audio queries, so export it again "
                "(querysep export-onnx writes the example encoder beside the network)"
            )
        self.session = _session(path, num_threads)
        names = {node.name for node in self.session.get_inputs()}
        if names != set(EXAMPLE_INPUT_NAMES):
            raise OnnxError(f"{path}: not a querysep example encoder (inputs {sorted(names)})")

    def __call__(self, features: torch.Tensor, frame_mask: torch.Tensor):
        """features: (batch, 1, freq, frames); frame_mask: (batch, frames) -> TextEmbedding."""
        from querysep.text.embedding import TextEmbedding

        feed = {"example_features": _numpy(features), "frame_mask": _numpy(frame_mask)}
        (tokens,) = self.session.run(["example_tokens"], feed)
        tokens = torch.from_numpy(tokens)
        return TextEmbedding.from_tokens(tokens, torch.ones(tokens.shape[:2], dtype=torch.bool))


def _session(path: str | Path, num_threads: int | None):
    try:
        import onnxruntime
    except ImportError as error:
        raise OnnxError(
            "the ONNX path needs onnxruntime (a querysep dependency): pip install onnxruntime"
        ) from error
    path = Path(path)
    if not path.is_file():
        raise OnnxError(f"{path}: ONNX file not found")
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = num_threads or torch.get_num_threads()
    options.inter_op_num_threads = 1
    try:
        return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as error:
        raise OnnxError(f"{path}: not a loadable ONNX model ({error})") from error


def _numpy(tensor: torch.Tensor) -> np.ndarray:
    array = tensor.detach().cpu().numpy()
    return array if array.dtype == np.bool_ else array.astype(np.float32, copy=False)


def max_abs_difference(separator, onnx_path: str | Path, *, seconds: float = 10.0) -> float:
    """Largest |mask_pytorch − mask_onnx| on random features of ``seconds`` and two queries."""
    config = separator.config.audio
    num_frames = int(seconds * config.sample_rate) // config.hop_length + 1
    generator = torch.Generator().manual_seed(0)
    features = torch.rand(2, 1, config.n_fft // 2 + 1, num_frames, generator=generator)
    text = separator.encode_text(["a dog barking", "rain falling on a roof"])
    inputs = (features, text.tokens, text.mask, text.pooled)
    with torch.inference_mode():
        reference = separator.network.eval()(*inputs)
    return float((OnnxNetwork(onnx_path)(*inputs) - reference).abs().max())
