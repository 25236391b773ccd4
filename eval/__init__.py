"""Evaluation scripts: each prints its figures on the shared dev sets (`python -m eval.<name>`)."""
