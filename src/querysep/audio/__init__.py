"""Audio input/output (``io``) and time-frequency transforms (``stft``).

Import from the submodules: the networks need ``stft`` only, never file input/output.
"""
