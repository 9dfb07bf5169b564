"""Make giving_helpers importable (pytest runs with --import-mode=importlib)."""

import sys
from pathlib import Path

sys.path.append(str(Path(__file__).parent))  # after tests/: `conftest` stays the root one
