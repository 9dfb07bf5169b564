"""Make the helpers next to these tests importable as `solver_helpers` (the project
runs pytest with --import-mode=importlib, and tests/solver would shadow the package)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
