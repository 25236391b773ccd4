"""Training scripts for wire's bundled models (run by `make train`, never at import time)."""
