"""`python -m pipeline` is the same program as `rhi-report`."""

from pipeline.cli import program

program()
