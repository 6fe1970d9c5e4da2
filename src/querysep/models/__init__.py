"""Separation networks (ResUNet++ with cross-attention, FiLM-ResUNet) and the Separator."""
