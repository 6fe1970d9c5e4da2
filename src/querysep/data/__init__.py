"""Training data: captions, mixing, filtering, datasets and the offline corpus."""
