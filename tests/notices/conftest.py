"""Make giving's, monitoring's and enterprises' helpers importable (--import-mode=importlib)."""

import sys
from pathlib import Path

here = Path(__file__).parent
sys.path.append(str(here.parent / "giving"))
sys.path.append(str(here.parent / "monitoring"))
sys.path.append(str(here.parent / "notices"))
sys.path.append(str(here.parent))
