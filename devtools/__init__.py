"""Development tools: never imported by a run (the sample and benchmark data generator)."""
