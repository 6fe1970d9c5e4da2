"""The offline captioned corpus built from Debian packages (``querysep corpus build``)."""

from querysep.data.corpus.build import build_corpus, default_cache_dir
from querysep.data.corpus.debian import PackageError
from querysep.data.corpus.render import RenderError
from querysep.data.corpus.write import CorpusStats

__all__ = ["CorpusStats", "PackageError", "RenderError", "build_corpus", "default_cache_dir"]
