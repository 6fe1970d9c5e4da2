"""Frozen text encoders that turn queries into token embeddings."""
