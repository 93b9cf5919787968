"""`python -m pipeline` is the same program as `rhi-report`."""

import sys

from pipeline.cli import main

sys.exit(main())
