"""ONNX export of the separation network, and an ONNX Runtime stand-in for it.

The exported graph is the network alone: normalised dB features and the query's text
embeddings in, the mask out. STFT, the text encoder and the overlap-add windows stay in
the :class:`~querysep.separator.Separator`, so an ONNX file runs any input length
(the frame axis is dynamic) and any query (the text encoder output is an input).

    separator.use_onnx("default.onnx")   # the same separate() API, network in ONNX Runtime
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
    return path


class OnnxNetwork:
    """Calls an exported network through ONNX Runtime with the PyTorch network's signature."""

    def __init__(self, path: str | Path, *, num_threads: int | None = None) -> None:
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
            self.session = onnxruntime.InferenceSession(
                str(path), options, providers=["CPUExecutionProvider"]
            )
        except Exception as error:
            raise OnnxError(f"{path}: not a loadable ONNX model ({error})") from error
        # inputs the graph does not use (e.g. the pooled vector of cross-attention) are pruned
        self.input_names = [node.name for node in self.session.get_inputs()]
        unknown = set(self.input_names) - set(INPUT_NAMES)
        if unknown:
            raise OnnxError(f"{path}: not a querysep network (inputs {sorted(unknown)})")
        self.path = path

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
