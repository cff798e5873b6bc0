"""The embedding model, loaded once per process from the files its wheel ships.

The ``wordllama`` wheel carries a 256-dimension static embedding (one vector per token of
a 32,000-token vocabulary) and that vocabulary's tokenizer. Its own loader looks for the
tokenizer in a folder the wheel does not have and then falls back to a download, so the
two shipped files are read here by path and nothing else of the package is run: no hub,
no cache folder, no network. A text's vector is the mean of its tokens' vectors.
"""

from __future__ import annotations

import importlib.util
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

PACKAGE = "wordllama"
WEIGHTS = Path("weights") / "l2_supercat_256.safetensors"
TOKENIZER = Path("tokenizers") / "l2_supercat_tokenizer_config.json"
TENSOR = "embedding.weight"
# Descriptions are short; a pasted essay is cut here so one request cannot be made slow.
MAX_TOKENS = 512


class ModelUnavailable(RuntimeError):
    """The shipped model files could not be read; suggestions are switched off."""


@dataclass(frozen=True)
class TokenVectors:
    """A text's tokens, where each starts and ends in the text, and their vectors."""

    spans: list[tuple[int, int]]
    vectors: np.ndarray  # (tokens, 256), float32


class EmbeddingModel:
    def __init__(self, *, weights: np.ndarray, tokenizer) -> None:
        # Kept as float16, as shipped: half the memory, and rows are widened on lookup.
        self.weights = weights
        self.tokenizer = tokenizer
        self.dimensions = weights.shape[1]

    def tokens(self, text: str) -> TokenVectors:
        encoding = self.tokenizer.encode(text, add_special_tokens=False)
        ids = np.clip(np.asarray(encoding.ids[:MAX_TOKENS], dtype=np.int64), 0, None)
        ids = np.minimum(ids, self.weights.shape[0] - 1)
        vectors = self.weights[ids].astype(np.float32)
        return TokenVectors(spans=list(encoding.offsets[:MAX_TOKENS]), vectors=vectors)

    def embed(self, text: str) -> np.ndarray:
        """The text's unit vector (zeros for a text with no tokens)."""
        return mean_unit(self.tokens(text).vectors, self.dimensions)

    def embed_many(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        return np.vstack([self.embed(text) for text in texts])


def mean_unit(vectors: np.ndarray, dimensions: int) -> np.ndarray:
    if not len(vectors):
        return np.zeros(dimensions, dtype=np.float32)
    mean = vectors.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return (mean / norm).astype(np.float32) if norm else mean.astype(np.float32)


def shipped_files() -> tuple[Path, Path]:
    """Where the installed wheel put the weights and the tokenizer (without importing it)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailable(f"The {PACKAGE} package is not installed.")
    root = Path(next(iter(spec.submodule_search_locations)))
    weights, tokenizer = root / WEIGHTS, root / TOKENIZER
    for path in (weights, tokenizer):
        if not path.is_file():
            raise ModelUnavailable(f"The model file {path.name} is missing from {root}.")
    return weights, tokenizer


def load() -> EmbeddingModel:
    try:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        weights_path, tokenizer_path = shipped_files()
        weights = load_file(str(weights_path))[TENSOR]
        tokenizer = Tokenizer.from_file(str(tokenizer_path))
    except ModelUnavailable:
        raise
    except Exception as error:  # a corrupt or incompatible file: suggestions off, forms on
        raise ModelUnavailable(f"The embedding model could not be read: {error}") from error
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return EmbeddingModel(weights=weights, tokenizer=tokenizer)


_lock = threading.Lock()
_model: EmbeddingModel | None = None
_failure: ModelUnavailable | None = None


def get_model() -> EmbeddingModel:
    """The process's model, loaded on first use; a failure is remembered, not retried."""
    global _model, _failure
    if _model is not None:
        return _model
    with _lock:
        if _model is None and _failure is None:
            try:
                _model = load()
            except ModelUnavailable as error:
                _failure = error
        if _failure is not None:
            raise _failure
        return _model


def forget() -> None:
    """Drop the loaded model (tests, and the benchmark's cold start)."""
    global _model, _failure
    with _lock:
        _model = None
        _failure = None
