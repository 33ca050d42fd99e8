"""Negotiation Explorer: explore how a multilateral treaty was negotiated.

The package is split like Anki's ``anki``/``aqt``: everything except :mod:`explorer.ui`
runs headless (store, ingest, analysis, charts, cli) and never imports Qt. This file imports
nothing: ``explorer.names`` must load on a bare Python (the dataset build uses it).
"""

__version__ = "0.1.0"
