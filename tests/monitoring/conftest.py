"""Make the helpers importable (pytest runs with --import-mode=importlib); giving's helpers
build villages and households."""

import sys
from pathlib import Path

here = Path(__file__).parent
sys.path.append(str(here))
sys.path.append(str(here.parent / "giving"))
