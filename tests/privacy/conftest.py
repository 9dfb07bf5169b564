import sys
from pathlib import Path

from public_rows import gifts, seeded  # noqa: F401  (fixtures)

here = Path(__file__).parent
sys.path.append(str(here.parent / "giving"))  # giving_helpers: a village, a household
