"""ONNX export of the text cross-attention at the frequency sizes of the real network (136, 68,
34 and 17 bins after the stem and the strided levels; 8 bands do not divide the last three)
and at a frame count unlike the traced one."""

from __future__ import annotations

import warnings

import pytest
import torch

from querysep.models.blocks import CrossAttention
from querysep.text.embedding import TextEmbedding


def _run_onnx(path, inputs: dict[str, torch.Tensor]) -> torch.Tensor:
    import onnxruntime

    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    feed = {node.name: inputs[node.name].numpy() for node in session.get_inputs()}
    return torch.from_numpy(session.run(None, feed)[0])


class _Conditioned(torch.nn.Module):
    def __init__(self, layer: torch.nn.Module) -> None:
        super().__init__()
        self.layer = layer

    def forward(self, x: torch.Tensor, tokens: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.layer(x, TextEmbedding.from_tokens(tokens, mask))


@pytest.mark.parametrize("num_freqs", [17, 34, 68, 136, 257])
def test_cross_attention_exports_its_bands_for_any_frequency_size(num_freqs, tmp_path):
    """Bands that 8 does not divide evenly (ceil division of traced sizes) and a frame count
    other than the traced one."""
    pytest.importorskip("onnxruntime")
    torch.manual_seed(0)
    layer = _Conditioned(
        CrossAttention(channels=8, text_dim=12, attention_dim=8, num_heads=2)
    ).eval()
    tokens = torch.randn(1, 5, 12)
    mask = torch.tensor([[True, True, True, False, False]])
    path = tmp_path / "cross_attention.onnx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer warnings about the (fixed) frequency axis
        torch.onnx.export(
            layer,
            (torch.randn(1, 8, num_freqs, 13), tokens, mask),
            str(path),
            input_names=["x", "tokens", "mask"],
            output_names=["y"],
            dynamic_axes={"x": {3: "frames"}, "tokens": {1: "tokens"}, "mask": {1: "tokens"}},
            opset_version=17,
            dynamo=False,
        )
    for num_frames in (13, 40):
        x = torch.randn(1, 8, num_freqs, num_frames)
        with torch.no_grad():
            expected = layer(x, tokens, mask)
        got = _run_onnx(path, {"x": x, "tokens": tokens, "mask": mask})
        torch.testing.assert_close(got, expected, atol=1e-5, rtol=0)
